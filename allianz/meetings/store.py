"""SQL for meetings. Document bytes are read only when a document is downloaded."""

from __future__ import annotations

import json
from datetime import datetime

import sqlite_utils

from allianz.meetings.model import (
    Appointment,
    Comment,
    Document,
    Item,
    Link,
    Meeting,
    PressEntry,
)


def _meeting(row: dict, items: tuple[Item, ...]) -> Meeting:
    data = dict(row)
    data["starts_at"] = datetime.fromisoformat(data["starts_at"])
    data["ends_at"] = datetime.fromisoformat(data["ends_at"])
    data["public"] = bool(data["public"])
    data["is_demo"] = bool(data["is_demo"])
    return Meeting(**data, items=items)


def _items(db: sqlite_utils.Database, meeting_ids: list[int]) -> dict[int, list[Item]]:
    if not meeting_ids:
        return {}
    marks = ", ".join("?" * len(meeting_ids))
    links: dict[int, list[Link]] = {}
    sql = (
        "SELECT l.item_id, l.kind, l.target FROM meeting_item_links l "
        f"JOIN meeting_items i ON i.id = l.item_id WHERE i.meeting_id IN ({marks}) "
        "ORDER BY l.kind, l.target"
    )
    for row in db.query(sql, meeting_ids):
        links.setdefault(row["item_id"], []).append(Link(row["kind"], row["target"], ""))
    items: dict[int, list[Item]] = {}
    sql = f"SELECT * FROM meeting_items WHERE meeting_id IN ({marks}) ORDER BY position, id"
    for row in db.query(sql, meeting_ids):
        data = dict(row)
        data["public"] = bool(data["public"])
        items.setdefault(data["meeting_id"], []).append(
            Item(**data, links=tuple(links.get(data["id"], ())))
        )
    return items


def get(db: sqlite_utils.Database, meeting_id: int) -> Meeting | None:
    rows = list(db.query("SELECT * FROM meetings WHERE id = ?", [meeting_id]))
    if not rows:
        return None
    return _meeting(rows[0], tuple(_items(db, [meeting_id]).get(meeting_id, ())))


def between(db: sqlite_utils.Database, start: str | None, end: str | None) -> list[Meeting]:
    """Meetings starting in [start, end) (UTC ISO; None = open), earliest first, with items."""
    rows = [
        dict(r)
        for r in db.query(
            "SELECT * FROM meetings WHERE (:start IS NULL OR starts_at >= :start) "
            "AND (:end IS NULL OR starts_at < :end) ORDER BY starts_at, id",
            {"start": start, "end": end},
        )
    ]
    items = _items(db, [r["id"] for r in rows])
    return [_meeting(r, tuple(items.get(r["id"], ()))) for r in rows]


def get_row(db: sqlite_utils.Database, meeting_id: int) -> dict:
    return dict(next(iter(db.query("SELECT * FROM meetings WHERE id = ?", [meeting_id]))))


def insert_meeting(db: sqlite_utils.Database, row: dict) -> int:
    return db["meetings"].insert(row).last_pk


def update_meeting(db: sqlite_utils.Database, meeting_id: int, values: dict) -> None:
    db["meetings"].update(meeting_id, values)


def insert_item(db: sqlite_utils.Database, row: dict) -> int:
    return db["meeting_items"].insert(row).last_pk


def update_item(db: sqlite_utils.Database, item_id: int, values: dict) -> None:
    db["meeting_items"].update(item_id, values)


def delete_item(db: sqlite_utils.Database, item_id: int) -> None:
    db.execute("DELETE FROM meeting_items WHERE id = ?", [item_id])


