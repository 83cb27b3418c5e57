"""Limits that hold across reloads, new tabs, server restarts and several processes.

Events live in the database, keyed by a salted hash of who acted (an account, a client
address, a browser cookie): no address is stored. The salt changes every day and is shared
by all processes through the database; yesterday's salt is deleted, so old keys cannot be
linked to new ones, and events older than two days are removed.

`admit` counts one action of a visitor under all of its keys (`allianz.visitors`) and refuses
with a German `LimitReached` that says when to try again; the sign-in route uses `hit`,
`retry_at` and `clear` directly.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlite_utils

from allianz.errors import DomainError
from db.connection import write_transaction

_SALT_KEY = "limit_salt"
_KEEP_SECONDS = 2 * 86400
_DAY = 86400
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `window` seconds for one key in `scope`. `refusal` is the
    German message when the limit is reached; `{wann}` becomes "ab 14:35 Uhr"."""

    scope: str
    count: int
    window: float
    refusal: str = "Zu viele Versuche in kurzer Zeit. Bitte versuchen Sie es {wann} erneut."


class LimitReached(DomainError):
    """A limit refused the action; `until` (epoch seconds) is when it is allowed again."""

    def __init__(self, message: str, until: float):
        super().__init__(message)
        self.until = until


def _salt(db: sqlite_utils.Database, day: str) -> bytes:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [_SALT_KEY]).fetchone()
    if row and row[0].startswith(day + ":"):
        return bytes.fromhex(row[0].split(":", 1)[1])
    fresh = f"{day}:{secrets.token_hex(16)}"
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [_SALT_KEY, fresh])
    return bytes.fromhex(fresh.split(":", 1)[1])


def _bucket(db: sqlite_utils.Database, limit: Limit, who: str, now: float) -> str:
    day = time.strftime("%Y-%m-%d", time.gmtime(now))
    digest = hmac.new(_salt(db, day), f"{limit.scope}\0{who}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def hit(db: sqlite_utils.Database, limit: Limit, who: str, now: float | None = None) -> bool:
    """Count one event of `who`; False (and nothing counted) when the limit is reached."""
    now = time.time() if now is None else now
    with write_transaction(db):
        bucket = _bucket(db, limit, who, now)
        db.execute("DELETE FROM limit_events WHERE at < ?", [now - _KEEP_SECONDS])
        if _count(db, bucket, now - limit.window) >= limit.count:
            return False
        db.execute("INSERT INTO limit_events (bucket, at) VALUES (?, ?)", [bucket, now])
    return True


def retry_at(
    db: sqlite_utils.Database, limit: Limit, who: str, now: float | None = None
) -> float | None:
    """When `who` may act again (epoch seconds), or None when the limit is not reached."""
    now = time.time() if now is None else now
    with write_transaction(db):
        bucket = _bucket(db, limit, who, now)
        times = [
            r[0]
            for r in db.execute(
                "SELECT at FROM limit_events WHERE bucket = ? AND at >= ? ORDER BY at DESC",
                [bucket, now - limit.window],
            )
        ]
    if len(times) < limit.count:
        return None
    # Tomorrow's salt starts a new bucket at midnight UTC, whatever the window says.
    return min(times[limit.count - 1] + limit.window, (math.floor(now / _DAY) + 1) * _DAY)


def admit(
    db: sqlite_utils.Database, limit: Limit, whos: Iterable[str], now: float | None = None
) -> None:
    """Count one event for each of `whos` (the keys of one visitor: an address and a cookie,
    say), or none of them and raise LimitReached when any one has reached the limit. One
    write transaction: two requests at the same moment cannot both slip through."""
    now = time.time() if now is None else now
    whos = list(dict.fromkeys(whos))
    with write_transaction(db):
        blocked = [retry_at(db, limit, who, now) for who in whos]
        until = max((b for b in blocked if b is not None), default=None)
        if until is not None:
            raise LimitReached(limit.refusal.format(wann=when_again(until, now)), until)
        for who in whos:
            hit(db, limit, who, now)


def when_again(until: float, now: float | None = None) -> str:
    """When a refused visitor may try again, in German and Europe/Berlin time, rounded up to
    the minute: "ab 14:35 Uhr", or "am 05.12.2026 ab 01:00 Uhr" when that is not today."""
    now = time.time() if now is None else now
    at = datetime.fromtimestamp(math.ceil(until / 60) * 60, BERLIN)
    if at.date() == datetime.fromtimestamp(now, BERLIN).date():
        return f"ab {at:%H:%M} Uhr"
    return f"am {at:%d.%m.%Y} ab {at:%H:%M} Uhr"


def clear(db: sqlite_utils.Database, limit: Limit, who: str, now: float | None = None) -> None:
    """Forget `who`'s events (a successful sign-in ends the count of wrong passwords)."""
    now = time.time() if now is None else now
    with write_transaction(db):
        db.execute("DELETE FROM limit_events WHERE bucket = ?", [_bucket(db, limit, who, now)])


def _count(db: sqlite_utils.Database, bucket: str, since: float) -> int:
    sql = "SELECT count(*) FROM limit_events WHERE bucket = ? AND at >= ?"
    return db.execute(sql, [bucket, since]).fetchone()[0]
