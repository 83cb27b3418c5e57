"""Events ("Veranstaltungen") of the members, clubs and the alliance: the event with its
recurrence rule and exceptions, its occurrences expanded once at write time (bounded, so the
public list is one indexed query), and the e-mail address of a club that submitted it without
an account (personal data, in a table of its own, never public).

Times are stored as UTC ISO strings; pages show them in Europe/Berlin.
"""

from db.migrations import migrations


@migrations(name="0025_events")
def events(db):
    db.execute(
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL,
            municipality_ags TEXT,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            all_day INTEGER NOT NULL DEFAULT 0,
            rrule TEXT NOT NULL DEFAULT '',
            exdates TEXT NOT NULL DEFAULT '[]',
            last_end_at TEXT NOT NULL,
            venue TEXT NOT NULL DEFAULT '',
            location_line TEXT NOT NULL DEFAULT '',
            lat REAL,
            lon REAL,
            organiser TEXT NOT NULL DEFAULT '',
            free INTEGER NOT NULL DEFAULT 1,
            price_text TEXT NOT NULL DEFAULT '',
            accessibility TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL,
            decline_reason TEXT NOT NULL DEFAULT '',
            cancel_reason TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            published_at TEXT
        )"""
    )
    db.execute("CREATE INDEX events_state ON events(state, municipality_ags)")
    db.execute(
        """CREATE TABLE event_occurrences (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            PRIMARY KEY (event_id, starts_at)
        )"""
    )
    db.execute("CREATE INDEX event_occurrences_end ON event_occurrences(ends_at, starts_at)")
    db.execute("CREATE INDEX event_occurrences_start ON event_occurrences(starts_at)")
    db.execute(
        """CREATE TABLE event_submitters (
            event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            submitter_email TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX event_submitters_email ON event_submitters(submitter_email)")
