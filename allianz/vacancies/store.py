"""SQL for the vacancy register. Owner rows are read only by the functions named owner*."""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils

from allianz.vacancies.model import Owner, Site


def _site(row) -> Site:
    data = dict(row)
    for flag in ("location_precise", "publication_consent", "is_demo"):
        data[flag] = bool(data[flag])
    return Site(**data)


@dataclass(frozen=True)
class Filters:
    municipality_ags: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    shareable_only: bool = False
    due_by: str | None = None  # ISO date: next review on or before
    without_owner_contact: bool = False


def search(db: sqlite_utils.Database, filters: Filters = Filters()) -> list[Site]:
    where, params = [], []
    for column, values in (
        ("municipality_ags", filters.municipality_ags),
        ("type", filters.types),
        ("status", filters.statuses),
    ):
        if values:
            where.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    if filters.shareable_only:
        where.append("publication_consent = 1 AND status IN ('active', 'in_progress')")
    if filters.due_by:
        where.append("next_review IS NOT NULL AND next_review <= ?")
        params.append(filters.due_by)
    if filters.without_owner_contact:
        where.append("owner_contacted_on IS NULL")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    sql = f"SELECT * FROM vacancy_sites {clause} ORDER BY municipality_ags, id"
    return [_site(row) for row in db.query(sql, params)]


def get(db: sqlite_utils.Database, site_id: int) -> Site | None:
    rows = list(db.query("SELECT * FROM vacancy_sites WHERE id = ?", [site_id]))
    return _site(rows[0]) if rows else None


def by_ref(db: sqlite_utils.Database, ref: str) -> Site | None:
    rows = list(db.query("SELECT * FROM vacancy_sites WHERE ref = ?", [ref.strip()]))
    return _site(rows[0]) if rows else None


def insert(db: sqlite_utils.Database, row: dict) -> int:
    """Insert with its reference L-<id>; needs the write lock (max(id) + 1)."""
    assert db.conn.in_transaction, "insert() needs write_transaction()"
    new_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM vacancy_sites").fetchone()[0]
    db["vacancy_sites"].insert({**row, "id": new_id, "ref": f"L-{new_id:05d}"})
    return new_id


def owner(db: sqlite_utils.Database, site_id: int) -> Owner:
    rows = list(db.query("SELECT * FROM vacancy_owners WHERE site_id = ?", [site_id]))
    if not rows:
        return Owner()
    return Owner(rows[0]["name"], rows[0]["contact"], rows[0]["note"])


def owners(db: sqlite_utils.Database) -> dict[int, Owner]:
    return {
        row["site_id"]: Owner(row["name"], row["contact"], row["note"])
        for row in db.query("SELECT * FROM vacancy_owners")
    }


def save_owner(db: sqlite_utils.Database, site_id: int, value: Owner, stamp: str) -> None:
    if value.empty:
        db.execute("DELETE FROM vacancy_owners WHERE site_id = ?", [site_id])
        return
    db["vacancy_owners"].upsert(
        {
            "site_id": site_id,
            "name": value.name,
            "contact": value.contact,
            "note": value.note,
            "updated_at": stamp,
        },
        pk="site_id",
    )


def add_history(db: sqlite_utils.Database, row: dict) -> None:
    db["vacancy_history"].insert(
        {
            **row,
            "changes": json.dumps(row["changes"], ensure_ascii=False),
            "snapshot": json.dumps(row["snapshot"], ensure_ascii=False),
        }
    )


def history(db: sqlite_utils.Database, site_id: int) -> list[dict]:
    rows = db.query(
        "SELECT * FROM vacancy_history WHERE site_id = ? ORDER BY version DESC", [site_id]
    )
    return [{**row, "changes": json.loads(row["changes"])} for row in rows]


def version(db: sqlite_utils.Database) -> tuple:
    """Changes with every change to a site: each one writes a history row in its transaction
    (owner data, which no cached figure shows, included). Index lookups only."""
    newest = db.execute("SELECT max(id), count(*) FROM vacancy_history").fetchone()
    path = db.execute("PRAGMA database_list").fetchone()[2]
    return (path, *newest)


def snapshots_as_of(db: sqlite_utils.Database, day: str) -> list[dict]:
    """Each site's public fields as they were at the end of `day` (ISO date)."""
    sql = """
        SELECT h.site_id, h.snapshot FROM vacancy_history h
        JOIN (
            SELECT site_id, max(version) AS version FROM vacancy_history
            WHERE at < date(?, '+1 day') GROUP BY site_id
        ) last ON last.site_id = h.site_id AND last.version = h.version
        ORDER BY h.site_id
    """
    return [{"id": row["site_id"], **json.loads(row["snapshot"])} for row in db.query(sql, [day])]


def interests(db: sqlite_utils.Database, municipality_ags: str | None) -> list[dict]:
    where, params = (
        ("WHERE i.municipality_ags = ?", [municipality_ags]) if municipality_ags else ("", [])
    )
    sql = (
        "SELECT i.*, s.ref FROM vacancy_interests i JOIN vacancy_sites s ON s.id = i.site_id "
        f"{where} ORDER BY i.id DESC"
    )
    return [dict(row) for row in db.query(sql, params)]
