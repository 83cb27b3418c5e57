"""Geometry rules: store WGS84, measure in ETRS89/UTM32N, read GIS files safely.

One reader for all vector formats, with the limits that keep a hostile upload harmless:
size caps, zip entry/path/ratio/CRC checks, and no XML document type declarations (which carry
external entities and entity-expansion bombs) in GPX or KML.

Work is bounded *before* GDAL reads a file: a GeoPackage is inspected read-only with sqlite3
first (no views, no foreign triggers, real tables only, rows counted with a limit), XML is
counted in one streaming pass, GeoJSON and Shapefiles get byte-based vertex bounds and GDAL's
streaming feature count. Only then are at most `max_features` features read, and the vertices
of what was read are counted once more. Library messages never reach the user: they name
server paths and are English; the user gets a German sentence, the log gets the details.

GDAL has no network: file content can make it fetch URLs (a GeoJSON "crs" of type "link",
a GDALG pipeline reading /vsicurl/), and the server contacts nothing but the tile server. At
import its HTTP client is replaced by a refusal, its remote file systems open nothing and the
GDALG driver is removed; GeoJSON members GDAL would resolve are refused before it parses.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import json
import logging
import mmap
import os
import re
import sqlite3
import tempfile
import warnings
import zipfile
import zlib
from collections import deque
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.parsers import expat

import geopandas as gpd
import pyogrio
import shapely
from pyogrio import errors as ogr_errors
from shapely.errors import ShapelyError
from shapely.geometry.base import BaseGeometry

from allianz.errors import ValidationError
from allianz.formatting import de_int

log = logging.getLogger(__name__)

STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:25832"

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_FEATURES = 100_000  # features (rows) of one layer
MAX_VERTICES = 5_000_000  # coordinates of all geometries together
MAX_FIELDS = 500  # attribute columns
SQLITE_STEPS = 50_000_000  # SQLite VM instructions one GeoPackage inspection may take

_SUFFIXES = {".geojson", ".json", ".gpkg", ".zip", ".gpx", ".kml", ".shp"}
_XML_SUFFIXES = {".gpx", ".kml"}
_SINGLE_LAYER = {".geojson", ".json", ".shp"}
# The GDAL drivers a suffix may end up with. GDAL picks drivers by content, and some read
# other files (an OGR VRT names any path on the server): the content checks in front keep
# those away, this list is the second line.
_DRIVERS = {
    ".geojson": {"GeoJSON", "ESRIJSON", "TopoJSON"},
    ".json": {"GeoJSON", "ESRIJSON", "TopoJSON"},
    ".shp": {"ESRI Shapefile"},
    ".kml": {"LIBKML", "KML"},
    ".gpx": {"GPX"},
}


class GeoFileError(ValidationError):
    """A file that cannot be used; the message is German and names the reason."""


class GeoFileTooLarge(GeoFileError):
    """Too many features, vertices or columns: refused before the file is read."""


class GeoFileUnsafe(GeoFileError):
    """Content that could make the reader do unbounded work or open other files: views,
    foreign triggers, DTDs, a format disguised behind another suffix."""


# --- GDAL without network -------------------------------------------------------------------
#
# GDAL fetches what a file names: a GeoJSON/TopoJSON "crs" of type "link" or "url" (also on a
# single geometry) goes to CPLHTTPFetch(), a GDALG file (JSON running a GDAL pipeline, found
# by content) reads /vsicurl/ URLs and any server path. GDAL has no option that switches its
# HTTP client off (GDAL_HTTP_PROXY is bypassed by the NO_PROXY environment variable), so:
# - CPLHTTPFetch() gets a callback that refuses every request (GDAL's documented hook),
# - the curl file systems (/vsicurl/, /vsis3/, /vsiaz/, ...) allow no file name,
# - the GDALG driver is deregistered.
# A probe read proves the refusal is in the GDAL pyogrio uses; if not, no file is read.

_NO_REMOTE_FILE = "(no remote files: allianz.geo)"  # equal to no /vsicurl/... name
pyogrio.set_gdal_config_options({"CPL_VSIL_CURL_ALLOWED_FILENAME": _NO_REMOTE_FILE})


class _HttpResult(ctypes.Structure):
    """The leading fields of GDAL's CPLHTTPResult (cpl_http.h)."""

    _fields_ = [
        ("status", ctypes.c_int),
        ("content_type", ctypes.c_void_p),
        ("error", ctypes.c_void_p),
    ]


