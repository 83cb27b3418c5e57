"""Outgoing e-mail: queued in the same transaction as the change, delivered afterwards.

Delivery is the background worker's job (`allianz.mail.worker`, started with the app); the
`allianz mail send` command does one pass by hand. A message that cannot be sent stays in the
outbox with its error and is tried again after an exponential backoff (1 min, 2, 4, … at most
6 h) until MAX_ATTEMPTS, so a mail-server outage loses nothing.

Several processes may deliver from one database (several app processes, a CLI run): each
claims a few messages in a BEGIN IMMEDIATE transaction (`claimed_by`, `lease_until`) before
sending them, so exactly one of them sends each message; `claimed_by` then keeps who sent (or
last tried) it. A process that dies holding a claim
gives it up when the lease ends; a message it had handed to the mail server but not yet marked
as sent is then sent once more (the only case of a duplicate).
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

import sqlite_utils

from allianz import audit
from db.connection import write_transaction

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BACKOFF_BASE_S = 60.0
BACKOFF_MAX_S = 6 * 3600.0
SMTP_TIMEOUT_S = 10
CLAIM_BATCH = 5
# A claim lasts long enough for a whole batch at the SMTP timeout; a message is only sent
# while at least LEASE_MARGIN_S of the lease is left, else it is given back unsent.
LEASE_S = 120.0
LEASE_MARGIN_S = 3 * SMTP_TIMEOUT_S


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


@dataclass(frozen=True)
class Attachment:
    """One file sent with a mail (an invitation's .ics)."""

    name: str
    mime_type: str
    content: bytes


def queue(
    db: sqlite_utils.Database,
    recipient: str,
    subject: str,
    body: str,
    attachment: Attachment | None = None,
    *,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Queue one mail: plain text `body`, optionally an HTML alternative and extra header
    lines (a newsletter's List-Unsubscribe); header values must not contain line breaks."""
    row = {"recipient": recipient, "subject": subject, "body": body, "created_at": audit.now_iso()}
    if attachment is not None:
        row |= {
            "attachment_file": attachment.name,
            "attachment_type": attachment.mime_type,
            "attachment": attachment.content,
        }
    if html is not None:
        row["html"] = html
    if headers:
        if any("\r" in f"{k}{v}" or "\n" in f"{k}{v}" for k, v in headers.items()):
            raise ValueError("header lines must not contain line breaks")
        row["headers"] = json.dumps(dict(headers))
    db["mail_outbox"].insert(row)


def pending_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL").fetchone()[0]


def queue_state(db: sqlite_utils.Database, now: datetime | None = None) -> dict:
    """For /healthz: messages still to be sent, the age of the oldest of them in seconds,
    and those given up after MAX_ATTEMPTS (they stay until `allianz privacy purge`)."""
    queued, oldest = db.execute(
        "SELECT count(*), min(created_at) FROM mail_outbox WHERE sent_at IS NULL AND attempts < ?",
        [MAX_ATTEMPTS],
    ).fetchone()
    failed = db.execute(
        "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND attempts >= ?",
        [MAX_ATTEMPTS],
    ).fetchone()[0]
    age = None
    if oldest:
        now = now or datetime.fromisoformat(audit.now_iso())
        age = max(0, round((now - datetime.fromisoformat(oldest)).total_seconds()))
    return {"queued": queued, "oldest_queued_s": age, "failed": failed}


def backoff_s(attempts: int) -> float:
    """Wait after the `attempts`-th failed try: 1 min, 2 min, 4 min, … at most 6 h."""
    return min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** max(0, attempts - 1))


def claim(
    db: sqlite_utils.Database,
    worker: str,
    *,
    limit: int = CLAIM_BATCH,
    due_only: bool = True,
    after_id: int = 0,
    now: float | None = None,
) -> list[dict]:
    """Take up to `limit` unsent messages for `worker` (oldest first) that nobody holds.

    BEGIN IMMEDIATE makes the select and the claim one step for all processes: two workers
    never get the same message while a lease runs. `due_only=False` ignores the backoff (a
    retry by hand)."""
    now = time.time() if now is None else now
    due = "AND (next_attempt_at IS NULL OR next_attempt_at <= :now) " if due_only else ""
    sql = (
        "SELECT id, recipient, subject, body, attempts, attachment_file, attachment_type, "
        "attachment, html, headers FROM mail_outbox "
        "WHERE sent_at IS NULL AND attempts < :max AND id > :after "
        f"{due}AND (lease_until IS NULL OR lease_until <= :now) "
        "ORDER BY id LIMIT :limit"
    )
    params = {"max": MAX_ATTEMPTS, "after": after_id, "now": now, "limit": limit}
    # An idle poll only reads: the write lock is taken once there is something to claim.
    if db.execute(f"SELECT count(*) FROM ({sql})", {**params, "limit": 1}).fetchone()[0] == 0:
        return []
    with write_transaction(db):
        rows = [dict(r) for r in db.query(sql, params)]
        for row in rows:
            row["lease_until"] = now + LEASE_S
        if rows:
            ids = [r["id"] for r in rows]
            marks = ", ".join("?" * len(ids))
            db.execute(
                f"UPDATE mail_outbox SET claimed_by = ?, lease_until = ? WHERE id IN ({marks})",
                [worker, now + LEASE_S, *ids],
            )
    return rows


def _release(db: sqlite_utils.Database, worker: str, ids: list[int]) -> None:
    if not ids:
        return
    marks = ", ".join("?" * len(ids))
    with write_transaction(db):
        db.execute(
            "UPDATE mail_outbox SET claimed_by = NULL, lease_until = NULL "
            f"WHERE claimed_by = ? AND id IN ({marks})",
            [worker, *ids],
        )


def _mark_sent(db: sqlite_utils.Database, worker: str, row: dict) -> None:
    with write_transaction(db):
        done = db.execute(
            "UPDATE mail_outbox SET attempts = attempts + 1, sent_at = ?, last_error = NULL, "
            "lease_until = NULL, next_attempt_at = NULL "
            "WHERE id = ? AND claimed_by = ?",
            [audit.now_iso(), row["id"], worker],
        ).rowcount
    if not done:  # the lease ran out while sending: another worker may send it again
        log.warning("E-Mail %s verschickt, aber der Anspruch war abgelaufen", row["id"])


def _mark_failed(
    db: sqlite_utils.Database, worker: str, row: dict, error: str, permanent: bool
) -> None:
    attempts = MAX_ATTEMPTS if permanent else row["attempts"] + 1
    with write_transaction(db):
        db.execute(
            "UPDATE mail_outbox SET attempts = ?, last_error = ?, next_attempt_at = ?, "
            "lease_until = NULL WHERE id = ? AND claimed_by = ?",
            [attempts, error[:500], time.time() + backoff_s(attempts), row["id"], worker],
        )


def _message(settings: SmtpSettings, row: dict) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = row["recipient"]
    message["Subject"] = row["subject"]
    for name, value in json.loads(row.get("headers") or "{}").items():
        message[name] = value
    message.set_content(row["body"])
    if row.get("html"):
        message.add_alternative(row["html"], subtype="html")
    if row.get("attachment_file"):
        main, _, sub = (row["attachment_type"] or "application/octet-stream").partition("/")
        message.add_attachment(
            row["attachment"], maintype=main, subtype=sub, filename=row["attachment_file"]
        )
    return message


def message_for(settings: SmtpSettings, row: dict) -> EmailMessage:
    """The message a queued row becomes when it is sent (for checks and tests)."""
    return _message(settings, row)


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_S)
    try:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _permanent(exc: Exception) -> bool:
    """Every recipient refused with a 5xx code: trying again would not help."""
    return isinstance(exc, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _ in exc.recipients.values()
    )


def _send_batch(
    db: sqlite_utils.Database, settings: SmtpSettings, worker: str, rows: list[dict]
) -> int:
    """Send claimed rows over one SMTP connection (opened again after an error). When the
    server cannot be reached at all, the rest of the batch waits with the same backoff."""
    lease_end = min(r["lease_until"] for r in rows)
    smtp: smtplib.SMTP | None = None
    sent = 0
    try:
        for index, row in enumerate(rows):
            if time.time() > lease_end - LEASE_MARGIN_S:
                _release(db, worker, [r["id"] for r in rows[index:]])
                break
            if smtp is None:
                try:
                    smtp = _connect(settings)
                except (OSError, smtplib.SMTPException) as exc:
                    for waiting in rows[index:]:
                        _mark_failed(db, worker, waiting, str(exc) or type(exc).__name__, False)
                    break
            try:
                smtp.send_message(_message(settings, row))
            except (OSError, smtplib.SMTPException) as exc:
                _mark_failed(db, worker, row, str(exc) or type(exc).__name__, _permanent(exc))
                if smtp is not None and not isinstance(exc, smtplib.SMTPRecipientsRefused):
                    smtp.close()
                    smtp = None
                continue
            _mark_sent(db, worker, row)
            sent += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    return sent


def deliver_pending(
    db: sqlite_utils.Database,
    settings: SmtpSettings | None,
    worker: str = "allianz mail send",
    *,
    due_only: bool = False,
) -> int:
    """One pass over the outbox: every waiting message is tried at most once; returns how many
    were sent. Without settings nothing is sent. The worker passes `due_only=True` (respect
    the backoff); by hand (`allianz mail send`) everything waiting is tried now."""
    if settings is None:
        return 0
    sent, after = 0, 0
    while rows := claim(db, worker, due_only=due_only, after_id=after):
        sent += _send_batch(db, settings, worker, rows)
        after = rows[-1]["id"]
    return sent
