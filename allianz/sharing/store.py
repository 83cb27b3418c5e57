"""SQL for the sharing slice: pool items, crews, blocks, bookings; Teilkultur listings and
requests. E-mail addresses leave this module only through the functions that say so."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from allianz.sharing.model import Block, Booking, ContactRequest, Crew, Item, Listing


def _item(row: dict) -> Item:
    data = dict(row)
    for key in ("operator_required", "active", "is_demo"):
        data[key] = bool(data[key])
    return Item(**data)


def _when(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _booking(row: dict) -> Booking:
    data = dict(row)
    data["starts_at"] = _when(data["starts_at"])
    data["ends_at"] = _when(data["ends_at"])
    data["hold_until"] = _when(data["hold_until"])
    data["with_operator"] = bool(data["with_operator"])
    data["is_demo"] = bool(data["is_demo"])
    return Booking(**data)


def _block(row: dict) -> Block:
    data = dict(row)
    return Block(
        id=data["id"],
        item_id=data["item_id"],
        crew_id=data["crew_id"],
        starts_at=datetime.fromisoformat(data["starts_at"]),
        ends_at=datetime.fromisoformat(data["ends_at"]),
        reason=data["reason"],
    )


# --- items and crews ---------------------------------------------------------------------------


def items(db: sqlite_utils.Database, *, active_only: bool = True) -> list[Item]:
    sql = "SELECT * FROM pool_items" + (" WHERE active = 1" if active_only else "")
    return [_item(r) for r in db.query(sql + " ORDER BY holder_label, category, title, id")]


def item(db: sqlite_utils.Database, item_id: int) -> Item | None:
    rows = list(db.query("SELECT * FROM pool_items WHERE id = ?", [item_id]))
    return _item(rows[0]) if rows else None


def insert_item(db: sqlite_utils.Database, row: dict) -> int:
    return db["pool_items"].insert(row).last_pk


def update_item(db: sqlite_utils.Database, item_id: int, values: dict) -> None:
    db["pool_items"].update(item_id, values)


def item_photo(db: sqlite_utils.Database, item_id: int) -> bytes | None:
    row = db.execute("SELECT image FROM pool_item_photos WHERE item_id = ?", [item_id]).fetchone()
    return None if row is None else row[0]


def items_with_photo(db: sqlite_utils.Database) -> set[int]:
    return {r["item_id"] for r in db.query("SELECT item_id FROM pool_item_photos")}


def put_item_photo(db: sqlite_utils.Database, row: dict) -> None:
    db["pool_item_photos"].upsert(row, pk="item_id")


def crews(db: sqlite_utils.Database, holder_ags: str | None = None) -> list[Crew]:
    sql = "SELECT id, holder_ags, title, size FROM pool_crews"
    args: list = []
    if holder_ags is not None:
        sql += " WHERE holder_ags = ?"
        args.append(holder_ags)
    return [Crew(**r) for r in db.query(sql + " ORDER BY holder_ags, title", args)]


def crew(db: sqlite_utils.Database, crew_id: int) -> Crew | None:
    rows = list(
        db.query("SELECT id, holder_ags, title, size FROM pool_crews WHERE id = ?", [crew_id])
    )
    return Crew(**rows[0]) if rows else None


def insert_crew(db: sqlite_utils.Database, row: dict) -> int:
    return db["pool_crews"].insert(row).last_pk


# --- blocks ------------------------------------------------------------------------------------


def insert_block(db: sqlite_utils.Database, row: dict) -> int:
    return db["pool_blocks"].insert(row).last_pk


def blocks_overlapping(
    db: sqlite_utils.Database,
    start: str,
    end: str,
    *,
    item_id: int | None = None,
    crew_id: int | None = None,
) -> list[Block]:
    """Blocks of the item (or of the crew) overlapping [start, end)."""
    column, value = ("item_id", item_id) if item_id is not None else ("crew_id", crew_id)
    sql = (
        f"SELECT * FROM pool_blocks WHERE {column} = ? AND starts_at < ? AND ends_at > ? "
        "ORDER BY starts_at"
    )
    return [_block(r) for r in db.query(sql, [value, end, start])]


def blocks_of_items(
    db: sqlite_utils.Database, item_ids: list[int], start: str, end: str
) -> list[Block]:
    """Blocks of these items (not crews) overlapping [start, end)."""
    if not item_ids:
        return []
    marks = ", ".join("?" * len(item_ids))
    sql = (
        f"SELECT * FROM pool_blocks WHERE item_id IN ({marks}) AND starts_at < ? "
        "AND ends_at > ? ORDER BY starts_at"
    )
    return [_block(r) for r in db.query(sql, [*item_ids, end, start])]


def blocks_of_item(db: sqlite_utils.Database, item_id: int) -> list[Block]:
    sql = "SELECT * FROM pool_blocks WHERE item_id = ? ORDER BY starts_at"
    return [_block(r) for r in db.query(sql, [item_id])]


# --- bookings ----------------------------------------------------------------------------------


def insert_booking(db: sqlite_utils.Database, row: dict) -> int:
    return db["pool_bookings"].insert(row).last_pk


def booking(db: sqlite_utils.Database, booking_id: int) -> Booking | None:
    rows = list(db.query("SELECT * FROM pool_bookings WHERE id = ?", [booking_id]))
    return _booking(rows[0]) if rows else None


def update_booking(db: sqlite_utils.Database, booking_id: int, values: dict) -> None:
    db["pool_bookings"].update(booking_id, values)


def occupying(
    db: sqlite_utils.Database,
    item_ids: list[int],
    start: str,
    end: str,
    now: str,
    *,
    operator_only: bool = False,
    exclude: int | None = None,
) -> list[Booking]:
    """Bookings of these items overlapping [start, end) that hold the slot at `now`: approved
    ones and requests whose hold has not run out."""
    if not item_ids:
        return []
    marks = ", ".join("?" * len(item_ids))
    sql = (
        f"SELECT * FROM pool_bookings WHERE item_id IN ({marks}) AND starts_at < ? "
        "AND ends_at > ? AND (state = 'approved' OR (state = 'requested' AND hold_until > ?)) "
        "AND id IS NOT ?"
    )
    if operator_only:
        sql += " AND with_operator = 1"
    rows = db.query(sql + " ORDER BY starts_at", [*item_ids, end, start, now, exclude])
    return [_booking(r) for r in rows]


def items_of_crew(db: sqlite_utils.Database, crew_id: int) -> list[int]:
    return [r["id"] for r in db.query("SELECT id FROM pool_items WHERE crew_id = ?", [crew_id])]


def version(db: sqlite_utils.Database) -> tuple:
    """Changes whenever an item or a booking is added (new id) or changed (every change leaves
    an audit row in its transaction); index lookups only."""
    bookings = db.execute("SELECT max(id) FROM pool_bookings").fetchone()[0]
    items = db.execute("SELECT max(id) FROM pool_items").fetchone()[0]
    audited = db.execute(
        "SELECT max(id) FROM audit WHERE entity IN ('pool_item', 'pool_booking')"
    ).fetchone()[0]
    path = db.execute("PRAGMA database_list").fetchone()[2]
    return (path, bookings, items, audited)


def returned_ending(db: sqlite_utils.Database, start: str, end: str) -> list[Booking]:
    """Returned loans between members (not of the holder's own municipality) whose use ended
    in [start, end): what the figures count."""
    sql = (
        "SELECT b.* FROM pool_bookings b JOIN pool_items i ON i.id = b.item_id "
        "WHERE b.state = 'returned' AND b.ends_at >= ? AND b.ends_at < ? "
        "AND i.holder_kind = 'municipality' AND i.holder_ags != b.borrower_ags "
        "ORDER BY b.starts_at, b.id"
    )
    return [_booking(r) for r in db.query(sql, [start, end])]


def returned_ending_figures(db: sqlite_utils.Database, start: str, end: str) -> list[tuple]:
    """The loans of `returned_ending`, in its order, as plain tuples (item id, borrower AGS,
    starts_at, ends_at, (rate per hour, day, operator hour, km), machine minutes, operator
    minutes, km): the steering group's sums need no Booking objects."""
    sql = (
        "SELECT b.item_id, b.borrower_ags, b.starts_at, b.ends_at, b.rate_hour_cents, "
        "b.rate_day_cents, b.operator_rate_cents, b.rate_km_cents, b.machine_minutes, "
        "b.operator_minutes, b.km_used FROM pool_bookings b JOIN pool_items i "
        "ON i.id = b.item_id WHERE b.state = 'returned' AND b.ends_at >= ? AND b.ends_at < ? "
        "AND i.holder_kind = 'municipality' AND i.holder_ags != b.borrower_ags "
        "ORDER BY b.starts_at, b.id"
    )
    return [
        (r[0], r[1], r[2], r[3], (r[4], r[5], r[6], r[7]), r[8], r[9], r[10])
        for r in db.execute(sql, [start, end]).fetchall()
    ]


def bookings(
    db: sqlite_utils.Database,
    *,
    item_id: int | None = None,
    borrower_ags: str | None = None,
    holder_ags: str | None = None,
    states: tuple[str, ...] = (),
    start: str | None = None,
    end: str | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[Booking]:
    sql = "SELECT b.* FROM pool_bookings b JOIN pool_items i ON i.id = b.item_id WHERE 1 = 1"
    args: list = []
    if item_id is not None:
        sql += " AND b.item_id = ?"
        args.append(item_id)
    if borrower_ags is not None:
        sql += " AND b.borrower_ags = ?"
        args.append(borrower_ags)
    if holder_ags is not None:
        sql += " AND i.holder_ags = ?"
        args.append(holder_ags)
    if states:
        sql += f" AND b.state IN ({', '.join('?' * len(states))})"
        args += list(states)
    if end is not None:
        sql += " AND b.starts_at < ?"
        args.append(end)
    if start is not None:
        sql += " AND b.ends_at > ?"
        args.append(start)
    sql += (
        " ORDER BY b.starts_at DESC, b.id DESC" if newest_first else " ORDER BY b.starts_at, b.id"
    )
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [_booking(r) for r in db.query(sql, args)]


def expire_holds(db: sqlite_utils.Database, now: str) -> list[int]:
    ids = [
        r["id"]
        for r in db.query(
            "SELECT id FROM pool_bookings WHERE state = 'requested' AND hold_until <= ?", [now]
        )
    ]
    if ids:
        db.execute(
            f"UPDATE pool_bookings SET state = 'expired' WHERE id IN ({', '.join('?' * len(ids))})",
            ids,
        )
    return ids


# --- Teilkultur --------------------------------------------------------------------------------

_LISTING_COLUMNS = "id, kind, title, description, place_hint, ags, state, reject_reason, created_at"


def insert_listing(db: sqlite_utils.Database, row: dict) -> int:
    return db["teil_listings"].insert(row).last_pk


def listings(db: sqlite_utils.Database, states: tuple[str, ...]) -> list[Listing]:
    marks = ", ".join("?" * len(states))
    sql = (
        f"SELECT {_LISTING_COLUMNS} FROM teil_listings WHERE state IN ({marks}) "
        "ORDER BY created_at DESC, id DESC"
    )
    return [Listing(**r) for r in db.query(sql, list(states))]


def listing(db: sqlite_utils.Database, listing_id: int) -> Listing | None:
    sql = f"SELECT {_LISTING_COLUMNS} FROM teil_listings WHERE id = ?"
    rows = list(db.query(sql, [listing_id]))
    return Listing(**rows[0]) if rows else None


def listing_by_key(db: sqlite_utils.Database, key_hash: str) -> Listing | None:
    sql = f"SELECT {_LISTING_COLUMNS} FROM teil_listings WHERE key_hash = ?"
    rows = list(db.query(sql, [key_hash]))
    return Listing(**rows[0]) if rows else None


def update_listing(db: sqlite_utils.Database, listing_id: int, values: dict) -> None:
    db["teil_listings"].update(listing_id, values)


def offerer_email(db: sqlite_utils.Database, listing_id: int) -> str:
    row = db.execute(
        "SELECT offerer_email FROM teil_listings WHERE id = ?", [listing_id]
    ).fetchone()
    return row[0]


def insert_request(db: sqlite_utils.Database, row: dict) -> int:
    return db["teil_requests"].insert(row).last_pk


_REQUEST_COLUMNS = "id, listing_id, note, requester_agrees, offerer_agrees, state, created_at"


def _request(row: dict) -> ContactRequest:
    data = dict(row)
    data["requester_agrees"] = bool(data["requester_agrees"])
    data["offerer_agrees"] = bool(data["offerer_agrees"])
    return ContactRequest(**data)


def requests_of(db: sqlite_utils.Database, listing_id: int) -> list[ContactRequest]:
    sql = f"SELECT {_REQUEST_COLUMNS} FROM teil_requests WHERE listing_id = ? ORDER BY id"
    return [_request(r) for r in db.query(sql, [listing_id])]


def request_by_key(db: sqlite_utils.Database, key_hash: str) -> ContactRequest | None:
    sql = f"SELECT {_REQUEST_COLUMNS} FROM teil_requests WHERE key_hash = ?"
    rows = list(db.query(sql, [key_hash]))
    return _request(rows[0]) if rows else None


def request_email(db: sqlite_utils.Database, request_id: int) -> str:
    row = db.execute(
        "SELECT requester_email FROM teil_requests WHERE id = ?", [request_id]
    ).fetchone()
    return row[0]


def update_request(db: sqlite_utils.Database, request_id: int, values: dict) -> None:
    db["teil_requests"].update(request_id, values)
