"""Limits that hold across reloads, new tabs, server restarts and several processes.

Events live in the database, keyed by a salted hash of who acted (an account, a client
address, a browser cookie): no address is stored. The salt changes every day and is shared
by all processes through the database; yesterday's salt is deleted, so old keys cannot be
linked to new ones, and events older than two days are removed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import sqlite_utils

from db.connection import write_transaction

_SALT_KEY = "limit_salt"
_KEEP_SECONDS = 2 * 86400


@dataclass(frozen=True)
class Limit:
    """At most `count` events per `window` seconds for one key in `scope`."""

    scope: str
    count: int
    window: float


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
    return times[limit.count - 1] + limit.window


def clear(db: sqlite_utils.Database, limit: Limit, who: str, now: float | None = None) -> None:
    """Forget `who`'s events (a successful sign-in ends the count of wrong passwords)."""
    now = time.time() if now is None else now
    with write_transaction(db):
        db.execute("DELETE FROM limit_events WHERE bucket = ?", [_bucket(db, limit, who, now)])


def _count(db: sqlite_utils.Database, bucket: str, since: float) -> int:
    sql = "SELECT count(*) FROM limit_events WHERE bucket = ? AND at >= ?"
    return db.execute(sql, [bucket, since]).fetchone()[0]
