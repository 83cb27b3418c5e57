"""Citizen suggestions (Bürgermelder): public records, private contacts, photos, mail outbox.

Reporter e-mail addresses live in their own table so that no public query can reach them.
"""

from db.migrations import migrations


@migrations(name="0002_suggestions")
def suggestions(db):
    db.execute(
        """CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            category TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            location_precise INTEGER NOT NULL DEFAULT 1,
            address_text TEXT,
            municipality_ags TEXT NOT NULL REFERENCES municipalities(ags),
            status TEXT NOT NULL DEFAULT 'new',
            public_answer TEXT,
            first_answer_at TEXT,
            supports INTEGER NOT NULL DEFAULT 0,
            hidden INTEGER NOT NULL DEFAULT 0,
            hidden_reason TEXT,
            merged_into INTEGER REFERENCES suggestions(id),
            source TEXT NOT NULL DEFAULT 'web',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX suggestions_public ON suggestions(hidden, status, created_at)")
    db.execute("CREATE INDEX suggestions_municipality ON suggestions(municipality_ags, status)")
    db.execute("CREATE INDEX suggestions_category_place ON suggestions(category, lat, lon)")
    db.execute(
        """CREATE TABLE suggestion_contacts (
            suggestion_id INTEGER PRIMARY KEY REFERENCES suggestions(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            consent_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE suggestion_photos (
            suggestion_id INTEGER PRIMARY KEY REFERENCES suggestions(id) ON DELETE CASCADE,
            jpeg BLOB NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE mail_outbox (
            id INTEGER PRIMARY KEY,
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )"""
    )
    db.execute("CREATE INDEX mail_outbox_pending ON mail_outbox(sent_at)")
