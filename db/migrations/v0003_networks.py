"""Cycle network and Kernwegenetz: segments (one row may belong to both) and their reviews."""

from db.migrations import migrations


@migrations(name="0003_networks")
def networks(db):
    db.execute(
        """CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            in_rad INTEGER NOT NULL DEFAULT 0,
            in_kern INTEGER NOT NULL DEFAULT 0,
            geometry TEXT NOT NULL,
            length_m REAL NOT NULL,
            surface TEXT,
            width_m REAL,
            lighting INTEGER,
            signage INTEGER,
            facility TEXT,
            responsible TEXT,
            status TEXT NOT NULL DEFAULT 'idea',
            priority TEXT,
            gap INTEGER NOT NULL DEFAULT 0,
            cost_eur REAL,
            condition INTEGER,
            source TEXT NOT NULL,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (in_rad = 1 OR in_kern = 1)
        )"""
    )
    db.execute("CREATE INDEX segments_networks ON segments(in_rad, in_kern)")
    db.execute(
        """CREATE TABLE segment_reviews (
            id INTEGER PRIMARY KEY,
            segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
            reviewer TEXT NOT NULL,
            reviewer_role TEXT NOT NULL,
            at TEXT NOT NULL,
            condition INTEGER,
            surface TEXT,
            width_m REAL,
            defects TEXT NOT NULL DEFAULT '[]',
            defect_lat REAL,
            defect_lon REAL,
            gap INTEGER NOT NULL DEFAULT 0,
            suggested_priority TEXT,
            comment TEXT,
            photo BLOB,
            accepted_at TEXT,
            accepted_by TEXT
        )"""
    )
    db.execute("CREATE INDEX segment_reviews_segment ON segment_reviews(segment_id, at)")
