"""Store and rules of the throwaway slice in one small module."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from allianz.figures import ALLIANCE, FigureRequest, FigureSection

migrations = Migrations("path_sponsors")


@migrations()
def create_table(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE path_sponsors (id INTEGER PRIMARY KEY, route TEXT NOT NULL, "
        "municipality_ags TEXT NOT NULL, sponsor_email TEXT, created_at TEXT NOT NULL)"
    )


def add(db: sqlite_utils.Database, route: str, ags: str, email: str, at: str) -> None:
    db["path_sponsors"].insert(
        {"route": route, "municipality_ags": ags, "sponsor_email": email, "created_at": at}
    )


def names(db: sqlite_utils.Database) -> list[str]:
    return [r["route"] for r in db.query("SELECT route FROM path_sponsors ORDER BY id")]


def export(db: sqlite_utils.Database, address: str) -> list[dict]:
    sql = "SELECT route, created_at FROM path_sponsors WHERE sponsor_email = ? COLLATE NOCASE"
    return [dict(r) for r in db.query(sql, [address])]


def erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = "UPDATE path_sponsors SET sponsor_email = NULL WHERE sponsor_email = ? COLLATE NOCASE"
    return {"path_sponsors": db.execute(sql, [address]).rowcount}


def purge(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = "UPDATE path_sponsors SET sponsor_email = NULL WHERE created_at < ?"
    return {"path_sponsors": db.execute(sql, [cutoff]).rowcount}


def figures(request: FigureRequest) -> list[FigureSection]:
    counts = dict(
        request.db.execute(
            "SELECT municipality_ags, count(*) FROM path_sponsors GROUP BY municipality_ags"
        ).fetchall()
    )
    values = {ALLIANCE: {"sponsored": sum(counts.values())}}
    values |= {m.ags: {"sponsored": counts.get(m.ags, 0)} for m in request.alliance.municipalities}
    return [
        FigureSection(
            key="path_sponsors",
            title="Wegepaten",
            heading="Wegepatenschaften",
            labels={"sponsored": "Wege mit Paten"},
            frame=request.frame(values, ["sponsored"]),
            note="Wege, für die eine Patenschaft besteht.",
            source="Wegepaten: Liste der Patenschaften.",
            headline=(("sponsored", "Wege mit Paten"),),
        )
    ]
