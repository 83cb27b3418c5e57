"""Personal data of the Leerstandsrisiko: the notes of owner contacts (they may name the
owner or hold an address), and the retention of the derived flags.

The flags themselves name nobody and cannot be found by an e-mail address; they are kept
for `[vacancy_risk] keep_years` after the import and then purged with their contact steps.
"""

from __future__ import annotations

import sqlite_utils

from allianz.features import PersonalData
from allianz.privacy import ERASED
from allianz.vacancies import risk_service, risk_store


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    """Contact notes that mention the address."""
    return risk_store.contacts_mentioning(db, address)


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    return {"vacancy_risk_contacts": risk_store.erase_mentions(db, address, ERASED)}


def _purge(db: sqlite_utils.Database, _cutoff: str) -> dict[str, int]:
    """The flags' own period decides (set per import from keep_years), not the general
    retention period: expired buildings go, with their contact steps."""
    return risk_service.purge_expired(db)


CONTACTS = PersonalData(
    table="vacancy_risk_contacts",
    columns=("contacted_on", "note"),
    export_key="vacancy_risk_contacts",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention="Leerstandsrisiko: abgeleitete Merkmale je Gebäude (nie Geburtsjahre) und die "
    "Eigentümerkontakte bis zum Ablauf der eingestellten Frist nach dem Import "
    "([vacancy_risk] keep_years, Standard 2 Jahre).",
)
