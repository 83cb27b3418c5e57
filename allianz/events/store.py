"""SQL for the events' tables only. The submitter's address is read only where it is needed."""

from __future__ import annotations

import json

import sqlite_utils

from allianz.events.model import PUBLIC, Event, State

_EVENT = (
    "id, title, description, category, municipality_ags, starts_at, ends_at, all_day, rrule, "
    "exdates, last_end_at, venue, location_line, lat, lon, organiser, free, price_text, "
    "accessibility, state, decline_reason, cancel_reason, source, created_by, created_at, "
    "updated_at, published_at"
)
_PUBLIC_STATES = tuple(s.value for s in PUBLIC)


def _event(row) -> Event:
    values = dict(zip(_EVENT.split(", "), row, strict=True))
    values["all_day"] = bool(values["all_day"])
    values["free"] = bool(values["free"])
    values["exdates"] = tuple(json.loads(values["exdates"] or "[]"))
    values["state"] = State(values["state"])
    return Event(**values)


def insert(db: sqlite_utils.Database, row: dict) -> int:
    return db["events"].insert(row).last_pk


def update(db: sqlite_utils.Database, event_id: int, values: dict) -> None:
    db["events"].update(event_id, values)


def get(db: sqlite_utils.Database, event_id: int) -> Event | None:
    row = db.execute(f"SELECT {_EVENT} FROM events WHERE id = ?", [event_id]).fetchone()
    return _event(row) if row else None


def replace_occurrences(
    db: sqlite_utils.Database, event_id: int, spans: list[tuple[str, str]]
) -> None:
    db.execute("DELETE FROM event_occurrences WHERE event_id = ?", [event_id])
    db.conn.executemany(
        "INSERT INTO event_occurrences (event_id, starts_at, ends_at) VALUES (?, ?, ?)",
        [(event_id, start, end) for start, end in spans],
    )


def occurrences(db: sqlite_utils.Database, event_id: int) -> list[tuple[str, str]]:
    sql = "SELECT starts_at, ends_at FROM event_occurrences WHERE event_id = ? ORDER BY starts_at"
    return [tuple(r) for r in db.execute(sql, [event_id])]


def _where(municipality: str | None, category: str | None) -> tuple[str, list]:
    clauses, params = [f"e.state IN ({', '.join('?' * len(_PUBLIC_STATES))})"], [*_PUBLIC_STATES]
    if municipality:
        clauses.append("(e.municipality_ags = ? OR e.municipality_ags IS NULL)")
        params.append(municipality)
    if category:
        clauses.append("e.category = ?")
        params.append(category)
    return " AND ".join(clauses), params


def coming(
    db: sqlite_utils.Database,
    after: str,
    until: str | None,
    municipality: str | None,
    category: str | None,
    limit: int,
) -> list[tuple]:
    """Occurrences of public events not yet over (ending after `after`, starting before
    `until`), soonest first: (starts_at, ends_at, event id, title, category, AGS, venue,
    all_day, state, rrule)."""
    where, params = _where(municipality, category)
    span = " AND o.starts_at < ?" if until else ""
    sql = (
        "SELECT o.starts_at, o.ends_at, e.id, e.title, e.category, e.municipality_ags, e.venue, "
        "e.all_day, e.state, e.rrule FROM event_occurrences o JOIN events e ON e.id = o.event_id "
        f"WHERE o.ends_at > ?{span} AND {where} ORDER BY o.starts_at, e.id LIMIT ?"
    )
    args = [after, *([until] if until else []), *params, limit]
    return [tuple(r) for r in db.execute(sql, args)]


def count_coming(
    db: sqlite_utils.Database,
    after: str,
    until: str | None,
    municipality: str | None,
    category: str | None,
) -> int:
    where, params = _where(municipality, category)
    span = " AND o.starts_at < ?" if until else ""
    sql = (
        "SELECT count(*) FROM event_occurrences o JOIN events e ON e.id = o.event_id "
        f"WHERE o.ends_at > ?{span} AND {where}"
    )
    return db.execute(sql, [after, *([until] if until else []), *params]).fetchone()[0]


def public_events(
    db: sqlite_utils.Database, ending_after: str, municipality: str | None, category: str | None
) -> list[Event]:
    """Public events with an occurrence still to come (or running), first date first."""
    where, params = _where(municipality, category)
    sql = (
        f"SELECT {', '.join('e.' + c for c in _EVENT.split(', '))} FROM events e "
        f"WHERE e.last_end_at > ? AND {where} ORDER BY e.starts_at, e.id"
    )
    return [_event(r) for r in db.execute(sql, [ending_after, *params])]


def by_state(
    db: sqlite_utils.Database, states: tuple[State, ...], municipalities: tuple[str, ...] | None
) -> list[Event]:
    """Events in these states, optionally of these municipalities only, oldest first."""
    marks = ", ".join("?" * len(states))
    sql = f"SELECT {_EVENT} FROM events WHERE state IN ({marks})"
    params: list = [s.value for s in states]
    if municipalities is not None:
        sql += f" AND municipality_ags IN ({', '.join('?' * len(municipalities))})"
        params += list(municipalities)
    return [_event(r) for r in db.execute(sql + " ORDER BY created_at, id", params)]


def version(db: sqlite_utils.Database) -> tuple:
    """Changes with every write to the events (a new row, a change, a state)."""
    return tuple(db.execute("SELECT count(*), max(id), max(updated_at) FROM events").fetchone())


def latest(db: sqlite_utils.Database, limit: int = 200) -> list[Event]:
    sql = f"SELECT {_EVENT} FROM events ORDER BY id DESC LIMIT ?"
    return [_event(r) for r in db.execute(sql, [limit])]


def save_submitter(db: sqlite_utils.Database, event_id: int, address: str, stamp: str) -> None:
    db["event_submitters"].insert(
        {"event_id": event_id, "submitter_email": address, "created_at": stamp}, replace=True
    )


def submitter_email(db: sqlite_utils.Database, event_id: int) -> str:
    row = db.execute(
        "SELECT submitter_email FROM event_submitters WHERE event_id = ?", [event_id]
    ).fetchone()
    return row[0] if row else ""


def counts_for_figures(db: sqlite_utils.Database, since: str, until: str) -> list[tuple]:
    """(AGS, source, state, occurrences in the period) per event with dates in the period."""
    sql = (
        "SELECT e.municipality_ags, e.source, e.state, count(o.starts_at) FROM events e "
        "JOIN event_occurrences o ON o.event_id = e.id WHERE o.starts_at >= ? AND o.starts_at < ? "
        "GROUP BY e.id"
    )
    return [tuple(r) for r in db.execute(sql, [since, until])]


def submitted_between(db: sqlite_utils.Database, since: str, until: str) -> list[tuple]:
    """(AGS, state) of the events clubs submitted in the period."""
    sql = (
        "SELECT municipality_ags, state FROM events WHERE source = 'club' "
        "AND created_at >= ? AND created_at < ?"
    )
    return [tuple(r) for r in db.execute(sql, [since, until])]
