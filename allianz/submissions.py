"""Every create action lands exactly once.

A page derives a token from the form's content and its session (`web_session.form_token`)
and hands it to the service; the service claims it inside the transaction of its write. A
second click on "Speichern", a click that arrives while the first is still running, or the
same form sent again finds the token taken: nothing is written twice and the user is told.
A write that fails rolls back its claim, so correcting the input and sending again works.

An API client's idempotency key works the same way; the write also `settle`s the token with
what it created, and a repeat learns that result (and whether it was the same request, by
a hash of the request) from AlreadySubmitted, to answer as the first time.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import sqlite_utils

from allianz import audit
from allianz.errors import Conflict

KEEP = timedelta(days=2)  # long enough for any double click or resubmit; tokens hold no data


class AlreadySubmitted(Conflict):
    """This very form was saved already; the message says so in German. `result` is what the
    first request created (when it was settled); `same_request` is False when the token came
    with another request hash than the first time (an idempotency key reused)."""

    def __init__(self, message: str, result: str | None = None, same_request: bool = True):
        super().__init__(message)
        self.result = result
        self.same_request = same_request


def claim(
    db: sqlite_utils.Database, token: str | None, action: str, request_hash: str | None = None
) -> None:
    """Call inside the write transaction; raises AlreadySubmitted on the second use."""
    if not token:
        return
    try:
        db.execute(
            "INSERT INTO submissions (token, action, at, request_hash) VALUES (?, ?, ?, ?)",
            [token, action, audit.now_iso(), request_hash],
        )
    except sqlite3.IntegrityError as exc:
        first = db.execute(
            "SELECT result, request_hash FROM submissions WHERE token = ?", [token]
        ).fetchone()
        raise AlreadySubmitted(
            "Diese Eingabe ist schon gespeichert (zweiter Klick oder erneut gesendet); "
            "sie wurde nicht noch einmal angelegt.",
            result=first[0] if first else None,
            same_request=first is None or first[1] == request_hash,
        ) from exc
    db.execute(
        "DELETE FROM submissions WHERE at < ?",
        [(datetime.now(UTC) - KEEP).isoformat(timespec="seconds")],
    )


def settle(db: sqlite_utils.Database, token: str | None, result: str) -> None:
    """Record what the claimed token created; call in the same transaction as `claim`."""
    if token:
        db.execute("UPDATE submissions SET result = ? WHERE token = ?", [result, token])
