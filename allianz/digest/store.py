"""SQL for the digest's tables only."""

from __future__ import annotations

import sqlite_utils

from allianz.digest.model import Choice, Subscriber

_COLUMNS = (
    "id, email, choice, pending_choice, expires_at, unsubscribe_token, requested_at, "
    "confirmed_at, last_digest_at, last_digest_week"
)


def _subscriber(row) -> Subscriber:
    values = list(row)
    values[2] = Choice.from_json(values[2])
    values[3] = Choice.from_json(values[3])
    return Subscriber(*values)


def by_email(db: sqlite_utils.Database, email: str) -> Subscriber | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM digest_subscribers WHERE email = ?", [email]
    ).fetchone()
    return _subscriber(row) if row else None


def by_confirm_hash(db: sqlite_utils.Database, digest: str) -> Subscriber | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM digest_subscribers WHERE confirm_hash = ?", [digest]
    ).fetchone()
    return _subscriber(row) if row else None


def by_unsubscribe(db: sqlite_utils.Database, token: str) -> Subscriber | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM digest_subscribers WHERE unsubscribe_token = ?", [token]
    ).fetchone()
    return _subscriber(row) if row else None


def insert(db: sqlite_utils.Database, row: dict) -> int:
    return db["digest_subscribers"].insert(row).last_pk


def update(db: sqlite_utils.Database, subscriber_id: int, values: dict) -> None:
    db["digest_subscribers"].update(subscriber_id, values)


def delete(db: sqlite_utils.Database, subscriber_id: int) -> int:
    sql = "DELETE FROM digest_subscribers WHERE id = ?"
    return db.execute(sql, [subscriber_id]).rowcount


def expire(db: sqlite_utils.Database, now: str) -> int:
    """Unconfirmed requests past their time are deleted; a confirmed subscriber's expired
    change of choice is dropped (the old choice stays)."""
    gone = db.execute(
        "DELETE FROM digest_subscribers WHERE confirmed_at IS NULL AND expires_at <= ?", [now]
    ).rowcount
    db.execute(
        "UPDATE digest_subscribers SET pending_choice = NULL, confirm_hash = NULL, "
        "expires_at = NULL WHERE confirmed_at IS NOT NULL AND expires_at <= ?",
        [now],
    )
    return gone


def confirmed(db: sqlite_utils.Database) -> list[Subscriber]:
    sql = f"SELECT {_COLUMNS} FROM digest_subscribers WHERE confirmed_at IS NOT NULL ORDER BY id"
    return [_subscriber(r) for r in db.execute(sql)]


def pending_count(db: sqlite_utils.Database) -> int:
    sql = "SELECT count(*) FROM digest_subscribers WHERE confirmed_at IS NULL"
    return db.execute(sql).fetchone()[0]


def start_run(db: sqlite_utils.Database, week: str, now: str) -> None:
    db.execute("INSERT OR IGNORE INTO digest_runs (week, started_at) VALUES (?, ?)", [week, now])


def finish_run(db: sqlite_utils.Database, week: str, now: str, mails: int, without: int) -> None:
    db.execute(
        "UPDATE digest_runs SET finished_at = ?, mails = mails + ?, without_news = ? "
        "WHERE week = ?",
        [now, mails, without, week],
    )


def runs(db: sqlite_utils.Database, limit: int = 10) -> list[dict]:
    sql = (
        "SELECT week, started_at, finished_at, mails, without_news FROM digest_runs "
        "ORDER BY week DESC LIMIT ?"
    )
    return [dict(r) for r in db.query(sql, [limit])]


def export(db: sqlite_utils.Database, email: str) -> list[dict]:
    sql = (
        "SELECT email, choice, pending_choice, requested_at, confirmed_at, last_digest_at "
        "FROM digest_subscribers WHERE email = ? COLLATE NOCASE"
    )
    return [dict(r) for r in db.query(sql, [email])]


def erase(db: sqlite_utils.Database, email: str) -> int:
    sql = "DELETE FROM digest_subscribers WHERE email = ? COLLATE NOCASE"
    return db.execute(sql, [email]).rowcount


def purge_unconfirmed(db: sqlite_utils.Database, cutoff: str) -> int:
    sql = "DELETE FROM digest_subscribers WHERE confirmed_at IS NULL AND requested_at < ?"
    return db.execute(sql, [cutoff]).rowcount
