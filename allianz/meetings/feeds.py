"""Calendar feeds: `/feeds/termine.ics` (public meetings, filtered by the query) and
`/feeds/termine/<secret>.ics` (a signed-in member's own feed, with their non-public meetings).

Filters: `art` (one or more kinds, comma-separated), `gemeinde` (AGS), `arbeitskreis` (name).
An unknown filter value is answered with 400 and a German sentence; an unknown, revoked or
disabled personal address with 404 and no data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from allianz import config, database
from allianz.accounts.model import ANONYMOUS
from allianz.meetings import ical, service
from allianz.meetings.model import KINDS

# A feed reaches back a year and forward without end: calendars keep what they have seen.
HISTORY = timedelta(days=366)
CALENDAR_TYPE = "text/calendar; charset=utf-8"


class FeedError(ValueError):
    """A filter the feed does not know; the message is German."""


def filters(query: dict) -> dict:
    """The listing filters of a feed address's query."""
    kinds = [k.strip() for k in (query.get("art") or "").split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise FeedError(f"Unbekannte Art „{unknown[0][:40]}“. Möglich: {', '.join(KINDS)}.")
    alliance = config.load()
    municipality = (query.get("gemeinde") or "").strip() or None
    if municipality and municipality not in {m.ags for m in alliance.municipalities}:
        raise FeedError(f"Unbekannte Gemeinde „{municipality[:20]}“ (bitte den Gemeindeschlüssel).")
    group = (query.get("arbeitskreis") or "").strip()[:200] or None
    return {"kinds": kinds, "municipality": municipality, "working_group": group}


def _feed(user, query: dict, base_url: str, name: str) -> bytes:
    alliance = config.load()
    db = database.open_for(alliance)
    try:
        start = datetime.now(UTC) - HISTORY
        meetings = service.listing(db, user, start=start, **filters(query))
        meetings = [service.with_link_labels(db, user, m) for m in meetings]
        return ical.calendar(meetings, alliance, base_url, name=name)
    finally:
        db.close()


def _personal_user(token: str):
    alliance = config.load()
    db = database.open_for(alliance)
    try:
        return service.feed_user(db, token)
    finally:
        db.close()


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _calendar(body: bytes, private: bool) -> Response:
    headers = {
        "Cache-Control": "private, no-store" if private else "public, max-age=300",
        "Content-Disposition": 'inline; filename="termine.ics"',
    }
    return Response(body, media_type=CALENDAR_TYPE, headers=headers)


async def public_feed(request: Request) -> Response:
    try:
        body = await run_in_threadpool(
            _feed, ANONYMOUS, dict(request.query_params), _base_url(request), ""
        )
    except FeedError as exc:
        return PlainTextResponse(str(exc), status_code=400)
    return _calendar(body, private=False)


async def personal_feed(request: Request) -> Response:
    token = request.path_params["token"]
    user = await run_in_threadpool(_personal_user, token)
    if user is None:
        return PlainTextResponse(
            "Diesen Kalender gibt es nicht (mehr). Bitte in der App einen neuen Link erzeugen.",
            status_code=404,
        )
    try:
        body = await run_in_threadpool(
            _feed,
            user,
            dict(request.query_params),
            _base_url(request),
            f"Meine Termine ({user.display_name})",
        )
    except FeedError as exc:
        return PlainTextResponse(str(exc), status_code=400)
    return _calendar(body, private=True)


ROUTES = [
    Route("/feeds/termine.ics", public_feed),
    Route("/feeds/termine/{token}.ics", personal_feed),
]
