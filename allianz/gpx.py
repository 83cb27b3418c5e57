"""GPX tracks and routes, read with a hardened XML parser.

GDAL refuses whole files for quirks that real devices produce (a track segment with a single
point, an empty segment), so GPX gets its own small reader: namespace-agnostic (GPX 1.0 and
1.1), byte-order marks allowed, entities and DTDs refused by defusedxml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from shapely.geometry import LineString, MultiLineString

from allianz.errors import ValidationError


class GpxError(ValidationError):
    """A GPX file that cannot be read; German message."""


@dataclass
class GpxLine:
    kind: str  # "Track" or "Route"
    name: str | None
    geometry: LineString | MultiLineString | None
    notes: list[str] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _text(element, name: str) -> str | None:
    found = _children(element, name)
    return found[0].text.strip() if found and found[0].text else None


def _points(elements, label: str) -> list[tuple[float, float]]:
    points = []
    for point in elements:
        try:
            lat, lon = float(point.get("lat")), float(point.get("lon"))
        except (TypeError, ValueError) as exc:
            raise GpxError(f"{label}: Punkt ohne gültige lat/lon") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GpxError(f"{label}: Koordinaten außerhalb des gültigen Bereichs")
        points.append((lon, lat))
    return points


def read(path: Path) -> list[GpxLine]:
    try:
        root = ElementTree.parse(str(path)).getroot()
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise GpxError(f"Die GPX-Datei ist kein gültiges XML ({exc}).") from exc
    if _local(root.tag) != "gpx":
        raise GpxError("Die Datei ist keine GPX-Datei (Wurzelelement ist nicht <gpx>).")
    lines = []
    for number, track in enumerate(_children(root, "trk"), start=1):
        label = f"Track {number}"
        parts, notes = [], []
        for seg_no, segment in enumerate(_children(track, "trkseg"), start=1):
            points = _points(_children(segment, "trkpt"), label)
            if len(points) >= 2:
                parts.append(LineString(points))
            else:
                notes.append(f"{label}, Segment {seg_no}: {len(points)} Punkt(e), übersprungen")
        geometry = None
        if len(parts) == 1:
            geometry = parts[0]
        elif parts:
            geometry = MultiLineString(parts)
        lines.append(GpxLine("Track", _text(track, "name"), geometry, notes))
    for number, route in enumerate(_children(root, "rte"), start=1):
        points = _points(_children(route, "rtept"), f"Route {number}")
        geometry = LineString(points) if len(points) >= 2 else None
        lines.append(GpxLine("Route", _text(route, "name"), geometry))
    return lines
