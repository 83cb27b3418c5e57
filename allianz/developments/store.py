"""SQL for building developments. Document bytes are read only when one is downloaded."""

from __future__ import annotations

import json

import sqlite_utils

from allianz.developments.model import Answer, Development, Document


def _development(row: dict, answers: tuple[Answer, ...]) -> Development:
    data = dict(row)
    data["effects"] = tuple(json.loads(data["effects"]))
    data["geometry"] = json.loads(data["geometry"])
    data["public"] = bool(data["public"])
    data["is_demo"] = bool(data["is_demo"])
    return Development(**data, answers=answers)


def _answers(db: sqlite_utils.Database, ids: list[int], names: dict[str, str]) -> dict:
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    found: dict[int, list[Answer]] = {}
    sql = f"SELECT * FROM development_members WHERE development_id IN ({marks}) ORDER BY ags"
    for row in db.query(sql, ids):
        data = dict(row)
        development_id = data.pop("development_id")
        data["late"] = bool(data["late"])
        found.setdefault(development_id, []).append(
            Answer(member=names.get(data["ags"], data["ags"]), **data)
        )
    return found


def all_developments(db: sqlite_utils.Database, names: dict[str, str]) -> list[Development]:
    rows = [dict(r) for r in db.query("SELECT * FROM developments ORDER BY id DESC")]
    answers = _answers(db, [r["id"] for r in rows], names)
    return [_development(r, tuple(answers.get(r["id"], ()))) for r in rows]


def get(db: sqlite_utils.Database, development_id: int, names: dict[str, str]):
    rows = list(db.query("SELECT * FROM developments WHERE id = ?", [development_id]))
    if not rows:
        return None
    answers = _answers(db, [development_id], names)
    return _development(rows[0], tuple(answers.get(development_id, ())))


def insert(db: sqlite_utils.Database, row: dict) -> int:
    return db["developments"].insert(row).last_pk


def update(db: sqlite_utils.Database, development_id: int, values: dict) -> None:
    db["developments"].update(development_id, values)


def add_member(db: sqlite_utils.Database, row: dict) -> None:
    db["development_members"].insert(row, pk=("development_id", "ags"), ignore=True)


def update_member(db: sqlite_utils.Database, development_id: int, ags: str, values: dict) -> None:
    db["development_members"].update((development_id, ags), values)


def member_row(db: sqlite_utils.Database, development_id: int, ags: str) -> dict | None:
    rows = list(
        db.query(
            "SELECT * FROM development_members WHERE development_id = ? AND ags = ?",
            [development_id, ags],
        )
    )
    return dict(rows[0]) if rows else None


def due_for_reminder(db: sqlite_utils.Database, until_day: str, today: str) -> list[dict]:
    """Unanswered, not yet reminded members whose deadline lies in [today, until_day]."""
    sql = (
        "SELECT m.development_id, m.ags, d.title, d.deadline FROM development_members m "
        "JOIN developments d ON d.id = m.development_id "
        "WHERE m.answer IS NULL AND m.reminded_at IS NULL AND d.deadline <= ? "
        "AND d.deadline >= ? ORDER BY d.id, m.ags"
    )
    return [dict(r) for r in db.query(sql, [until_day, today])]


def open_for(db: sqlite_utils.Database, ags: str) -> list[dict]:
    """Developments member `ags` was asked about and has not answered, nearest deadline first."""
    sql = (
        "SELECT d.id, d.title, d.municipality_ags, d.deadline FROM development_members m "
        "JOIN developments d ON d.id = m.development_id "
        "WHERE m.ags = ? AND m.answer IS NULL ORDER BY d.deadline, d.id"
    )
    return [dict(r) for r in db.query(sql, [ags])]


def add_version(db: sqlite_utils.Database, row: dict) -> None:
    db["development_versions"].insert(row, pk=("development_id", "version"))


def versions(db: sqlite_utils.Database, development_id: int) -> list[dict]:
    sql = (
        "SELECT version, changed_by, changed_at, snapshot FROM development_versions "
        "WHERE development_id = ? ORDER BY version DESC"
    )
    return [dict(r) for r in db.query(sql, [development_id])]


def add_document(db: sqlite_utils.Database, row: dict) -> int:
    return db["development_documents"].insert(row).last_pk


def documents(db: sqlite_utils.Database, development_id: int) -> list[Document]:
    sql = (
        "SELECT id, development_id, ags, file_title, size, sha1, uploaded_at "
        "FROM development_documents WHERE development_id = ? ORDER BY id"
    )
    return [Document(**dict(r)) for r in db.query(sql, [development_id])]


def document_content(db: sqlite_utils.Database, document_id: int) -> tuple[dict, bytes] | None:
    rows = list(db.query("SELECT * FROM development_documents WHERE id = ?", [document_id]))
    if not rows:
        return None
    row = dict(rows[0])
    return row, row.pop("content")


def by_contact(db: sqlite_utils.Database, address: str) -> list[dict]:
    sql = (
        "SELECT id, title, contact_name, contact_email, contact_phone FROM developments "
        "WHERE lower(contact_email) = lower(?)"
    )
    return [dict(r) for r in db.query(sql, [address])]


def erase_contact(db: sqlite_utils.Database, address: str) -> int:
    sql = (
        "UPDATE developments SET contact_name = '', contact_email = '', contact_phone = '' "
        "WHERE lower(contact_email) = lower(?)"
    )
    return db.execute(sql, [address]).rowcount


def purge_contacts(db: sqlite_utils.Database, cutoff: str) -> int:
    """Empty the contact of developments unchanged since `cutoff` (UTC ISO) whose answer
    deadline lies before it too."""
    sql = (
        "UPDATE developments SET contact_name = '', contact_email = '', contact_phone = '' "
        "WHERE (contact_name != '' OR contact_email != '' OR contact_phone != '') "
        "AND updated_at < ? AND deadline < ?"
    )
    return db.execute(sql, [cutoff, cutoff[:10]]).rowcount


def next_development_id(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT coalesce(max(id), 0) + 1 FROM developments").fetchone()[0]


def insert_bulk(
    db: sqlite_utils.Database, developments: list[dict], members: list[dict], versions: list[dict]
) -> None:
    """Many developments at once (benchmark data); the caller holds the write transaction."""
    db["developments"].insert_all(developments, batch_size=200)
    db["development_members"].insert_all(members, batch_size=500)
    db["development_versions"].insert_all(versions, batch_size=500)
