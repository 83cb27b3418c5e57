"""The private side of a suggestion: the optional e-mail (with its consent) and what an Open311
client sends about the reporter (name, phone, a link to its copy of the photo). Found, erased
and purged for the privacy rights, by the e-mail address; the suggestion itself stays public
and anonymous."""

from __future__ import annotations

import sqlite_utils

from allianz.features import PersonalData


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    return [
        dict(row)
        for row in db.query(
            "SELECT s.ref, s.category, s.title, s.description, s.address_text, s.lat, s.lon, "
            "s.status, s.public_answer, s.created_at, c.first_name, c.last_name, c.phone, "
            "c.media_url, c.consent_at "
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
    columns=("email", "first_name", "last_name", "phone", "media_url", "consent_at"),
    export_key="suggestions",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention=(
        "E-Mail-Adresse, Name und Telefonnummer zum Hinweis: bis zum Ende der Aufbewahrungsfrist "
        "ab Meldung."
    ),
)
