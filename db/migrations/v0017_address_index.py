"""The address index of the alliance (house coordinates) for placing reports by address.

Streets are searched, not single addresses: one full-text row per street (its name, Ortsteil,
place, municipality and postcodes, normalised), the house numbers hang below it. Each
municipality's addresses are replaced as a whole by an import; the Ortsteil points (a real
address near the middle of the Ortsteil) are derived at the same time.
"""

from db.migrations import migrations


@migrations(name="0017_address_index")
def address_index(db):
    db.execute(
        """CREATE TABLE address_streets (
            id INTEGER PRIMARY KEY,
            municipality_ags TEXT NOT NULL REFERENCES municipalities(ags),
            street TEXT NOT NULL,
            street_key TEXT NOT NULL,
            ortsteil TEXT NOT NULL,
            ortsteil_key TEXT NOT NULL,
            place TEXT NOT NULL,
            postcodes TEXT NOT NULL,
            UNIQUE (municipality_ags, ortsteil_key, street_key)
        )"""
    )
    db.execute(
        """CREATE TABLE addresses (
            id INTEGER PRIMARY KEY,
            street_id INTEGER NOT NULL REFERENCES address_streets(id) ON DELETE CASCADE,
            house_number TEXT NOT NULL,
            number_key TEXT NOT NULL,
            number_value INTEGER,
            postcode TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            UNIQUE (street_id, number_key)
        )"""
    )
    # One row per street (rowid = address_streets.id); tokens are normalised before they get
    # here (lower case, ß → ss, umlauts → ae/oe/ue plus a plain-vowel variant).
    db.execute(
        "CREATE VIRTUAL TABLE address_search USING fts5("
        "terms, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')"
    )
    db.execute(
        """CREATE TABLE address_localities (
            municipality_ags TEXT NOT NULL REFERENCES municipalities(ags),
            ortsteil TEXT NOT NULL,
            ortsteil_key TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            entries INTEGER NOT NULL,
            PRIMARY KEY (municipality_ags, ortsteil_key)
        )"""
    )
    db.execute(
        """CREATE TABLE address_imports (
            municipality_ags TEXT PRIMARY KEY REFERENCES municipalities(ags),
            source TEXT NOT NULL,
            entries INTEGER NOT NULL,
            imported_at TEXT NOT NULL
        )"""
    )