_RESULT_BYTES = 4096  # zeroed, more than any CPLHTTPResult: the fields after "error" stay 0
_FetchCallback = ctypes.CFUNCTYPE(
    ctypes.c_void_p,  # CPLHTTPResult *
    ctypes.c_char_p,  # URL
    *[ctypes.c_void_p] * 6,  # options, progress, its argument, writer, its argument, user data
)
_PROBE_URL = "http://[gdal-network-check.invalid]/"  # curl would refuse it unsent as well
_refused: deque[str] = deque(maxlen=50)  # URLs GDAL asked for, newest last
_callbacks: list = []  # GDAL holds only the C pointer: the Python object must stay alive


def _fetch_refusal(gdal: ctypes.CDLL):
    def refuse(url: bytes | None, *_args) -> int | None:
        # GDAL frees the result with CPLFree(), so its own allocator makes it. A NULL result
        # would make GDAL fall back to curl: nothing may raise before the return.
        result = gdal.VSICalloc(1, _RESULT_BYTES)
        if result:
            fields = _HttpResult.from_address(result)
            fields.status = 1  # CURLE_UNSUPPORTED_PROTOCOL
            fields.error = gdal.CPLStrdup(b"network access is disabled for GDAL")
        with contextlib.suppress(Exception):
            text = (url or b"").decode("utf-8", "replace")
            _refused.append(text)
            if text != _PROBE_URL:
                log.warning("GDAL wanted to fetch %.200s: refused, no network", text)
        return result

    return _FetchCallback(refuse)


def _gdal_library_paths() -> list[str]:
    """The GDAL libraries mapped into this process (Linux), then those of the pyogrio wheel."""
    found = []
    with contextlib.suppress(OSError), open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            parts = line.split(maxsplit=5)
            if len(parts) == 6 and "gdal" in Path(parts[5].strip()).name.lower():
                found.append(parts[5].strip())
    package = Path(pyogrio.__file__).resolve().parent
    for folder in (package.parent / "pyogrio.libs", package / ".dylibs"):
        found.extend(str(path) for path in sorted(folder.glob("*gdal*")))
    return list(dict.fromkeys(found))


def _probe_refused() -> bool:
    """Whether a GeoJSON with a "crs" link, read through pyogrio, reaches the refusal."""
    probe = {
        "type": "FeatureCollection",
        "crs": {"type": "link", "properties": {"href": _PROBE_URL}},
        "features": [{"type": "Feature", "properties": {}, "geometry": None}],
    }
    with warnings.catch_warnings(), contextlib.suppress(Exception):
        warnings.simplefilter("ignore")
        pyogrio.read_info(io.BytesIO(json.dumps(probe).encode()))
    return _PROBE_URL in _refused


def _take_gdal_offline() -> bool:
    for path in _gdal_library_paths():
        try:  # only a library already loaded: RTLD_NOLOAD
            gdal = ctypes.CDLL(path, mode=ctypes.RTLD_LOCAL | getattr(os, "RTLD_NOLOAD", 0))
            gdal.VSICalloc.argtypes = [ctypes.c_size_t, ctypes.c_size_t]
            gdal.VSICalloc.restype = ctypes.c_void_p
            gdal.CPLStrdup.argtypes = [ctypes.c_char_p]
            gdal.CPLStrdup.restype = ctypes.c_void_p
            gdal.CPLHTTPSetFetchCallback.argtypes = [_FetchCallback, ctypes.c_void_p]
            gdal.CPLHTTPSetFetchCallback.restype = None
            gdal.GDALGetDriverByName.argtypes = [ctypes.c_char_p]
            gdal.GDALGetDriverByName.restype = ctypes.c_void_p
            gdal.GDALDeregisterDriver.argtypes = [ctypes.c_void_p]
            gdal.GDALDeregisterDriver.restype = None
        except (OSError, AttributeError):
            continue
        _callbacks.append(_fetch_refusal(gdal))
        gdal.CPLHTTPSetFetchCallback(_callbacks[-1], None)
        if _probe_refused():
            if driver := gdal.GDALGetDriverByName(b"GDALG"):
                gdal.GDALDeregisterDriver(driver)
            return True
    log.error("GDAL could not be cut off from the network: GIS files will not be read")
    return False


