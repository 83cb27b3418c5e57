"""Reading line networks from GIS files: every format, any CRS, checked feature by feature.

Nothing is written here: `prepare()` returns a preview with per-feature errors, and the
service writes the whole preview in one transaction only when it has no errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from allianz import geo, gpx
from allianz.networks.model import PRIORITIES, SURFACES, SegmentStatus
from allianz.text import clean

# target field -> (label, parser); parsers raise ValueError with a German message
MAPPABLE = ("name", "surface", "width_m", "status", "priority", "responsible", "cost_eur")
_STATUS_WORDS = {
    **{s.value: s for s in SegmentStatus},
    "idee": SegmentStatus.IDEA,
    "planung": SegmentStatus.PLANNING,
    "umsetzung": SegmentStatus.IMPLEMENTATION,
    "fertig": SegmentStatus.DONE,
    "verworfen": SegmentStatus.DROPPED,
}
_SURFACE_WORDS = {**{k: k for k in SURFACES}, **{v.lower(): k for k, v in SURFACES.items()}}


@dataclass
class FeatureRow:
    index: int
    label: str
    geometry: LineString
    attributes: dict  # the file's own columns, as read
    values: dict = field(default_factory=dict)  # our fields, after apply_mapping()


@dataclass
class Preview:
    rows: list[FeatureRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not blocking
    columns: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def km(self) -> float:
        if not self.rows:
            return 0.0
        series = gpd.GeoSeries([r.geometry for r in self.rows], crs=geo.STORAGE_CRS)
        return float(series.to_crs(geo.METRIC_CRS).length.sum() / 1000)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def _read_frames(path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """All line features of the file; for GPX its tracks and routes."""
    if path.suffix.lower() != ".gpx":
        return geo.read_vector_file(path).frame
    geo.check_file(path)
    lines = gpx.read(path)  # its errors are GeoFileErrors, with the same limits
    for line in lines:
        notes.extend(line.notes)
    numbers, seen = [], {}
    for line in lines:  # "Track 2", "Route 1": numbered per kind, as GPS apps show them
        seen[line.kind] = seen.get(line.kind, 0) + 1
        numbers.append(seen[line.kind])
    return gpd.GeoDataFrame(
        {
            "name": [line.name for line in lines],
            "kind": [line.kind for line in lines],
            "number": numbers,
        },
        geometry=[line.geometry for line in lines],
        crs=geo.STORAGE_CRS,
    )


def _label(record, position: int) -> str:
    """How a person finds the feature again: its kind and number, and its name if any."""
    kind = record.get("kind") if isinstance(record.get("kind"), str) else "Objekt"
    if kind != "Objekt":
        position = int(record["number"])
    name = record.get("name")
    name = clean(name)[:60] if isinstance(name, str) else ""
    suffix = f" „{name}“" if name else ""
    return f"{kind} {position}{suffix}"


def _parts(geometry: BaseGeometry | None) -> list[LineString]:
    if geometry is None or geometry.is_empty:
        return []
    if isinstance(geometry, LineString):
        return [geometry]
    if isinstance(geometry, MultiLineString):
        return [part for part in geometry.geoms if not part.is_empty]
    return []


def _parse(target: str, raw) -> object:
    if raw is None or (isinstance(raw, float) and pd.isna(raw)) or str(raw).strip() == "":
        return None
    text = clean(str(raw))  # free text from the file: no control characters, as typed text
    if not text:
        return None
    if target == "name":
        return text[:200]
    if target == "surface":
        if text.lower() not in _SURFACE_WORDS:
            raise ValueError(f"Oberfläche „{text}“ unbekannt")
        return _SURFACE_WORDS[text.lower()]
    if target in ("width_m", "cost_eur"):
        number = float(text.replace(",", "."))
        if number < 0 or (target == "width_m" and number > 50):
            raise ValueError(
                f"{'Breite' if target == 'width_m' else 'Kosten'} „{text}“ unplausibel"
            )
        return number
    if target == "status":
        if text.lower() not in _STATUS_WORDS:
            raise ValueError(f"Status „{text}“ unbekannt")
        return _STATUS_WORDS[text.lower()].value
    if target == "priority":
        if text.upper() not in PRIORITIES:
            raise ValueError(f"Priorität „{text}“ ist nicht A, B oder C")
        return text.upper()
    if target == "responsible":
        return text[:100]
    raise ValueError(f"unbekanntes Zielfeld {target}")


def prepare(
    path: Path,
    alliance_area: BaseGeometry,
    mapping: dict[str, str] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Preview:
    """Read and check a file's geometries, then apply the column mapping."""
    return apply_mapping(read(path, alliance_area, progress), mapping or {})


