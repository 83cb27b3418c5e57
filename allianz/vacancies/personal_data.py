"""Personal data of the vacancy register: interest requests (name, e-mail, message) and the
owners' contact data, which only staff of the municipality and the alliance manager see."""

from __future__ import annotations

import sqlite_utils

from allianz.features import PersonalData
from allianz.privacy import ERASED


def _interests(db: sqlite_utils.Database, address: str) -> list[dict]:
    return [
        dict(row)
        for row in db.query(
            "SELECT s.ref AS site, i.name, i.message, i.consent_at, i.created_at "
            "FROM vacancy_interests i JOIN vacancy_sites s ON s.id = i.site_id "
            "WHERE i.email = ? COLLATE NOCASE ORDER BY i.id",
            [address],
        )
    ]


def _erase_interests(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = (
        "UPDATE vacancy_interests SET email = ?, name = ?, message = ? "
        "WHERE email = ? COLLATE NOCASE"
    )
    return {"vacancy_interests": db.execute(sql, [ERASED, ERASED, ERASED, address]).rowcount}


def _purge_interests(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = "DELETE FROM vacancy_interests WHERE created_at < ?"
    return {"vacancy_interests": db.execute(sql, [cutoff]).rowcount}


_OWNER_MATCH = "instr(lower(contact), lower(?)) > 0"


def _owners(db: sqlite_utils.Database, address: str) -> list[dict]:
    """Owners are found by the address in their contact field (it may hold phone and mail)."""
    return [
        dict(row)
        for row in db.query(
            "SELECT s.ref AS site, s.address, o.name, o.contact, o.note, o.updated_at "
            f"FROM vacancy_owners o JOIN vacancy_sites s ON s.id = o.site_id WHERE {_OWNER_MATCH}",
            [address],
        )
    ]


def _erase_owners(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = f"UPDATE vacancy_owners SET name = ?, contact = ?, note = ? WHERE {_OWNER_MATCH}"
    return {"vacancy_owners": db.execute(sql, [ERASED, ERASED, ERASED, address]).rowcount}


INTERESTS = PersonalData(
    table="vacancy_interests",
    columns=("name", "email", "message", "consent_at"),
    export_key="vacancy_interests",
    export=_interests,
    erase=_erase_interests,
    purge=_purge_interests,
    retention="Anfragen zu freien Flächen: bis zum Ende der Aufbewahrungsfrist ab Eingang.",
)
OWNERS = PersonalData(
    table="vacancy_owners",
    columns=("name", "contact", "note"),
    export_key="vacancy_owners",
    export=_owners,
    erase=_erase_owners,
    retention="Eigentümerdaten: solange die Fläche im Leerstandskataster geführt wird.",
)
