"""What the job board keeps about people: the contact person of a posting (name, phone,
e-mail; a named person only with consent) and the address for applications. Found by either
e-mail address; erased by blanking the contact fields (the posting stays, anonymous);
purged once the deadline lies beyond the retention period (the archive keeps no contact)."""

from __future__ import annotations

import sqlite_utils

from allianz.features import PersonalData

_BLANK = "contact_name = '', contact_phone = '', contact_email = '', contact_consent = 0"


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    sql = (
        "SELECT id, title, municipality_ags, valid_through, contact_name, contact_phone, "
        "contact_email, apply_email FROM job_postings "
        "WHERE contact_email = ? COLLATE NOCASE OR apply_email = ? COLLATE NOCASE ORDER BY id"
    )
    return [dict(r) for r in db.query(sql, [address, address])]


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    contacts = db.execute(
        f"UPDATE job_postings SET {_BLANK} WHERE contact_email = ? COLLATE NOCASE", [address]
    ).rowcount
    applications = db.execute(
        "UPDATE job_postings SET apply_email = '' WHERE apply_email = ? COLLATE NOCASE", [address]
    ).rowcount
    return {"job_postings": contacts + applications}


def _purge(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = (
        f"UPDATE job_postings SET {_BLANK}, apply_email = '' WHERE valid_through < ? "
        "AND (contact_name != '' OR contact_phone != '' OR contact_email != '' "
        "OR apply_email != '')"
    )
    return {"job_postings": db.execute(sql, [cutoff[:10]]).rowcount}


POSTINGS = PersonalData(
    table="job_postings",
    columns=("contact_name", "contact_phone", "contact_email", "contact_consent", "apply_email"),
    export_key="job_postings",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention=(
        "Ansprechperson und Bewerbungsadresse einer Stellenanzeige: bis zum Ende der "
        "Aufbewahrungsfrist nach der Bewerbungsfrist, danach bleibt die Anzeige ohne Kontakt im "
        "Archiv."
    ),
)
