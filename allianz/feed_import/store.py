"""SQL for the feed import's tables only."""

from __future__ import annotations

import sqlite_utils

from allianz.feed_import.model import Kind, Source

_COLUMNS = (
    "id, municipality_ags, kind, url, website, category, paused, created_at, last_run_at, "
    "last_success_at, last_error, last_created, last_updated, last_skipped"
)


def _source(row) -> Source:
    values = dict(zip(_COLUMNS.split(", "), row, strict=True))
    values["kind"] = Kind(values["kind"])
    values["paused"] = bool(values["paused"])
    return Source(**values)


def insert(db: sqlite_utils.Database, row: dict) -> int:
    return db["feed_sources"].insert(row).last_pk


def update(db: sqlite_utils.Database, source_id: int, values: dict) -> None:
    db["feed_sources"].update(source_id, values)


def delete(db: sqlite_utils.Database, source_id: int) -> None:
    db.execute("DELETE FROM feed_sources WHERE id = ?", [source_id])


def get(db: sqlite_utils.Database, source_id: int) -> Source | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM feed_sources WHERE id = ?", [source_id]).fetchone()
    return _source(row) if row else None


def exists(db: sqlite_utils.Database, ags: str, url: str) -> bool:
    sql = "SELECT 1 FROM feed_sources WHERE municipality_ags = ? AND url = ?"
    return db.execute(sql, [ags, url]).fetchone() is not None


def listing(db: sqlite_utils.Database, ags: str | None) -> list[Source]:
    """The sources of one member (or of all when `ags` is None), by member and address."""
    where, params = ("WHERE municipality_ags = ?", [ags]) if ags else ("", [])
    sql = f"SELECT {_COLUMNS} FROM feed_sources {where} ORDER BY municipality_ags, url, id"
    return [_source(r) for r in db.execute(sql, params)]


def active(db: sqlite_utils.Database) -> list[Source]:
    sql = f"SELECT {_COLUMNS} FROM feed_sources WHERE NOT paused ORDER BY id"
    return [_source(r) for r in db.execute(sql)]


def imported(db: sqlite_utils.Database, source_id: int) -> dict[str, tuple[int, str]]:
    """GUID -> (target id, fingerprint) of what earlier runs took over from the source."""
    sql = "SELECT guid, target_id, fingerprint FROM feed_imports WHERE source_id = ?"
    return {guid: (target, mark) for guid, target, mark in db.execute(sql, [source_id])}


def remember(
    db: sqlite_utils.Database,
    source_id: int,
    guid: str,
    target_id: int,
    fingerprint: str,
    link: str,
    stamp: str,
) -> None:
    db.execute(
        "INSERT INTO feed_imports (source_id, guid, target_id, fingerprint, link, imported_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, guid) DO UPDATE SET "
        "target_id = excluded.target_id, fingerprint = excluded.fingerprint, "
        "link = excluded.link, updated_at = excluded.updated_at",
        [source_id, guid, target_id, fingerprint, link, stamp, stamp],
    )


def count_imported(db: sqlite_utils.Database, source_id: int) -> int:
    sql = "SELECT count(*) FROM feed_imports WHERE source_id = ?"
    return db.execute(sql, [source_id]).fetchone()[0]
