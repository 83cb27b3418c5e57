"""Leerstandsrisiko: derived flags per building from a register extract, and owner contacts.

Only derived flags are stored (all registered residents 70+ / 80+, no registered resident,
a resident-count band); birth years and ages never reach the database. Each row expires
(`expires_at`) and is purged by the slice's retention hook; its contact steps go with it.
"""

from db.migrations import migrations


@migrations(name="0028_vacancy_risk")
def vacancy_risk(db):
    db.execute(
        """CREATE TABLE vacancy_risk_buildings (
            id INTEGER PRIMARY KEY,
            municipality_ags TEXT NOT NULL,
            location_key TEXT NOT NULL,
            street TEXT NOT NULL DEFAULT '',
            house_number TEXT NOT NULL DEFAULT '',
            ortsteil TEXT,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            all_70 INTEGER NOT NULL DEFAULT 0,
            all_80 INTEGER NOT NULL DEFAULT 0,
            no_resident INTEGER NOT NULL DEFAULT 0,
            resident_band TEXT NOT NULL,
            site_id INTEGER REFERENCES vacancy_sites(id) ON DELETE SET NULL,
            imported_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            UNIQUE (municipality_ags, location_key)
        )"""
    )
    db.execute("CREATE INDEX vacancy_risk_expiry ON vacancy_risk_buildings(expires_at)")
    db.execute(
        """CREATE TABLE vacancy_risk_contacts (
            id INTEGER PRIMARY KEY,
            building_id INTEGER NOT NULL
                REFERENCES vacancy_risk_buildings(id) ON DELETE CASCADE,
            contacted_on TEXT NOT NULL,
            outcome TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            actor TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX vacancy_risk_contacts_building ON vacancy_risk_contacts(building_id)")
