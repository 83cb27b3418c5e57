"""Outgoing e-mail: queued in the same transaction as the change, delivered afterwards.

A message that cannot be sent stays in the outbox with its error and is retried on the next
delivery, so a mail-server outage loses nothing.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

import sqlite_utils

from allianz import audit
from db.connection import write_transaction

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    starttls: bool = False
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_mapping(cls, raw) -> SmtpSettings | None:
        if not raw or not raw.get("host"):
            return None
        return cls(
            host=str(raw["host"]),
            port=int(raw.get("port", 25)),
            sender=str(raw.get("sender", "noreply@localhost")),
            starttls=bool(raw.get("starttls", False)),
            username=raw.get("username"),
            password=raw.get("password"),
        )


def queue(db: sqlite_utils.Database, recipient: str, subject: str, body: str) -> None:
    db["mail_outbox"].insert(
        {"recipient": recipient, "subject": subject, "body": body, "created_at": audit.now_iso()}
    )


def pending_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL").fetchone()[0]


def deliver_pending(db: sqlite_utils.Database, settings: SmtpSettings | None) -> int:
    """Send what is queued; returns how many were sent. Without settings nothing is sent."""
    if settings is None:
        return 0
    rows = list(
        db.query(
            "SELECT * FROM mail_outbox WHERE sent_at IS NULL AND attempts < ? ORDER BY id",
            [MAX_ATTEMPTS],
        )
    )
    sent = 0
    for row in rows:
        message = EmailMessage()
        message["From"] = settings.sender
        message["To"] = row["recipient"]
        message["Subject"] = row["subject"]
        message.set_content(row["body"])
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=10) as smtp:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.username:
                    smtp.login(settings.username, settings.password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            with write_transaction(db):
                db.execute(
                    "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                    [str(exc)[:500], row["id"]],
                )
            continue
        with write_transaction(db):
            db.execute(
                "UPDATE mail_outbox SET attempts = attempts + 1, sent_at = ?, last_error = NULL "
                "WHERE id = ?",
                [audit.now_iso(), row["id"]],
            )
        sent += 1
    return sent
