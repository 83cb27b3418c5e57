"""Geometry rules: store WGS84, measure in ETRS89/UTM32N, read GIS files safely.

One reader for all vector formats, with the limits that keep a hostile upload harmless:
size caps, zip entry/path/ratio checks, and no XML document type declarations (which carry
external entities and entity-expansion bombs) in GPX or KML.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pyogrio
import shapely
from shapely.geometry.base import BaseGeometry

from allianz.errors import ValidationError

STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:25832"

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_RATIO = 100

_SUFFIXES = {".geojson", ".json", ".gpkg", ".zip", ".gpx", ".kml", ".shp"}
_XML_SUFFIXES = {".gpx", ".kml"}


class GeoFileError(ValidationError):
    """A file that cannot be used; the message is German and names the reason."""


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """WGS84 geometry → ETRS89/UTM32N metres."""
    return gpd.GeoSeries([geom], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]


def to_storage(geom: BaseGeometry, crs: str = METRIC_CRS) -> BaseGeometry:
    return gpd.GeoSeries([geom], crs=crs).to_crs(STORAGE_CRS).iloc[0]


def area_km2(geom: BaseGeometry) -> float:
    return to_metric(geom).area / 1e6


def length_km(geom: BaseGeometry) -> float:
    return to_metric(geom).length / 1000


def distance_m(a: BaseGeometry, b: BaseGeometry) -> float:
    series = gpd.GeoSeries([a, b], crs=STORAGE_CRS).to_crs(METRIC_CRS)
    return float(series.iloc[0].distance(series.iloc[1]))


_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_SEPARATORS = re.compile(r"^[\s,;]*$")


def parse_coordinates(text: str) -> tuple[float, float]:
    """'51.3347, 12.6089' or '51,3347 12,6089' (German decimal commas) → (lat, lon)."""
    numbers = _NUMBER.findall(text)
    if len(numbers) != 2 or not _SEPARATORS.match(_NUMBER.sub("", text)):
        raise ValueError("Bitte Breite und Länge als Zahlen angeben, z. B. 51.3347, 12.6089")
    lat, lon = (float(n.replace(",", ".")) for n in numbers)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("Koordinaten außerhalb des gültigen Bereichs (Breite ±90, Länge ±180)")
    return lat, lon


@dataclass(frozen=True)
class VectorFile:
    frame: gpd.GeoDataFrame
    layer: str | None


def check_file(path: Path) -> str:
    """Size, type-by-content and XML checks shared by every reader; returns the suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise GeoFileError(
            f"Dateiformat {suffix or '(ohne Endung)'} wird nicht unterstützt. Erlaubt: "
            "GeoJSON, GeoPackage, GPX, KML, Shapefile als ZIP."
        )
    size = path.stat().st_size
    if size == 0:
        raise GeoFileError("Die Datei ist leer.")
    if size > MAX_FILE_BYTES:
        raise GeoFileError(f"Die Datei ist größer als {MAX_FILE_BYTES // 2**20} MB.")
    _check_magic(path, suffix)
    return suffix


def read_vector_file(path: Path, layer: str | None = None) -> VectorFile:
    """Read a GeoJSON, GeoPackage, GPX, KML or zipped Shapefile after safety checks."""
    path = Path(path)
    if check_file(path) == ".zip":
        with tempfile.TemporaryDirectory(prefix="allianz-zip-") as tmp:
            return _read(_unzip_shapefile(path, Path(tmp)), layer)
    return _read(path, layer)


def _read(path: Path, layer: str | None) -> VectorFile:
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
        chosen = layer or _pick_layer(layers)
        frame = gpd.read_file(path, layer=chosen, engine="pyogrio")
    except GeoFileError:
        raise
    except Exception as exc:  # GDAL reports unreadable input with many exception types
        raise GeoFileError(f"Die Datei ließ sich nicht als Geodaten lesen ({exc}).") from exc
    if frame.crs is None:
        raise GeoFileError("Die Datei gibt kein Koordinatensystem an.")
    return VectorFile(frame=frame, layer=chosen)


def _pick_layer(layers: list[str]) -> str | None:
    if len(layers) <= 1:
        return layers[0] if layers else None
    for preferred in ("VG250_GEM", "vg250_gem"):
        if preferred in layers:
            return preferred
    raise GeoFileError(
        "Die Datei enthält mehrere Ebenen; bitte eine auswählen: " + ", ".join(layers)
    )


def _check_magic(path: Path, suffix: str) -> None:
    head = path.open("rb").read(4096)
    if suffix == ".zip" and not head.startswith(b"PK\x03\x04"):
        raise GeoFileError("Die Datei ist kein ZIP-Archiv, obwohl sie auf .zip endet.")
    if suffix == ".gpkg" and not head.startswith(b"SQLite format 3\x00"):
        raise GeoFileError("Die Datei ist kein GeoPackage, obwohl sie auf .gpkg endet.")
    if suffix in (".geojson", ".json") and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"{":
        raise GeoFileError("Die Datei ist kein GeoJSON (erwartet wird ein JSON-Objekt).")
    if suffix in _XML_SUFFIXES:
        body = path.read_bytes()
        if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise GeoFileError("Die Datei ist kein XML (GPX/KML).")
        if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
            raise GeoFileError(
                "XML mit DOCTYPE/ENTITY-Deklaration wird aus Sicherheitsgründen abgelehnt."
            )


def _unzip_shapefile(path: Path, target: Path) -> Path:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise GeoFileError("Das ZIP-Archiv ist beschädigt.") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise GeoFileError(f"Das ZIP-Archiv enthält mehr als {MAX_ZIP_ENTRIES} Dateien.")
        total = 0
        for entry in entries:
            name = PurePosixPath(entry.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts:
                raise GeoFileError(f"Unzulässiger Pfad im ZIP-Archiv: {entry.filename}")
            total += entry.file_size
            if entry.compress_size and entry.file_size / entry.compress_size > MAX_ZIP_RATIO:
                raise GeoFileError("Das ZIP-Archiv ist verdächtig stark komprimiert (ZIP-Bombe?).")
        if total > MAX_UNZIPPED_BYTES:
            raise GeoFileError("Das ZIP-Archiv ist entpackt zu groß.")
        shapefiles = [e for e in entries if e.filename.lower().endswith(".shp")]
        if len(shapefiles) != 1:
            raise GeoFileError("Das ZIP-Archiv muss genau ein Shapefile (.shp) enthalten.")
        for entry in entries:
            if entry.is_dir():
                continue
            dest = target / PurePosixPath(entry.filename.replace("\\", "/"))
            dest.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(entry) as src, dest.open("wb") as out:
                _copy_limited(src, out, entry.file_size)
        return target / PurePosixPath(shapefiles[0].filename.replace("\\", "/"))


def _copy_limited(src, out, declared: int) -> None:
    """Copy at most the declared size: a lying zip header cannot inflate past it."""
    written = 0
    while chunk := src.read(1 << 16):
        written += len(chunk)
        if written > declared:
            raise GeoFileError("Das ZIP-Archiv ist beschädigt (Größenangabe stimmt nicht).")
        out.write(chunk)


def make_valid_polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Repair a polygon and drop stray lines/points that make_valid can produce."""
    fixed = shapely.make_valid(geom)
    if fixed.geom_type == "GeometryCollection":
        polys = [g for g in fixed.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        fixed = shapely.union_all(polys)
    return fixed
