"""The e-mail digest ("Newsletter"): subscribers with double opt-in and their choice of
municipalities, topics and parts; the weekly runs. A subscriber's address is personal data
(allianz/digest/personal_data.py). Only the hash of the one-time confirmation token is kept;
the unsubscribe token is kept as it is, because every weekly mail carries it in its link.

The outbox learns to carry an HTML alternative and extra header lines (List-Unsubscribe and
List-Unsubscribe-Post, RFC 8058) for the digest's mails.
"""

from db.migrations import migrations


@migrations(name="0030_digest")
def digest(db):
    db.execute(
        """CREATE TABLE digest_subscribers (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL,
            choice TEXT,
            pending_choice TEXT,
            confirm_hash TEXT,
            expires_at TEXT,
            unsubscribe_token TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            confirmed_at TEXT,
            last_digest_at TEXT,
            last_digest_week TEXT
        )"""
    )
    db.execute("CREATE UNIQUE INDEX digest_subscribers_email ON digest_subscribers(email)")
    db.execute("CREATE UNIQUE INDEX digest_subscribers_confirm ON digest_subscribers(confirm_hash)")
    db.execute(
        "CREATE UNIQUE INDEX digest_subscribers_unsubscribe "
        "ON digest_subscribers(unsubscribe_token)"
    )
    db.execute(
        """CREATE TABLE digest_runs (
            week TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            mails INTEGER NOT NULL DEFAULT 0,
            without_news INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("ALTER TABLE mail_outbox ADD COLUMN html TEXT")
    db.execute("ALTER TABLE mail_outbox ADD COLUMN headers TEXT")
