"""SQL for suggestions only. Contacts and photos are separate tables, read only where needed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from allianz.suggestions.model import CLOSED, Reporter, Status, Suggestion

_COLUMNS = (
    "s.id, s.ref, s.category, s.title, s.description, s.lat, s.lon, s.location_precise, "
    "s.address_text, s.municipality_ags, s.status, s.public_answer, s.supports, s.hidden, "
    "s.hidden_reason, s.merged_into, s.source, s.created_at, s.updated_at, s.first_answer_at, "
    "(p.suggestion_id IS NOT NULL) AS has_photo"
)
_FROM = "suggestions s LEFT JOIN suggestion_photos p ON p.suggestion_id = s.id"


def _suggestion(row) -> Suggestion:
    data = dict(row)
    data["status"] = Status(data["status"])
    for flag in ("location_precise", "hidden", "has_photo"):
        data[flag] = bool(data[flag])
    return Suggestion(**data)


def insert(db: sqlite_utils.Database, row: dict) -> int:
    """Insert with its public reference number H-<year>-<id>.

    Must run inside a write transaction: the write lock makes max(id) + 1 safe.
    """
    assert db.conn.in_transaction, "insert() needs write_transaction()"
    new_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM suggestions").fetchone()[0]
    ref = f"H-{row['created_at'][:4]}-{new_id:05d}"
    db["suggestions"].insert({**row, "id": new_id, "ref": ref})
    return new_id


def get(db: sqlite_utils.Database, suggestion_id: int) -> Suggestion | None:
    rows = list(db.query(f"SELECT {_COLUMNS} FROM {_FROM} WHERE s.id = ?", [suggestion_id]))
    return _suggestion(rows[0]) if rows else None


def by_ref(db: sqlite_utils.Database, ref: str) -> Suggestion | None:
    rows = list(db.query(f"SELECT {_COLUMNS} FROM {_FROM} WHERE s.ref = ?", [ref.strip()]))
    return _suggestion(rows[0]) if rows else None


@dataclass(frozen=True)
class Filters:
    municipality_ags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[Status, ...] = ()
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    include_hidden: bool = False
    include_merged: bool = False


def _where(filters: Filters) -> tuple[str, list]:
    where, params = [], []
    for column, values in (
        ("s.municipality_ags", filters.municipality_ags),
        ("s.category", filters.categories),
        ("s.status", tuple(str(v) for v in filters.statuses)),
    ):
        if values:
            where.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    if filters.since:
        where.append("s.created_at >= ?")
        params.append(filters.since)
    if filters.until:
        # The day after, computed here: SQLite's date('9999-12-31', '+1 day') is NULL and
        # would match nothing; the last representable day simply has no upper bound.
        last = date.fromisoformat(filters.until[:10])
        if last < date.max:
            where.append("s.created_at < ?")
            params.append((last + timedelta(days=1)).isoformat())
    if not filters.include_hidden:
        where.append("s.hidden = 0")
    if not filters.include_merged:
        where.append("s.merged_into IS NULL")
    return (" WHERE " + " AND ".join(where) if where else ""), params


def search(
    db: sqlite_utils.Database, filters: Filters, limit: int | None = None, offset: int = 0
) -> list:
    """Newest first; `limit`/`offset` page through large result sets in SQL."""
    where, params = _where(filters)
    sql = f"SELECT {_COLUMNS} FROM {_FROM}{where} ORDER BY s.created_at DESC, s.id DESC"
    if limit:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return [_suggestion(r) for r in db.query(sql, params)]


def version(db: sqlite_utils.Database) -> tuple:
    """Changes whenever a suggestion is added (new id) or changed (every change leaves an
    audit row in its transaction); index lookups only."""
    newest = db.execute("SELECT max(id) FROM suggestions").fetchone()[0]
    audited = db.execute("SELECT max(id) FROM audit WHERE entity = 'suggestion'").fetchone()[0]
    path = db.execute("PRAGMA database_list").fetchone()[2]
    return (path, newest, audited)


def supportable_refs(db: sqlite_utils.Database) -> list[str]:
    """Numbers of the suggestions a citizen can support (open, shown, not merged), oldest
    first: what the load benchmark and its test hand out to simulated citizens."""
    marks = ",".join("?" * len(CLOSED))
    return [
        row[0]
        for row in db.execute(
            f"SELECT ref FROM suggestions WHERE status NOT IN ({marks}) "  # noqa: S608 - marks only
            "AND hidden = 0 AND merged_into IS NULL ORDER BY id",
            [str(s) for s in CLOSED],
        )
    ]


def map_version(db: sqlite_utils.Database) -> tuple:
    """Like `version`, but a support does not count: the map shows place, number and status,
    none of which a support changes. Under load every support invalidated the 50.000-point
    layer, and every session rebuilt it (63 % of a process's time at 100 citizens)."""
    newest = db.execute("SELECT max(id) FROM suggestions").fetchone()[0]
    changed = db.execute(
        "SELECT id FROM audit WHERE entity = 'suggestion' AND action <> 'suggestion.support' "
        "ORDER BY id DESC LIMIT 1"  # walks the (entity, id) index back to the newest change
    ).fetchone()
    path = db.execute("PRAGMA database_list").fetchone()[2]
    return (path, newest, changed[0] if changed else None)


def summary_counts(
    db: sqlite_utils.Database, since: date, until: date, late: date, open_statuses: tuple
) -> tuple[dict[str, dict], dict[str, list[float]], dict[tuple[str, str], int]]:
    """Per member: counts by outcome, days to the first answer, counts per category, for the
    visible suggestions created from `since` to `until` (open ones older than `late` stale)."""
    params = [since.isoformat(), until.isoformat()]
    base = (
        "FROM suggestions WHERE hidden = 0 AND merged_into IS NULL "
        "AND created_at >= ? AND created_at < date(?, '+1 day')"
    )
    counts = {
        row["municipality_ags"]: row
        for row in db.query(
            "SELECT municipality_ags, count(*) AS new, "
            f"sum(status IN {open_statuses}) AS open, "
            "sum(status = 'done') AS done, sum(status = 'declined') AS declined, "
            f"sum(status IN {open_statuses} AND created_at < ?) AS stale "
            f"{base} GROUP BY municipality_ags",
            [late.isoformat(), *params],
        )
    }
    waits: dict[str, list[float]] = {}
    for row in db.query(
        "SELECT municipality_ags, julianday(first_answer_at) - julianday(created_at) AS days "
        f"{base} AND first_answer_at IS NOT NULL",
        params,
    ):
        waits.setdefault(row["municipality_ags"], []).append(row["days"])
    by_category = {
        (row["municipality_ags"], row["category"]): row["n"]
        for row in db.query(
            f"SELECT municipality_ags, category, count(*) AS n {base} "
            "GROUP BY municipality_ags, category",
            params,
        )
    }
    return counts, waits, by_category


def count(db: sqlite_utils.Database, filters: Filters) -> int:
    where, params = _where(filters)
    return db.execute(f"SELECT count(*) FROM suggestions s{where}", params).fetchone()[0]


def map_rows(db: sqlite_utils.Database, filters: Filters) -> list[tuple]:
    """What the overview map needs, and nothing else: (lat, lon, ref, status, title, category)."""
    where, params = _where(filters)
    sql = (
        "SELECT round(s.lat, 5), round(s.lon, 5), s.ref, s.status, s.title, s.category "
        f"FROM suggestions s{where}"
    )
    return db.execute(sql, params).fetchall()


def in_box(db: sqlite_utils.Database, category: str, lat: float, lon: float, metres: float):
    """Candidates in a lat/lon box around a point; callers measure the exact distance."""
    dlat = metres / 111_000
    dlon = metres / (111_000 * max(math.cos(math.radians(lat)), 0.01))
    rows = db.query(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE s.category = ? AND s.hidden = 0 "
        "AND s.merged_into IS NULL AND s.lat BETWEEN ? AND ? AND s.lon BETWEEN ? AND ?",
        [category, lat - dlat, lat + dlat, lon - dlon, lon + dlon],
    )
    return [_suggestion(r) for r in rows]


def update(db: sqlite_utils.Database, suggestion_id: int, values: dict) -> None:
    db["suggestions"].update(suggestion_id, values)


def add_supports(db: sqlite_utils.Database, suggestion_id: int, count: int) -> None:
    db.execute(
        "UPDATE suggestions SET supports = supports + ? WHERE id = ?", [count, suggestion_id]
    )


def save_reporter(db: sqlite_utils.Database, suggestion_id: int, who: Reporter, at: str) -> None:
    """The private side of a suggestion; empty fields are stored as NULL."""
    db["suggestion_contacts"].insert(
        {
            "suggestion_id": suggestion_id,
            "email": who.email or None,
            "first_name": who.first_name or None,
            "last_name": who.last_name or None,
            "phone": who.phone or None,
            "media_url": who.media_url or None,
            "consent_at": at,
        }
    )


def reporter(db: sqlite_utils.Database, suggestion_id: int) -> Reporter | None:
    rows = list(
        db.query(
            "SELECT email, first_name, last_name, phone, media_url FROM suggestion_contacts "
            "WHERE suggestion_id = ?",
            [suggestion_id],
        )
    )
    return Reporter(**{k: v or "" for k, v in rows[0].items()}) if rows else None


def contact_email(db: sqlite_utils.Database, suggestion_id: int) -> str | None:
    row = db.execute(
        "SELECT email FROM suggestion_contacts WHERE suggestion_id = ?", [suggestion_id]
    ).fetchone()
    return row[0] if row else None


def save_photo(db: sqlite_utils.Database, suggestion_id: int, jpeg: bytes, w: int, h: int) -> None:
    db["suggestion_photos"].insert(
        {"suggestion_id": suggestion_id, "jpeg": jpeg, "width": w, "height": h}
    )


def photo(db: sqlite_utils.Database, suggestion_id: int) -> bytes | None:
    row = db.execute(
        "SELECT jpeg FROM suggestion_photos WHERE suggestion_id = ?", [suggestion_id]
    ).fetchone()
    return row[0] if row else None