def item(db: sqlite_utils.Database, item_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM meeting_items WHERE id = ?", [item_id]))
    return rows[0] if rows else None


def next_position(db: sqlite_utils.Database, meeting_id: int) -> int:
    sql = "SELECT coalesce(max(position), 0) + 1 FROM meeting_items WHERE meeting_id = ?"
    return db.execute(sql, [meeting_id]).fetchone()[0]


def renumber(db: sqlite_utils.Database, meeting_id: int, order: list[int]) -> None:
    for position, item_id in enumerate(order, start=1):
        db.execute(
            "UPDATE meeting_items SET position = ? WHERE id = ? AND meeting_id = ?",
            [position, item_id, meeting_id],
        )


def add_link(db: sqlite_utils.Database, item_id: int, kind: str, target: str) -> bool:
    cursor = db.execute(
        "INSERT OR IGNORE INTO meeting_item_links (item_id, kind, target) VALUES (?, ?, ?)",
        [item_id, kind, target],
    )
    return cursor.rowcount == 1


def remove_link(db: sqlite_utils.Database, item_id: int, kind: str, target: str) -> bool:
    cursor = db.execute(
        "DELETE FROM meeting_item_links WHERE item_id = ? AND kind = ? AND target = ?",
        [item_id, kind, target],
    )
    return cursor.rowcount == 1


def item_links(db: sqlite_utils.Database, item_id: int) -> list[tuple[str, str]]:
    sql = "SELECT kind, target FROM meeting_item_links WHERE item_id = ?"
    return [(r["kind"], r["target"]) for r in db.query(sql, [item_id])]


def items_linked_to(db: sqlite_utils.Database, kind: str, target: str) -> list[tuple[int, int]]:
    """(meeting id, item id) of every agenda item linked to this object."""
    sql = (
        "SELECT i.meeting_id, i.id FROM meeting_item_links l JOIN meeting_items i "
        "ON i.id = l.item_id WHERE l.kind = ? AND l.target = ? ORDER BY i.meeting_id, i.position"
    )
    return [(r["meeting_id"], r["id"]) for r in db.query(sql, [kind, target])]


# --- invitations and answers ------------------------------------------------------------------


def invitees(db: sqlite_utils.Database, meeting_id: int) -> list[tuple[str, str]]:
    sql = "SELECT kind, value FROM meeting_invitees WHERE meeting_id = ? ORDER BY kind, value"
    return [(r["kind"], r["value"]) for r in db.query(sql, [meeting_id])]


def replace_invitees(
    db: sqlite_utils.Database, meeting_id: int, invitees: list[tuple[str, str]]
) -> None:
    db.execute("DELETE FROM meeting_invitees WHERE meeting_id = ?", [meeting_id])
    db["meeting_invitees"].insert_all(
        {"meeting_id": meeting_id, "kind": k, "value": v} for k, v in invitees
    )


def add_participants(db: sqlite_utils.Database, meeting_id: int, user_ids: list[int]) -> int:
    before = db.execute(
        "SELECT count(*) FROM meeting_participants WHERE meeting_id = ?", [meeting_id]
    ).fetchone()[0]
    for user_id in user_ids:
        db.execute(
            "INSERT OR IGNORE INTO meeting_participants (meeting_id, user_id) VALUES (?, ?)",
            [meeting_id, user_id],
        )
    after = db.execute(
        "SELECT count(*) FROM meeting_participants WHERE meeting_id = ?", [meeting_id]
    ).fetchone()[0]
    return after - before


def participants(db: sqlite_utils.Database, meeting_id: int) -> list[dict]:
    sql = (
        "SELECT user_id, answer, answered_at, attended FROM meeting_participants "
        "WHERE meeting_id = ? ORDER BY user_id"
    )
    return [dict(r) for r in db.query(sql, [meeting_id])]


def is_participant(db: sqlite_utils.Database, meeting_id: int, user_id: int) -> bool:
    sql = "SELECT 1 FROM meeting_participants WHERE meeting_id = ? AND user_id = ?"
    return db.execute(sql, [meeting_id, user_id]).fetchone() is not None


def meetings_of(db: sqlite_utils.Database, user_id: int) -> set[int]:
    sql = "SELECT meeting_id FROM meeting_participants WHERE user_id = ?"
    return {r["meeting_id"] for r in db.query(sql, [user_id])}


def set_answer(
    db: sqlite_utils.Database, meeting_id: int, user_id: int, answer: str, at: str
) -> None:
    db.execute(
        "UPDATE meeting_participants SET answer = ?, answered_at = ? "
        "WHERE meeting_id = ? AND user_id = ?",
        [answer, at, meeting_id, user_id],
    )


def set_attendance(db: sqlite_utils.Database, meeting_id: int, present: set[int]) -> None:
    db.execute(
        "UPDATE meeting_participants SET attended = (user_id IN (SELECT value FROM json_each(?))) "
        "WHERE meeting_id = ?",
        [json.dumps(sorted(present)), meeting_id],
    )


def attendance(db: sqlite_utils.Database, meeting_ids: list[int]) -> dict[int, int]:
    if not meeting_ids:
        return {}
    marks = ", ".join("?" * len(meeting_ids))
    sql = (
        "SELECT meeting_id, count(*) AS n FROM meeting_participants "
        f"WHERE attended = 1 AND meeting_id IN ({marks}) GROUP BY meeting_id"
    )
    return {r["meeting_id"]: r["n"] for r in db.query(sql, meeting_ids)}


# --- documents and comments -------------------------------------------------------------------


def insert_document(db: sqlite_utils.Database, row: dict) -> int:
    return db["meeting_documents"].insert(row).last_pk


def documents(db: sqlite_utils.Database, meeting_id: int) -> list[Document]:
    sql = (
        "SELECT id, meeting_id, item_id, file_title, mime_type, size, sha1, uploaded_at "
        "FROM meeting_documents WHERE meeting_id = ? ORDER BY item_id IS NOT NULL, item_id, id"
    )
    return [Document(**r) for r in db.query(sql, [meeting_id])]


def document_content(db: sqlite_utils.Database, document_id: int) -> bytes | None:
    row = db.execute("SELECT content FROM meeting_documents WHERE id = ?", [document_id]).fetchone()
    return row[0] if row else None


def document_meetings(db: sqlite_utils.Database, document_id: int) -> list[int]:
    sql = "SELECT meeting_id FROM meeting_documents WHERE id = ?"
    return [r["meeting_id"] for r in db.query(sql, [document_id])]


def delete_document(db: sqlite_utils.Database, document_id: int) -> bool:
    cursor = db.execute("DELETE FROM meeting_documents WHERE id = ?", [document_id])
    return cursor.rowcount == 1


def insert_comment(db: sqlite_utils.Database, row: dict) -> int:
    return db["meeting_comments"].insert(row).last_pk


def comments(db: sqlite_utils.Database, meeting_id: int) -> list[Comment]:
    sql = (
        "SELECT id, author, body, created_at FROM meeting_comments WHERE meeting_id = ? "
        "ORDER BY created_at, id"
    )
    return [Comment(**r) for r in db.query(sql, [meeting_id])]


# --- the office's lists ------------------------------------------------------------------------


# The office's lists: kind -> table
ENTRY_TABLES = {"appointment": "office_appointments", "press": "press_log"}


def insert_entry(db: sqlite_utils.Database, kind: str, row: dict) -> int:
    return db[ENTRY_TABLES[kind]].insert(row).last_pk


def appointments(db: sqlite_utils.Database, start: str, end: str) -> list[Appointment]:
    sql = (
        "SELECT id, on_date, event, partner, topic FROM office_appointments "
        "WHERE on_date >= ? AND on_date <= ? ORDER BY on_date, id"
    )
    return [Appointment(**r) for r in db.query(sql, [start, end])]


def delete_entry(db: sqlite_utils.Database, kind: str, row_id: int) -> bool:
    table = ENTRY_TABLES[kind]
    return db.execute(f"DELETE FROM {table} WHERE id = ?", [row_id]).rowcount == 1


def press(db: sqlite_utils.Database, start: str, end: str) -> list[PressEntry]:
    sql = (
        "SELECT id, on_date, outlet, topic, url FROM press_log "
        "WHERE on_date >= ? AND on_date <= ? ORDER BY on_date, id"
    )
    return [PressEntry(**r) for r in db.query(sql, [start, end])]


# --- personal calendar feeds -----------------------------------------------------------------


def replace_feed(db: sqlite_utils.Database, user_id: int, token_hash: str | None, at: str) -> None:
    db.execute("DELETE FROM calendar_feeds WHERE user_id = ?", [user_id])
    if token_hash:
        db["calendar_feeds"].insert(
            {"token_hash": token_hash, "user_id": user_id, "created_at": at}
        )


def feed_owner(db: sqlite_utils.Database, token_hash: str) -> int | None:
    row = db.execute(
        "SELECT user_id FROM calendar_feeds WHERE token_hash = ?", [token_hash]
    ).fetchone()
    return row[0] if row else None


def has_feed(db: sqlite_utils.Database, user_id: int) -> str | None:
    row = db.execute(
        "SELECT created_at FROM calendar_feeds WHERE user_id = ?", [user_id]
    ).fetchone()
    return row[0] if row else None
