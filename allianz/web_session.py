"""Streamlit glue shared by all pages: alliance, per-run database, current user, access checks.

A database connection belongs to one script run (one thread); it is kept in a thread-local
and closed by the entry script when the run ends.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple, NoReturn
from urllib.parse import urlsplit

import sqlite_utils
import streamlit as st

from allianz import auth, config, database, form_tokens, mail, visitors
from allianz.accounts import service as accounts
from allianz.accounts import sessions
from allianz.accounts.model import ANONYMOUS, User
from allianz.errors import DomainError

_run = threading.local()


@st.cache_resource
def _alliance(selector: str | None) -> config.Alliance:
    return config.load(selector)


def alliance() -> config.Alliance:
    return _alliance(os.environ.get("ALLIANZ_CONFIG"))


def db() -> sqlite_utils.Database:
    """This run's connection, opened on first use."""
    conn = getattr(_run, "db", None)
    if conn is None:
        conn = database.open_for(alliance())
        _run.db = conn
    return conn


def deferred(work: Callable[[sqlite_utils.Database], bytes | str]) -> Callable[[], bytes | str]:
    """For download buttons: compute only when clicked, on a connection of its own."""
    selector = os.environ.get("ALLIANZ_CONFIG")

    def run() -> bytes | str:
        conn = database.open_for(_alliance(selector))
        try:
            return work(conn)
        finally:
            conn.close()

    return run


@contextmanager
def connection() -> Iterator[sqlite_utils.Database]:
    """A connection of its own, for fragments that rerun without the entry script."""
    conn = database.open_for(alliance())
    try:
        yield conn
    finally:
        conn.close()


def end_run() -> None:
    """Close this run's connection and forget its user; the entry script calls it last."""
    conn = getattr(_run, "db", None)
    if conn is not None:
        conn.close()
    _run.db = None
    _run.user = None


def oidc_enabled() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def smtp_settings() -> mail.SmtpSettings | None:
    try:
        return mail.SmtpSettings.from_mapping(st.secrets.get("smtp"))
    except FileNotFoundError:
        return None


def current_user() -> User:
    """Read once per run from the database, so a disabled account loses access at once."""
    user = getattr(_run, "user", None)
    if user is None:
        user = _resolve_user()
        _run.user = user
    return user


def _resolve_user() -> User:
    if oidc_enabled() and st.user.is_logged_in:
        return accounts.user_for_oidc(db(), dict(st.user.to_dict()))
    return sessions.user_for(db(), session_cookie()) or ANONYMOUS


def session_cookie() -> str | None:
    """The sign-in cookie this browser sent when it opened the page (set by
    `accounts.routes`; HttpOnly, so no script of the page can read it)."""
    value = st.context.cookies.get(sessions.COOKIE)
    return value if isinstance(value, str) else None


def visitor() -> visitors.Visitor:
    """Who acts, in terms a reload keeps (`allianz.visitors`): the account when signed in,
    else the client address (set by our middleware) and the visitor cookie."""
    user = current_user()
    if user.signed_in:
        return visitors.Visitor(account=user.username)
    cookie = st.context.cookies.get(visitors.COOKIE)
    return visitors.Visitor(
        address=st.context.headers.get(visitors.ADDRESS_HEADER),
        cookie=cookie if isinstance(cookie, str) else None,
        session=st.session_state.setdefault("_visitor_session", secrets.token_hex(16)),
    )


def require(user: User, action: str) -> None:
    """Stop the page with a refusal (and no data) unless the role may do `action`."""
    if not auth.can(user.role, action):
        st.error("Kein Zugriff: Diese Seite ist für Ihre Rolle nicht freigegeben.")
        if not user.signed_in:
            st.info("Bitte melden Sie sich über „Anmelden“ in der Navigation an.")
        st.stop()


def form_token(form: str, *content: object) -> str:
    """The submission token of a form with this content in this browser session: the same
    while the same content is sent again (a second click), new for new content. Services claim
    it in their write (`allianz.submissions`), so a create lands once."""
    secret = st.session_state.setdefault("_form_secret", secrets.token_hex(16))
    digest = hashlib.sha256(repr((secret, form, content)).encode()).hexdigest()
    return f"{form}:{digest[:32]}"


def form_key(name: str) -> str:
    """A form's key. Forms keep what was typed (an error must not cost the input);
    `clear_form` gives the form a new key, so its fields start empty on the next run."""
    return f"{name}-{st.session_state.get(f'_form_generation_{name}', 0)}"


def clear_form(name: str) -> None:
    """After a successful send: the form's fields are empty when the page is drawn next."""
    key = f"_form_generation_{name}"
    st.session_state[key] = st.session_state.get(key, 0) + 1


def detail_key(name: str) -> str | None:
    """The key of the detail view a page shows (`?ref=…`), kept in the address bar.

    A detail opened from an in-app link (`st.page_link(..., query_params=...)`) carries its key
    only into the first run; the browser's address bar does not get it, so the next button
    press reran the page without it and the action fell back to the list. Writing the key
    back puts it into the URL: the view is shareable, survives a reload, and every button on
    it acts on that key.
    """
    value = st.query_params.get(name)
    if value:
        st.query_params[name] = value
    return value or None


class PageContext(NamedTuple):
    """What every page starts from: who asks, for which alliance, on this run's connection."""

    user: User
    alliance: config.Alliance
    db: sqlite_utils.Database


def open_page(permission: str) -> PageContext:
    """A page's first line: refuse (and stop) unless the role may open it, else its context.
    A message left by `saved` before the rerun is shown here, above the fresh state."""
    user = current_user()
    require(user, permission)
    message = st.session_state.pop("_saved_message", None)
    if message:
        st.success(message)
    return PageContext(user, alliance(), db())


def saved(message: str) -> NoReturn:
    """After a write: draw the page again from the database, so every table, heading and count
    shows the new state at once, with `message` on top."""
    st.session_state["_saved_message"] = message
    st.rerun()


def html_form_token(purpose: str) -> str:
    """A signed token for a plain HTML form that posts to one of the app's routes."""
    return form_tokens.issue(db(), purpose)


def sign_out_everywhere(user: User) -> int:
    """End every session of this account (all browsers, this one included)."""
    ended = sessions.end_all(db(), user.id)
    _run.user = None
    return ended


def sign_out_oidc() -> None:
    _run.user = None
    st.logout()


def base_url() -> str:
    """The app's address as the browser sees it (for links in mails and calendar feeds)."""
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "http://localhost:8501"


def act(work: Callable[[], object], done: str | Callable[[object], str], form: str = "") -> None:
    """Run a write: show its German refusal and keep the form's input, or empty the form
    `form` (if given) and draw the page anew with `done` (text, or made from the result)."""
    try:
        result = work()
    except DomainError as exc:
        st.error(" ".join(exc.errors))
        return
    if form:
        clear_form(form)
    saved(done(result) if callable(done) else done)
