"""The one way to open the database: WAL, busy timeout, explicit write transactions.

Every script run, CLI call or worker thread opens its own connection; sqlite3 connections
must never be shared across threads (Streamlit runs each rerun in a new thread).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from allianz.errors import Busy

BUSY_TIMEOUT_MS = 15_000
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_path(alliance_slug: str) -> Path:
    """Database file: ALLIANZ_DB, or one git-ignored file per alliance under data/."""
    env = os.environ.get("ALLIANZ_DB")
    if env:
        return Path(env)
    return PROJECT_ROOT / "data" / f"{alliance_slug}.sqlite3"


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open a connection in autocommit mode so that write transactions are explicit."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return sqlite_utils.Database(conn)


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """BEGIN IMMEDIATE: take the write lock up front so concurrent writers wait, not fail.

    A deferred BEGIN (sqlite-utils' atomic()) upgrades its lock at the first write and then
    cannot wait for a busy writer: it fails with "database is locked". sqlite-utils calls
    inside this block nest as savepoints. When the lock is not free within the busy timeout
    (writers starved under overload), the write is refused with `Busy`.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise Busy from exc  # a German refusal, like any other; nothing was written
        raise
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.execute("COMMIT")
