"""Measure rules: only the alliance manager edits; every change is versioned; steps carry due
dates and a responsible person or body; suggestions, cards and segments link to a measure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from allianz import audit, submissions
from allianz.accounts.model import User
from allianz.auth import can
from allianz.config import Alliance
from allianz.errors import NotFound, PermissionDenied, ValidationError
from allianz.measures.model import EDITABLE, LINK_KINDS, PRIORITIES, STATUSES, Measure, Step
from allianz.text import clean
from db.connection import write_transaction

TITLE_MAX, TEXT_MAX = 300, 2000


class MeasureError(ValidationError):
    """A refused change; `errors` are German sentences."""


# --- reading --------------------------------------------------------------------------------


def _measure(row, steps: tuple[Step, ...]) -> Measure:
    data = dict(row)
    data["municipalities"] = tuple(json.loads(data["municipalities"]))
    data["is_demo"] = bool(data["is_demo"])
    return Measure(**data, steps=steps)


def all_measures(db: sqlite_utils.Database) -> list[Measure]:
    steps: dict[int, list[Step]] = {}
    for row in db.query("SELECT * FROM measure_steps ORDER BY due_on IS NULL, due_on, id"):
        data = dict(row)
        steps.setdefault(data.pop("measure_id"), []).append(Step(**data))
    rows = db.query("SELECT * FROM measures ORDER BY priority, handlungsfeld, id")
    return [_measure(row, tuple(steps.get(row["id"], ()))) for row in rows]


def get(db: sqlite_utils.Database, measure_id: int) -> Measure | None:
    return next((m for m in all_measures(db) if m.id == measure_id), None)


def history(db: sqlite_utils.Database, measure_id: int) -> list[dict]:
    rows = db.query(
        "SELECT * FROM measure_history WHERE measure_id = ? ORDER BY version DESC", [measure_id]
    )
    return [{**row, "changes": json.loads(row["changes"])} for row in rows]


def links(db: sqlite_utils.Database, measure_id: int) -> list[dict]:
    sql = "SELECT * FROM measure_links WHERE measure_id = ? ORDER BY kind, target_id"
    return [dict(row) for row in db.query(sql, [measure_id])]


def measures_for(db: sqlite_utils.Database, kind: str, target_id: int) -> list[Measure]:
    """The measures a suggestion, card or segment became part of ("you said, we did")."""
    sql = "SELECT measure_id FROM measure_links WHERE kind = ? AND target_id = ?"
    ids = {row["measure_id"] for row in db.query(sql, [kind, target_id])}
    return [m for m in all_measures(db) if m.id in ids] if ids else []


def overdue_steps(measures: list[Measure], today: date) -> list[tuple[Measure, Step]]:
    iso = today.isoformat()
    return [(m, s) for m in measures for s in m.steps if s.overdue(iso)]


def concerns(measure: Measure, ags: str | None) -> bool:
    """A measure without listed municipalities concerns all of them."""
    return ags is None or not measure.municipalities or ags in measure.municipalities


# --- writing --------------------------------------------------------------------------------


@dataclass
class StepDraft:
    text: str
    due_on: date | str | None = None
    responsible: str = ""
    done_on: date | str | None = None


def _iso(value, label: str, errors: list[str]) -> str | None:
    if value in (None, "") or value != value:
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        errors.append(f"{label}: „{clean(str(value))[:20]}“ ist kein Datum.")
        return None


def _check(alliance: Alliance, data: dict, steps: list[StepDraft]) -> tuple[dict, list, list]:
    errors = []
    row = {
        "handlungsfeld": data.get("handlungsfeld"),
        "area": clean(data.get("area"))[:TITLE_MAX],
        "title": clean(data.get("title")),
        "priority": str(data.get("priority") or "").upper(),
        "assessment": clean(data.get("assessment")),
        "status": data.get("status") or "idea",
        "funding": clean(data.get("funding"))[:TITLE_MAX],
    }
    if row["handlungsfeld"] not in {h.number for h in alliance.handlungsfelder}:
        errors.append("Bitte ein Handlungsfeld der Allianz wählen.")
    if not 3 <= len(row["title"]) <= TITLE_MAX:
        errors.append(f"Die Maßnahme braucht eine Bezeichnung mit 3 bis {TITLE_MAX} Zeichen.")
    if row["priority"] not in PRIORITIES:
        errors.append("Priorität: A, B oder C.")
    if row["status"] not in STATUSES:
        errors.append("Unbekannter Stand.")
    if len(row["assessment"]) > TEXT_MAX:
        errors.append(f"Die Bewertung hat höchstens {TEXT_MAX} Zeichen.")
    cost = data.get("cost_eur")
    if cost in (None, "") or cost != cost:
        row["cost_eur"] = None
    else:
        try:
            row["cost_eur"] = round(float(str(cost).replace(",", ".")), 2)
            if row["cost_eur"] < 0:
                raise ValueError
        except ValueError:
            errors.append("Kosten: bitte eine Zahl ab 0 (Euro).")
            row["cost_eur"] = None
    members = {m.ags for m in alliance.municipalities}
    chosen = list(dict.fromkeys(data.get("municipalities") or ()))
    if any(a not in members for a in chosen):
        errors.append("Eine gewählte Gemeinde gehört nicht zur Allianz.")
    row["municipalities"] = json.dumps(sorted(chosen))
    clean_steps = []
    for number, step in enumerate(steps, start=1):
        text = clean(step.text)
        if not text:
            continue
        if len(text) > TEXT_MAX:
            errors.append(f"Schritt {number}: höchstens {TEXT_MAX} Zeichen.")
        clean_steps.append(
            {
                "text": text,
                "due_on": _iso(step.due_on, f"Schritt {number}, fällig am", errors),
                "responsible": clean(step.responsible)[:200],
                "done_on": _iso(step.done_on, f"Schritt {number}, erledigt am", errors),
            }
        )
    return row, clean_steps, errors


def _require_manager(user: User) -> None:
    if not can(user.role, "measures.edit"):
        raise PermissionDenied("Maßnahmen bearbeitet das Allianzmanagement.")


def _snapshot(row: dict, steps: list[dict]) -> dict:
    values = {k: row[k] for k in EDITABLE}
    values["municipalities"] = json.loads(values["municipalities"])
    values["steps"] = [
        f"{s['text']} ({s['due_on'] or 'ohne Termin'}, {s['responsible'] or '–'})"
        + (f", erledigt {s['done_on']}" if s["done_on"] else "")
        for s in steps
    ]
    return values


def create(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User | None,
    data: dict,
    steps: list[StepDraft] = (),
    actor: audit.Actor | None = None,
    token: str | None = None,
) -> int:
    if user is not None:
        _require_manager(user)
    actor = actor or user.actor
    row, clean_steps, errors = _check(alliance, data, list(steps))
    if errors:
        raise MeasureError(errors)
    stamp = audit.now_iso()
    with write_transaction(db):
        submissions.claim(db, token, "measure.create")
        new_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM measures").fetchone()[0]
        db["measures"].insert(
            {
                **row,
                "id": new_id,
                "ref": f"M-{new_id:03d}",
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        db["measure_steps"].insert_all({**s, "measure_id": new_id} for s in clean_steps)
        changes = {k: [None, v] for k, v in _snapshot(row, clean_steps).items() if v}
        db["measure_history"].insert(
            {"measure_id": new_id, "version": 1, "at": stamp, "actor": actor.name,
             "changes": json.dumps(changes, ensure_ascii=False)}
        )  # fmt: skip
        audit.record(db, actor, "measure.create", "measure", str(new_id))
    return new_id


def update(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    measure_id: int,
    data: dict,
    steps: list[StepDraft],
) -> bool:
    """Replace the measure's values and steps; False when nothing changed."""
    _require_manager(user)
    row, clean_steps, errors = _check(alliance, data, steps)
    if errors:
        raise MeasureError(errors)
    with write_transaction(db):
        current = get(db, measure_id)
        if current is None:
            raise NotFound("Diese Maßnahme gibt es nicht.")
        old_steps = [
            {"text": s.text, "due_on": s.due_on, "responsible": s.responsible, "done_on": s.done_on}
            for s in current.steps
        ]
        old_row = current.values() | {"municipalities": json.dumps(list(current.municipalities))}
        before, after = _snapshot(old_row, old_steps), _snapshot(row, clean_steps)
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if not diff:
            return False
        version = current.version + 1
        db["measures"].update(
            measure_id, {**row, "version": version, "updated_at": audit.now_iso()}
        )
        db.execute("DELETE FROM measure_steps WHERE measure_id = ?", [measure_id])
        db["measure_steps"].insert_all({**s, "measure_id": measure_id} for s in clean_steps)
        db["measure_history"].insert(
            {"measure_id": measure_id, "version": version, "at": audit.now_iso(),
             "actor": user.username, "changes": json.dumps(diff, ensure_ascii=False)}
        )  # fmt: skip
        audit.record(
            db, user.actor, "measure.update", "measure", str(measure_id),
            details={"fields": sorted(diff)},
        )  # fmt: skip
    return True


