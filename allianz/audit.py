"""The audit trail: who did what, when, to which record, and why.

Callers write the audit row inside the same write transaction as the change it describes,
so a change without its audit entry (or the reverse) cannot happen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils


@dataclass(frozen=True)
class Actor:
    """Who acts: an account name (or 'cli', 'system') and the role it acted in."""

    name: str
    role: str


SYSTEM = Actor("system", "system")
CLI = Actor("cli", "admin")  # the command line, run by the server's administrator


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record(
    db: sqlite_utils.Database,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | None = None,
    *,
    municipality_ags: str | None = None,
    reason: str | None = None,
    details: dict | None = None,
) -> None:
    db["audit"].insert(
        {
            "at": now_iso(),
            "actor": actor.name,
            "actor_role": actor.role,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "municipality_ags": municipality_ags,
            "reason": reason,
            "details": json.dumps(details, ensure_ascii=False, sort_keys=True) if details else None,
        }
    )


def recent(
    db: sqlite_utils.Database, *, municipality_ags: str | None = None, limit: int = 200
) -> list[dict]:
    """Newest first; restricted to one municipality when given."""
    where, params = "", []
    if municipality_ags is not None:
        where, params = "WHERE municipality_ags = ?", [municipality_ags]
    sql = f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT ?"
    return [dict(row) for row in db.query(sql, [*params, limit])]
