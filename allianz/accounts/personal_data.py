"""Accounts: user name, display name and e-mail of staff, mayors, hosts and the working group.
Erasure removes the e-mail (the account stays for the audit trail; disable it separately)."""

from __future__ import annotations

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
