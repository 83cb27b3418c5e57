"""SQL for the consultation hours' tables only."""

from __future__ import annotations

import sqlite_utils

from allianz.mayor_hours.model import Hour, Question, State

_HOUR = (
    "id, host_kind, municipality_ags, host_title, topic, starts_at, ends_at, "
    "current_question_id, created_at"
)
_QUESTION = (
    "id, hour_id, body, background, shown_name, state, hold_reason, merged_into, supports, "
    "answer, answer_kind, answered_at, suggestion_ref, created_at"
)


def _hour(row) -> Hour:
    return Hour(*row)


def _question(row) -> Question:
    values = list(row)
    values[5] = State(values[5])
    return Question(*values)


def insert_hour(db: sqlite_utils.Database, row: dict) -> int:
    return db["mayor_hours"].insert(row).last_pk


def update_hour(db: sqlite_utils.Database, hour_id: int, values: dict) -> None:
    db["mayor_hours"].update(hour_id, values)


def hour(db: sqlite_utils.Database, hour_id: int) -> Hour | None:
    row = db.execute(f"SELECT {_HOUR} FROM mayor_hours WHERE id = ?", [hour_id]).fetchone()
    return _hour(row) if row else None


def hours(db: sqlite_utils.Database, ending_after: str | None = None) -> list[Hour]:
    if ending_after is None:
        sql = f"SELECT {_HOUR} FROM mayor_hours ORDER BY starts_at DESC"
        return [_hour(r) for r in db.execute(sql)]
    sql = f"SELECT {_HOUR} FROM mayor_hours WHERE ends_at > ? ORDER BY starts_at"
    return [_hour(r) for r in db.execute(sql, [ending_after])]


def insert_question(db: sqlite_utils.Database, row: dict) -> int:
    return db["mayor_questions"].insert(row).last_pk


def update_question(db: sqlite_utils.Database, question_id: int, values: dict) -> None:
    db["mayor_questions"].update(question_id, values)


def question(db: sqlite_utils.Database, question_id: int) -> Question | None:
    sql = f"SELECT {_QUESTION} FROM mayor_questions WHERE id = ?"
    row = db.execute(sql, [question_id]).fetchone()
    return _question(row) if row else None


def asker_email(db: sqlite_utils.Database, question_id: int) -> str:
    row = db.execute(
        "SELECT asker_email FROM mayor_questions WHERE id = ?", [question_id]
    ).fetchone()
    return row[0] if row else ""


def questions(
    db: sqlite_utils.Database, hour_id: int, states: tuple[State, ...] | None = None
) -> list[Question]:
    """In order of arrival."""
    if states is None:
        sql = f"SELECT {_QUESTION} FROM mayor_questions WHERE hour_id = ? ORDER BY id"
        return [_question(r) for r in db.execute(sql, [hour_id])]
    marks = ", ".join("?" * len(states))
    sql = (
        f"SELECT {_QUESTION} FROM mayor_questions WHERE hour_id = ? AND state IN ({marks}) "
        "ORDER BY id"
    )
    return [_question(r) for r in db.execute(sql, [hour_id, *[s.value for s in states]])]


def queue(db: sqlite_utils.Database, hour_id: int) -> list[Question]:
    """Public questions, open ones first by support, then the answered (newest answer first):
    one query on the (hour_id, state, supports) index, cheap enough for a live refresh."""
    sql = (
        f"SELECT {_QUESTION} FROM mayor_questions WHERE hour_id = ? "
        "AND state IN ('published', 'answered') "
        "ORDER BY state = 'answered', supports DESC, answered_at DESC, id"
    )
    return [_question(r) for r in db.execute(sql, [hour_id])]


def state_counts(db: sqlite_utils.Database, hour_id: int) -> list[tuple[str, str | None, int]]:
    sql = (
        "SELECT state, hold_reason, count(*) FROM mayor_questions WHERE hour_id = ? "
        "GROUP BY state, hold_reason"
    )
    return [tuple(r) for r in db.execute(sql, [hour_id])]


def add_supports(db: sqlite_utils.Database, question_id: int, n: int) -> None:
    db.execute("UPDATE mayor_questions SET supports = supports + ? WHERE id = ?", [n, question_id])


def has_mark(db: sqlite_utils.Database, question_id: int, marks: list[str]) -> bool:
    placeholders = ", ".join("?" * len(marks))
    sql = (
        f"SELECT 1 FROM mayor_question_supports WHERE question_id = ? AND mark IN "
        f"({placeholders}) LIMIT 1"
    )
    return db.execute(sql, [question_id, *marks]).fetchone() is not None


def add_marks(db: sqlite_utils.Database, question_id: int, marks: list[str]) -> None:
    db.conn.executemany(
        "INSERT OR IGNORE INTO mayor_question_supports (question_id, mark) VALUES (?, ?)",
        [(question_id, m) for m in marks],
    )


def move_marks(db: sqlite_utils.Database, source_id: int, target_id: int) -> None:
    db.execute(
        "INSERT OR IGNORE INTO mayor_question_supports (question_id, mark) "
        "SELECT ?, mark FROM mayor_question_supports WHERE question_id = ?",
        [target_id, source_id],
    )


def all_for_figures(db: sqlite_utils.Database) -> list[dict]:
    sql = (
        "SELECT q.id, q.state, q.created_at, q.answered_at, h.municipality_ags, h.host_title, "
        "h.ends_at FROM mayor_questions q JOIN mayor_hours h ON h.id = q.hour_id"
    )
    return [dict(r) for r in db.query(sql)]


def by_suggestion(db: sqlite_utils.Database, ref: str) -> Question | None:
    sql = f"SELECT {_QUESTION} FROM mayor_questions WHERE suggestion_ref = ?"
    row = db.execute(sql, [ref]).fetchone()
    return _question(row) if row else None
