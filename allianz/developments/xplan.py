"""The area of a plan from an XPlanGML file: the raeumlicherGeltungsbereich of its
XP_Plan/BP_Plan/FP_Plan/... (gml:Polygon, gml:Surface or gml:MultiSurface), in EPSG:25832,
EPSG:25833 or EPSG:4326, returned in WGS84.

Our own small reader (the `xplan-tools` package reads everything XPlanung knows, with a large
dependency tree; we need one polygon). Hardened: size limit before parsing, defusedxml refuses
DOCTYPE/ENTITY declarations (XXE, entity bombs), a vertex limit, only known coordinate systems.
"""

from __future__ import annotations

import re
from pathlib import Path

import shapely
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeTree
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from allianz import geo
from allianz.errors import ValidationError

MAX_BYTES = 10 * 1024 * 1024
MAX_VERTICES = 200_000
_EPSG = re.compile(r"(?:EPSG:{1,2}|EPSG/0/|epsg\.io/)(\d{4,5})\s*$", re.IGNORECASE)
ALLOWED_CRS = {"25832", "25833", "4326"}


class XPlanError(ValidationError):
    """The XPlanGML file was refused; the message says why, in German."""


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2] if isinstance(tag, str) else ""


def _crs(value: str | None) -> str | None:
    if not value:
        return None
    match = _EPSG.search(value.strip())
    if not match or match.group(1) not in ALLOWED_CRS:
        raise XPlanError(
            f"Koordinatensystem „{value[:80]}“ wird nicht unterstützt. Erlaubt: EPSG:25832, "
            "EPSG:25833, EPSG:4326."
        )
    return match.group(1)


def _numbers(text: str | None) -> list[float]:
    try:
        return [float(v) for v in (text or "").split()]
    except ValueError as exc:
        raise XPlanError("Die Koordinatenliste enthält etwas anderes als Zahlen.") from exc


def _ring(element, dims: int, counter: list[int]) -> list[tuple[float, float]]:
    values: list[float] = []
    for child in element.iter():
        name = _local(child.tag)
        if name == "posList":
            dims = int(child.get("srsDimension") or dims)
            values += _numbers(child.text)
        elif name == "pos":
            found = _numbers(child.text)
            dims = len(found) if found else dims
            values += found
    if dims not in (2, 3) or not values or len(values) % dims:
        raise XPlanError("Ein Flächenrand der Datei hat keine vollständigen Koordinaten.")
    points = [(values[i], values[i + 1]) for i in range(0, len(values), dims)]
    counter[0] += len(points)
    if counter[0] > MAX_VERTICES:
        raise XPlanError(f"Die Fläche hat mehr als {MAX_VERTICES:,} Stützpunkte.".replace(",", "."))
    if len(points) < 4:
        raise XPlanError("Ein Flächenrand braucht mindestens vier Punkte.")
    return points


def _polygon(element, dims: int, counter: list[int]) -> Polygon:
    shell = None
    holes = []
    for child in element.iter():
        name = _local(child.tag)
        if name == "exterior" and shell is None:
            shell = _ring(child, dims, counter)
        elif name == "interior":
            holes.append(_ring(child, dims, counter))
    if shell is None:
        raise XPlanError("Ein Polygon der Datei hat keinen äußeren Rand (gml:exterior).")
    return Polygon(shell, holes)


def _geometry(element, crs: str | None, counter: list[int]) -> tuple[BaseGeometry, str | None]:
    crs = _crs(element.get("srsName")) or crs
    dims = int(element.get("srsDimension") or 2)
    name = _local(element.tag)
    if name == "Polygon":
        return _polygon(element, dims, counter), crs
    if name in ("MultiSurface", "MultiPolygon", "Surface", "CompositeSurface"):
        parts = [
            _polygon(child, dims, counter)
            for child in element.iter()
            if _local(child.tag) in ("Polygon", "PolygonPatch")
        ]
        if not parts:
            raise XPlanError("Die Multifläche der Datei enthält kein Polygon.")
        return MultiPolygon(parts), crs
    raise XPlanError(
        f"Geltungsbereich als {name[:40]} wird nicht unterstützt; erwartet: gml:Polygon oder "
        "gml:MultiSurface."
    )


def _swap_if_latlon(geom: BaseGeometry) -> BaseGeometry:
    """EPSG:4326 in GML (urn form) is latitude first; accept both orders for Germany."""
    x, y = geom.representative_point().coords[0]
    if 47 <= x <= 55.5 and 5 <= y <= 15.5:
        return shapely.transform(geom, lambda coords: coords[:, ::-1])
    return geom


def read_geltungsbereich(path: Path) -> BaseGeometry:
    """The plan area(s) of the file as one WGS84 (multi)polygon, not yet repaired."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise XPlanError("Die Datei ist leer.")
    if size > MAX_BYTES:
        raise XPlanError(
            f"Die XPlanGML-Datei ist größer als {MAX_BYTES // 2**20} MB. Bitte nur den Plan "
            "mit seinem Geltungsbereich exportieren."
        )
    try:
        root = SafeTree.fromstring(path.read_bytes(), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise XPlanError(
            "XML mit DOCTYPE/ENTITY-Deklaration wird aus Sicherheitsgründen abgelehnt."
        ) from exc
    except SafeTree.ParseError as exc:
        raise XPlanError(f"Die Datei ist kein gültiges XML ({exc}).") from exc
    if _local(root.tag) not in ("XPlanAuszug", "FeatureCollection"):
        raise XPlanError("Die Datei ist kein XPlanGML-Dokument (XPlanAuszug erwartet).")
    default_crs = None
    for element in root.iter():
        if _local(element.tag) == "Envelope":
            default_crs = _crs(element.get("srsName"))
            break
    counter = [0]
    found: list[tuple[BaseGeometry, str | None]] = []
    for plan in root.iter():
        if not _local(plan.tag).endswith("_Plan"):
            continue
        for child in plan:
            if _local(child.tag) != "raeumlicherGeltungsbereich":
                continue
            shapes = [c for c in child if isinstance(c.tag, str)]
            if len(shapes) != 1:
                raise XPlanError("Der Geltungsbereich enthält keine einzelne Geometrie.")
            found.append(_geometry(shapes[0], default_crs, counter))
    if not found:
        raise XPlanError(
            "Kein Geltungsbereich gefunden: erwartet wird ein XP_Plan (z. B. BP_Plan) mit "
            "xplan:raeumlicherGeltungsbereich."
        )
    parts = []
    for geom, crs in found:
        if crs is None:
            raise XPlanError("Die Datei nennt kein Koordinatensystem (srsName).")
        if crs == "4326":
            parts.append(_swap_if_latlon(geom))
        else:
            parts.append(geo.to_storage(geom, f"EPSG:{crs}"))
    if len(parts) == 1:
        return parts[0]
    return shapely.union_all([geo.make_valid_polygonal(p) for p in parts])
