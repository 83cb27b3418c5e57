"""Measures (Maßnahmen) per Handlungsfeld with next steps, history and links to what citizens,
workshops and the networks contributed ("you said, we did")."""

from db.migrations import migrations


@migrations(name="0006_measures")
def measures(db):
    db.execute(
        """CREATE TABLE measures (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            handlungsfeld INTEGER NOT NULL,
            area TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL,
            priority TEXT NOT NULL CHECK (priority IN ('A', 'B', 'C')),
            assessment TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'idea',
            cost_eur REAL,
            funding TEXT NOT NULL DEFAULT '',
            municipalities TEXT NOT NULL DEFAULT '[]',
            version INTEGER NOT NULL DEFAULT 1,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE measure_steps (
            id INTEGER PRIMARY KEY,
            measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            due_on TEXT,
            responsible TEXT NOT NULL DEFAULT '',
            done_on TEXT
        )"""
    )
    db.execute("CREATE INDEX measure_steps_measure ON measure_steps(measure_id)")
    db.execute(
        """CREATE TABLE measure_history (
            id INTEGER PRIMARY KEY,
            measure_id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            changes TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE measure_links (
            id INTEGER PRIMARY KEY,
            measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('suggestion', 'card', 'segment')),
            target_id INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (measure_id, kind, target_id)
        )"""
    )
    db.execute("CREATE INDEX measure_links_target ON measure_links(kind, target_id)")
