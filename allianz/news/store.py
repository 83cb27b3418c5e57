"""SQL for the news tables only. The public list is one indexed query with LIMIT/OFFSET and a
count, so a page of 20 costs the same with 50 or 5.000 items."""

from __future__ import annotations

import sqlite_utils

from allianz.news.model import NewsItem, State

_COLUMNS = (
    "id, municipality_ags, handlungsfeld, title, teaser, body, has_image, publish_from, "
    "publish_until, state, review_note, visible_from, published_at, author_id, author, "
    "by_office, is_demo, created_at, updated_at"
)


def _item(row) -> NewsItem:
    values = list(row)
    values[6] = bool(values[6])
    values[9] = State(values[9])
    values[15] = bool(values[15])
    values[16] = bool(values[16])
    return NewsItem(*values)


def insert(db: sqlite_utils.Database, row: dict) -> int:
    return db["news_items"].insert(row).last_pk


def update(db: sqlite_utils.Database, item_id: int, values: dict) -> None:
    db["news_items"].update(item_id, values)


def get(db: sqlite_utils.Database, item_id: int) -> NewsItem | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM news_items WHERE id = ?", [item_id]).fetchone()
    return _item(row) if row else None


def _public_where(
    now: str, municipality: str | None, alliance_only: bool, topic: int | None
) -> tuple[str, list]:
    """Published, inside the window; a member's filter includes the whole alliance's items."""
    where = [
        "state = 'published'",
        "visible_from <= ?",
        "(publish_until IS NULL OR publish_until > ?)",
    ]
    params: list = [now, now]
    if alliance_only:
        where.append("municipality_ags IS NULL")
    elif municipality:
        where.append("(municipality_ags = ? OR municipality_ags IS NULL)")
        params.append(municipality)
    if topic is not None:
        where.append("handlungsfeld = ?")
        params.append(topic)
    return " AND ".join(where), params


def public(
    db: sqlite_utils.Database,
    now: str,
    *,
    municipality: str | None = None,
    alliance_only: bool = False,
    topic: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[NewsItem]:
    """Newest first."""
    where, params = _public_where(now, municipality, alliance_only, topic)
    # the page's ids from the covering index first: skipped rows never load their text
    sql = (
        f"SELECT {_COLUMNS} FROM news_items WHERE id IN (SELECT id FROM news_items WHERE "
        f"{where} ORDER BY visible_from DESC, id DESC LIMIT ? OFFSET ?) "
        "ORDER BY visible_from DESC, id DESC"
    )
    return [_item(r) for r in db.execute(sql, [*params, limit, offset])]


def public_count(
    db: sqlite_utils.Database,
    now: str,
    *,
    municipality: str | None = None,
    alliance_only: bool = False,
    topic: int | None = None,
) -> int:
    where, params = _public_where(now, municipality, alliance_only, topic)
    return db.execute(f"SELECT count(*) FROM news_items WHERE {where}", params).fetchone()[0]


def _desk_where(municipality: str | None) -> tuple[str, list]:
    if municipality is None:
        return "", []
    return "WHERE municipality_ags = ? AND NOT by_office", [municipality]


def desk(
    db: sqlite_utils.Database, municipality: str | None, limit: int = 50, offset: int = 0
) -> list[NewsItem]:
    """A member's items (municipality given) or every item (None), last changed first."""
    clause, params = _desk_where(municipality)
    sql = (
        f"SELECT {_COLUMNS} FROM news_items {clause} ORDER BY updated_at DESC, id DESC "
        "LIMIT ? OFFSET ?"
    )
    return [_item(r) for r in db.execute(sql, [*params, limit, offset])]


def desk_count(db: sqlite_utils.Database, municipality: str | None) -> int:
    clause, params = _desk_where(municipality)
    return db.execute(f"SELECT count(*) FROM news_items {clause}", params).fetchone()[0]


def open_for(db: sqlite_utils.Database, municipality: str, limit: int = 20) -> list[NewsItem]:
    """A member's items the office returned with a note, and those waiting for review."""
    sql = (
        f"SELECT {_COLUMNS} FROM news_items WHERE municipality_ags = ? AND NOT by_office AND "
        "(state = 'submitted' OR (state = 'draft' AND review_note != '')) "
        "ORDER BY updated_at, id LIMIT ?"
    )
    return [_item(r) for r in db.execute(sql, [municipality, limit])]


def submitted(db: sqlite_utils.Database) -> list[NewsItem]:
    """The office's review queue, oldest first."""
    sql = f"SELECT {_COLUMNS} FROM news_items WHERE state = 'submitted' ORDER BY updated_at, id"
    return [_item(r) for r in db.execute(sql)]


def image(db: sqlite_utils.Database, item_id: int) -> tuple[bytes, int, int] | None:
    row = db.execute(
        "SELECT jpeg, width, height FROM news_images WHERE news_id = ?", [item_id]
    ).fetchone()
    return (bytes(row[0]), row[1], row[2]) if row else None


def image_size(db: sqlite_utils.Database, item_id: int) -> int:
    row = db.execute("SELECT length(jpeg) FROM news_images WHERE news_id = ?", [item_id]).fetchone()
    return row[0] if row else 0


def set_image(db: sqlite_utils.Database, item_id: int, jpeg: bytes, width: int, height: int):
    db.execute(
        "INSERT OR REPLACE INTO news_images (news_id, jpeg, width, height) VALUES (?, ?, ?, ?)",
        [item_id, jpeg, width, height],
    )


def remove_image(db: sqlite_utils.Database, item_id: int) -> None:
    db.execute("DELETE FROM news_images WHERE news_id = ?", [item_id])


def published_between(db: sqlite_utils.Database, since: str, until: str) -> list[tuple]:
    """(municipality_ags, by_office) of the items that became visible in [since, until)."""
    sql = (
        "SELECT municipality_ags, by_office FROM news_items WHERE state = 'published' "
        "AND visible_from >= ? AND visible_from < ?"
    )
    return [tuple(r) for r in db.execute(sql, [since, until])]


def waiting_by_place(db: sqlite_utils.Database) -> list[tuple]:
    sql = (
        "SELECT municipality_ags, count(*) FROM news_items WHERE state = 'submitted' "
        "GROUP BY municipality_ags"
    )
    return [tuple(r) for r in db.execute(sql)]


def by_author(db: sqlite_utils.Database, ids: list[int]) -> list[dict]:
    marks = ", ".join("?" * len(ids))
    sql = (
        "SELECT id, title, state, author, created_at, updated_at FROM news_items "
        f"WHERE author_id IN ({marks}) ORDER BY created_at"
    )
    return [dict(r) for r in db.query(sql, ids)]


def forget_author(db: sqlite_utils.Database, ids: list[int], replacement: str) -> int:
    marks = ", ".join("?" * len(ids))
    sql = f"UPDATE news_items SET author_id = NULL, author = ? WHERE author_id IN ({marks})"
    return db.execute(sql, [replacement, *ids]).rowcount
