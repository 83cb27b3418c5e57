"""What the Teilkultur keeps about people: the e-mail address of whoever offers or seeks
something, and of whoever asks for it together with their message. Found by the address;
erased by deleting the listing (with its requests) or the request; deleted a year after the
last change (the alliance's retention period is applied by `privacy.purge`)."""

from __future__ import annotations

import sqlite_utils

from allianz.features import PersonalData


def _export_listings(db: sqlite_utils.Database, address: str) -> list[dict]:
    sql = (
        "SELECT kind, title, description, place_hint, state, offerer_email, created_at "
        "FROM teil_listings WHERE lower(offerer_email) = lower(?) ORDER BY created_at"
    )
    return [dict(r) for r in db.query(sql, [address])]


def _erase_listings(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = "DELETE FROM teil_listings WHERE lower(offerer_email) = lower(?)"
    return {"teil_listings": db.execute(sql, [address]).rowcount}


def _purge_listings(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = "DELETE FROM teil_listings WHERE updated_at < ?"
    return {"teil_listings": db.execute(sql, [cutoff]).rowcount}


def _export_requests(db: sqlite_utils.Database, address: str) -> list[dict]:
    sql = (
        "SELECT l.title AS listing, r.requester_email, r.note, r.requester_agrees, "
        "r.offerer_agrees, r.created_at FROM teil_requests r "
        "JOIN teil_listings l ON l.id = r.listing_id "
        "WHERE lower(r.requester_email) = lower(?) ORDER BY r.created_at"
    )
    return [dict(r) for r in db.query(sql, [address])]


def _erase_requests(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = "DELETE FROM teil_requests WHERE lower(requester_email) = lower(?)"
    return {"teil_requests": db.execute(sql, [address]).rowcount}


def _purge_requests(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = "DELETE FROM teil_requests WHERE updated_at < ?"
    return {"teil_requests": db.execute(sql, [cutoff]).rowcount}


LISTINGS = PersonalData(
    table="teil_listings",
    columns=("offerer_email",),
    export_key="teilkultur_listings",
    export=_export_listings,
    erase=_erase_listings,
    purge=_purge_listings,
    retention=(
        "Teilkultur-Einträge mit E-Mail-Adresse: bis zur Löschung durch die Person, spätestens "
        "nach Ablauf der Aufbewahrungsfrist seit der letzten Änderung."
    ),
)

REQUESTS = PersonalData(
    table="teil_requests",
    columns=("requester_email", "note"),
    export_key="teilkultur_requests",
    export=_export_requests,
    erase=_erase_requests,
    purge=_purge_requests,
    retention=(
        "Anfragen zu Teilkultur-Einträgen (E-Mail-Adresse und Nachricht): bis zur Löschung, "
        "spätestens nach Ablauf der Aufbewahrungsfrist seit der letzten Änderung."
    ),
)
