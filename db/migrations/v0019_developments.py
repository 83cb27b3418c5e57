"""Building developments reported between members (§ 2 Abs. 2 BauGB, informal step): the
development with its area (GeoJSON, WGS84), the affected members and their answers, the
documents (PDF), and every version of the development for its history.

Dates and times are UTC ISO strings; the answer deadline is a calendar day (Europe/Berlin).
"""

from db.migrations import migrations


@migrations(name="0019_developments")
def developments(db):
    db.execute(
        """CREATE TABLE developments (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            stage TEXT NOT NULL,
            municipality_ags TEXT NOT NULL,
            area_ha REAL NOT NULL,
            dwellings INTEGER,
            floor_space_m2 INTEGER,
            effects TEXT NOT NULL DEFAULT '[]',
            effects_text TEXT NOT NULL DEFAULT '',
            contact_name TEXT NOT NULL DEFAULT '',
            contact_email TEXT NOT NULL DEFAULT '',
            contact_phone TEXT NOT NULL DEFAULT '',
            geometry TEXT NOT NULL,
            geometry_source TEXT NOT NULL DEFAULT '',
            distance_km REAL NOT NULL,
            deadline TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            outcome TEXT NOT NULL DEFAULT '',
            public INTEGER NOT NULL DEFAULT 0,
            released_at TEXT,
            meeting_id INTEGER,
            version INTEGER NOT NULL DEFAULT 1,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX developments_deadline ON developments(deadline)")
    db.execute(
        """CREATE TABLE development_members (
            development_id INTEGER NOT NULL REFERENCES developments(id) ON DELETE CASCADE,
            ags TEXT NOT NULL,
            reason TEXT NOT NULL,
            distance_m REAL,
            notified_at TEXT,
            reminded_at TEXT,
            answer TEXT,
            statement TEXT NOT NULL DEFAULT '',
            answered_at TEXT,
            answered_by TEXT NOT NULL DEFAULT '',
            late INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (development_id, ags)
        )"""
    )
    db.execute("CREATE INDEX development_members_ags ON development_members(ags)")
    db.execute(
        """CREATE TABLE development_documents (
            id INTEGER PRIMARY KEY,
            development_id INTEGER NOT NULL REFERENCES developments(id) ON DELETE CASCADE,
            ags TEXT,
            file_title TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha1 TEXT NOT NULL,
            content BLOB NOT NULL,
            uploaded_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE development_versions (
            development_id INTEGER NOT NULL REFERENCES developments(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            snapshot TEXT NOT NULL,
            changed_by TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            PRIMARY KEY (development_id, version)
        )"""
    )
