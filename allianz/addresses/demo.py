"""A generated address index for the demo alliance: deterministic, a few thousand addresses.

Each configured Ortsteil becomes a village inside its municipality's (demo) area: the one that
bears the municipality's name at the seat, the others on a ring around it. Every village gets
streets with common German names, houses on both sides (odd numbers left, even right, now and
then a "12a"). Nothing of it is real; the source says so.
"""

from __future__ import annotations

import hashlib
import math
import random

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point

from allianz.addresses import normalise
from allianz.addresses.model import AddressRow, short_name
from allianz.config import Alliance
from allianz.geo import METRIC_CRS, STORAGE_CRS
from allianz.municipalities.service import MunicipalityArea

SOURCE = "Demo-Adressverzeichnis (generiert, nicht amtlich)"
STREETS = (
    "Hauptstraße", "Bahnhofstraße", "Dorfstraße", "Schulstraße", "Gartenstraße",
    "Kirchstraße", "Lindenstraße", "Am Anger", "Feldweg", "Wiesenweg", "Mühlgasse",
    "Leipziger Straße", "Karl-Marx-Straße", "Goethestraße", "Schillerstraße", "Parkstraße",
    "Ringstraße", "Waldstraße", "Birkenweg", "Ahornweg", "Am Sportplatz", "Rosenweg",
    "Friedhofsweg", "Am Teich", "Pappelallee", "Grimmaische Straße", "Wurzener Straße",
    "Poststraße", "Mühlstraße", "Straße des Friedens", "Thomas-Müntzer-Straße", "Am Gutshof",
    "Heinrich-Heine-Straße", "Rathausstraße", "Siedlungsstraße", "Sonnenweg", "Am Bach",
    "Teichstraße", "Jahnstraße", "Fröbelstraße", "Kastanienallee", "Weißer Weg",
    "Große Gasse", "Grüner Weg", "Straße der Einheit", "Bergstraße", "Talstraße",
    "Südstraße", "Nordstraße", "Am Rittergut", "Schmiedegasse", "Brückenstraße",
    "Eichenweg", "Gänseweide", "Obstgartenweg", "Straße des 17. Juni", "Am Mühlgraben",
)  # fmt: skip
# Postcodes of the demo alliances' members (Deutsche Post); other members get none.
POSTCODES = {
    "14729060": "04451",  # Borsdorf
    "14729070": "04821",  # Brandis
    "14729190": "04463",  # Großpösna
    "14729300": "04683",  # Naunhof
    "14729020": "04683",  # Belgershain
    "14729340": "04668",  # Parthenstein
    "14729250": "04827",  # Machern
    "16068051": "99610",  # Sömmerda
    "16068063": "99628",  # Buttstädt
    "16068064": "99638",  # Kindelbrück
    "16068053": "99634",  # Straußfurt
}
HOUSE_SPACING_M = 26
HOUSE_SETBACK_M = 11
MAIN_STREETS = 14
VILLAGE_STREETS = (4, 7)
VILLAGE_CLEARANCE_M = 700  # from the municipal boundary
HOUSE_CLEARANCE_M = 80


def _rng(*parts: str) -> random.Random:
    seed = int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")
    return random.Random(seed)  # noqa: S311 - reproducible demo data, not security


def _postcode(ags: str) -> str:
    return POSTCODES.get(ags, "")


def _centres(area_metric, seat, ortsteile: tuple[str, ...], main: str) -> dict[str, Point]:
    """A point per Ortsteil inside the area: the main one at the seat, the others on a ring."""
    inner = area_metric.buffer(-VILLAGE_CLEARANCE_M)
    if inner.is_empty:
        inner = area_metric.buffer(-HOUSE_CLEARANCE_M)
    radius = math.sqrt(area_metric.area / math.pi)
    centres: dict[str, Point] = {}
    if main in ortsteile:
        centres[main] = seat if inner.contains(seat) else inner.representative_point()
    others = [o for o in ortsteile if o not in centres]
    for index, name in enumerate(others):
        rng = _rng("ortsteil", name)
        angle = 2 * math.pi * index / max(len(others), 1) + rng.uniform(-0.3, 0.3)
        chosen = None
        for factor in (0.6, 0.5, 0.75, 0.4, 0.3, 0.85, 0.2):
            for turn in (0, 0.4, -0.4, 0.8, -0.8):
                candidate = Point(
                    seat.x + math.cos(angle + turn) * radius * factor,
                    seat.y + math.sin(angle + turn) * radius * factor,
                )
                if inner.contains(candidate) and all(
                    candidate.distance(c) > 900 for c in centres.values()
                ):
                    chosen = candidate
                    break
            if chosen is not None:
                break
        centres[name] = chosen or inner.representative_point()
    return centres


