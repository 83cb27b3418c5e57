"""GPX tracks and routes, read with a hardened, streaming XML parser.

GDAL refuses whole files for quirks that real devices produce (a track segment with a single
point, an empty segment), so GPX gets its own small reader: namespace-agnostic (GPX 1.0 and
1.1), byte-order marks allowed, document type declarations (entities) refused. It streams
(geo.stream_xml): no element tree is built, points go straight into a coordinate array, and
the file is refused as soon as it has more tracks and routes or points than the limits allow.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString

from allianz import geo


class GpxError(geo.GeoFileError):
    """A GPX file that cannot be read; German message."""


@dataclass
class GpxLine:
    kind: str  # "Track" or "Route"
    name: str | None
    geometry: LineString | MultiLineString | None
    notes: list[str] = field(default_factory=list)


@dataclass
class _Open:
    """A track or route being read."""

    kind: str
    number: int
    name: list[str] | None = None  # text pieces of its first <name>
    parts: list[LineString] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    points: array = field(default_factory=lambda: array("d"))  # lon, lat, lon, lat, …
    segments: int = 0
    in_name: bool = False

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"

    def take_line(self) -> LineString | None:
        """The points collected so far as a line (None below 2 points); starts afresh."""
        count = len(self.points) // 2
        line = shapely.linestrings(np.frombuffer(self.points).reshape(-1, 2)) if count > 1 else None
        self.points = array("d")
        return line

    def text_name(self) -> str | None:
        text = "".join(self.name or ()).strip()
        return text or None


def _point(attributes: dict, label: str) -> tuple[float, float]:
    try:
        lat, lon = float(attributes.get("lat")), float(attributes.get("lon"))
    except (TypeError, ValueError) as exc:
        raise GpxError(f"{label}: Punkt ohne gültige lat/lon") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GpxError(f"{label}: Koordinaten außerhalb des gültigen Bereichs")
    return lon, lat


def read(path: Path, max_lines: int | None = None, max_points: int | None = None) -> list[GpxLine]:
    """Tracks (in file order), then routes; at most max_lines of them and max_points points."""
    max_lines = geo.MAX_FEATURES if max_lines is None else max_lines
    max_points = geo.MAX_VERTICES if max_points is None else max_points
    found: dict[str, list[GpxLine]] = {"trk": [], "rte": []}
    state: dict = {"current": None, "points": 0}

    def on_start(tag: str, attributes: dict, parent: str | None) -> None:
        current: _Open | None = state["current"]
        if parent is None:
            if tag != "gpx":
                raise GpxError("Die Datei ist keine GPX-Datei (Wurzelelement ist nicht <gpx>).")
        elif parent == "gpx" and tag in found:
            kind = "Track" if tag == "trk" else "Route"
            state["current"] = _Open(kind, len(found[tag]) + 1)
        elif current is None:
            return
        elif (tag == "trkpt" and parent == "trkseg") or (tag == "rtept" and parent == "rte"):
            state["points"] += 1
            if state["points"] > max_points:
                raise geo.too_many_vertices()
            current.points.extend(_point(attributes, current.label))
        elif tag == "name" and parent in found and current.name is None:
            current.name, current.in_name = [], True  # the first <name> counts

    def on_text(tag: str, data: str) -> None:
        current: _Open | None = state["current"]
        if current is not None and current.in_name and tag == "name":
            current.name.append(data)

    def on_end(tag: str, parent: str | None) -> None:
        current: _Open | None = state["current"]
        if current is None:
            return
        if tag == "name":
            current.in_name = False
        elif tag == "trkseg" and parent == "trk":
            current.segments += 1
            points = len(current.points) // 2
            line = current.take_line()
            if line is not None:
                current.parts.append(line)
            else:
                current.notes.append(
                    f"{current.label}, Segment {current.segments}: {points} Punkt(e), übersprungen"
                )
        elif tag in found and parent == "gpx":
            if sum(len(lines) for lines in found.values()) >= max_lines:
                raise geo.too_many_features(max_lines)
            if tag == "trk":
                line = _track(current.parts)
                found["trk"].append(GpxLine("Track", current.text_name(), line, current.notes))
            else:
                found["rte"].append(GpxLine("Route", current.text_name(), current.take_line()))
            state["current"] = None

    geo.stream_xml(Path(path), on_start, on_end, on_text)
    return found["trk"] + found["rte"]


def _track(parts: list[LineString]) -> LineString | MultiLineString | None:
    if len(parts) == 1:
        return parts[0]
    return MultiLineString(parts) if parts else None
