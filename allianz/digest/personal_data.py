"""What the newsletter keeps about people: the subscriber's e-mail address with the choice,
when it was requested and confirmed, and when the last digest went out. Found by the
address; erased by deleting the subscription; unconfirmed requests are deleted when their
confirmation time is up (and at the latest by the purge); a confirmed subscription stays
until the person unsubscribes (their consent)."""

from __future__ import annotations

import sqlite_utils

from allianz.digest import store
from allianz.features import PersonalData


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    return store.export(db, address)


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    return {"digest_subscribers": store.erase(db, address)}


def _purge(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    return {"digest_requests": store.purge_unconfirmed(db, cutoff)}


SUBSCRIBERS = PersonalData(
    table="digest_subscribers",
    columns=("email",),
    export_key="newsletter",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention=(
        "Newsletter: die E-Mail-Adresse mit der gewählten Auswahl, solange das Abonnement "
        "besteht (Abmeldung jederzeit mit einem Klick); unbestätigte Anmeldungen werden nach "
        "48 Stunden gelöscht."
    ),
)
