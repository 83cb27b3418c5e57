"""Feeds übernehmen: the members' own RSS/Atom and iCal feeds, and what each run took over.

`feed_sources` holds one feed address per member and kind with the state of its last run;
`feed_imports` links an entry of a feed (its GUID or UID) to the news item or event made from
it, with a fingerprint of the entry, so a second run creates nothing and a changed entry
updates its item. No personal data: who registered a source is in the audit trail.
"""

from db.migrations import migrations


@migrations(name="0029_feed_import")
def feed_import(db):
    db.execute(
        """CREATE TABLE feed_sources (
            id INTEGER PRIMARY KEY,
            municipality_ags TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('news', 'events')),
            url TEXT NOT NULL,
            website TEXT NOT NULL,
            category TEXT NOT NULL DEFAULT '',
            paused INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            last_run_at TEXT,
            last_success_at TEXT,
            last_error TEXT NOT NULL DEFAULT '',
            last_created INTEGER NOT NULL DEFAULT 0,
            last_updated INTEGER NOT NULL DEFAULT 0,
            last_skipped INTEGER NOT NULL DEFAULT 0,
            UNIQUE (municipality_ags, url)
        )"""
    )
    db.execute(
        """CREATE TABLE feed_imports (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES feed_sources(id) ON DELETE CASCADE,
            guid TEXT NOT NULL,
            target_id INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            link TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (source_id, guid)
        )"""
    )
