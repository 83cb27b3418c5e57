"""Demo vacancy sites per municipality (some shared, some with owner data), reproducible."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlite_utils
from shapely.geometry import Point

from allianz import audit
from allianz.config import Alliance
from allianz.municipalities.service import MunicipalityArea
from allianz.vacancies import service

KINDS = ("baulücke", "leerstand", "hofstelle", "baulücke", "brache", "leerstand", "gering_bebaut")
WILLING = ("verkauf", "vermietung", "unbekannt", "nein", "bebauung")


def load(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    actor: audit.Actor,
    per_municipality: int = 6,
    today: date | None = None,
) -> int:
    """Idempotent: nothing happens when the register holds sites already."""
    if db["vacancy_sites"].count:
        return 0
    today = today or date.today()
    rng = random.Random(f"{alliance.slug}-vacancies")  # noqa: S311 - reproducible demo
    rows = []
    for area in areas:
        municipality = alliance.municipality(area.ags)
        inner = area.geometry.buffer(-0.003)
        minx, miny, maxx, maxy = inner.bounds
        for index in range(per_municipality):
            for _ in range(50):
                lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
                if inner.contains(Point(lon, lat)):
                    break
            kind = KINDS[(index + len(area.ags)) % len(KINDS)]
            shared = index % 3 == 0
            rows.append(
                {
                    "municipality_ags": area.ags,
                    "ortsteil": municipality.ortsteile[index % len(municipality.ortsteile)]
                    if municipality.ortsteile
                    else None,
                    "address": f"Demoweg {index + 1}",
                    "lat": lat,
                    "lon": lon,
                    "type": kind,
                    "usage": "wohnen" if kind in ("baulücke", "leerstand") else "gemischt",
                    "vacant_since": (today - timedelta(days=rng.randint(200, 4000))).isoformat(),
                    "building_epoch": None if kind == "baulücke" else "1949_1978",
                    "condition": None if kind == "baulücke" else ("mittel", "schlecht")[index % 2],
                    "area_m2": round(rng.uniform(400, 2500)),
                    "owner_type": ("privat", "erbengemeinschaft", "kommune")[index % 3],
                    "owner_contacted_on": (today - timedelta(days=90)).isoformat()
                    if index % 2 == 0
                    else None,
                    "willingness": WILLING[index % len(WILLING)] if not shared else "verkauf",
                    "publication_consent": shared,
                    "description": "Demo-Fläche: Beispiel für Leerstand teilen." if shared else "",
                    "source": "Demo",
                    "next_review": (today + timedelta(days=rng.randint(-30, 180))).isoformat(),
                    "owner_name": f"Eigentümer Demo {area.ags[-3:]}-{index + 1}",
                    "owner_contact": "Telefon im Bauamt hinterlegt (Demo)",
                }
            )
    service.import_rows(db, alliance, areas, None, rows, actor=actor, today=today)
    db.execute("UPDATE vacancy_sites SET is_demo = 1")
    return len(rows)