GDAL_OFFLINE = _take_gdal_offline()


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
        raise GeoFileTooLarge(f"Die Datei ist größer als {MAX_FILE_BYTES // 2**20} MB.")
    _check_magic(path, suffix)
    return suffix


def read_vector_file(
    path: Path, layer: str | None = None, *, max_features: int | None = None
) -> VectorFile:
    """Read a GeoJSON, GeoPackage, GPX, KML or zipped Shapefile after safety checks.

    At most `max_features` features (default MAX_FEATURES) and MAX_VERTICES coordinates;
    a file with more is refused, not cut.
    """
    path = Path(path)
    limit = MAX_FEATURES if max_features is None else max_features
    if check_file(path) == ".zip":
        with tempfile.TemporaryDirectory(prefix="allianz-zip-") as tmp:
            return _read(_unzip_shapefile(path, Path(tmp)), layer, limit)
    return _read(path, layer, limit)


def too_many_features(limit: int) -> GeoFileTooLarge:
    return GeoFileTooLarge(
        f"Die Datei enthält mehr als {de_int(limit)} Objekte; so viele können nicht "
        "eingelesen werden. Bitte die Datei aufteilen oder auf das Allianzgebiet zuschneiden."
    )


def too_many_vertices() -> GeoFileTooLarge:
    return GeoFileTooLarge(
        f"Die Geometrien der Datei haben mehr als {de_int(MAX_VERTICES)} Stützpunkte. Bitte "
        "die Linien oder Flächen vereinfachen oder die Datei aufteilen."
    )


def _read(path: Path, layer: str | None, limit: int) -> VectorFile:
    if not GDAL_OFFLINE:
        log.error("GIS file not read: GDAL could not be cut off from the network")
        raise GeoFileError(
            "Geodateien können auf diesem Server zurzeit nicht sicher eingelesen werden. Bitte "
            "die Administration informieren."
        )
    suffix = path.suffix.lower()
    if suffix == ".gpkg":
        _inspect_geopackage(path)
    elif suffix in _XML_SUFFIXES:
        features, vertices = scan_xml(path, limit, root=suffix[1:])
        if features > limit:
            raise too_many_features(limit)
        if vertices > MAX_VERTICES:
            raise too_many_vertices()
    elif suffix in (".geojson", ".json"):
        # every position has its own "[": an upper bound of the vertices, counted in C
        if _count_bytes(path, b"[") > MAX_VERTICES:
            raise too_many_vertices()
        scan_geojson(path)
    elif suffix == ".shp":
        _check_shapefile_sizes(path)
    try:
        chosen = layer
        if suffix not in _SINGLE_LAYER:  # each GDAL open of a GeoJSON parses it once more
            layers = [str(name) for name, _ in pyogrio.list_layers(path)]
            chosen = layer or _pick_layer(layers)
            if chosen is not None and chosen not in layers:
                raise GeoFileError(f"Die Datei hat keine Ebene „{chosen}“.")
        if suffix == ".gpkg" and chosen is not None:
            count = _count_geopackage_rows(path, chosen, limit)
        else:
            info = pyogrio.read_info(path, layer=chosen)
            if info["driver"] not in _DRIVERS[suffix]:
                raise GeoFileUnsafe(f"Der Inhalt der Datei passt nicht zur Endung {suffix}.")
            chosen = chosen or info["layer_name"]
            count = int(info["features"])  # -1: unknown, the bounded read below decides
            if len(info["fields"]) > MAX_FIELDS:
                raise GeoFileTooLarge(
                    f"Die Datei hat mehr als {de_int(MAX_FIELDS)} Spalten; so viele werden "
                    "nicht eingelesen."
                )
        if count > limit:
            raise too_many_features(limit)
        frame = pyogrio.read_dataframe(path, layer=chosen, max_features=limit + 1)
    except GeoFileError:
        raise
    except Exception as exc:  # GDAL reports unreadable input with many exception types
        log.info("GIS file not readable: %s: %s", type(exc).__name__, exc)
        raise GeoFileError(_german_reason(exc)) from exc
    if len(frame) > limit:
        raise too_many_features(limit)
    if int(shapely.get_num_coordinates(frame.geometry.values).sum()) > MAX_VERTICES:
        raise too_many_vertices()
    if frame.crs is None:
        raise GeoFileError("Die Datei gibt kein Koordinatensystem an.")
    return VectorFile(frame=frame, layer=chosen)