def _village(
    area_metric, centre: Point, names: list[str], spread: float, rng: random.Random
) -> list[tuple[str, str, float, float]]:
    """(street, number, x, y) of the houses of one village, in metres."""
    allowed = area_metric.buffer(-HOUSE_CLEARANCE_M)
    houses = []
    for street in names:
        angle = rng.uniform(0, math.pi)
        offset_angle = rng.uniform(0, 2 * math.pi)
        offset = rng.uniform(0, spread)
        mid_x = centre.x + math.cos(offset_angle) * offset
        mid_y = centre.y + math.sin(offset_angle) * offset
        length = rng.uniform(180, 650)
        dx, dy = math.cos(angle), math.sin(angle)
        steps = max(2, int(length // HOUSE_SPACING_M))
        number = 0
        for step in range(steps):
            along = -length / 2 + step * HOUSE_SPACING_M
            for side in (1, -1):
                number += 1
                if rng.random() < 0.12:  # an empty plot
                    continue
                x = mid_x + dx * along - dy * HOUSE_SETBACK_M * side
                y = mid_y + dy * along + dx * HOUSE_SETBACK_M * side
                houses.append((street, str(number), x, y))
                if rng.random() < 0.05:  # a house built behind: "12a"
                    houses.append((street, f"{number}a", x - dy * 25 * side, y + dx * 25 * side))
    if not houses:
        return []
    xs = np.array([h[2] for h in houses])
    ys = np.array([h[3] for h in houses])
    inside = shapely.contains_xy(allowed, xs, ys)
    return [h for h, keep in zip(houses, inside, strict=True) if keep]


def generate(alliance: Alliance, areas: list[MunicipalityArea]) -> list[AddressRow]:
    """The demo addresses of these municipalities (the same every time)."""
    rows: list[AddressRow] = []
    for area in areas:
        municipality = alliance.municipality(area.ags)
        main = short_name(municipality.name)
        ortsteile = municipality.ortsteile or (main,)
        area_metric = gpd.GeoSeries([area.geometry], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]
        seat = gpd.GeoSeries([Point(area.seat_lon, area.seat_lat)], crs=STORAGE_CRS)
        seat = seat.to_crs(METRIC_CRS).iloc[0]
        centres = _centres(area_metric, seat, ortsteile, main)
        postcode = _postcode(area.ags)
        collected = []
        for name, centre in centres.items():
            rng = _rng(alliance.slug, area.ags, name)
            is_main = name == main
            count = MAIN_STREETS if is_main else rng.randint(*VILLAGE_STREETS)
            first = "Hauptstraße" if is_main else "Dorfstraße"  # every village has one
            streets = [first, *rng.sample([s for s in STREETS if s != first], count - 1)]
            for street, number, x, y in _village(
                area_metric, centre, streets, 550 if is_main else 220, rng
            ):
                collected.append((name, street, number, x, y))
        if not collected:
            continue
        points = gpd.GeoSeries(
            gpd.points_from_xy([c[3] for c in collected], [c[4] for c in collected]),
            crs=METRIC_CRS,
        ).to_crs(STORAGE_CRS)
        seen = set()
        for (ortsteil, street, number, _, _), point in zip(collected, points, strict=True):
            shown, key, value = normalise.house_number(number)
            if (ortsteil, street, key) in seen:  # two streets of one name crossing
                continue
            seen.add((ortsteil, street, key))
            rows.append(
                AddressRow(
                    area.ags,
                    street,
                    shown,
                    key,
                    value,
                    postcode,
                    main,
                    ortsteil,
                    round(point.y, 7),
                    round(point.x, 7),
                )
            )
    return rows