def read(
    path: Path, alliance_area: BaseGeometry, progress: Callable[[float], None] | None = None
) -> Preview:
    """The expensive part, done once per file: reading, reprojecting, geometry checks."""
    preview = Preview(source=Path(path).name)
    try:
        frame = _read_frames(Path(path), preview.notes)
    except geo.GeoFileError as exc:
        preview.errors.append(str(exc))
        return preview
    preview.columns = [c for c in frame.columns if c != frame.geometry.name]
    if frame.empty:
        preview.errors.append("Die Datei enthält keine Linien (Tracks, Routen oder Linien).")
        return preview
    try:
        frame = frame.to_crs(geo.STORAGE_CRS)
    except Exception:  # pyproj raises several types for CRSs it cannot transform
        preview.errors.append("Das Koordinatensystem der Datei lässt sich nicht umrechnen.")
        return preview
    total = len(frame)
    for position, (index, record) in enumerate(frame.iterrows(), start=1):
        label = _label(record, position)
        geometry = record[frame.geometry.name]
        if not isinstance(geometry, BaseGeometry):  # missing geometries arrive as None or NaN
            geometry = None
        if (
            geometry is not None
            and not geometry.is_empty
            and not isinstance(geometry, LineString | MultiLineString)
        ):
            preview.errors.append(f"{label}: {geometry.geom_type} statt Linie")
            continue
        parts = _parts(geometry)
        if not parts:
            preview.errors.append(f"{label}: leere Geometrie")
            continue
        attributes = {c: record[c] for c in preview.columns}
        for part_no, part in enumerate(parts, start=1):
            part_label = label + (f", Teil {part_no}" if len(parts) > 1 else "")
            if len(part.coords) < 2 or not shapely.is_valid(part) or part.length == 0:
                preview.errors.append(f"{part_label}: ungültige Linie (weniger als 2 Punkte)")
            elif not part.intersects(alliance_area):
                preview.errors.append(f"{part_label}: liegt außerhalb des Allianzgebiets")
            else:
                preview.rows.append(FeatureRow(int(index), part_label, part, attributes))
        if progress is not None and (position % 200 == 0 or position == total):
            progress(position / total)
    return preview


def apply_mapping(read_preview: Preview, mapping: dict[str, str]) -> Preview:
    """Our fields from the file's columns; a value that does not fit is an error of its row."""
    mapping = {k: v for k, v in mapping.items() if v}
    result = Preview(
        errors=list(read_preview.errors),
        notes=list(read_preview.notes),
        columns=list(read_preview.columns),
        source=read_preview.source,
    )
    unknown = [v for v in mapping.values() if v not in read_preview.columns]
    if unknown:
        result.errors.append("Spalten nicht in der Datei: " + ", ".join(unknown))
        return result
    for row in read_preview.rows:
        try:
            values = {t: _parse(t, row.attributes.get(c)) for t, c in mapping.items()}
        except ValueError as exc:
            result.errors.append(f"{row.label}: {exc}")
            continue
        result.rows.append(FeatureRow(row.index, row.label, row.geometry, row.attributes, values))
    return result