def _german_reason(exc: Exception) -> str:
    """A German sentence for a library exception; its own text stays in the log."""
    lead = "Die Datei ließ sich nicht als Geodaten lesen"
    if isinstance(exc, MemoryError):
        return "Die Datei ist zu groß, um sie einzulesen."
    if isinstance(exc, ogr_errors.DataSourceError):
        return f"{lead}: Das Format wurde nicht erkannt oder die Datei ist beschädigt."
    if isinstance(exc, ogr_errors.DataLayerError):
        return f"{lead}: Die Ebene ist leer oder beschädigt."
    if isinstance(exc, ogr_errors.CRSError):
        return f"{lead}: Das Koordinatensystem ist unbekannt."
    if isinstance(exc, ogr_errors.GeometryError | ShapelyError):
        return f"{lead}: Sie enthält Geometrien, die nicht gelesen werden können."
    if isinstance(exc, ogr_errors.FieldError | ogr_errors.FeatureError):
        return f"{lead}: Ein Objekt oder eine Spalte ist beschädigt."
    return f"{lead}. Bitte prüfen, ob sie vollständig und im angegebenen Format ist."


def _pick_layer(layers: list[str]) -> str | None:
    if len(layers) <= 1:
        return layers[0] if layers else None
    for preferred in ("VG250_GEM", "vg250_gem"):
        if preferred in layers:
            return preferred
    raise GeoFileError(
        "Die Datei enthält mehrere Ebenen; bitte eine auswählen: " + ", ".join(layers)
    )


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1 << 20


def _check_magic(path: Path, suffix: str) -> None:
    with path.open("rb") as file:
        head = file.read(4096)
    if suffix == ".zip" and not head.startswith(b"PK\x03\x04"):
        raise GeoFileError("Die Datei ist kein ZIP-Archiv, obwohl sie auf .zip endet.")
    if suffix == ".gpkg" and not head.startswith(b"SQLite format 3\x00"):
        raise GeoFileError("Die Datei ist kein GeoPackage, obwohl sie auf .gpkg endet.")
    if suffix in (".geojson", ".json") and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"{":
        raise GeoFileError("Die Datei ist kein GeoJSON (erwartet wird ein JSON-Objekt).")
    if suffix in _XML_SUFFIXES:
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise GeoFileError("Die Datei ist kein XML (GPX/KML).")
        if _contains(path, _DTD):
            raise GeoFileUnsafe(_XML_UNSAFE)


def _contains(path: Path, pattern: re.Pattern) -> bool:
    """Search in 1 MB chunks (overlapping), so memory stays flat for any file size."""
    tail = b""
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _count_bytes(path: Path, needle: bytes) -> int:
    total = 0
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            total += chunk.count(needle)
    return total


# --- GeoJSON: members GDAL would resolve, found before it parses ----------------------------
#
# GDAL compares member names without case and up to an escaped NUL ("\u0000"), takes the last
# of duplicate members, and its parser accepts single quotes and comments in some places. So
# the scan finds every spelling of "crs" (at any depth) and of a top-level "type", checks each
# value, and refuses what strict JSON has nowhere outside strings. Regexes in C go over the
# file; Python sees member names and braces only, and decodes just the values checked.

