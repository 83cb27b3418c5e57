"""Municipality rules: demo areas, replacing them with official boundaries, lookups, figures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point, mapping, shape

from allianz import audit, geo
from allianz.config import Alliance
from allianz.errors import ValidationError
from allianz.municipalities import store
from allianz.versioned_cache import VersionedCache
from db.connection import write_transaction

BOUNDARY_TOLERANCE_M = 50


class BoundaryImportError(ValidationError):
    """Refused boundary file; nothing was changed. The message is German."""


@dataclass(frozen=True)
class MunicipalityArea:
    ags: str
    name: str
    inhabitants: int
    seat_lat: float
    seat_lon: float
    geometry: shapely.Geometry
    boundary_source: str
    is_demo: bool


def load_demo_areas(db, alliance: Alliance, actor: audit.Actor) -> int:
    """Insert demo areas for municipalities that have none yet; official ones are kept."""
    path = alliance.geodata_dir / "municipalities.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return load_areas(
        db, alliance, {f["properties"]["ags"]: f["geometry"] for f in features}, actor
    )


def load_areas(db, alliance: Alliance, geometries: dict[str, dict], actor: audit.Actor) -> int:
    """Demo areas (GeoJSON geometries in WGS84 by AGS) for municipalities without any yet."""
    added = 0
    with write_transaction(db):
        present = {row["ags"] for row in store.all_rows(db)}
        for municipality in alliance.municipalities:
            if municipality.ags in present:
                continue
            store.upsert(
                db,
                _row(municipality, geometries[municipality.ags], "Demo (Voronoi)", True),
            )
            added += 1
        if added:
            audit.record(
                db, actor, "boundaries.demo_load", "municipality", details={"added": added}
            )
    return added


def _row(municipality, geometry: dict, source: str, is_demo: bool) -> dict:
    return {
        "ags": municipality.ags,
        "name": municipality.name,
        "inhabitants": municipality.inhabitants,
        "seat_lat": municipality.seat_lat,
        "seat_lon": municipality.seat_lon,
        "geometry": json.dumps(geometry, separators=(",", ":")),
        "boundary_source": source,
        "boundary_is_demo": int(is_demo),
        "updated_at": audit.now_iso(),
    }


_cache: VersionedCache = VersionedCache(keep=8)


def areas(db) -> list[MunicipalityArea]:
    """Kept per data version: every page reads them, they change a few times a year."""
    return list(_cache.get((store.version(db), "areas"), lambda: _read_areas(db)))


def boundaries_version(db) -> str:
    """Changes whenever a municipality's area does: stamps what other slices derive from the
    boundaries (which municipalities a network segment crosses), so they can tell it is stale."""
    _, *state = store.version(db)
    return json.dumps(state, default=str)


def _read_areas(db) -> list[MunicipalityArea]:
    return [
        MunicipalityArea(
            ags=row["ags"],
            name=row["name"],
            inhabitants=row["inhabitants"],
            seat_lat=row["seat_lat"],
            seat_lon=row["seat_lon"],
            geometry=shape(json.loads(row["geometry"])),
            boundary_source=row["boundary_source"],
            is_demo=bool(row["boundary_is_demo"]),
        )
        for row in store.all_rows(db)
    ]


def areas_frame(db) -> gpd.GeoDataFrame:
    return _cache.get((store.version(db), "frame"), lambda: frame_of(areas(db))).copy()


def frame_of(items: list[MunicipalityArea]) -> gpd.GeoDataFrame:
    """Already loaded areas as a frame, for pages that need both forms."""
    return gpd.GeoDataFrame(
        {
            "ags": [a.ags for a in items],
            "name": [a.name for a in items],
            "inhabitants": [a.inhabitants for a in items],
            "boundary_source": [a.boundary_source for a in items],
            "is_demo": [a.is_demo for a in items],
        },
        geometry=[a.geometry for a in items],
        crs=geo.STORAGE_CRS,
    )


def key_figures(db, alliance: Alliance) -> pd.DataFrame:
    """One row per municipality: inhabitants, area and density, measured in EPSG:25832."""
    return _cache.get(
        (store.version(db), "figures", alliance.slug), lambda: _key_figures(db, alliance)
    ).copy()


def _key_figures(db, alliance: Alliance) -> pd.DataFrame:
    frame = areas_frame(db)
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "AGS",
                "Gemeinde",
                "Einwohner",
                "Fläche km²",
                "Einw./km²",
                "Ortsteile",
                "Grenzen",
            ]
        )
    metric = frame.to_crs(geo.METRIC_CRS)
    area = metric.geometry.area / 1e6
    ortsteile = {m.ags: len(m.ortsteile) for m in alliance.municipalities}
    return pd.DataFrame(
        {
            "AGS": frame["ags"],
            "Gemeinde": frame["name"],
            "Einwohner": frame["inhabitants"],
            "Fläche km²": area.round(1),
            "Einw./km²": (frame["inhabitants"] / area).round(0).astype(int),
            "Ortsteile": frame["ags"].map(ortsteile).fillna(0).astype(int),
            "Grenzen": frame["boundary_source"],
        }
    ).reset_index(drop=True)


@dataclass(frozen=True)
class Location:
    """Where a point falls: its municipality, and neighbours within the boundary tolerance."""

    municipality: MunicipalityArea | None
    near: tuple[MunicipalityArea, ...]


def locate(items: list[MunicipalityArea], lat: float, lon: float) -> Location:
    """Pure lookup on already loaded areas, so map fragments need no database."""
    point = Point(lon, lat)
    inside = next((a for a in items if a.geometry.covers(point)), None)
    metric_point = geo.to_metric(point)
    near = tuple(
        a
        for a in items
        if a is not inside
        and geo.to_metric(a.geometry).distance(metric_point) <= BOUNDARY_TOLERANCE_M
    )
    return Location(municipality=inside, near=near)


def import_boundaries(db, alliance: Alliance, path: Path, actor: audit.Actor) -> list[str]:
    """Replace areas with official VG250_GEM boundaries for the configured AGS; all or nothing."""
    try:
        vector = geo.read_vector_file(path)
    except geo.GeoFileError as exc:
        raise BoundaryImportError(str(exc)) from exc
    frame = vector.frame
    columns = {c.upper(): c for c in frame.columns}
    if "AGS" not in columns:
        raise BoundaryImportError(
            "Die Datei hat keine Spalte AGS. Erwartet wird die Ebene VG250_GEM des BKG."
        )
    frame = frame.rename(columns={columns["AGS"]: "AGS"})
    frame["AGS"] = frame["AGS"].astype(str).str.strip()
    if "GF" in columns:
        # Geofaktor 4 = land area with structure; 2 = water areas without structure.
        frame = frame[frame[columns["GF"]].astype(int) == 4]
    wanted = {m.ags for m in alliance.municipalities}
    frame = frame[frame["AGS"].isin(wanted)]
    missing = sorted(wanted - set(frame["AGS"]))
    if missing:
        names = ", ".join(f"{alliance.municipality(a).name} ({a})" for a in missing)
        raise BoundaryImportError(f"Nicht in der Datei gefunden: {names}. Nichts wurde geändert.")
    frame = frame.to_crs(geo.STORAGE_CRS)
    dissolved = frame.dissolve(by="AGS")
    geometries = {}
    for ags, geometry in dissolved.geometry.items():
        if geometry is None or geometry.is_empty:
            raise BoundaryImportError(f"Leere Geometrie für AGS {ags}. Nichts wurde geändert.")
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise BoundaryImportError(
                f"AGS {ags}: Flächengeometrie erwartet, gefunden {geometry.geom_type}."
            )
        geometries[ags] = geo.make_valid_polygonal(geometry)
    source = f"Amtlich (Datei {Path(path).name}, Ebene {vector.layer or '-'})"
    with write_transaction(db):
        for municipality in alliance.municipalities:
            store.upsert(
                db, _row(municipality, mapping(geometries[municipality.ags]), source, False)
            )
        audit.record(
            db,
            actor,
            "boundaries.import",
            "municipality",
            reason=source,
            details={"ags": sorted(geometries)},
        )
    return sorted(geometries)
