"""SQL for the Leerstandsrisiko tables only: buildings with derived flags, contact steps."""

from __future__ import annotations

import sqlite_utils

from allianz.vacancies.risk_model import Contact, RiskBuilding

_FLAGS = ("all_70", "all_80", "no_resident")


def _building(row) -> RiskBuilding:
    data = dict(row)
    for flag in _FLAGS:
        data[flag] = bool(data[flag])
    return RiskBuilding(**data)


def replace_municipality(
    db: sqlite_utils.Database, ags: str, rows: list[dict], stamp: str, expires: str
) -> dict[str, int]:
    """The municipality's flags become `rows` (keyed by location_key): buildings still in
    the extract keep their id and contact steps, the others go with theirs."""
    assert db.conn.in_transaction, "replace_municipality() needs write_transaction()"
    keys = [r["location_key"] for r in rows]
    kept = {
        key: building_id
        for key, building_id in db.execute(
            "SELECT location_key, id FROM vacancy_risk_buildings WHERE municipality_ags = ?",
            [ags],
        ).fetchall()
    }
    gone = [i for k, i in kept.items() if k not in set(keys)]
    for chunk in range(0, len(gone), 500):
        part = gone[chunk : chunk + 500]
        marks = ",".join("?" * len(part))
        db.execute(f"DELETE FROM vacancy_risk_contacts WHERE building_id IN ({marks})", part)
        db.execute(f"DELETE FROM vacancy_risk_buildings WHERE id IN ({marks})", part)
    for row in rows:
        values = {**row, "municipality_ags": ags, "imported_at": stamp, "expires_at": expires}
        if row["location_key"] in kept:
            db["vacancy_risk_buildings"].update(kept[row["location_key"]], values)
        else:
            db["vacancy_risk_buildings"].insert(values)
    return {"replaced": len(rows), "removed": len(gone)}


def buildings(
    db: sqlite_utils.Database, municipalities: tuple[str, ...], now: str
) -> list[RiskBuilding]:
    """Unexpired buildings of these municipalities (empty: all)."""
    where, params = ["expires_at > ?"], [now]
    if municipalities:
        where.append(f"municipality_ags IN ({','.join('?' * len(municipalities))})")
        params += list(municipalities)
    sql = (
        f"SELECT * FROM vacancy_risk_buildings WHERE {' AND '.join(where)} "
        "ORDER BY municipality_ags, street, house_number, id"
    )
    return [_building(r) for r in db.query(sql, params)]


def get(db: sqlite_utils.Database, building_id: int, now: str) -> RiskBuilding | None:
    rows = list(
        db.query(
            "SELECT * FROM vacancy_risk_buildings WHERE id = ? AND expires_at > ?",
            [building_id, now],
        )
    )
    return _building(rows[0]) if rows else None


def set_site(db: sqlite_utils.Database, building_id: int, site_id: int) -> None:
    db.execute("UPDATE vacancy_risk_buildings SET site_id = ? WHERE id = ?", [site_id, building_id])


def add_contact(db: sqlite_utils.Database, row: dict) -> int:
    return db["vacancy_risk_contacts"].insert(row).last_pk


def contacts(db: sqlite_utils.Database, building_id: int) -> list[Contact]:
    rows = db.query(
        "SELECT * FROM vacancy_risk_contacts WHERE building_id = ? "
        "ORDER BY contacted_on DESC, id DESC",
        [building_id],
    )
    return [Contact(**r) for r in rows]


def latest_contacts(db: sqlite_utils.Database, building_ids: list[int]) -> dict[int, Contact]:
    """The newest contact step of each building that has one."""
    result: dict[int, Contact] = {}
    for chunk in range(0, len(building_ids), 500):
        part = building_ids[chunk : chunk + 500]
        marks = ",".join("?" * len(part))
        rows = db.query(
            f"SELECT * FROM vacancy_risk_contacts WHERE building_id IN ({marks}) "
            "ORDER BY contacted_on, id",
            part,
        )
        for row in rows:
            result[row["building_id"]] = Contact(**row)
    return result


def purge_expired(db: sqlite_utils.Database, now: str) -> dict[str, int]:
    """Buildings whose flags expired, with their contact steps."""
    expired = "SELECT id FROM vacancy_risk_buildings WHERE expires_at <= ?"
    contacts_gone = db.execute(
        f"DELETE FROM vacancy_risk_contacts WHERE building_id IN ({expired})", [now]
    ).rowcount
    buildings_gone = db.execute(
        "DELETE FROM vacancy_risk_buildings WHERE expires_at <= ?", [now]
    ).rowcount
    return {"vacancy_risk_buildings": buildings_gone, "vacancy_risk_contacts": contacts_gone}


def contacts_mentioning(db: sqlite_utils.Database, text: str) -> list[dict]:
    return [
        dict(r)
        for r in db.query(
            "SELECT b.street, b.house_number, c.contacted_on, c.outcome, c.note, c.created_at "
            "FROM vacancy_risk_contacts c JOIN vacancy_risk_buildings b ON b.id = c.building_id "
            "WHERE instr(lower(c.note), lower(?)) > 0 ORDER BY c.id",
            [text],
        )
    ]


def erase_mentions(db: sqlite_utils.Database, text: str, replacement: str) -> int:
    return db.execute(
        "UPDATE vacancy_risk_contacts SET note = ? WHERE instr(lower(note), lower(?)) > 0",
        [replacement, text],
    ).rowcount
