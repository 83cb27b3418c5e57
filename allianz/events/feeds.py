"""`/feeds/veranstaltungen.ics`: the public events (series with RRULE and EXDATE, not
expanded) and the public meetings, for any calendar program.

Filters in the query: `gemeinde` (AGS) and `kategorie` (code). An unknown value is answered
with 400 and a German sentence. The feed holds no personal data.
"""

from __future__ import annotations

from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from allianz import clock, config, database
from allianz.events import ical, service
from allianz.versioned_cache import VersionedCache

PATH = "/feeds/veranstaltungen.ics"
FILTERS = ("gemeinde", "kategorie")


def _filters(query: dict) -> tuple[str | None, str | None]:
    unknown = sorted(set(query) - set(FILTERS))
    if unknown:
        raise service.EventError(
            f"Unbekannter Filter „{unknown[0][:30]}“. Möglich: gemeinde, kategorie."
        )
    municipality = (query.get("gemeinde") or "").strip() or None
    category = (query.get("kategorie") or "").strip() or None
    return municipality, category


# Every subscriber's calendar asks for the same few addresses every few hours; the body is
# kept per filter and data version (a write to the events or a changed meeting makes it new,
# and so does the hour: events drop out of the feed 30 days after their last date).
_BODIES: VersionedCache[bytes] = VersionedCache(keep=64)


def build(db, alliance, query: dict, base_url: str, now: datetime | None = None) -> bytes:
    """The feed's body for these query filters (also used by the command line)."""
    now = now or clock.now()
    municipality, category = _filters(query)
    meetings = (
        service.public_meetings(db, now, municipality)
        if service.meetings_shown(alliance, category)
        else []
    )
    key = (
        db.execute("PRAGMA database_list").fetchone()[2],
        alliance.slug,
        municipality,
        category,
        base_url,
        now.strftime("%Y%m%d%H"),
        service.version(db),
        tuple((m.id, m.updated_at) for m in meetings),
    )

    def compute() -> bytes:
        events = service.feed_events(db, alliance, now, municipality, category)
        return ical.calendar(events, meetings, alliance, base_url)

    return _BODIES.get(key, compute)


def _feed(query: dict, base_url: str) -> bytes:
    alliance = config.load()
    db = database.open_for(alliance)
    try:
        return build(db, alliance, query, base_url)
    finally:
        db.close()


async def events_feed(request: Request) -> Response:
    try:
        body = await run_in_threadpool(
            _feed, dict(request.query_params), str(request.base_url).rstrip("/")
        )
    except service.EventError as exc:
        return PlainTextResponse(str(exc), status_code=400)
    headers = {
        "Cache-Control": "public, max-age=300",
        "Content-Disposition": 'inline; filename="veranstaltungen.ics"',
    }
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


ROUTES = [Route(PATH, events_feed)]
