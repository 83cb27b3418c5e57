"""Deterministic demo geodata: approximate municipality areas and two demo path networks.

No official boundaries ship with the product. The demo areas are Voronoi cells around the
configured seats, clipped to a buffered hull whose size matches the sum of the configured
areas; the networks connect the villages. Everything produced here is labelled as demo data.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiPoint, Point, mapping

from allianz.config import Alliance
from allianz.geo import METRIC_CRS, STORAGE_CRS

DEFAULT_BUFFER_M = 4_000
KERNWEG_MESH_M = 1_800
VILLAGE_CLEARANCE_M = 700
PRECISION_DEG = 1e-6
DEMO_NOTE = "Demo-Daten: Lage und Grenzen sind angenähert, nicht amtlich."


def _seats_metric(alliance: Alliance) -> list[Point]:
    points = [Point(m.seat_lon, m.seat_lat) for m in alliance.municipalities]
    return list(gpd.GeoSeries(points, crs=STORAGE_CRS).to_crs(METRIC_CRS))


def alliance_region(alliance: Alliance) -> shapely.Polygon:
    """Buffered hull of the seats, grown until its area matches the configured total."""
    seats = _seats_metric(alliance)
    hull = MultiPoint(seats).convex_hull
    areas = [m.area_km2 for m in alliance.municipalities]
    if any(a is None for a in areas):
        return hull.buffer(DEFAULT_BUFFER_M)
    target = sum(areas) * 1e6
    low, high = 0.0, 30_000.0
    for _ in range(40):
        mid = (low + high) / 2
        if hull.buffer(mid).area < target:
            low = mid
        else:
            high = mid
    return hull.buffer((low + high) / 2)


def municipality_areas(alliance: Alliance) -> gpd.GeoDataFrame:
    """One approximate area per municipality (metric CRS), in config order."""
    seats = _seats_metric(alliance)
    region = alliance_region(alliance)
    cells = shapely.voronoi_polygons(MultiPoint(seats), extend_to=region.buffer(10_000)).geoms
    rows = []
    for municipality, seat in zip(alliance.municipalities, seats, strict=True):
        cell = next(c for c in cells if c.contains(seat))
        rows.append({"ags": municipality.ags, "name": municipality.name, "geometry": cell & region})
    return gpd.GeoDataFrame(rows, crs=METRIC_CRS)


def _bend(a: Point, b: Point, key: str) -> LineString:
    """A gently curved line a→b; the curve's side and size come from a stable hash."""
    digest = hashlib.sha256(key.encode()).digest()
    offset = (digest[0] / 255 - 0.5) * 0.16
    dx, dy = b.x - a.x, b.y - a.y
    mid = Point(a.x + dx / 2 - dy * offset, a.y + dy / 2 + dx * offset)
    return LineString([a, mid, b])


def cycle_network(alliance: Alliance) -> gpd.GeoDataFrame:
    """Demo Radwegenetz: the Delaunay edges between the municipal seats."""
    seats = _seats_metric(alliance)
    index = {(round(p.x, 3), round(p.y, 3)): i for i, p in enumerate(seats)}
    rows = []
    for edge in shapely.delaunay_triangles(MultiPoint(seats), only_edges=True).geoms:
        ends = sorted(
            (index[(round(x, 3), round(y, 3))] for x, y in edge.coords),
            key=lambda i: alliance.municipalities[i].ags,
        )
        first, second = (alliance.municipalities[i] for i in ends)
        key = f"{first.ags}-{second.ags}"
        rows.append(
            {
                "id": f"rad-{key}",
                "name": f"Radweg {first.name} – {second.name}",
                "network": "rad",
                "geometry": _bend(seats[ends[0]], seats[ends[1]], key),
            }
        )
    rows.sort(key=lambda r: r["id"])
    return gpd.GeoDataFrame(rows, crs=METRIC_CRS)


def kernweg_network(alliance: Alliance) -> gpd.GeoDataFrame:
    """Demo Kernwegenetz: a jittered mesh of field paths (~1.8 km) between the villages."""
    region = alliance_region(alliance).buffer(-500)
    seats = _seats_metric(alliance)
    rng = random.Random(alliance.slug)  # noqa: S311 - reproducible demo jitter, not security
    minx, miny, maxx, maxy = region.bounds
    cols = int((maxx - minx) // KERNWEG_MESH_M) + 1
    rows_n = int((maxy - miny) // KERNWEG_MESH_M) + 1
    nodes = {}
    for i in range(cols):
        for j in range(rows_n):
            jitter = KERNWEG_MESH_M * 0.25
            nodes[(i, j)] = Point(
                minx + i * KERNWEG_MESH_M + rng.uniform(-jitter, jitter),
                miny + j * KERNWEG_MESH_M + rng.uniform(-jitter, jitter),
            )
    rows = []
    for (i, j), node in sorted(nodes.items()):
        for di, dj in ((1, 0), (0, 1)):
            other = nodes.get((i + di, j + dj))
            keep = rng.random() < 0.6
            if other is None or not keep:
                continue
            line = LineString([node, other])
            if not region.contains(line):
                continue
            if any(line.distance(s) < VILLAGE_CLEARANCE_M for s in seats):
                continue
            rows.append(
                {
                    "id": f"kern-{i:02d}-{j:02d}-{'o' if di else 'n'}",
                    "name": f"Kernweg {i:02d}/{j:02d} {'Ost' if di else 'Nord'}",
                    "network": "kern",
                    "geometry": line,
                }
            )
    return gpd.GeoDataFrame(rows, crs=METRIC_CRS)


def feature_collection(frame: gpd.GeoDataFrame) -> str:
    """Stable GeoJSON text (WGS84, rounded) so regenerating gives identical files."""
    wgs = frame.to_crs(STORAGE_CRS)
    features = []
    for record in wgs.to_dict("records"):
        geom = shapely.set_precision(record.pop("geometry"), PRECISION_DEG)
        properties = {**record, "demo": True, "note": DEMO_NOTE}
        features.append({"type": "Feature", "properties": properties, "geometry": mapping(geom)})
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, sort_keys=True
    )


def write_all(alliance: Alliance, target: Path | None = None) -> list[Path]:
    target = target or alliance.geodata_dir
    target.mkdir(parents=True, exist_ok=True)
    outputs = {
        "municipalities.geojson": municipality_areas(alliance),
        "radwege.geojson": cycle_network(alliance),
        "kernwege.geojson": kernweg_network(alliance),
    }
    written = []
    for name, frame in outputs.items():
        path = target / name
        path.write_text(feature_collection(frame) + "\n", encoding="utf-8")
        written.append(path)
    return written


def load_networks(alliance: Alliance) -> dict[str, gpd.GeoDataFrame]:
    """The committed demo networks, keyed 'rad' and 'kern' (empty when not generated)."""
    found = {}
    for key, name in (("rad", "radwege.geojson"), ("kern", "kernwege.geojson")):
        path = alliance.geodata_dir / name
        if path.is_file():
            found[key] = gpd.read_file(path, engine="pyogrio")
    return found
