"""Sign-in and sign-out as plain form posts to the app, so the session cookie can be HttpOnly.

A Streamlit script cannot set cookies; the "Anmelden" page therefore shows a small HTML form
that posts here. A valid form token (`allianz.form_tokens`) is required; wrong passwords are
counted in the database per account and per client (salted hashes, `allianz.limits`), so a
reload or a new tab does not reset the count. The answer is always a redirect: to the start
page when signed in, back to the form with a German reason otherwise.
"""

from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from allianz import config, database, form_tokens, limits
from allianz.accounts import service, sessions

SIGN_IN = "/konto/anmelden"
SIGN_OUT = "/konto/abmelden"
LOGIN_PAGE = "/login"
ACCOUNT_FAILURES = limits.Limit("signin.account", 5, 15 * 60)
CLIENT_FAILURES = limits.Limit("signin.client", 20, 15 * 60)
MAX_BODY = 4096
BERLIN = ZoneInfo("Europe/Berlin")


def _with_db(work):
    db = database.open_for(config.load())
    try:
        return work(db)
    finally:
        db.close()


async def _form(request: Request) -> dict[str, str] | None:
    """The url-encoded form, or None when it is too large or of another kind."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        return None
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items() if len(v) == 1}


def _back(reason: str, **extra: str) -> RedirectResponse:
    return RedirectResponse(f"{LOGIN_PAGE}?{urlencode({'anmeldung': reason, **extra})}", 303)


def _cookie(response: Response, request: Request, token: str | None) -> Response:
    if token is None:
        response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax")
    else:
        response.set_cookie(
            sessions.COOKIE,
            token,
            max_age=sessions.ABSOLUTE_SECONDS,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def _check_in(db, form: dict[str, str], client: str, agent: str) -> tuple[str, dict]:
    """("ok", {token}) or (reason, extra) for the redirect back."""
    if not form_tokens.valid(db, "signin", form.get("formular", "")):
        return "formular", {}
    username = form.get("benutzername", "").strip()[:80]
    counted = username.casefold()  # "Verwaltung" and "verwaltung" share one count
    now = time.time()
    blocked = [
        limits.retry_at(db, ACCOUNT_FAILURES, counted, now),
        limits.retry_at(db, CLIENT_FAILURES, client, now),
    ]
    until = max((b for b in blocked if b), default=None)
    if until is not None:
        return "gesperrt", {"bis": datetime.fromtimestamp(until, BERLIN).strftime("%H:%M")}
    user = service.authenticate(db, username, form.get("passwort", ""))
    if user is None:
        limits.hit(db, ACCOUNT_FAILURES, counted, now)
        limits.hit(db, CLIENT_FAILURES, client, now)
        return "falsch", {}
    limits.clear(db, ACCOUNT_FAILURES, counted, now)
    return "ok", {"token": sessions.start(db, user, agent, now)}


async def sign_in(request: Request) -> Response:
    form = await _form(request)
    if form is None:
        return _back("formular")
    client = request.client.host if request.client else ""
    agent = request.headers.get("user-agent", "")[:300]
    reason, extra = await run_in_threadpool(_with_db, lambda db: _check_in(db, form, client, agent))
    if reason != "ok":
        return _back(reason, **extra)
    return _cookie(RedirectResponse("/", 303), request, extra["token"])


async def sign_out(request: Request) -> Response:
    form = await _form(request)
    token = request.cookies.get(sessions.COOKIE)

    def work(db) -> bool:
        if form is None or not form_tokens.valid(db, "signout", form.get("formular", "")):
            return False
        sessions.end(db, token)
        return True

    if not await run_in_threadpool(_with_db, work):
        return RedirectResponse("/account?abmeldung=formular", 303)
    return _cookie(RedirectResponse("/", 303), request, None)


ROUTES = [Route(SIGN_IN, sign_in, methods=["POST"]), Route(SIGN_OUT, sign_out, methods=["POST"])]
