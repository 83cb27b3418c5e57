"""SQL for the address index only: streets (with their full-text row), addresses, Ortsteil
points and the import record per municipality."""

from __future__ import annotations

import sqlite_utils

from allianz.addresses.model import Address, Locality

_ADDRESS = (
    "a.id, a.street_id, s.municipality_ags, s.street, a.house_number, a.postcode, s.place, "
    "s.ortsteil, a.lat, a.lon"
)


def _address(row) -> Address:
    return Address(*row)


def delete_municipality(db: sqlite_utils.Database, ags: str) -> None:
    """Everything of one municipality's index (inside the caller's write transaction)."""
    assert db.conn.in_transaction, "delete_municipality() needs write_transaction()"
    ids = "SELECT id FROM address_streets WHERE municipality_ags = ?"
    db.execute(f"DELETE FROM address_search WHERE rowid IN ({ids})", [ags])
    db.execute(f"DELETE FROM addresses WHERE street_id IN ({ids})", [ags])
    db.execute("DELETE FROM address_streets WHERE municipality_ags = ?", [ags])
    db.execute("DELETE FROM address_localities WHERE municipality_ags = ?", [ags])
    db.execute("DELETE FROM address_imports WHERE municipality_ags = ?", [ags])


def next_street_id(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT coalesce(max(id), 0) + 1 FROM address_streets").fetchone()[0]


def insert_streets(db: sqlite_utils.Database, streets: list[tuple], terms: list[tuple]) -> None:
    """streets: (id, ags, street, street_key, ortsteil, ortsteil_key, place, postcodes);
    terms: (id, space-separated search terms)."""
    db.conn.executemany(
        "INSERT INTO address_streets (id, municipality_ags, street, street_key, ortsteil, "
        "ortsteil_key, place, postcodes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        streets,
    )
    db.conn.executemany("INSERT INTO address_search (rowid, terms) VALUES (?, ?)", terms)


def insert_addresses(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """rows: (street_id, house_number, number_key, number_value, postcode, lat, lon)."""
    db.conn.executemany(
        "INSERT INTO addresses (street_id, house_number, number_key, number_value, postcode, "
        "lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def insert_localities(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """rows: (ags, ortsteil, ortsteil_key, lat, lon, entries)."""
    db.conn.executemany(
        "INSERT INTO address_localities (municipality_ags, ortsteil, ortsteil_key, lat, lon, "
        "entries) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def record_import(db: sqlite_utils.Database, ags: str, source: str, entries: int, at: str) -> None:
    db.execute(
        "INSERT INTO address_imports (municipality_ags, source, entries, imported_at) "
        "VALUES (?, ?, ?, ?)",
        [ags, source, entries, at],
    )


def matching_streets(db: sqlite_utils.Database, expression: str, limit: int) -> list[tuple]:
    """(id, ags, street, ortsteil, place, postcodes) of streets matching a full-text
    expression, best bm25 first."""
    return db.execute(
        "SELECT s.id, s.municipality_ags, s.street, s.ortsteil, s.place, s.postcodes "
        "FROM address_search f JOIN address_streets s ON s.id = f.rowid "
        "WHERE address_search MATCH ? ORDER BY f.rank LIMIT ?",
        [expression, limit],
    ).fetchall()


def numbered(
    db: sqlite_utils.Database, street_ids: list[int], number: str, partial: bool
) -> list[Address]:
    """Addresses on these streets with this house number (or starting with it)."""
    if not street_ids:
        return []
    marks = ",".join("?" * len(street_ids))
    if partial:
        test, values = "substr(a.number_key, 1, ?) = ?", [len(number), number]
    else:
        test, values = "a.number_key = ?", [number]
    rows = db.execute(
        f"SELECT {_ADDRESS} FROM addresses a JOIN address_streets s ON s.id = a.street_id "
        f"WHERE a.street_id IN ({marks}) AND {test} "
        "ORDER BY a.number_key != ?, a.number_value, a.number_key LIMIT 500",
        [*street_ids, *values, number],
    ).fetchall()
    return [_address(r) for r in rows]


def first_numbers(db: sqlite_utils.Database, street_ids: list[int], per_street: int) -> list:
    """The lowest `per_street` house numbers of each street."""
    if not street_ids:
        return []
    marks = ",".join("?" * len(street_ids))
    rows = db.execute(
        f"SELECT {_ADDRESS} FROM (SELECT *, row_number() OVER (PARTITION BY street_id "
        "ORDER BY number_value, number_key) AS k FROM addresses "
        f"WHERE street_id IN ({marks})) a JOIN address_streets s ON s.id = a.street_id "
        "WHERE a.k <= ? ORDER BY a.number_value, a.number_key",
        [*street_ids, per_street],
    ).fetchall()
    return [_address(r) for r in rows]


def get(db: sqlite_utils.Database, address_id: int) -> Address | None:
    row = db.execute(
        f"SELECT {_ADDRESS} FROM addresses a JOIN address_streets s ON s.id = a.street_id "
        "WHERE a.id = ?",
        [address_id],
    ).fetchone()
    return _address(row) if row else None


def localities(db: sqlite_utils.Database, names: dict[str, str]) -> list[Locality]:
    rows = db.execute(
        "SELECT municipality_ags, ortsteil, lat, lon, entries FROM address_localities "
        "ORDER BY ortsteil_key, municipality_ags"
    ).fetchall()
    return [
        Locality(ags, names.get(ags, ags), ortsteil, lat, lon, entries)
        for ags, ortsteil, lat, lon, entries in rows
    ]


def overview(db: sqlite_utils.Database) -> list[dict]:
    """Per municipality with an index: addresses, streets, Ortsteile, source, when."""
    return [
        dict(r)
        for r in db.query(
            "SELECT i.municipality_ags, i.entries, i.source, i.imported_at, "
            "(SELECT count(*) FROM address_streets s WHERE s.municipality_ags = "
            "i.municipality_ags) AS streets, (SELECT count(*) FROM address_localities l "
            "WHERE l.municipality_ags = i.municipality_ags) AS localities "
            "FROM address_imports i ORDER BY i.municipality_ags"
        )
    ]


def total(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM addresses").fetchone()[0]


def entries(db: sqlite_utils.Database, ags: str) -> int:
    """How many addresses the municipality's index holds now (0 without an index)."""
    row = db.execute(
        "SELECT entries FROM address_imports WHERE municipality_ags = ?", [ags]
    ).fetchone()
    return row[0] if row else 0
