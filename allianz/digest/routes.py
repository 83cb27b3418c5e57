"""One-click unsubscribe for mail programs (RFC 8058): the digest's `List-Unsubscribe` header
names ONE_CLICK_PATH with the subscriber's token, and `List-Unsubscribe-Post:
List-Unsubscribe=One-Click` tells the mail program to POST there. The token is the only
authority needed (no sign-in, no cookie). A GET (someone opens the address in a browser) is
sent on to the newsletter page, which unsubscribes and says so."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from allianz import config, database
from allianz.digest import service
from allianz.digest.model import UNSUBSCRIBE_KEY


def _unsubscribe(token: str) -> bool:
    db = database.open_for(config.load())
    try:
        return service.unsubscribe(db, token)
    finally:
        db.close()


async def one_click(request: Request) -> Response:
    token = request.query_params.get("token", "")
    if request.method == "GET":
        target = f"{service.PAGE_PATH}?{UNSUBSCRIBE_KEY}={quote(token[:100])}"
        return RedirectResponse(target, status_code=303)
    removed = await run_in_threadpool(_unsubscribe, token)
    text = (
        "Sie sind vom Newsletter abgemeldet."
        if removed
        else "Diese Adresse ist nicht (mehr) für den Newsletter angemeldet."
    )
    return PlainTextResponse(text, headers={"Cache-Control": "no-store"})


ROUTES = [Route(service.ONE_CLICK_PATH, one_click, methods=["GET", "POST"])]
