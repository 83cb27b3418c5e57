"""Bürgerwerkstatt (World Café): workshops, topic tables, cards, dot votes, board photos.

Participants' e-mails for the protocol live in their own table, read only by staff.
"""

from db.migrations import migrations


@migrations(name="0004_workshops")
def workshops(db):
    db.execute(
        """CREATE TABLE workshops (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            scope_ags TEXT,
            rounds INTEGER NOT NULL DEFAULT 3,
            participants INTEGER NOT NULL DEFAULT 0,
            dots_per_person INTEGER NOT NULL DEFAULT 3,
            phase TEXT NOT NULL DEFAULT 'planned',
            online_until TEXT,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE workshop_tables (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            topic TEXT NOT NULL,
            host TEXT NOT NULL DEFAULT '',
            handlungsfeld INTEGER
        )"""
    )
    db.execute("CREATE INDEX workshop_tables_workshop ON workshop_tables(workshop_id, position)")
    db.execute(
        """CREATE TABLE workshop_cards (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            table_id INTEGER NOT NULL REFERENCES workshop_tables(id),
            text TEXT NOT NULL,
            round INTEGER,
            tags TEXT NOT NULL DEFAULT '[]',
            municipality_ags TEXT,
            ortsteil TEXT,
            lat REAL,
            lon REAL,
            origin TEXT NOT NULL CHECK (origin IN ('live', 'online')),
            handlungsfeld INTEGER,
            host_dots INTEGER NOT NULL DEFAULT 0 CHECK (host_dots >= 0),
            hidden INTEGER NOT NULL DEFAULT 0,
            hidden_reason TEXT,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX workshop_cards_table ON workshop_cards(workshop_id, table_id)")
    db.execute(
        """CREATE TABLE workshop_votes (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES workshop_cards(id) ON DELETE CASCADE,
            ballot TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('device', 'online')),
            dots INTEGER NOT NULL CHECK (dots > 0),
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX workshop_votes_card ON workshop_votes(card_id)")
    db.execute("CREATE UNIQUE INDEX workshop_votes_ballot ON workshop_votes(ballot, card_id)")
    db.execute(
        """CREATE TABLE workshop_photos (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            table_id INTEGER REFERENCES workshop_tables(id),
            caption TEXT NOT NULL DEFAULT '',
            image BLOB NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE workshop_contacts (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            consent_at TEXT NOT NULL
        )"""
    )
