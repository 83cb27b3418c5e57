"""`/feeds/geraete/<id>.ics`: when a pool item is taken (public: the item's occupancy with the
borrowing municipality, no persons). An unknown or retired item answers 404 in German."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from allianz import config, database
from allianz.errors import NotFound
from allianz.sharing import ical, service

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _feed(item_id: int, base_url: str) -> bytes:
    alliance = config.load()
    db = database.open_for(alliance)
    try:
        item = service.get_item(db, item_id)
        return ical.calendar(db, alliance, item, base_url)
    finally:
        db.close()


async def item_feed(request: Request) -> Response:
    raw = request.path_params["item"]
    if not raw.isdigit() or len(raw) > 9:
        return PlainTextResponse("Dieses Gerät gibt es nicht.", status_code=404)
    try:
        body = await run_in_threadpool(_feed, int(raw), str(request.base_url).rstrip("/"))
    except NotFound as exc:
        return PlainTextResponse(str(exc), status_code=404)
    headers = {
        "Cache-Control": "public, max-age=300",
        "Content-Disposition": f'inline; filename="geraet-{raw}.ics"',
    }
    return Response(body, media_type=CALENDAR_TYPE, headers=headers)


ROUTES = [Route("/feeds/geraete/{item}.ics", item_feed)]
