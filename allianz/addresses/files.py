"""Address files: CSV (`;` or `,`), GeoJSON and GeoPackage into one table of columns and
WGS84 coordinates.

GIS files go through `allianz.geo` (the one safe reader with its limits); CSV is read here with
a size cap, a row cap and a column cap. Column names are recognised in German and English and
as used by the states' house coordinates (HK-DE: STN, HNR, ADZ, PLZ, ONM, OTT, Ost/Nord) and by
OpenStreetMap extracts (addr:street, addr:housenumber, addr:postcode, addr:city, addr:suburb).
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from allianz import geo
from allianz.addresses.normalise import fold
from allianz.errors import ValidationError
from allianz.formatting import de_int

log = logging.getLogger(__name__)

MAX_ROWS = 500_000  # a district's addresses are ~300.000
MAX_CSV_BYTES = 100 * 1024 * 1024
CSV_SUFFIXES = (".csv", ".txt")
GIS_SUFFIXES = (".geojson", ".json", ".gpkg")
SUFFIXES = CSV_SUFFIXES + GIS_SUFFIXES
STORAGE = "EPSG:4326"

# Coordinate systems offered for CSV files with easting/northing; "automatic" tries them all
# and keeps the one that puts the addresses into the alliance.
PROJECTED = {
    "EPSG:25832": "ETRS89 / UTM Zone 32N (EPSG:25832)",
    "EPSG:25833": "ETRS89 / UTM Zone 33N (EPSG:25833)",
    "EPSG:4647": "ETRS89 / UTM Zone 32N mit Zonenkennung (EPSG:4647)",
    "EPSG:5650": "ETRS89 / UTM Zone 33N mit Zonenkennung (EPSG:5650)",
    "EPSG:31468": "DHDN / Gauß-Krüger Zone 4 (EPSG:31468)",
    "EPSG:31469": "DHDN / Gauß-Krüger Zone 5 (EPSG:31469)",
}
CRS_CHOICES = {"": "automatisch erkennen", STORAGE: "WGS84 (EPSG:4326)", **PROJECTED}

# Column roles and the names (folded to a-z0-9) under which files carry them.
ALIASES = {
    "street": ("strasse", "str", "street", "strassenname", "stn", "strname", "addrstreet"),
    "number": ("hausnummer", "hausnr", "hnr", "hsnr", "nr", "nummer", "housenumber",
               "addrhousenumber", "number"),
    "suffix": ("zusatz", "hausnummerzusatz", "hnrzusatz", "hausnrzusatz", "adz"),
    "postcode": ("plz", "postleitzahl", "postcode", "addrpostcode", "psz", "zip"),
    "place": ("ort", "ortsname", "place", "city", "addrcity", "onm", "postort", "gemeinde",
              "gemeindename"),
    "ortsteil": ("ortsteil", "ortsteilname", "ott", "otl", "otname", "suburb", "addrsuburb",
                 "addrplace", "addrhamlet"),
    "ags": ("ags", "gemeindeschluessel", "gemeindeschlussel", "gkz", "ags8"),
    "lat": ("lat", "latitude", "breite", "breitengrad"),
    "lon": ("lon", "lng", "long", "longitude", "laenge", "lange", "laengengrad"),
    "x": ("x", "ost", "ostwert", "rechtswert", "east", "easting", "utmeast"),
    "y": ("y", "nord", "nordwert", "hochwert", "north", "northing", "utmnorth"),
}  # fmt: skip
# HK-DE splits the municipality key into Land, Regierungsbezirk, Kreis and Gemeinde.
AGS_PARTS = ("lan", "rbz", "krs", "gmd")


class AddressFileError(ValidationError):
    """A file that cannot be read as an address list; nothing was changed. German message."""


@dataclass(frozen=True)
class AddressTable:
    """The file's attribute columns (text, by role) and WGS84 coordinates (NaN: none)."""

    columns: dict[str, pd.Series]
    lon: np.ndarray
    lat: np.ndarray
    crs: str
    rows: int


def column_key(name: str) -> str:
    """A column name folded to a-z0-9: "addr:street" → "addrstreet", "Straße" → "strasse"."""
    return "".join(c for c in fold(str(name)) if c.isalnum())


def roles(names: list[str]) -> dict[str, str]:
    """role → the file's column name; the first alias found wins."""
    keyed = {}
    for name in names:
        keyed.setdefault(column_key(name), name)
    found = {}
    for role, aliases in ALIASES.items():
        for alias in aliases:
            if alias in keyed:
                found[role] = keyed[alias]
                break
    return found


