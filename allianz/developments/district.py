"""Benchmark data at district scale: about 300 developments over ten years, each with its
affected members (computed as a report would), notifications, reminders, answers (some late,
some with a map point), coordination outcomes and version rows; written in bulk, in one
transaction. Reproducible by `seed`. The bench calls `generate`; nothing here is demo data
for people to read (the rows are marked `is_demo` so the demo clean-up takes them away)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import sqlite_utils
from shapely.geometry import Point, box, mapping
from shapely.geometry.base import BaseGeometry

from allianz import geo
from allianz.config import Alliance
from allianz.developments import service, store
from allianz.developments.model import ANSWERS, KINDS, REMIND_DAYS_BEFORE, STAGES
from allianz.formatting import BERLIN
from allianz.municipalities import service as municipalities
from allianz.municipalities.service import MunicipalityArea
from db.connection import write_transaction

AUTHOR = "benchmark"
# (kind, weight, hectares from, to)
KIND_SIZES = {
    "b_plan": (20, 1, 15),
    "vb_plan": (8, 0.5, 8),
    "fnp": (6, 5, 60),
    "commercial": (12, 3, 40),
    "housing": (22, 1, 20),
    "solar": (12, 5, 80),
    "wind": (6, 20, 200),
    "retail": (6, 0.5, 5),
    "infrastructure": (5, 2, 30),
    "other": (3, 0.5, 10),
}
ANSWER_WEIGHTS = {"noted": 40, "no_objection": 35, "remarks": 15, "objection": 10}
STATEMENTS = {
    "remarks": (
        "Bitte die Radwegeverbindung zwischen den Ortsteilen mitplanen.",
        "Die Zufahrt sollte über die Staatsstraße erfolgen, nicht durch den Ortskern.",
        "Wir bitten um Beteiligung an der Verkehrszählung.",
    ),
    "objection": (
        "Der zusätzliche Lkw-Verkehr führt durch unsere Ortsdurchfahrt; so nicht tragbar.",
        "Das Einzelhandelsvorhaben gefährdet die Versorgung in unserem Grundzentrum.",
        "Die Anlagen stehen zu nah an unserer Wohnbebauung (Sichtachse, Schall).",
    ),
}
TITLES = {
    "b_plan": "Bebauungsplan {place} {n}",
    "vb_plan": "Vorhabenbezogener B-Plan {place} {n}",
    "fnp": "FNP-Änderung {place} {n}",
    "commercial": "Gewerbegebiet {place} {n}",
    "housing": "Wohngebiet {place} {n}",
    "solar": "Freiflächen-PV {place} {n}",
    "wind": "Windpark {place} {n}",
    "retail": "Nahversorger {place} {n}",
    "infrastructure": "Ortsumgehung {place} {n}",
    "other": "Sondergebiet {place} {n}",
}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _point_in(area: BaseGeometry, rng: random.Random) -> Point:
    """A random point inside `area` (metric CRS), by rejection."""
    x0, y0, x1, y1 = area.bounds
    for _ in range(200):
        point = Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
        if area.contains(point):
            return point
    return area.representative_point()


def _area(metric: BaseGeometry, hectares: float, rng: random.Random) -> BaseGeometry:
    """A rectangle of about `hectares` inside the member's area (metric CRS)."""
    centre = _point_in(metric.buffer(-200) if metric.area > 4e6 else metric, rng)
    ratio = rng.uniform(0.5, 2.0)
    width = (hectares * 10_000 * ratio) ** 0.5
    height = hectares * 10_000 / width
    rect = box(
        centre.x - width / 2, centre.y - height / 2, centre.x + width / 2, centre.y + height / 2
    )
    clipped = rect.intersection(metric)
    return clipped if clipped.geom_type in ("Polygon", "MultiPolygon") and clipped.area else rect


def _answers(
    development: dict, asked: list[tuple[str, float]], metrics: dict, now: datetime, rng
) -> tuple[list[dict], list[str]]:
    """The members' rows: notification, reminder, answer (or none yet)."""
    created = datetime.fromisoformat(development["created_at"])
    deadline = datetime.fromisoformat(development["deadline"]).replace(tzinfo=BERLIN)
    remind_at = deadline - timedelta(days=REMIND_DAYS_BEFORE)
    rows, given = [], []
    for ags, distance in asked:
        passed = now > deadline + timedelta(days=1)
        answered = rng.random() < (0.9 if passed else 0.45)
        delay = timedelta(hours=rng.uniform(4, 24 * (40 if passed else 20)))
        at = created + delay if answered and created + delay < now else None
        kind = rng.choices(list(ANSWER_WEIGHTS), list(ANSWER_WEIGHTS.values()))[0] if at else None
        reminded = remind_at if (at is None or at > remind_at) and remind_at < now else None
        point = None
        if kind in ("remarks", "objection") and rng.random() < 0.4:
            point = geo.to_storage(_point_in(metrics[ags], rng))
        rows.append(
            {
                "development_id": development["id"],
                "ags": ags,
                "reason": "distance" if distance is not None else "manual",
                "distance_m": round(distance) if distance is not None else None,
                "notified_at": development["created_at"],
                "reminded_at": _iso(reminded) if reminded else None,
                "answer": kind,
                "statement": rng.choice(STATEMENTS[kind]) if kind in STATEMENTS else "",
                "statement_lon": round(point.x, 6) if point else None,
                "statement_lat": round(point.y, 6) if point else None,
                "answered_at": _iso(at) if at else None,
                "answered_by": f"{AUTHOR}-{ags}" if at else "",
                "late": int(bool(at) and at.astimezone(BERLIN).date() > deadline.date()),
            }
        )
        if kind:
            given.append(kind)
    return rows, given


