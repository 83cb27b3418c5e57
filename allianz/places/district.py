"""Benchmark data at district scale: 20.000 places spread over the members' areas in every
category (most of them bus stops, parking, playgrounds and containers, as in an OSM extract),
about half with opening hours, and a town hall's ten contacts per member — deterministic for a
seed, written with one executemany per table in one transaction. The bench calls `generate`
and times the pages (the map clusters beyond `overview_map.DETAILED_UP_TO` places)."""

from __future__ import annotations

import random
import time

import shapely
import sqlite_utils
from shapely.geometry import Point

from allianz import audit
from allianz.config import Alliance
from allianz.municipalities import service as municipalities
from allianz.places.model import CATEGORIES
from allianz.places.service import fold
from db.connection import write_transaction

COUNT = 20_000
ACTOR = "benchmark"
WEIGHTS = {
    "haltestelle": 18, "parken": 14, "spielplatz": 10, "wertstoff": 10, "sport": 6,
    "kultur": 5, "arzt": 6, "schule": 4, "kita": 5, "ladestation": 5, "toilette": 4,
    "aussicht": 4, "touristinfo": 2, "bibliothek": 2, "bauhof": 1, "rathaus": 1,
}  # fmt: skip
HOURS = (
    "Mo-Fr 08:00-12:00; Di 14:00-18:00; PH off",
    "Mo-Fr 07:00-16:00; PH off",
    "Mo-Sa 08:00-20:00",
    "24/7",
    "Di,Do 14:00-18:00; Sa 09:00-12:00",
)
DEPARTMENTS = (
    ("Bürgerbüro", "Meldewesen, Personalausweis, Reisepass"),
    ("Bauamt", "Bauanträge, Straßenbeleuchtung, Winterdienst"),
    ("Ordnungsamt", "Hundesteuer, Gewerbeanmeldung, Veranstaltungen"),
    ("Kämmerei", "Grundsteuer, Gebühren"),
    ("Hauptamt", "Kita-Plätze, Ferienprogramm"),
)


def _points(area, n: int, rng: random.Random) -> list[Point]:
    minx, miny, maxx, maxy = area.bounds
    shapely.prepare(area)
    out: list[Point] = []
    while len(out) < n:
        candidates = [Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy)) for _ in range(n * 2)]
        out += [p for p in candidates if area.contains(p)][: n - len(out)]
    return out


def generate(
    db: sqlite_utils.Database, alliance: Alliance, count: int = COUNT, seed: int = 27
) -> dict:
    """Write `count` places and ten contacts per member; returns counts and seconds."""
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data
    started = time.perf_counter()
    areas = {a.ags: a.geometry for a in municipalities.areas(db)}
    names = {m.ags: m.name for m in alliance.municipalities}
    members = [m.ags for m in alliance.municipalities if m.ags in areas]
    keys, weights = list(WEIGHTS), list(WEIGHTS.values())
    stamp = audit.now_iso()
    rows = []
    per = -(-count // len(members))
    for ags in members:
        town = names[ags].removeprefix("Stadt ")
        for point in _points(areas[ags], min(per, count - len(rows)), rng):
            category = rng.choices(keys, weights)[0]
            name = f"{CATEGORIES[category]} {town} {len(rows) + 1}"
            rows.append(
                {
                    "municipality_ags": ags, "category": category, "name": name,
                    "address_text": town, "lat": round(point.y, 6), "lon": round(point.x, 6),
                    "opening_hours": rng.choice(HOURS) if rng.random() < 0.5 else "",
                    "wheelchair": rng.choice(("yes", "limited", "no", "")), "source": "osm",
                    "source_id": f"node/{len(rows) + 1}",
                    "search_text": fold(f"{name} {CATEGORIES[category]} {town} {names[ags]}"),
                    "created_by": ACTOR, "created_at": stamp, "updated_at": stamp,
                }
            )  # fmt: skip
    contacts = [
        {
            "municipality_ags": ags, "department": department, "role": f"{department} {i}",
            "phone": "034291 000", "keywords": keywords, "basis": "function",
            "search_text": fold(f"{department} {keywords} {names[ags]}"),
            "created_by": ACTOR, "created_at": stamp, "updated_at": stamp,
        }
        for ags in members
        for i, (department, keywords) in enumerate(DEPARTMENTS * 2)
    ]  # fmt: skip
    with write_transaction(db):
        db["places"].insert_all(rows, batch_size=2000)
        db["place_contacts"].insert_all(contacts, batch_size=2000)
    return {
        "places": len(rows),
        "contacts": len(contacts),
        "seconds": round(time.perf_counter() - started, 2),
    }
