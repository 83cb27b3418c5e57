"""`/feeds/sprechstunden.ics`: the announced consultation hours for any calendar program."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from allianz import config, database
from allianz.mayor_hours import ical, service

PATH = "/feeds/sprechstunden.ics"


def _feed(base_url: str) -> bytes:
    alliance = config.load()
    db = database.open_for(alliance)
    try:
        return ical.calendar(service.hours(db), alliance, base_url, datetime.now(UTC))
    finally:
        db.close()


async def hours_feed(request: Request) -> Response:
    body = await run_in_threadpool(_feed, str(request.base_url).rstrip("/"))
    headers = {
        "Cache-Control": "public, max-age=300",
        "Content-Disposition": 'inline; filename="sprechstunden.ics"',
    }
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


ROUTES = [Route(PATH, hours_feed)]
