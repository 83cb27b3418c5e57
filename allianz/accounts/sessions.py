"""Sign-in sessions that survive a reload, a new tab and a server restart.

The browser holds a random token in an HttpOnly cookie (set by `accounts.routes`); the
database holds only its SHA-256 hash, the user, and the times. Every page run reads the
cookie and looks the session up, so signing out, "sign out everywhere", disabling an account
or a new password take effect on the next click in every tab. A session ends after 8 hours
without use or 7 days after sign-in, whichever comes first.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass

import sqlite_utils

from allianz.accounts import store
from allianz.accounts.model import User
from db.connection import write_transaction

COOKIE = "allianz_sitzung"
IDLE_SECONDS = 8 * 3600
ABSOLUTE_SECONDS = 7 * 86400
_TOUCH_EVERY = 60  # seconds: a page run writes last_seen at most once a minute
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class SessionInfo:
    """One open session as "Mein Konto" lists it (no token, only its hash's start)."""

    key: str
    created_at: float
    last_seen: float
    user_agent: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _agent_summary(user_agent: str) -> str:
    """Browser and system in a few words, enough to recognise one's own devices."""
    agent = user_agent or ""
    browser = next(
        (n for n in ("Edg", "Firefox", "Chrome", "Safari") if n in agent), "Unbekannter Browser"
    )
    system = next(
        (n for n in ("Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux") if n in agent), ""
    )
    return " · ".join(p for p in ({"Edg": "Edge"}.get(browser, browser), system) if p)


def start(
    db: sqlite_utils.Database, user: User, user_agent: str = "", now: float | None = None
) -> str:
    """A new session for a signed-in user; returns the token for the cookie (shown once)."""
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    with write_transaction(db):
        store.delete_expired_sessions(db, now, IDLE_SECONDS)
        store.add_session(
            db,
            {
                "token_hash": _hash(token),
                "user_id": user.id,
                "created_at": now,
                "last_seen": now,
                "expires_at": now + ABSOLUTE_SECONDS,
                "user_agent": _agent_summary(user_agent),
            },
        )
    return token


def user_for(db: sqlite_utils.Database, token: str | None, now: float | None = None) -> User | None:
    """The active user of this cookie's session, or None (no, expired, tampered or foreign
    cookie; disabled account) — never an error."""
    if not token or not _TOKEN.fullmatch(token):
        return None
    now = time.time() if now is None else now
    key = _hash(token)
    row = store.session(db, key)
    if row is None:
        return None
    if row["expires_at"] < now or row["last_seen"] < now - IDLE_SECONDS:
        with write_transaction(db):
            store.delete_session(db, key)
        return None
    user = store.by_id(db, row["user_id"])
    if user is None:  # disabled meanwhile
        return None
    if now - row["last_seen"] > _TOUCH_EVERY:
        with write_transaction(db):
            store.touch_session(db, key, now)
    return user


def end(db: sqlite_utils.Database, token: str | None) -> None:
    """Sign this browser out (the cookie's session only)."""
    if token and _TOKEN.fullmatch(token):
        with write_transaction(db):
            store.delete_session(db, _hash(token))


def end_all(db: sqlite_utils.Database, user_id: int, keep_token: str | None = None) -> int:
    """Sign a user out everywhere (except, when given, this browser); returns how many."""
    keep = _hash(keep_token) if keep_token and _TOKEN.fullmatch(keep_token) else None
    with write_transaction(db):
        return store.delete_sessions_of(db, user_id, keep)


def open_sessions(db: sqlite_utils.Database, user_id: int) -> list[SessionInfo]:
    return [
        SessionInfo(r["token_hash"][:8], r["created_at"], r["last_seen"], r["user_agent"])
        for r in store.sessions_of(db, user_id)
    ]


def current_key(token: str | None) -> str | None:
    """The listed key of this browser's session, to mark it as "dieses Gerät"."""
    return _hash(token)[:8] if token and _TOKEN.fullmatch(token) else None
