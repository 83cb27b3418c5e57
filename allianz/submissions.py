"""Every create action lands exactly once.

A page derives a token from the form's content and its session (`web_session.form_token`)
and hands it to the service; the service claims it inside the transaction of its write. A
second click on "Speichern", a click that arrives while the first is still running, or the
same form sent again finds the token taken: nothing is written twice and the user is told.
A write that fails rolls back its claim, so correcting the input and sending again works.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import sqlite_utils

from allianz import audit
from allianz.errors import Conflict

KEEP = timedelta(days=2)  # long enough for any double click or resubmit; tokens hold no data


class AlreadySubmitted(Conflict):
    """This very form was saved already; the message says so in German."""


def claim(db: sqlite_utils.Database, token: str | None, action: str) -> None:
    """Call inside the write transaction; raises AlreadySubmitted on the second use."""
    if not token:
        return
    try:
        db.execute(
            "INSERT INTO submissions (token, action, at) VALUES (?, ?, ?)",
            [token, action, audit.now_iso()],
        )
    except sqlite3.IntegrityError as exc:
        raise AlreadySubmitted(
            "Diese Eingabe ist schon gespeichert (zweiter Klick oder erneut gesendet); "
            "sie wurde nicht noch einmal angelegt."
        ) from exc
    db.execute(
        "DELETE FROM submissions WHERE at < ?",
        [(datetime.now(UTC) - KEEP).isoformat(timespec="seconds")],
    )
