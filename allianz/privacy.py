"""Data subject rights and retention (GDPR Art. 15, 17; storage limitation, Art. 5(1)(e)).

Personal data lives in few places on purpose: account e-mails, the optional e-mail behind a
suggestion, the protocol e-mail of a workshop participant, interest requests for shared
vacancies, and the mail outbox. Export finds all of them for one address; erase removes the
address and keeps the public content anonymous; purge removes what is older than the
retention period. Every run leaves an audit entry without the address itself.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import sqlite_utils

from allianz import audit
from db.connection import write_transaction

ERASED = "[gelöscht]"


def _pseudonym(email: str) -> str:
    """The audit trail names the request without repeating the address."""
    return "sha256:" + hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:16]


def _rows(db: sqlite_utils.Database, sql: str, params: list) -> list[dict]:
    return [dict(row) for row in db.query(sql, params)]


def export(db: sqlite_utils.Database, email: str, actor: audit.Actor) -> dict:
    """Everything stored about this address, as plain data (for a JSON answer to the person)."""
    address = email.strip()
    result = {
        "email": address,
        "created_at": audit.now_iso(),
        "accounts": _rows(
            db,
            "SELECT username, display_name, role, municipality_ags, email, active, created_at "
            "FROM users WHERE email = ? COLLATE NOCASE",
            [address],
        ),
        "suggestions": _rows(
            db,
            "SELECT s.ref, s.category, s.title, s.description, s.address_text, s.lat, s.lon, "
            "s.status, s.public_answer, s.created_at, c.consent_at "
            "FROM suggestion_contacts c JOIN suggestions s ON s.id = c.suggestion_id "
            "WHERE c.email = ? COLLATE NOCASE ORDER BY s.id",
            [address],
        ),
        "workshop_protocol_requests": _rows(
            db,
            "SELECT w.title AS workshop, c.consent_at FROM workshop_contacts c "
            "JOIN workshops w ON w.id = c.workshop_id WHERE c.email = ? COLLATE NOCASE",
            [address],
        ),
        "vacancy_interests": _rows(
            db,
            "SELECT s.ref AS site, i.name, i.message, i.consent_at, i.created_at "
            "FROM vacancy_interests i JOIN vacancy_sites s ON s.id = i.site_id "
            "WHERE i.email = ? COLLATE NOCASE ORDER BY i.id",
            [address],
        ),
        "mails": _rows(
            db,
            "SELECT subject, created_at, sent_at FROM mail_outbox "
            "WHERE recipient = ? COLLATE NOCASE OR instr(lower(body), lower(?)) > 0",
            [address, address],
        ),
    }
    with write_transaction(db):
        audit.record(db, actor, "privacy.export", "person", _pseudonym(address))
    return result


def erase(db: sqlite_utils.Database, email: str, actor: audit.Actor) -> dict[str, int]:
    """Remove the address everywhere; suggestions and requests stay, without it."""
    address = email.strip()
    counts: dict[str, int] = {}
    with write_transaction(db):

        def run(name: str, sql: str, params: list) -> None:
            counts[name] = db.execute(sql, params).rowcount

        run(
            "suggestion_contacts",
            "DELETE FROM suggestion_contacts WHERE email = ? COLLATE NOCASE",
            [address],
        )
        run(
            "workshop_contacts",
            "DELETE FROM workshop_contacts WHERE email = ? COLLATE NOCASE",
            [address],
        )
        run(
            "vacancy_interests",
            "UPDATE vacancy_interests SET email = ?, name = ?, message = ? "
            "WHERE email = ? COLLATE NOCASE",
            [ERASED, ERASED, ERASED, address],
        )
        run("mails_to", "DELETE FROM mail_outbox WHERE recipient = ? COLLATE NOCASE", [address])
        run(
            "mails_about",
            "UPDATE mail_outbox SET body = ? WHERE instr(lower(body), lower(?)) > 0",
            [
                f"(Inhalt gelöscht auf Wunsch der betroffenen Person, {audit.now_iso()[:10]})",
                address,
            ],
        )
        run("accounts", "UPDATE users SET email = NULL WHERE email = ? COLLATE NOCASE", [address])
        audit.record(db, actor, "privacy.erase", "person", _pseudonym(address), details=counts)
    return counts


def purge(
    db: sqlite_utils.Database,
    months: int,
    actor: audit.Actor,
    now: datetime | None = None,
) -> dict[str, int]:
    """Delete e-mail addresses and interest requests older than `months` (sent mails too)."""
    if months < 1:
        raise ValueError("Die Aufbewahrungsfrist muss mindestens einen Monat betragen.")
    now = now or datetime.now(UTC)
    cutoff = (now - timedelta(days=round(months * 30.44))).isoformat(timespec="seconds")
    counts: dict[str, int] = {}
    with write_transaction(db):
        for name, sql in (
            ("suggestion_contacts", "DELETE FROM suggestion_contacts WHERE consent_at < ?"),
            ("workshop_contacts", "DELETE FROM workshop_contacts WHERE consent_at < ?"),
            ("vacancy_interests", "DELETE FROM vacancy_interests WHERE created_at < ?"),
            ("sent_mails", "DELETE FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at < ?"),
        ):
            counts[name] = db.execute(sql, [cutoff]).rowcount
        audit.record(db, actor, "privacy.purge", "retention", details={"months": months, **counts})
    return counts
