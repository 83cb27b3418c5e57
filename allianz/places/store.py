"""SQL for the places' tables only (places, place_contacts)."""

from __future__ import annotations

import sqlite_utils

from allianz.places.model import Contact, Place

_PLACE = (
    "id, municipality_ags, category, name, address_text, lat, lon, opening_hours, phone, web, "
    "wheelchair, note, photo IS NOT NULL, source, source_id, is_demo, updated_at"
)
_CONTACT = (
    "id, municipality_ags, place_id, department, role, person_name, phone, email, room, "
    "office_hours, keywords, basis, consent_at, is_demo, updated_at"
)


def _place(row) -> Place:
    values = list(row)
    values[12], values[15] = bool(values[12]), bool(values[15])
    return Place(*values)


def _contact(row) -> Contact:
    values = list(row)
    values[13] = bool(values[13])
    return Contact(*values)


def version(db: sqlite_utils.Database) -> tuple:
    """Changes whenever a place is added, changed or removed (for cached map rows)."""
    return tuple(
        db.execute("SELECT count(*), max(updated_at), max(id), sum(id) FROM places").fetchone()
    )


def insert_place(db: sqlite_utils.Database, row: dict) -> int:
    return db["places"].insert(row).last_pk


def update_place(db: sqlite_utils.Database, place_id: int, values: dict) -> None:
    db["places"].update(place_id, values)


def delete_place(db: sqlite_utils.Database, place_id: int) -> None:
    db.execute("DELETE FROM places WHERE id = ?", [place_id])


def place(db: sqlite_utils.Database, place_id: int) -> Place | None:
    row = db.execute(f"SELECT {_PLACE} FROM places WHERE id = ?", [place_id]).fetchone()
    return _place(row) if row else None


def by_source(db: sqlite_utils.Database, ags: str, source_id: str) -> int | None:
    row = db.execute(
        "SELECT id FROM places WHERE municipality_ags = ? AND source_id = ?", [ags, source_id]
    ).fetchone()
    return row[0] if row else None


def places(
    db: sqlite_utils.Database,
    categories: list[str] | None = None,
    ags: list[str] | None = None,
    words: list[str] = (),
    limit: int | None = None,
) -> list[Place]:
    where, params = ["1"], []
    if categories is not None:
        where.append(f"category IN ({','.join('?' * len(categories))})")
        params += categories
    if ags is not None:
        where.append(f"municipality_ags IN ({','.join('?' * len(ags))})")
        params += ags
    for word in words:
        where.append("search_text LIKE ? ESCAPE '\\'")
        params.append(f"%{_like(word)}%")
    sql = f"SELECT {_PLACE} FROM places WHERE {' AND '.join(where)} ORDER BY name, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_place(r) for r in db.execute(sql, params)]


def map_rows(
    db: sqlite_utils.Database, categories: list[str], ags: list[str] | None
) -> list[tuple[float, float, int, str, str]]:
    """(lat, lon, id, category, name) of the chosen layers, for the map."""
    where = [f"category IN ({','.join('?' * len(categories))})"]
    params = list(categories)
    if ags is not None:
        where.append(f"municipality_ags IN ({','.join('?' * len(ags))})")
        params += ags
    sql = f"SELECT lat, lon, id, category, name FROM places WHERE {' AND '.join(where)} ORDER BY id"
    return [tuple(r) for r in db.execute(sql, params)]


def counts(db: sqlite_utils.Database) -> dict[tuple[str, str], int]:
    """(municipality, category) -> places."""
    sql = "SELECT municipality_ags, category, count(*) FROM places GROUP BY 1, 2"
    return {(a, c): n for a, c, n in db.execute(sql)}


def photo(db: sqlite_utils.Database, place_id: int) -> bytes | None:
    row = db.execute("SELECT photo FROM places WHERE id = ?", [place_id]).fetchone()
    return row[0] if row else None


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def insert_contact(db: sqlite_utils.Database, row: dict) -> int:
    return db["place_contacts"].insert(row).last_pk


def update_contact(db: sqlite_utils.Database, contact_id: int, values: dict) -> None:
    db["place_contacts"].update(contact_id, values)


def delete_contact(db: sqlite_utils.Database, contact_id: int) -> None:
    db.execute("DELETE FROM place_contacts WHERE id = ?", [contact_id])


def contact(db: sqlite_utils.Database, contact_id: int) -> Contact | None:
    sql = f"SELECT {_CONTACT} FROM place_contacts WHERE id = ?"
    row = db.execute(sql, [contact_id]).fetchone()
    return _contact(row) if row else None


def contacts(
    db: sqlite_utils.Database,
    ags: list[str] | None = None,
    public_only: bool = True,
    words: list[str] = (),
    place_id: int | None = None,
) -> list[Contact]:
    where, params = ["1"], []
    if public_only:
        where.append("basis IN ('function', 'consent')")
    if ags is not None:
        where.append(f"municipality_ags IN ({','.join('?' * len(ags))})")
        params += ags
    if place_id is not None:
        where.append("place_id = ?")
        params.append(place_id)
    for word in words:
        where.append("search_text LIKE ? ESCAPE '\\'")
        params.append(f"%{_like(word)}%")
    sql = (
        f"SELECT {_CONTACT} FROM place_contacts WHERE {' AND '.join(where)} "
        "ORDER BY municipality_ags, department, role, person_name, id"
    )
    return [_contact(r) for r in db.execute(sql, params)]


def contacts_by_email(db: sqlite_utils.Database, address: str) -> list[dict]:
    sql = (
        "SELECT municipality_ags, department, role, person_name, phone, email, room, "
        "office_hours, keywords, basis, consent_at, updated_at FROM place_contacts "
        "WHERE email = ? COLLATE NOCASE ORDER BY id"
    )
    return [dict(r) for r in db.query(sql, [address])]


def contact_counts(db: sqlite_utils.Database) -> dict[str, int]:
    sql = (
        "SELECT municipality_ags, count(*) FROM place_contacts "
        "WHERE basis IN ('function', 'consent') GROUP BY 1"
    )
    return dict(db.execute(sql).fetchall())


def stock(db: sqlite_utils.Database) -> dict[str, dict[str, int]]:
    """Per municipality: places, with opening hours, with wheelchair information, public
    contacts."""
    out: dict[str, dict[str, int]] = {}
    sql = (
        "SELECT municipality_ags, count(*), sum(opening_hours != ''), sum(wheelchair != '') "
        "FROM places GROUP BY 1"
    )
    for ags, total, timed, wheel in db.execute(sql):
        out[ags] = {"places": total, "with_hours": timed, "with_wheelchair": wheel, "contacts": 0}
    for ags, n in contact_counts(db).items():
        out.setdefault(ags, {"places": 0, "with_hours": 0, "with_wheelchair": 0, "contacts": 0})
        out[ags]["contacts"] = n
    return out


def mark_demo(db: sqlite_utils.Database, source: str) -> None:
    db.execute("UPDATE places SET is_demo = 1 WHERE source = ?", [source])


def mark_demo_contacts(db: sqlite_utils.Database) -> None:
    db.execute("UPDATE place_contacts SET is_demo = 1 WHERE created_by = 'demo'")
