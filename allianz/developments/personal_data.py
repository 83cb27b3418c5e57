"""What a development keeps about a person: the contact person of the reporting member (name,
e-mail, phone). Found by the e-mail address; erased by emptying the contact columns (the
development itself stays). Statements are written for a member by its account, not about a
person: `answered_by` holds the account name, erased with the account. The contact is purged
once the development has not changed for the retention period and its answer deadline lies
that far back too."""

from __future__ import annotations

import sqlite_utils

from allianz.developments import store
from allianz.features import PersonalData


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    return store.by_contact(db, address)


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    return {"developments": store.erase_contact(db, address)}


def _purge(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    return {"development_contacts": store.purge_contacts(db, cutoff)}


CONTACT = PersonalData(
    table="developments",
    columns=("contact_name", "contact_email", "contact_phone"),
    export_key="Bauvorhaben (Ansprechperson)",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention="Ansprechperson eines gemeldeten Bauvorhabens: solange das Vorhaben in der "
    "Allianz abgestimmt wird, danach bis zum Ende der Aufbewahrungsfrist nach der letzten "
    "Änderung und der Rückmeldefrist; auf Verlangen früher gelöscht (das Vorhaben bleibt).",
)