def read(path: Path, crs: str | None = None, bounds=None) -> AddressTable:
    """Read an address file; `crs` for CSV easting/northing ("" or None: recognise it by
    which system puts the most addresses inside `bounds`, the alliance's area in WGS84)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise AddressFileError(
            f"Dateiformat {suffix or '(ohne Endung)'} wird nicht unterstützt. Erlaubt: CSV "
            "(Trennzeichen ; oder ,), GeoJSON und GeoPackage."
        )
    if crs and crs not in CRS_CHOICES:
        raise AddressFileError(f"Unbekanntes Koordinatensystem „{crs}“.")
    if suffix in CSV_SUFFIXES:
        frame = _read_csv(path)
        return _from_columns(frame, crs or None, bounds)
    return _from_gis(path)


# --- CSV ----------------------------------------------------------------------------------


def _read_csv(path: Path) -> pd.DataFrame:
    size = path.stat().st_size
    if size == 0:
        raise AddressFileError("Die Datei ist leer.")
    if size > MAX_CSV_BYTES:
        raise AddressFileError(
            f"Die Datei ist größer als {MAX_CSV_BYTES // 2**20} MB. Bitte auf das Allianzgebiet "
            "zuschneiden oder aufteilen."
        )
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise AddressFileError("Die Datei ist keine Textdatei (CSV).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    del data
    header = text.split("\n", 1)[0]
    separator = ";" if ";" in header else ("\t" if "\t" in header else ",")
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    try:
        names = next(reader, None)
        if not names:
            raise AddressFileError("Die Datei ist leer.")
        if len(names) > geo.MAX_FIELDS:
            raise AddressFileError(
                f"Die Datei hat mehr als {de_int(geo.MAX_FIELDS)} Spalten; so viele werden "
                "nicht eingelesen."
            )
        rows = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                raise AddressFileError(
                    f"Die CSV-Datei ist beschädigt: Zeile {de_int(reader.line_num)} hat mehr "
                    f"Spalten ({len(row)}) als die Kopfzeile ({len(names)}). Nichts wurde "
                    "geändert."
                )
            rows.append(row + [""] * (len(names) - len(row)))
            if len(rows) > MAX_ROWS:
                raise _too_many()
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit
        log.info("Address CSV not readable: %s", exc)
        raise AddressFileError(
            "Die CSV-Datei ist beschädigt (z. B. ein nicht geschlossenes Anführungszeichen "
            "oder überlange Felder)."
        ) from exc
    if not rows:
        raise AddressFileError("Die Datei enthält keine Zeilen unter der Kopfzeile.")
    unique = [name if names.index(name) == i else f"{name}.{i}" for i, name in enumerate(names)]
    return pd.DataFrame(rows, columns=unique, dtype=str)


def _too_many() -> AddressFileError:
    return AddressFileError(
        f"Die Datei enthält mehr als {de_int(MAX_ROWS)} Adressen. Bitte auf das Allianzgebiet "
        "zuschneiden oder aufteilen."
    )


def _numbers(series: pd.Series) -> np.ndarray:
    """Decimal commas allowed ("51,3347"); anything else that is no number becomes NaN."""
    text = series.astype(str).str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)


def _text_columns(frame: pd.DataFrame, found: dict[str, str]) -> dict[str, pd.Series]:
    columns = {
        role: frame[name].astype(str).where(frame[name].notna(), "")
        for role, name in found.items()
        if role not in ("lat", "lon", "x", "y")
    }
    keyed = {column_key(c): c for c in frame.columns}
    if "ags" not in columns and all(p in keyed for p in AGS_PARTS):
        parts = [frame[keyed[p]].astype(str).str.strip() for p in AGS_PARTS]
        widths = (2, 1, 2, 3)
        columns["ags"] = parts[0].str.zfill(widths[0])
        for part, width in zip(parts[1:], widths[1:], strict=True):
            columns["ags"] = columns["ags"] + part.str.zfill(width)
    return columns


def _require(found: dict[str, str]) -> None:
    if "street" not in found and "ortsteil" not in found:
        raise AddressFileError(
            "Die Datei hat keine Spalte für die Straße (erwartet z. B. „Straße“, „strasse“, "
            "„STN“ oder „addr:street“). Nichts wurde geändert."
        )
    if "number" not in found:
        raise AddressFileError(
            "Die Datei hat keine Spalte für die Hausnummer (erwartet z. B. „Hausnummer“, "
            "„HNR“ oder „addr:housenumber“). Nichts wurde geändert."
        )


def _from_columns(frame: pd.DataFrame, crs: str | None, bounds) -> AddressTable:
    found = roles(list(frame.columns))
    _require(found)
    columns = _text_columns(frame, found)
    if "lat" in found and "lon" in found:
        lat, lon = _numbers(frame[found["lat"]]), _numbers(frame[found["lon"]])
        return AddressTable(columns, lon, lat, STORAGE, len(frame))
    if "x" not in found or "y" not in found:
        raise AddressFileError(
            "Die Datei hat keine Koordinaten: erwartet werden Spalten für Breite und Länge "
            "(„lat“/„lon“) oder Rechts- und Hochwert („x“/„y“, „Ostwert“/„Nordwert“). Nichts "
            "wurde geändert."
        )
    x, y = _numbers(frame[found["x"]]), _numbers(frame[found["y"]])
    if crs == STORAGE or (not crs and _looks_geographic(x, y)):
        return AddressTable(columns, x, y, STORAGE, len(frame))
    if crs:
        lon, lat = _transform(x, y, crs)
        return AddressTable(columns, lon, lat, crs, len(frame))
    chosen = _guess_crs(x, y, bounds)
    lon, lat = _transform(x, y, chosen)
    return AddressTable(columns, lon, lat, chosen, len(frame))


def _looks_geographic(x: np.ndarray, y: np.ndarray) -> bool:
    valid = ~(np.isnan(x) | np.isnan(y))
    if not valid.any():
        return False
    return bool((np.abs(x[valid]) <= 180).all() and (np.abs(y[valid]) <= 90).all())


def _transform(x: np.ndarray, y: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=crs).to_crs(STORAGE)
    lon = np.where(np.isnan(x) | np.isnan(y), np.nan, points.x.to_numpy(dtype=float))
    lat = np.where(np.isnan(x) | np.isnan(y), np.nan, points.y.to_numpy(dtype=float))
    return lon, lat


def _guess_crs(x: np.ndarray, y: np.ndarray, bounds) -> str:
    """The projected system that puts the most of a sample inside the alliance."""
    valid = np.flatnonzero(~(np.isnan(x) | np.isnan(y)))
    if valid.size == 0:
        raise AddressFileError("Die Datei enthält keine gültigen Koordinaten.")
    sample = valid[:: max(1, valid.size // 1000)]
    best, best_share = None, 0.0
    for crs in PROJECTED:
        lon, lat = _transform(x[sample], y[sample], crs)
        share = float(shapely.contains_xy(bounds, lon, lat).mean()) if bounds is not None else 0
        if share > best_share:
            best, best_share = crs, share
    if best is None or best_share < 0.5:
        raise AddressFileError(
            "Die Rechts- und Hochwerte passen in keinem der üblichen Koordinatensysteme "
            "(UTM 32/33, Gauß-Krüger 4/5) ins Gebiet der Allianz. Bitte das Koordinatensystem "
            "angeben. Nichts wurde geändert."
        )
    return best


# --- GeoJSON, GeoPackage ------------------------------------------------------------------


def _from_gis(path: Path) -> AddressTable:
    try:
        vector = geo.read_vector_file(path, max_features=MAX_ROWS)
    except geo.GeoFileError as exc:
        raise AddressFileError(exc.errors) from exc
    frame = vector.frame
    if frame.empty:
        raise AddressFileError("Die Datei enthält keine Objekte.")
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    found = roles(list(attributes.columns))
    _require(found)
    columns = _text_columns(attributes, found)
    geometry = frame.geometry.to_crs(STORAGE)
    points = _points(geometry.values)
    lon = shapely.get_x(points).astype(float)
    lat = shapely.get_y(points).astype(float)
    return AddressTable(columns, lon, lat, str(frame.crs.to_string()), len(frame))


def _points(geometries: np.ndarray) -> np.ndarray:
    """Points stay; building outlines (OSM) and other shapes give a point inside them;
    missing or empty geometries give None (NaN coordinates)."""
    geometries = np.asarray(geometries, dtype=object)
    missing = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    result = np.full(len(geometries), None, dtype=object)
    present = geometries[~missing]
    is_point = shapely.get_type_id(present) == 0
    result[np.flatnonzero(~missing)[is_point]] = present[is_point]
    if (~is_point).any():
        result[np.flatnonzero(~missing)[~is_point]] = shapely.point_on_surface(present[~is_point])
    return result