def _versions(development: dict, members: list[dict]) -> list[dict]:
    """One version for the report and one per answer, as the service would write them."""
    answered = sorted((m for m in members if m["answered_at"]), key=lambda m: m["answered_at"])
    rows, state = [], {m["ags"]: None for m in members}
    steps = [(development["created_at"], development["created_by"], None), *(
        (m["answered_at"], m["answered_by"], m) for m in answered
    )]  # fmt: skip
    for number, (at, by, member) in enumerate(steps, 1):
        if member is not None:
            state[member["ags"]] = member["answer"]
        snapshot = {
            "title": development["title"],
            "kind": development["kind"],
            "stage": development["stage"],
            "deadline": development["deadline"],
            "members": dict(state),
        }
        rows.append(
            {
                "development_id": development["id"],
                "version": number,
                "snapshot": json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
                "changed_by": by,
                "changed_at": at,
            }
        )
    return rows


def generate(
    db: sqlite_utils.Database,
    alliance: Alliance,
    seed: int = 21,
    *,
    count: int = 300,
    years: int = 10,
    now: datetime | None = None,
) -> dict:
    """Fill `count` developments spread over the last `years` years with their members,
    answers and versions; returns the counts written."""
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    areas: list[MunicipalityArea] = municipalities.areas(db)
    members = {m.ags: m.name for m in alliance.municipalities}
    areas = [a for a in areas if a.ags in members]
    if not areas:
        raise service.DevelopmentError("Für die Allianz sind keine Gemeindegebiete geladen.")
    metrics = {a.ags: geo.to_metric(a.geometry) for a in areas}
    config = service.settings(alliance)
    kinds = list(KIND_SIZES)
    weights = [KIND_SIZES[k][0] for k in kinds]
    next_id = store.next_development_id(db)
    developments, member_rows, version_rows = [], [], []
    answered = 0
    for number in range(count):
        reporter = rng.choice(areas)
        kind = rng.choices(kinds, weights)[0]
        _weight, low, high = KIND_SIZES[kind]
        shape_metric = _area(metrics[reporter.ags], rng.uniform(low, high), rng)
        geometry = geo.to_storage(shape_metric)
        created = now - timedelta(days=rng.uniform(0, 365.25 * years))
        distance = config.distance_km[kind]
        asked: list[tuple[str, float | None]] = list(
            service.affected(areas, geometry, distance, reporter.ags)
        )
        if rng.random() < 0.1:
            others = [a.ags for a in areas if a.ags != reporter.ags and a.ags not in dict(asked)]
            if others:
                asked.append((rng.choice(others), None))
        deadline = created.astimezone(BERLIN).date() + timedelta(days=config.answer_days)
        development = {
            "id": next_id + number,
            "title": TITLES[kind].format(place=reporter.name.split()[-1], n=number + 1),
            "kind": kind,
            "stage": rng.choice(list(STAGES)),
            "municipality_ags": reporter.ags,
            "area_ha": round(shape_metric.area / 10_000, 2),
            "dwellings": rng.randint(10, 400) if kind == "housing" else None,
            "floor_space_m2": rng.randint(800, 60_000)
            if kind in ("commercial", "retail")
            else None,
            "effects": json.dumps(rng.sample(["traffic", "retail", "landscape", "noise"], 2)),
            "effects_text": "",
            "contact_name": f"Bauamt {reporter.name}",
            "contact_email": "",
            "contact_phone": "",
            "geometry": json.dumps(mapping(geometry), separators=(",", ":")),
            "geometry_source": "Benchmark",
            "distance_km": distance,
            "deadline": deadline.isoformat(),
            "status": "open",
            "outcome": "",
            "public": 0,
            "released_at": None,
            "meeting_id": None,
            "version": 1,
            "is_demo": 1,
            "created_by": AUTHOR,
            "created_at": _iso(created),
            "updated_at": _iso(created),
        }
        rows, given = _answers(development, asked, metrics, now, rng)
        versions = _versions(development, rows)
        development["version"] = len(versions)
        development["updated_at"] = versions[-1]["changed_at"]
        if "objection" in given:
            old = now - created > timedelta(days=365)
            development["status"] = "settled" if old else "coordination"
            if old:
                development["outcome"] = "Abgestimmt: Zufahrt verlegt, Pflanzstreifen ergänzt."
        if development["stage"] in ("entwurf", "satzung") and rng.random() < 0.3:
            development["public"] = 1
            development["released_at"] = development["updated_at"]
        developments.append(development)
        member_rows += rows
        version_rows += versions
        answered += len(given)
    with write_transaction(db):
        store.insert_bulk(db, developments, member_rows, version_rows)
    return {
        "developments": len(developments),
        "development_members": len(member_rows),
        "answers": answered,
        "open_answers": len(member_rows) - answered,
        "late_answers": sum(r["late"] for r in member_rows),
        "statement_points": sum(1 for r in member_rows if r["statement_lon"] is not None),
        "development_versions": len(version_rows),
        "kinds": len({d["kind"] for d in developments} & set(KINDS)),
        "answer_kinds": len({r["answer"] for r in member_rows if r["answer"]} & set(ANSWERS)),
    }
