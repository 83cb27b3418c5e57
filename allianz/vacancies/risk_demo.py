"""Demo vacancy-risk flags: per demo member some buildings as a register extract would give
them (made-up residents, reduced to counts at once, like the real import), so the work list,
the map and the k-anonymous aggregates show something. Marked "(Demo)" in the street."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlite_utils
from shapely.geometry import Point

from allianz import audit, clock
from allianz.config import Alliance
from allianz.municipalities.service import MunicipalityArea
from allianz.vacancies import risk_service, risk_store
from allianz.vacancies.risk_model import AgeCounts, derive
from db.connection import write_transaction

STREETS = ("Lindenstraße", "Am Anger", "Dorfstraße", "Kirchweg", "Mühlgasse", "Gartenstraße")


def _residents(rng: random.Random) -> AgeCounts:
    counts = AgeCounts()
    kind = rng.random()
    if kind < 0.08:
        return counts  # nobody registered: a possible vacancy
    if kind < 0.28:
        for _ in range(rng.randint(1, 2)):
            counts.add_age(rng.randint(70, 94))  # all 70+ (some 80+)
        return counts
    for _ in range(rng.randint(1, 5)):
        counts.add_age(rng.randint(0, 90))
    return counts


def load(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    actor: audit.Actor,
    per_municipality: int = 40,
) -> int:
    """Idempotent: nothing happens when flags are stored already. Returns the buildings."""
    if db["vacancy_risk_buildings"].count:
        return 0
    rng = random.Random(f"{alliance.slug}-vacancy-risk")  # noqa: S311 - reproducible demo
    now = clock.now()
    stamp = now.isoformat(timespec="seconds")
    expires = (now + timedelta(days=round(365.25 * risk_service.keep_years(alliance)))).isoformat(
        timespec="seconds"
    )
    total = 0
    with write_transaction(db):
        for area in areas:
            municipality = alliance.municipality(area.ags)
            inner = area.geometry.buffer(-0.003)
            minx, miny, maxx, maxy = inner.bounds
            rows = []
            for index in range(per_municipality):
                for _ in range(50):
                    lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
                    if inner.contains(Point(lon, lat)):
                        break
                flags = derive(_residents(rng))
                ortsteile = municipality.ortsteile
                rows.append(
                    {
                        "location_key": f"p:{lat:.6f},{lon:.6f}",
                        "street": f"{STREETS[index % len(STREETS)]} (Demo)",
                        "house_number": str(index + 1),
                        "ortsteil": ortsteile[index % len(ortsteile)] if ortsteile else None,
                        "lat": round(lat, 7),
                        "lon": round(lon, 7),
                        "all_70": int(flags.all_70),
                        "all_80": int(flags.all_80),
                        "no_resident": int(flags.no_resident),
                        "resident_band": flags.band,
                    }
                )
            risk_store.replace_municipality(db, area.ags, rows, stamp, expires)
            audit.record(
                db,
                actor,
                "vacancy_risk.import",
                "vacancy_risk",
                area.ags,
                municipality_ags=area.ags,
                details={"Gebäude": len(rows), "Demo": True},
            )
            total += len(rows)
    return total