def add_step(
    db: sqlite_utils.Database, alliance: Alliance, user: User, measure_id: int, step: StepDraft
) -> None:
    """Append one next step (a meeting's resolution adds its step this way), versioned like
    any other change; joins the caller's transaction when there is one."""
    current = get(db, measure_id)
    if current is None:
        raise NotFound("Diese Maßnahme gibt es nicht.")
    steps = [StepDraft(s.text, s.due_on, s.responsible, s.done_on) for s in current.steps]
    update(db, alliance, user, measure_id, current.values(), [*steps, step])


def link(db: sqlite_utils.Database, user: User, measure_id: int, kind: str, target_id: int) -> None:
    """Link a suggestion, workshop card or network segment; the target must exist."""
    _require_manager(user)
    if kind not in LINK_KINDS:
        raise MeasureError("Unbekannte Art der Verknüpfung.")
    table = {"suggestion": "suggestions", "card": "workshop_cards", "segment": "segments"}[kind]
    with write_transaction(db):
        if get(db, measure_id) is None:
            raise NotFound("Diese Maßnahme gibt es nicht.")
        if not db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [target_id]).fetchone():
            raise NotFound(f"{LINK_KINDS[kind]} Nr. {target_id} gibt es nicht.")
        db.execute(
            "INSERT OR IGNORE INTO measure_links (measure_id, kind, target_id, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?)",
            [measure_id, kind, target_id, user.username, audit.now_iso()],
        )
        audit.record(
            db, user.actor, "measure.link", "measure", str(measure_id),
            details={"kind": kind, "target": target_id},
        )  # fmt: skip


def unlink(db: sqlite_utils.Database, user: User, link_id: int) -> None:
    _require_manager(user)
    with write_transaction(db):
        row = db.execute("SELECT measure_id FROM measure_links WHERE id = ?", [link_id]).fetchone()
        if row is None:
            raise NotFound("Diese Verknüpfung gibt es nicht.")
        db.execute("DELETE FROM measure_links WHERE id = ?", [link_id])
        audit.record(db, user.actor, "measure.unlink", "measure", str(row[0]))
