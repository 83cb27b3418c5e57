"""What the contacts keep about people: a staff member's name, phone, e-mail, room and office
hours. Public only with the person's recorded consent (or as an official function address
without a name); found by the e-mail address; erased by deleting the person's entry; entries
of people without consent are removed once they were not confirmed within the retention
period (a person who left the administration must not linger)."""

from __future__ import annotations

import sqlite_utils

from allianz.features import PersonalData
from allianz.places import store


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    return store.contacts_by_email(db, address)


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    people = db.execute(
        "DELETE FROM place_contacts WHERE email = ? COLLATE NOCASE AND person_name != ''",
        [address],
    ).rowcount
    functions = db.execute(
        "UPDATE place_contacts SET email = '' WHERE email = ? COLLATE NOCASE", [address]
    ).rowcount
    return {"place_contacts": people + functions}


def _purge(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = (
        "DELETE FROM place_contacts WHERE basis = 'internal' AND person_name != '' "
        "AND updated_at < ?"
    )
    return {"place_contacts_internal": db.execute(sql, [cutoff]).rowcount}


CONTACTS = PersonalData(
    table="place_contacts",
    columns=("person_name", "phone", "email", "room", "office_hours"),
    export_key="ansprechpartner",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention=(
        "Ansprechpartner im Rathaus: Name, Telefon, E-Mail, Zimmer und Sprechzeiten einer "
        "Person werden nur mit ihrer Einwilligung veröffentlicht (Datum der Einwilligung wird "
        "gespeichert; Widerruf jederzeit: der Eintrag wird gelöscht); Funktionsadressen ohne "
        "Namen sind öffentlich. Interne Einträge ohne Einwilligung werden gelöscht, wenn sie "
        "innerhalb der Aufbewahrungsfrist nicht bestätigt wurden."
    ),
)
