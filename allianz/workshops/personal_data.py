"""The e-mail a participant left to receive a workshop's protocol (with consent)."""

from __future__ import annotations

import sqlite_utils

from allianz.features import PersonalData


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    return [
        dict(row)
        for row in db.query(
            "SELECT w.title AS workshop, c.consent_at FROM workshop_contacts c "
            "JOIN workshops w ON w.id = c.workshop_id WHERE c.email = ? COLLATE NOCASE",
            [address],
        )
    ]


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = "DELETE FROM workshop_contacts WHERE email = ? COLLATE NOCASE"
    return {"workshop_contacts": db.execute(sql, [address]).rowcount}


def _purge(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = "DELETE FROM workshop_contacts WHERE consent_at < ?"
    return {"workshop_contacts": db.execute(sql, [cutoff]).rowcount}


CONTACTS = PersonalData(
    table="workshop_contacts",
    columns=("email", "consent_at"),
    export_key="workshop_protocol_requests",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention="E-Mail-Adresse für das Protokoll: bis zum Ende der Aufbewahrungsfrist.",
)
