"""City map and contacts: the places (points of interest) of every member with their category,
address, opening hours (OpenStreetMap syntax), accessibility and photo, and the town halls'
contacts (departments and people) with the basis on which they are shown.

A place imported from a file keeps the file's id in `source_id`, unique per municipality, so a
second import of the same file updates instead of duplicating. `search_text` is the folded
text (lower case, umlauts written out) that the full-text search matches words against.
"""

from db.migrations import migrations


@migrations(name="0027_places")
def places(db):
    db.execute(
        """CREATE TABLE places (
            id INTEGER PRIMARY KEY,
            municipality_ags TEXT NOT NULL,
            category TEXT NOT NULL,
            name TEXT NOT NULL,
            address_text TEXT NOT NULL DEFAULT '',
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            opening_hours TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            web TEXT NOT NULL DEFAULT '',
            wheelchair TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            photo BLOB,
            source TEXT NOT NULL DEFAULT 'manual',
            source_id TEXT NOT NULL DEFAULT '',
            is_demo INTEGER NOT NULL DEFAULT 0,
            search_text TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX places_category ON places(category, municipality_ags)")
    db.execute(
        "CREATE UNIQUE INDEX places_source ON places(municipality_ags, source_id) "
        "WHERE source_id != ''"
    )
    db.execute(
        """CREATE TABLE place_contacts (
            id INTEGER PRIMARY KEY,
            municipality_ags TEXT NOT NULL,
            place_id INTEGER REFERENCES places(id) ON DELETE SET NULL,
            department TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT '',
            person_name TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            room TEXT NOT NULL DEFAULT '',
            office_hours TEXT NOT NULL DEFAULT '',
            keywords TEXT NOT NULL DEFAULT '',
            basis TEXT NOT NULL,
            consent_at TEXT,
            is_demo INTEGER NOT NULL DEFAULT 0,
            search_text TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX place_contacts_municipality ON place_contacts(municipality_ags)")
    db.execute("CREATE INDEX place_contacts_email ON place_contacts(email)")
