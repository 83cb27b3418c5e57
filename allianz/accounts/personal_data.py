"""Accounts: user name, display name and e-mail of staff, mayors, hosts and the working group.
Erasure removes the e-mail (the account stays for the audit trail; disable it separately).
Sign-in sessions (device summary and times): listed in the export, ended by erasure, and
expired ones purged."""

from __future__ import annotations

import time

import sqlite_utils

from allianz.features import PersonalData


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    return [
        dict(row)
        for row in db.query(
            "SELECT username, display_name, role, municipality_ags, email, active, created_at "
            "FROM users WHERE email = ? COLLATE NOCASE",
            [address],
        )
    ]


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = "UPDATE users SET email = NULL WHERE email = ? COLLATE NOCASE"
    return {"accounts": db.execute(sql, [address]).rowcount}


USERS = PersonalData(
    table="users",
    columns=("username", "display_name", "email"),
    export_key="accounts",
    export=_export,
    erase=_erase,
    retention="Konten: solange die Person für die Allianz tätig ist; danach sperren und löschen.",
)


def _export_sessions(db: sqlite_utils.Database, address: str) -> list[dict]:
    sql = (
        "SELECT s.user_agent, s.created_at, s.last_seen FROM web_sessions s "
        "JOIN users u ON u.id = s.user_id WHERE u.email = ? COLLATE NOCASE"
    )
    return [dict(row) for row in db.query(sql, [address])]


def _erase_sessions(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = (
        "DELETE FROM web_sessions WHERE user_id IN "
        "(SELECT id FROM users WHERE email = ? COLLATE NOCASE)"
    )
    return {"sessions": db.execute(sql, [address]).rowcount}


def _purge_sessions(db: sqlite_utils.Database, _cutoff: str) -> dict[str, int]:
    """Sessions end by themselves after 7 days at most; whatever is past that goes."""
    sql = "DELETE FROM web_sessions WHERE expires_at < ?"
    return {"sessions": db.execute(sql, [time.time()]).rowcount}


SESSIONS = PersonalData(
    table="web_sessions",
    columns=("user_agent",),
    export_key="sessions",
    export=_export_sessions,
    erase=_erase_sessions,
    retention="Anmeldesitzungen: bis zur Abmeldung, höchstens 7 Tage (8 Stunden ohne Nutzung).",
    purge=_purge_sessions,
)
