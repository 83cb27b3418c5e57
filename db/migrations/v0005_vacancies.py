"""Leerstand teilen: vacancy sites, their version history, owner data apart, interest requests.

Owner names and contacts live only in vacancy_owners (staff-only); the history keeps the
public fields of every version so the register can be shown "as of" a past date.
"""

from db.migrations import migrations


@migrations(name="0005_vacancies")
def vacancies(db):
    db.execute(
        """CREATE TABLE vacancy_sites (
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            municipality_ags TEXT NOT NULL,
            ortsteil TEXT,
            address TEXT NOT NULL DEFAULT '',
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            location_precise INTEGER NOT NULL DEFAULT 1,
            type TEXT NOT NULL,
            usage TEXT,
            status TEXT NOT NULL DEFAULT 'active',
            vacant_since TEXT,
            building_epoch TEXT,
            condition TEXT,
            area_m2 REAL,
            owner_type TEXT,
            owner_contacted_on TEXT,
            willingness TEXT,
            publication_consent INTEGER NOT NULL DEFAULT 0,
            description TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            next_review TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX vacancy_sites_municipality ON vacancy_sites(municipality_ags, type)")
    db.execute("CREATE INDEX vacancy_sites_review ON vacancy_sites(next_review)")
    db.execute(
        """CREATE TABLE vacancy_owners (
            site_id INTEGER PRIMARY KEY REFERENCES vacancy_sites(id) ON DELETE CASCADE,
            name TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE vacancy_history (
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            actor_role TEXT NOT NULL,
            action TEXT NOT NULL,
            changes TEXT NOT NULL,
            snapshot TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX vacancy_history_site ON vacancy_history(site_id, at)")
    db.execute(
        """CREATE TABLE vacancy_interests (
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL REFERENCES vacancy_sites(id) ON DELETE CASCADE,
            municipality_ags TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL,
            message TEXT NOT NULL,
            consent_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            handled_at TEXT
        )"""
    )
