"""Open311 reporters' own details and mail that a background worker delivers.

`suggestion_contacts` becomes the private side of a suggestion: besides the e-mail (now
optional) it keeps what a GeoReport v2 client sends about the reporter (name, phone, a link to
the client's copy of the photo). `consent_at` stays the moment these details were given.

The outbox gets what several delivering processes need to share it: when a failed message is
due again (`next_attempt_at`, exponential backoff) and who holds it for sending (`claimed_by`
until `lease_until`; epoch seconds), so exactly one process sends each message.
"""

from db.migrations import migrations


@migrations(name="0014_reporter_and_mail_delivery")
def reporter_and_mail_delivery(db):
    # SQLite cannot drop NOT NULL from a column: copy into a new table and swap.
    db.execute(
        """CREATE TABLE suggestion_contacts_new (
            suggestion_id INTEGER PRIMARY KEY REFERENCES suggestions(id) ON DELETE CASCADE,
            email TEXT,
            first_name TEXT,
            last_name TEXT,
            phone TEXT,
            media_url TEXT,
            consent_at TEXT NOT NULL
        )"""
    )
    db.execute(
        "INSERT INTO suggestion_contacts_new (suggestion_id, email, consent_at) "
        "SELECT suggestion_id, email, consent_at FROM suggestion_contacts"
    )
    db.execute("DROP TABLE suggestion_contacts")
    db.execute("ALTER TABLE suggestion_contacts_new RENAME TO suggestion_contacts")

    db.execute("ALTER TABLE mail_outbox ADD COLUMN next_attempt_at REAL")
    db.execute("ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT")
    db.execute("ALTER TABLE mail_outbox ADD COLUMN lease_until REAL")
    db.execute(
        "CREATE INDEX mail_outbox_waiting ON mail_outbox(next_attempt_at, id) WHERE sent_at IS NULL"
    )
