"""SQL for municipalities only. Geometries are GeoJSON text in WGS84."""

from __future__ import annotations

import sqlite_utils


def all_rows(db: sqlite_utils.Database) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM municipalities ORDER BY name")]


def upsert(db: sqlite_utils.Database, row: dict) -> None:
    db["municipalities"].upsert(row, pk="ags")
