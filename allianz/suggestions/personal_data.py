"""The optional e-mail behind a suggestion (with its consent): found, erased and purged for the
privacy rights. The suggestion itself stays public and anonymous."""

from __future__ import annotations

import sqlite_utils

from allianz.features import PersonalData


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    return [
        dict(row)
        for row in db.query(
            "SELECT s.ref, s.category, s.title, s.description, s.address_text, s.lat, s.lon, "
            "s.status, s.public_answer, s.created_at, c.consent_at "
            "FROM suggestion_contacts c JOIN suggestions s ON s.id = c.suggestion_id "
            "WHERE c.email = ? COLLATE NOCASE ORDER BY s.id",
            [address],
        )
    ]


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = "DELETE FROM suggestion_contacts WHERE email = ? COLLATE NOCASE"
    return {"suggestion_contacts": db.execute(sql, [address]).rowcount}


def _purge(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = "DELETE FROM suggestion_contacts WHERE consent_at < ?"
    return {"suggestion_contacts": db.execute(sql, [cutoff]).rowcount}


CONTACTS = PersonalData(
    table="suggestion_contacts",
    columns=("email", "consent_at"),
    export_key="suggestions",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention="E-Mail-Adresse zum Hinweis: bis zum Ende der Aufbewahrungsfrist ab Einwilligung.",
)
