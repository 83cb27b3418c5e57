"""What the meetings keep about people: answers and attendance of invited accounts, remarks on
draft minutes (with the author's name) and personal calendar feeds. Found by the e-mail address
of the account; erased by removing answers and feeds and anonymising remarks (their text stays
part of the minutes' record)."""

from __future__ import annotations

import sqlite_utils

from allianz.accounts import service as accounts
from allianz.features import PersonalData

FORMER = "ehemaliges Mitglied"


def _marks(ids: list[int]) -> str:
    return ", ".join("?" * len(ids))


def _export_participation(db: sqlite_utils.Database, address: str) -> list[dict]:
    ids = accounts.ids_for_email(db, address)
    if not ids:
        return []
    sql = (
        "SELECT m.title AS meeting, m.starts_at, p.answer, p.answered_at, p.attended "
        f"FROM meeting_participants p JOIN meetings m ON m.id = p.meeting_id "
        f"WHERE p.user_id IN ({_marks(ids)}) ORDER BY m.starts_at"
    )
    return [dict(r) for r in db.query(sql, ids)]


def _erase_participation(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    ids = accounts.ids_for_email(db, address)
    if not ids:
        return {"meeting_participants": 0}
    sql = f"DELETE FROM meeting_participants WHERE user_id IN ({_marks(ids)})"
    return {"meeting_participants": db.execute(sql, ids).rowcount}


def _purge_participation(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = (
        "DELETE FROM meeting_participants WHERE meeting_id IN "
        "(SELECT id FROM meetings WHERE ends_at < ?)"
    )
    return {"meeting_participants": db.execute(sql, [cutoff]).rowcount}


def _export_comments(db: sqlite_utils.Database, address: str) -> list[dict]:
    ids = accounts.ids_for_email(db, address)
    if not ids:
        return []
    sql = (
        "SELECT m.title AS meeting, c.author, c.body, c.created_at FROM meeting_comments c "
        f"JOIN meetings m ON m.id = c.meeting_id WHERE c.user_id IN ({_marks(ids)}) "
        "ORDER BY c.created_at"
    )
    return [dict(r) for r in db.query(sql, ids)]


def _erase_comments(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    ids = accounts.ids_for_email(db, address)
    if not ids:
        return {"meeting_comments": 0}
    sql = f"UPDATE meeting_comments SET author = ?, user_id = NULL WHERE user_id IN ({_marks(ids)})"
    return {"meeting_comments": db.execute(sql, [FORMER, *ids]).rowcount}


def _purge_comments(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = (
        "UPDATE meeting_comments SET author = ?, user_id = NULL "
        "WHERE created_at < ? AND user_id IS NOT NULL"
    )
    return {"meeting_comments": db.execute(sql, [FORMER, cutoff]).rowcount}


PARTICIPATION = PersonalData(
    table="meeting_participants",
    columns=("user_id", "answer", "answered_at", "attended"),
    export_key="meeting_participation",
    export=_export_participation,
    erase=_erase_participation,
    purge=_purge_participation,
    via_account=True,
    retention=(
        "Einladungen, Zu- und Absagen und Anwesenheit: bis zum Ende der Aufbewahrungsfrist nach "
        "der Sitzung."
    ),
)

COMMENTS = PersonalData(
    table="meeting_comments",
    columns=("user_id", "author"),
    export_key="meeting_comments",
    export=_export_comments,
    erase=_erase_comments,
    purge=_purge_comments,
    via_account=True,
    retention=(
        "Anmerkungen zum Protokoll: der Name bis zum Ende der Aufbewahrungsfrist, danach "
        "anonym (der Text gehört zum Protokollverlauf)."
    ),
)


def _export_feeds(db: sqlite_utils.Database, address: str) -> list[dict]:
    ids = accounts.ids_for_email(db, address)
    if not ids:
        return []
    sql = f"SELECT created_at FROM calendar_feeds WHERE user_id IN ({_marks(ids)})"
    return [dict(r) for r in db.query(sql, ids)]


def _erase_feeds(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    ids = accounts.ids_for_email(db, address)
    if not ids:
        return {"calendar_feeds": 0}
    sql = f"DELETE FROM calendar_feeds WHERE user_id IN ({_marks(ids)})"
    return {"calendar_feeds": db.execute(sql, ids).rowcount}


FEEDS = PersonalData(
    table="calendar_feeds",
    columns=("user_id",),
    export_key="calendar_feeds",
    export=_export_feeds,
    erase=_erase_feeds,
    via_account=True,
    retention="Persönliche Kalender-Links: bis zum Widerruf oder zur Löschung der Angaben.",
)
