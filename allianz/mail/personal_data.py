"""The outbox holds addresses (recipients) and message bodies that may quote a requester's
address: found and erased for the privacy rights; sent mails purged after the retention period."""

from __future__ import annotations

import sqlite_utils

from allianz import audit
from allianz.features import PersonalData
from allianz.mail.outbox import MAX_ATTEMPTS

_ABOUT = "instr(lower(body), lower(?)) > 0"


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    return [
        dict(row)
        for row in db.query(
            "SELECT subject, created_at, sent_at FROM mail_outbox "
            f"WHERE recipient = ? COLLATE NOCASE OR {_ABOUT}",
            [address, address],
        )
    ]


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    to = db.execute("DELETE FROM mail_outbox WHERE recipient = ? COLLATE NOCASE", [address])
    note = f"(Inhalt gelöscht auf Wunsch der betroffenen Person, {audit.now_iso()[:10]})"
    about = db.execute(f"UPDATE mail_outbox SET body = ? WHERE {_ABOUT}", [note, address])
    return {"mails_to": to.rowcount, "mails_about": about.rowcount}


def _purge(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sent = "DELETE FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at < ?"
    given_up = "DELETE FROM mail_outbox WHERE sent_at IS NULL AND attempts >= ? AND created_at < ?"
    return {
        "sent_mails": db.execute(sent, [cutoff]).rowcount,
        "undeliverable_mails": db.execute(given_up, [MAX_ATTEMPTS, cutoff]).rowcount,
    }


OUTBOX = PersonalData(
    table="mail_outbox",
    columns=("recipient", "body"),
    export_key="mails",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention=(
        "Versandte und unzustellbare E-Mails: bis zum Ende der Aufbewahrungsfrist; wartende bis "
        "zum Versand."
    ),
)
