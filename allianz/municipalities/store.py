"""SQL for municipalities only. Geometries are GeoJSON text in WGS84."""

from __future__ import annotations

import sqlite_utils


def all_rows(db: sqlite_utils.Database) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM municipalities ORDER BY name")]


def version(db: sqlite_utils.Database) -> tuple:
    """Changes whenever a municipality row does (a few dozen rows: an aggregate is cheap)."""
    row = db.execute(
        "SELECT count(*), max(updated_at), total(length(geometry)), total(inhabitants), "
        "group_concat(name) FROM municipalities"
    ).fetchone()
    path = db.execute("PRAGMA database_list").fetchone()[2]
    return (path, *row)


def upsert(db: sqlite_utils.Database, row: dict) -> None:
    db["municipalities"].upsert(row, pk="ags")
