"""SQL for workshops. Contacts (e-mails) and photo bytes are read only where needed."""

from __future__ import annotations

import json

import sqlite_utils

from allianz.workshops.model import Card, Phase, TopicTable, Workshop

_CARD_COLUMNS = """
    c.id, c.workshop_id, c.table_id, c.text, c.round, c.tags, c.municipality_ags, c.ortsteil,
    c.lat, c.lon, c.origin, c.handlungsfeld, c.host_dots,
    coalesce(v.device_dots, 0) AS device_dots, coalesce(v.online_dots, 0) AS online_dots,
    c.hidden, c.hidden_reason, c.created_by, c.created_at
"""
_VOTES = """
    LEFT JOIN (
        SELECT card_id,
               sum(CASE WHEN origin = 'device' THEN dots ELSE 0 END) AS device_dots,
               sum(CASE WHEN origin = 'online' THEN dots ELSE 0 END) AS online_dots
        FROM workshop_votes GROUP BY card_id
    ) v ON v.card_id = c.id
"""


def _workshop(row: dict, tables: tuple[TopicTable, ...]) -> Workshop:
    data = dict(row)
    data["phase"] = Phase(data["phase"])
    data["is_demo"] = bool(data["is_demo"])
    return Workshop(**data, tables=tables)


def _card(row) -> Card:
    data = dict(row)
    data["tags"] = tuple(json.loads(data["tags"]))
    data["hidden"] = bool(data["hidden"])
    return Card(**data)


def tables_of(db: sqlite_utils.Database, workshop_id: int) -> tuple[TopicTable, ...]:
    rows = db.query(
        "SELECT * FROM workshop_tables WHERE workshop_id = ? ORDER BY position, id", [workshop_id]
    )
    return tuple(TopicTable(**row) for row in rows)


def get(db: sqlite_utils.Database, workshop_id: int) -> Workshop | None:
    rows = list(db.query("SELECT * FROM workshops WHERE id = ?", [workshop_id]))
    return _workshop(rows[0], tables_of(db, workshop_id)) if rows else None


def all_workshops(db: sqlite_utils.Database) -> list[Workshop]:
    """Newest first, each with its tables (two queries, whatever the number of workshops)."""
    tables: dict[int, list[TopicTable]] = {}
    for row in db.query("SELECT * FROM workshop_tables ORDER BY workshop_id, position, id"):
        tables.setdefault(row["workshop_id"], []).append(TopicTable(**row))
    rows = db.query("SELECT * FROM workshops ORDER BY starts_at DESC, id DESC")
    return [_workshop(row, tuple(tables.get(row["id"], ()))) for row in rows]


def cards(
    db: sqlite_utils.Database, workshop_id: int, *, include_hidden: bool = False
) -> list[Card]:
    hidden = "" if include_hidden else "AND c.hidden = 0"
    sql = (
        f"SELECT {_CARD_COLUMNS} FROM workshop_cards c {_VOTES} "
        f"WHERE c.workshop_id = ? {hidden} ORDER BY c.id"
    )
    return [_card(row) for row in db.query(sql, [workshop_id])]


def card(db: sqlite_utils.Database, card_id: int) -> Card | None:
    sql = f"SELECT {_CARD_COLUMNS} FROM workshop_cards c {_VOTES} WHERE c.id = ?"
    rows = list(db.query(sql, [card_id]))
    return _card(rows[0]) if rows else None


def table_totals(db: sqlite_utils.Database) -> dict[int, tuple[int, int]]:
    """(visible cards, dots) per topic table of every workshop, in one aggregate query."""
    sql = f"""
        SELECT c.table_id, count(*), sum(c.host_dots + coalesce(v.device_dots, 0)
                                         + coalesce(v.online_dots, 0))
        FROM workshop_cards c {_VOTES} WHERE c.hidden = 0 GROUP BY c.table_id
    """
    return {row[0]: (row[1], row[2] or 0) for row in db.execute(sql).fetchall()}


def card_counts(db: sqlite_utils.Database) -> dict[int, int]:
    """Visible cards per workshop."""
    sql = "SELECT workshop_id, count(*) FROM workshop_cards WHERE hidden = 0 GROUP BY workshop_id"
    return dict(db.execute(sql).fetchall())


def photos(db: sqlite_utils.Database, workshop_id: int) -> list[dict]:
    sql = "SELECT * FROM workshop_photos WHERE workshop_id = ? ORDER BY id"
    return [dict(row) for row in db.query(sql, [workshop_id])]


def contacts(db: sqlite_utils.Database, workshop_id: int) -> list[dict]:
    sql = "SELECT id, email, consent_at FROM workshop_contacts WHERE workshop_id = ? ORDER BY id"
    return [dict(row) for row in db.query(sql, [workshop_id])]


def has_voter(db: sqlite_utils.Database, workshop_id: int, marks: list[str]) -> bool:
    """Whether any of these voter marks (salted hashes) cast an online ballot here."""
    sql = "SELECT 1 FROM workshop_voters WHERE workshop_id = ? AND voter = ?"
    return any(db.execute(sql, [workshop_id, mark]).fetchone() for mark in marks)


def add_voter(db: sqlite_utils.Database, workshop_id: int, marks: list[str], until: str) -> None:
    sql = "INSERT OR IGNORE INTO workshop_voters (workshop_id, voter, until) VALUES (?, ?, ?)"
    for mark in marks:
        db.execute(sql, [workshop_id, mark, until])


def forget_voters(
    db: sqlite_utils.Database, *, workshop_id: int | None = None, before: str | None = None
) -> None:
    """Delete the voter marks of one workshop, or those whose online phase ended `before`."""
    if workshop_id is not None:
        db.execute("DELETE FROM workshop_voters WHERE workshop_id = ?", [workshop_id])
    if before is not None:
        db.execute("DELETE FROM workshop_voters WHERE until < ?", [before])