_JSON_TOKENS = re.compile(
    rb'(?P<string>"[^"\\]*(?:\\[\s\S][^"\\]*)*")(?P<name>\s*:)?'  # a string; with ":" a name
    rb"|(?P<open>\{)|(?P<close>\})"
    rb"|(?P<bad>[\"'/\\])"  # an unclosed string, single quotes, comments, a stray backslash
    rb"|[^\"{}'/\\]+"  # numbers, brackets, commas, true/false/null, white space
)
# "crs" and "type" as a JSON string can spell them: each letter in either case or as a \u
# escape (c is \u0063 or \u0043), the string ending there or cut by a NUL
_NAMES_CHECKED = re.compile(
    rb'"(?:(?P<crs>(?:c|\\u00[46]3)(?:r|\\u00[57]2)(?:s|\\u00[57]3))'
    rb"|(?P<type>(?:t|\\u00[57]4)(?:y|\\u00[57]9)(?:p|\\u00[57]0)(?:e|\\u00[46]5)))"
    rb'(?:"|\x00|\\u0000)',
    re.IGNORECASE,
)
_GEOJSON_TYPES = {
    "featurecollection",
    "feature",
    "point",
    "multipoint",
    "linestring",
    "multilinestring",
    "polygon",
    "multipolygon",
    "geometrycollection",
    "topology",  # TopoJSON
}
_LOCAL_CRS_TYPES = {"name", "epsg", "ogc"}  # GDAL resolves them itself; "link" and "url" fetch
_MEMBER_BYTES = 64 * 1024  # a "crs" or "type" value longer than this is refused


class _Members(list):
    """A JSON object as (name, value) pairs, duplicates kept."""


_MEMBER_DECODER = json.JSONDecoder(strict=False, object_pairs_hook=_Members)


