"""SQL for the job board's table only."""

from __future__ import annotations

import sqlite_utils

from allianz.jobs.model import Filters, Kind, Posting, State

TABLE = "job_postings"
_COLUMNS = (
    "id, municipality_ags, title, kind, pay_grade, part_time, hours_per_week, starts_on, "
    "valid_through, workplace, description, apply_text, apply_url, apply_email, contact_name, "
    "contact_phone, contact_email, state, withdrawn_reason, reminded_at, created_by, "
    "created_at, updated_at"
)


def _posting(row) -> Posting:
    values = list(row)
    values[3] = Kind(values[3])
    values[5] = bool(values[5])
    values[17] = State(values[17])
    return Posting(*values)


def insert(db: sqlite_utils.Database, row: dict) -> int:
    return db[TABLE].insert(row).last_pk


def update(db: sqlite_utils.Database, posting_id: int, values: dict) -> None:
    db[TABLE].update(posting_id, values)


def total(db: sqlite_utils.Database) -> int:
    return db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]


def get(db: sqlite_utils.Database, posting_id: int) -> Posting | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM {TABLE} WHERE id = ?", [posting_id]).fetchone()
    return _posting(row) if row else None


def _where(filters: Filters, today: str, archive: bool) -> tuple[str, list]:
    clauses = ["state = ?", "valid_through < ?" if archive else "valid_through >= ?"]
    params: list = [State.OPEN.value, today]
    if filters.municipality:
        clauses.append("municipality_ags = ?")
        params.append(filters.municipality)
    if filters.kind is not None:
        clauses.append("kind = ?")
        params.append(filters.kind.value)
    if filters.part_time is not None:
        clauses.append("part_time = ?")
        params.append(int(filters.part_time))
    if filters.year is not None:
        clauses.append("valid_through BETWEEN ? AND ?")
        params += [f"{filters.year:04d}-01-01", f"{filters.year:04d}-12-31"]
    return " AND ".join(clauses), params


def listing(
    db: sqlite_utils.Database,
    filters: Filters,
    today: str,
    *,
    archive: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[Posting]:
    """Open postings (deadline today or later), newest first; or the archive (deadline
    passed), latest deadline first."""
    where, params = _where(filters, today, archive)
    order = "valid_through DESC, id DESC" if archive else "created_at DESC, id DESC"
    sql = f"SELECT {_COLUMNS} FROM {TABLE} WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [_posting(r) for r in db.execute(sql, params)]


def count(db: sqlite_utils.Database, filters: Filters, today: str, *, archive: bool) -> int:
    where, params = _where(filters, today, archive)
    return db.execute(f"SELECT count(*) FROM {TABLE} WHERE {where}", params).fetchone()[0]


def archive_years(db: sqlite_utils.Database, today: str) -> list[int]:
    sql = (
        f"SELECT DISTINCT substr(valid_through, 1, 4) FROM {TABLE} "
        "WHERE state = ? AND valid_through < ? ORDER BY 1 DESC"
    )
    return [int(y) for (y,) in db.execute(sql, [State.OPEN.value, today])]


def of_member(db: sqlite_utils.Database, ags: str | None, limit: int = 500) -> list[Posting]:
    """Every posting of one member (all members for None), newest first."""
    if ags is None:
        sql = f"SELECT {_COLUMNS} FROM {TABLE} ORDER BY created_at DESC, id DESC LIMIT ?"
        return [_posting(r) for r in db.execute(sql, [limit])]
    sql = (
        f"SELECT {_COLUMNS} FROM {TABLE} WHERE municipality_ags = ? "
        "ORDER BY created_at DESC, id DESC LIMIT ?"
    )
    return [_posting(r) for r in db.execute(sql, [ags, limit])]


def poster_id(db: sqlite_utils.Database, posting_id: int) -> int | None:
    row = db.execute(f"SELECT created_by_id FROM {TABLE} WHERE id = ?", [posting_id]).fetchone()
    return row[0] if row else None


def due_for_reminder(db: sqlite_utils.Database, today: str, until: str) -> list[Posting]:
    """Open postings not yet reminded whose deadline lies in [today, until]."""
    sql = (
        f"SELECT {_COLUMNS} FROM {TABLE} WHERE state = ? AND reminded_at IS NULL "
        "AND valid_through BETWEEN ? AND ? ORDER BY valid_through, id"
    )
    return [_posting(r) for r in db.execute(sql, [State.OPEN.value, today, until])]


def ending_between(db: sqlite_utils.Database, ags: str, first: str, last: str) -> list[Posting]:
    sql = (
        f"SELECT {_COLUMNS} FROM {TABLE} WHERE municipality_ags = ? AND state = ? "
        "AND valid_through BETWEEN ? AND ? ORDER BY valid_through, id"
    )
    return [_posting(r) for r in db.execute(sql, [ags, State.OPEN.value, first, last])]


def open_per_member(db: sqlite_utils.Database, today: str) -> dict[str, int]:
    sql = (
        f"SELECT municipality_ags, count(*) FROM {TABLE} WHERE state = ? AND valid_through >= ? "
        "GROUP BY municipality_ags"
    )
    return dict(db.execute(sql, [State.OPEN.value, today]).fetchall())


def posted_per_member(db: sqlite_utils.Database, since: str, until: str) -> dict[str, int]:
    """Postings created in [since, until) (UTC ISO), withdrawn ones included."""
    sql = (
        f"SELECT municipality_ags, count(*) FROM {TABLE} WHERE created_at >= ? AND created_at < ? "
        "GROUP BY municipality_ags"
    )
    return dict(db.execute(sql, [since, until]).fetchall())
