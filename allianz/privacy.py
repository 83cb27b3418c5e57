"""Data subject rights and retention (GDPR Art. 15, 17; storage limitation, Art. 5(1)(e)).

Every slice declares the tables that hold personal data and how to export, erase and purge
them (`Feature.personal_data`); this module only loops over those declarations. Export finds
everything about one address; erase removes the address and keeps the public content
anonymous; purge removes what is older than the retention period. Every run leaves an audit
entry without the address itself. `unclaimed_columns` is the check that no new column with
personal data escapes these rights.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import sqlite_utils

from allianz import audit, features
from allianz.errors import ValidationError
from db.connection import write_transaction

ERASED = "[gelöscht]"


def _pseudonym(email: str) -> str:
    """The audit trail names the request without repeating the address."""
    return "sha256:" + hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:16]


def declarations() -> list[features.PersonalData]:
    """Those that find a person through their account first: erasing the account's own row
    removes the address they are found by."""
    found = [d for f in features.registry() for d in f.personal_data]
    return sorted(found, key=lambda d: not d.via_account)


def export(db: sqlite_utils.Database, email: str, actor: audit.Actor) -> dict:
    """Everything stored about this address, as plain data (for a JSON answer to the person)."""
    address = email.strip()
    result: dict = {"email": address, "created_at": audit.now_iso()}
    for declared in declarations():
        result[declared.export_key] = declared.export(db, address)
    with write_transaction(db):
        audit.record(db, actor, "privacy.export", "person", _pseudonym(address))
    return result


def erase(db: sqlite_utils.Database, email: str, actor: audit.Actor) -> dict[str, int]:
    """Remove the address everywhere; suggestions and requests stay, without it."""
    address = email.strip()
    counts: dict[str, int] = {}
    with write_transaction(db):
        for declared in declarations():
            counts |= declared.erase(db, address)
        audit.record(db, actor, "privacy.erase", "person", _pseudonym(address), details=counts)
    return counts


def purge(
    db: sqlite_utils.Database,
    months: int,
    actor: audit.Actor,
    now: datetime | None = None,
) -> dict[str, int]:
    """Delete what the slices keep only for the retention period, older than `months`."""
    if months < 1:
        raise ValidationError("Die Aufbewahrungsfrist muss mindestens einen Monat betragen.")
    now = now or datetime.now(UTC)
    cutoff = (now - timedelta(days=round(months * 30.44))).isoformat(timespec="seconds")
    counts: dict[str, int] = {}
    with write_transaction(db):
        for declared in declarations():
            if declared.purge is not None:
                counts |= declared.purge(db, cutoff)
        audit.record(db, actor, "privacy.purge", "retention", details={"months": months, **counts})
    return counts


# --- the schema check -------------------------------------------------------------------------

# Column names that mark personal data: e-mail, names, phone, owner, contact, addresses, IP,
# free text sent with a contact request, recipients of mail.
PERSONAL_NAME = re.compile(
    r"(e_?mail|name|phone|telefon|owner|contact|address|recipient|message|(^|_)ip(_|$))",
    re.IGNORECASE,
)
EMAIL_VALUE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")

# Columns whose name looks personal but which hold no personal data, each with the reason.
NOT_PERSONAL: dict[str, str] = {
    "municipalities.name": "Name einer Gemeinde, keiner Person.",
    "segments.name": "Name eines Wegeabschnitts.",
    "suggestions.address_text": "Ortsangabe (Straße, Ortsteil) zum Hinweis, keine Anschrift "
    "einer Person; öffentlich wie der Hinweis.",
    "vacancy_sites.address": "Lage des Gebäudes oder Grundstücks, keine Anschrift einer Person.",
    "vacancy_sites.owner_type": "Art des Eigentums (privat, kommunal, …), keine Person.",
    "vacancy_sites.owner_contacted_on": "Datum der Ansprache, ohne Angaben zur Person.",
    "places.name": "Name einer Einrichtung auf dem Stadtplan (Rathaus, Bauhof), keiner Person.",
    "places.address_text": "Anschrift einer öffentlichen Einrichtung, keiner Person.",
    "places.phone": "Dienstnummer einer Einrichtung (Bauhof, Bibliothek), keiner Person; "
    "Telefonnummern von Personen stehen nur bei den Ansprechpartnern.",
}


def claims() -> dict[str, str]:
    """`table.column` -> the slice that declares it as personal data."""
    return {
        f"{d.table}.{column}": feature.name
        for feature in features.registry()
        for d in feature.personal_data
        for column in d.columns
    }


def unclaimed_columns(db: sqlite_utils.Database) -> list[str]:
    """Columns that look personal by name or hold e-mail addresses, declared by no slice and
    not listed in NOT_PERSONAL with a reason. Empty means every trace is covered."""
    claimed = claims()
    found = []
    for table in db.tables:
        if table.name.startswith(("_sqlite", "sqlite_")):
            continue
        for column in table.columns:
            key = f"{table.name}.{column.name}"
            if key in claimed or key in NOT_PERSONAL:
                continue
            if PERSONAL_NAME.search(column.name) or _holds_email(db, table.name, column.name):
                found.append(key)
    return found


def _holds_email(db: sqlite_utils.Database, table: str, column: str) -> bool:
    rows = db.execute(
        f"SELECT [{column}] FROM [{table}] WHERE typeof([{column}]) = 'text' "
        f"AND [{column}] LIKE '%@%.%' LIMIT 50"
    ).fetchall()
    return any(EMAIL_VALUE.search(value) for (value,) in rows)