def scan_geojson(path: Path) -> None:
    """Refuse a GeoJSON (or TopoJSON, ESRI JSON) whose content would make GDAL fetch a URL or
    run another driver: a "crs" that is not a name or EPSG code, a top-level "type" that is
    not GeoJSON (a GDALG pipeline), or syntax beyond strict JSON."""
    limit = MAX_FEATURES + 2  # a "crs" per feature, the collection's "type" and "crs"
    with (
        Path(path).open("rb") as file,
        mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        depth = checked = 0
        for match in _JSON_TOKENS.finditer(data):
            kind = match.lastgroup
            if kind == "open":
                depth += 1
            elif kind == "close":
                depth -= 1
                if depth < 0:  # a second document could hide its "type" below depth 1
                    raise _json_syntax_error(data, match.start())
            elif kind == "bad":
                raise _json_syntax_error(data, match.start())
            elif kind == "name":
                name = _NAMES_CHECKED.match(data, match.start(), match.end("string"))
                if name is None or (name.lastgroup == "type" and depth != 1):
                    continue
                checked += 1
                if checked > limit:
                    raise GeoFileUnsafe(
                        f"Die Datei hat mehr als {de_int(limit)} Angaben „crs“ oder „type“; "
                        "so viele werden nicht eingelesen."
                    )
                value = _json_member(data, match.end(), name.lastgroup)
                if name.lastgroup == "crs":
                    _check_crs(value)
                else:
                    _check_geojson_type(value)


def _json_word(text: object) -> str | None:
    """A string as GDAL compares it: up to the first NUL, without case."""
    return text.split("\0", 1)[0].casefold() if isinstance(text, str) else None


def _json_member(data: mmap.mmap, start: int, name: str) -> object:
    """The value after a member name, with objects as _Members; read in growing pieces."""
    size = 1024
    while True:
        text = data[start : start + size].decode("utf-8", "surrogateescape")
        try:
            return _MEMBER_DECODER.raw_decode(text.lstrip(" \t\n\r\f\v"))[0]
        except json.JSONDecodeError as exc:
            if size >= _MEMBER_BYTES or start + size >= len(data):
                raise GeoFileUnsafe(
                    f"Die Angabe „{name}“ in der Datei ist kein gültiges JSON oder länger als "
                    f"{_MEMBER_BYTES // 1024} KB."
                ) from exc
            size *= 8


def _check_crs(value: object) -> None:
    if not isinstance(value, _Members):  # null or a string: GDAL resolves nothing from it
        return
    for kind in (_json_word(v) for k, v in value if _json_word(k) == "type"):
        if kind not in _LOCAL_CRS_TYPES:
            shown = f"vom Typ „{kind}“" if kind in ("link", "url") else "eines unbekannten Typs"
            raise GeoFileUnsafe(
                "Die Datei verweist für ihr Koordinatensystem auf eine externe Quelle („crs“ "
                f"{shown}). Solche Verweise werden aus Sicherheitsgründen nicht abgerufen. Bitte "
                "die Datei mit einem Koordinatensystem wie EPSG:25832 oder EPSG:4326 speichern, "
                "z. B. in QGIS über „Exportieren – Objekte speichern als …“."
            )


def _check_geojson_type(value: object) -> None:
    if _json_word(value) not in _GEOJSON_TYPES:
        raise GeoFileUnsafe(
            "Die Datei ließ sich nicht als Geodaten lesen: Sie ist kein GeoJSON (unbekannter "
            "Typ; erwartet wird z. B. „FeatureCollection“)."
        )


def _json_syntax_error(data: mmap.mmap, offset: int) -> GeoFileError:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - before.rfind(b"\n")
    return GeoFileError(
        f"Die Datei ist kein gültiges JSON (Fehler in Zeile {line}, Spalte {column})."
    )


# --- XML (GPX, KML): one streaming pass that counts before GDAL builds anything ------------

_XML_FEATURES = {"Placemark", "wpt", "trk", "rte"}  # KML and GPX
_XML_POINTS = {"wpt", "trkpt", "rtept", "coord"}  # GPX points, KML gx:coord
_XML_UNSAFE = "XML mit DOCTYPE/ENTITY-Deklaration wird aus Sicherheitsgründen abgelehnt."


class StopXml(Exception):  # noqa: N818 - a signal, not an error
    """Raised by a handler of stream_xml to end the pass early."""


def stream_xml(
    path: Path,
    on_start: Callable[[str, dict, str | None], None],
    on_end: Callable[[str, str | None], None],
    on_text: Callable[[str, str], None] | None = None,
) -> None:
    """One pass over an XML file with expat, nothing kept: for each element
    on_start(tag, attributes, parent tag), on_text(tag, chunk) for the text directly inside
    it (in pieces), on_end(tag, parent tag). Tags without namespace prefix. A document type
    declaration (the carrier of entity bombs and external entities) ends the pass."""

    def unsafe(*_args) -> None:
        raise GeoFileUnsafe(_XML_UNSAFE)

    stack: list[str] = []

    def start(name: str, attributes: dict) -> None:
        tag = name.rpartition(":")[2]
        on_start(tag, attributes, stack[-1] if stack else None)
        stack.append(tag)

    def end(_name: str) -> None:
        tag = stack.pop()
        on_end(tag, stack[-1] if stack else None)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = unsafe
    parser.EntityDeclHandler = unsafe
    parser.UnparsedEntityDeclHandler = unsafe
    parser.ExternalEntityRefHandler = unsafe
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if on_text is not None:
        parser.CharacterDataHandler = lambda data: on_text(stack[-1], data) if stack else None
    try:
        with path.open("rb") as file:
            while chunk := file.read(_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except StopXml:
        return
    except expat.ExpatError as exc:
        raise GeoFileError(
            f"Die Datei ist kein gültiges XML (Fehler in Zeile {exc.lineno}, "
            f"Spalte {exc.offset + 1})."
        ) from exc


def scan_xml(path: Path, max_features: int, root: str | None = None) -> tuple[int, int]:
    """(features, vertices) of a GPX or KML file; stops as soon as a limit is passed. With
    `root` ("gpx", "kml") the document element must be that: GDAL chooses its driver by
    content, and an XML file of another kind (an OGR VRT) could make it open server files."""
    counts = {"features": 0, "vertices": 0}
    in_word = [False]  # KML <coordinates>: tuples separated by white space, text in pieces

    def on_start(tag: str, _attributes: dict, parent: str | None) -> None:
        if parent is None and root is not None and tag != root:
            raise GeoFileUnsafe(
                f"Die Datei ist keine {root.upper()}-Datei (Wurzelelement ist nicht <{root}>)."
            )
        in_word[0] = False

    def on_text(tag: str, data: str) -> None:
        if tag == "coordinates":
            words = len(data.split())
            if words and in_word[0] and not data[0].isspace():
                words -= 1  # a tuple continued from the previous piece
            counts["vertices"] += words
            in_word[0] = not data[-1].isspace()

    def on_end(tag: str, _parent: str | None) -> None:
        in_word[0] = False
        if tag in _XML_FEATURES:
            counts["features"] += 1
        if tag in _XML_POINTS:
            counts["vertices"] += 1
        if counts["features"] > max_features or counts["vertices"] > MAX_VERTICES:
            raise StopXml

    stream_xml(path, on_start, on_end, on_text)
    return counts["features"], counts["vertices"]


# --- GeoPackage: looked at with sqlite3, read-only, before GDAL opens it ------------------

# Triggers of GeoPackage itself: R-tree index, tile matrix and metadata checks, geometry type
# and SRS ID trigger extensions (fgti/fgtu/fgsi/fgsu), and GDAL's feature count bookkeeping.
_STANDARD_TRIGGER = re.compile(
    r"rtree_.+_(?:insert|update\d*|delete)"
    r"|gpkg_.+"
    r"|fg(?:ti|tu|si|su)_.+"
    r"|trigger_(?:insert|delete)_feature_count_.+",
    re.IGNORECASE | re.DOTALL,
)
_NOT_A_GPKG = "Die Datei ist kein lesbares GeoPackage."


def _open_sqlite(path: Path) -> sqlite3.Connection:
    """Read-only and immutable (no locks, no journal); every statement has a step budget."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    steps = [0]

    def budget() -> int:
        steps[0] += 1
        return int(steps[0] * 10_000 > SQLITE_STEPS)

    connection.set_progress_handler(budget, 10_000)
    return connection


def _inspect_geopackage(path: Path) -> None:
    """No views, no foreign triggers, and every registered layer a real table."""
    try:
        with closing(_open_sqlite(path)) as connection:
            schema = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
            kinds = {str(name).casefold(): (kind, sql or "") for kind, name, sql in schema}
            if "gpkg_contents" not in kinds:
                raise GeoFileError(_NOT_A_GPKG + " (Es fehlt die Tabelle gpkg_contents.)")
            if any(kind == "view" for kind, _, _ in schema):
                raise GeoFileUnsafe(
                    "GeoPackages mit Sichten (Views) werden aus Sicherheitsgründen nicht "
                    "eingelesen. Bitte die Ebene in QGIS als Tabelle speichern "
                    "(„Exportieren – Objekte speichern als …“)."
                )
            foreign = [
                name
                for kind, name, _ in schema
                if kind == "trigger" and not _STANDARD_TRIGGER.fullmatch(str(name))
            ]
            if foreign:
                raise GeoFileUnsafe(
                    "GeoPackages mit eigenen Triggern werden aus Sicherheitsgründen nicht "
                    "eingelesen. Bitte die Ebene in QGIS neu als GeoPackage speichern."
                )
            for (table,) in connection.execute("SELECT table_name FROM gpkg_contents"):
                _check_table(connection, kinds, str(table))
    except sqlite3.Error as exc:
        log.info("GeoPackage not readable: %s", exc)
        raise GeoFileError(_NOT_A_GPKG) from exc


def _check_table(connection: sqlite3.Connection, kinds: dict, table: str) -> None:
    kind, sql = kinds.get(table.casefold(), (None, ""))
    if kind != "table" or sql.lstrip().upper().startswith("CREATE VIRTUAL"):
        raise GeoFileUnsafe(
            f"Die Ebene „{table}“ ist keine gewöhnliche Tabelle (z. B. eine Sicht) und wird "
            "aus Sicherheitsgründen nicht eingelesen."
        )
    columns = connection.execute("SELECT hidden FROM pragma_table_xinfo(?)", (table,)).fetchall()
    if len(columns) > MAX_FIELDS:
        raise GeoFileTooLarge(
            f"Die Ebene „{table}“ hat mehr als {de_int(MAX_FIELDS)} Spalten; so viele werden "
            "nicht eingelesen."
        )
    if any(hidden in (2, 3) for (hidden,) in columns):  # generated (computed) columns
        raise GeoFileUnsafe(
            f"Die Ebene „{table}“ hat berechnete Spalten und wird aus Sicherheitsgründen nicht "
            "eingelesen."
        )


def _count_geopackage_rows(path: Path, layer: str, limit: int) -> int:
    """Rows of the layer's table, counted up to limit + 1 (gpkg_ogr_contents may lie), and a
    vertex bound from the geometry blobs (16 bytes per XY vertex at least)."""
    try:
        with closing(_open_sqlite(path)) as connection:
            kinds = {
                str(name).casefold(): (kind, sql or "")
                for kind, name, sql in connection.execute(
                    "SELECT type, name, sql FROM sqlite_master"
                )
            }
            _check_table(connection, kinds, layer)
            quoted = '"' + layer.replace('"', '""') + '"'
            row = connection.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
                (layer,),
            ).fetchone()
            blob = f'length("{row[0].replace(chr(34), chr(34) * 2)}")' if row else "0"
            count, blob_bytes = connection.execute(
                f"SELECT count(*), coalesce(sum({blob}), 0) FROM (SELECT * FROM {quoted} LIMIT ?)",
                (limit + 1,),
            ).fetchone()
    except sqlite3.Error as exc:
        log.info("GeoPackage layer not readable: %s", exc)
        raise GeoFileError(_NOT_A_GPKG) from exc
    if blob_bytes // 16 > MAX_VERTICES:
        raise too_many_vertices()
    return int(count)


# --- Shapefile ------------------------------------------------------------------------------


def _check_shapefile_sizes(path: Path) -> None:
    """A real .shp (GDAL would open a GeoPackage named .shp as one); a vertex needs 16 bytes
    in it; the attribute table is held in memory whole."""
    with path.open("rb") as file:
        if file.read(4) != b"\x00\x00\x27\x0a":  # file code 9994, big-endian
            raise GeoFileUnsafe("Die .shp-Datei ist kein Shapefile.")
    if (path.stat().st_size - 100) // 16 > MAX_VERTICES:
        raise too_many_vertices()
    tables = [p for p in path.parent.iterdir() if p.stem == path.stem]
    if any(t.suffix.lower() == ".dbf" and t.stat().st_size > MAX_FILE_BYTES for t in tables):
        raise GeoFileTooLarge(
            f"Die Attributtabelle (.dbf) ist größer als {MAX_FILE_BYTES // 2**20} MB."
        )


def _unzip_shapefile(path: Path, target: Path) -> Path:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
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
        try:
            for entry in entries:
                if entry.is_dir():
                    continue
                dest = target / PurePosixPath(entry.filename.replace("\\", "/"))
                dest.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(entry) as src, dest.open("wb") as out:
                    _copy_limited(src, out, entry.file_size)
        except GeoFileError:
            raise
        except RuntimeError as exc:  # encrypted entries
            raise GeoFileError(
                "Das ZIP-Archiv ist verschlüsselt; bitte ohne Passwort packen."
            ) from exc
        except NotImplementedError as exc:  # compression methods zipfile cannot unpack
            raise GeoFileError(
                "Das ZIP-Archiv nutzt ein nicht unterstütztes Komprimierungsverfahren; bitte "
                "als gewöhnliches ZIP (Deflate) packen."
            ) from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            log.info("Broken zip entry: %s", exc)
            raise GeoFileError(
                "Das ZIP-Archiv ist beschädigt (Prüfsumme oder Inhalt stimmt nicht). Bitte neu "
                "packen und erneut hochladen."
            ) from exc
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
