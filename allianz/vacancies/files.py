"""Vacancy files in and out: CSV and XLSX with coordinates, and GeoPackage.

Reading turns a file into rows of field values (headings in German or as field names);
the service checks every row. Writing never includes owner data unless `internal` is set,
which only the alliance manager may ask for.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from shapely.geometry import Point

from allianz import geo
from allianz.config import Alliance
from allianz.errors import ValidationError
from allianz.exports import neutralise
from allianz.formatting import de_csv, de_date, de_int
from allianz.vacancies.model import CODED, FIELDS, LABELS, OWNER_FIELDS, Owner, Site

DATE_FIELDS = ("vacant_since", "owner_contacted_on", "next_review")
XLSX_DATE = "DD.MM.YYYY"  # Excel's number format for the date cells

SUFFIXES = (".csv", ".xlsx", ".gpkg")
MAX_BYTES = 10 * 2**20
MAX_ROWS = 20_000
MAX_XLSX_UNZIPPED = 100 * 2**20
_ALIASES = {
    "gemeinde": "municipality",
    "typ": "type",
    "x": "lon",
    "y": "lat",
    "longitude": "lon",
    "latitude": "lat",
    "lng": "lon",
    "ags": "municipality_ags",
    "eigentümer": "owner_name",
}
PUBLIC_COLUMNS = ("ref", "municipality", *FIELDS)


class VacancyFileError(ValidationError):
    """The file cannot be read at all (type, size, structure); German message."""


FORMATS = ("csv", "xlsx", "gpkg")


def _heading_map() -> dict[str, str]:
    mapping = {label.casefold(): field for field, label in LABELS.items()}
    mapping |= {field.casefold(): field for field in LABELS}
    return mapping | _ALIASES


def read_rows(path: Path, alliance: Alliance) -> list[dict]:
    """Rows of field values; unknown columns are ignored, municipality names become AGS."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise VacancyFileError("Erlaubt sind CSV, XLSX (Excel) und GeoPackage (.gpkg).")
    size = path.stat().st_size
    if size == 0:
        raise VacancyFileError("Die Datei ist leer.")
    if size > MAX_BYTES:
        raise VacancyFileError(f"Die Datei ist größer als {MAX_BYTES // 2**20} MB.")
    reader = {".csv": _read_csv, ".xlsx": _read_xlsx, ".gpkg": _read_gpkg}[suffix]
    raw = reader(path)
    if len(raw) > MAX_ROWS:
        raise VacancyFileError(f"Höchstens {de_int(MAX_ROWS)} Zeilen je Datei.")
    headings = _heading_map()
    by_name = {m.name.casefold(): m.ags for m in alliance.municipalities}
    rows = []
    for item in raw:
        row = {}
        for key, value in item.items():
            field = headings.get(str(key).strip().casefold())
            if field:
                row[field] = value
        name = row.pop("municipality", None)
        if not row.get("municipality_ags") and name:
            row["municipality_ags"] = by_name.get(str(name).strip().casefold(), str(name))
        rows.append(row)
    return rows


class _Semicolon(csv.excel):
    delimiter = ";"


def _read_csv(path: Path) -> list[dict]:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise VacancyFileError("Die Datei ist keine Textdatei (CSV).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if ";" in text.split("\n", 1)[0]:
        dialect = _Semicolon  # ours and Excel's in German: decimal commas must not split cells
    else:
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        except csv.Error:
            dialect = _Semicolon
    rows = []
    try:
        for row in csv.DictReader(io.StringIO(text), dialect=dialect):
            rows.append(row)
            if len(rows) > MAX_ROWS:  # refused by read_rows; never build millions of dicts
                break
    except csv.Error as exc:  # e.g. a field longer than the csv module's limit
        raise VacancyFileError(
            "Die CSV-Datei ist beschädigt oder enthält überlange Felder."
        ) from exc
    return rows


def _read_xlsx(path: Path) -> list[dict]:
    if not path.open("rb").read(4).startswith(b"PK\x03\x04"):
        raise VacancyFileError("Die Datei ist keine Excel-Datei (.xlsx), obwohl sie so heißt.")
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(e.file_size for e in archive.infolist()) > MAX_XLSX_UNZIPPED:
                raise VacancyFileError("Die Excel-Datei ist entpackt zu groß (ZIP-Bombe?).")
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        if isinstance(exc, VacancyFileError):
            raise
        raise VacancyFileError("Die Excel-Datei ist beschädigt oder kein XLSX.") from exc
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = next(values, None)
        if header is None:
            return []
        names = ["" if h is None else str(h) for h in header]
        rows = []
        for line in values:
            if line is None or all(v is None or str(v).strip() == "" for v in line):
                continue
            rows.append(dict(zip(names, line, strict=False)))
            if len(rows) > MAX_ROWS:
                break
        return rows
    finally:
        workbook.close()


def _read_gpkg(path: Path) -> list[dict]:
    try:
        frame = geo.read_vector_file(path, max_features=MAX_ROWS).frame
    except geo.GeoFileError as exc:
        raise VacancyFileError(exc.errors) from exc
    frame = frame.to_crs(geo.STORAGE_CRS)
    rows = []
    for record, geometry in zip(
        frame.drop(columns="geometry").to_dict("records"), frame.geometry, strict=True
    ):
        if geometry is not None and not geometry.is_empty:
            point = geometry if geometry.geom_type == "Point" else geometry.representative_point()
            record |= {"lon": point.x, "lat": point.y}
        rows.append(record)
    return rows


def _frame(sites: list[Site], alliance: Alliance, owners: dict[int, Owner] | None) -> pd.DataFrame:
    names = {m.ags: m.name for m in alliance.municipalities}
    rows = []
    for site in sites:
        values = site.values()
        row = {"ref": site.ref, "municipality": names.get(site.municipality_ags, "")}
        for field in FIELDS:
            value = values[field]
            if field in CODED and value:
                value = CODED[field][value]
            elif isinstance(value, bool):
                value = "ja" if value else "nein"
            row[field] = value
        if owners is not None:
            owner = owners.get(site.id, Owner())
            row |= {
                "owner_name": owner.name,
                "owner_contact": owner.contact,
                "owner_note": owner.note,
            }
        rows.append(row)
    columns = list(PUBLIC_COLUMNS) + (list(OWNER_FIELDS) if owners is not None else [])
    labels = {**LABELS, "municipality": "Gemeinde"}
    return pd.DataFrame(rows, columns=columns).rename(columns=labels)


def write(
    sites: list[Site],
    alliance: Alliance,
    fmt: str,
    owners: dict[int, Owner] | None = None,
) -> bytes:
    """CSV (semicolon, UTF-8 with BOM), XLSX or GPKG; owner columns only with `owners`."""
    frame = _frame(sites, alliance, owners)
    if fmt == "csv":
        # For people and for our own importer alike: `;`, decimal comma, 04.12.2026 (the
        # importer reads all of these back, see `read_rows` and `service.check`).
        dates = [LABELS[f] for f in DATE_FIELDS]
        german = frame.copy()
        german[dates] = german[dates].map(lambda v: de_date(v, "") if isinstance(v, str) else None)
        text = de_csv(list(german.columns), german.itertuples(index=False))
        return ("\ufeff" + text).encode("utf-8")
    if fmt == "xlsx":
        # Dates as Excel dates shown 04.12.2026, numbers as numbers (Excel shows them in the
        # reader's language); `_read_xlsx` reads both back.
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Leerstand"
        sheet.append(list(frame.columns))
        dates = {frame.columns.get_loc(LABELS[f]) for f in DATE_FIELDS}
        for values in frame.itertuples(index=False):
            sheet.append([_date_cell(v) if i in dates else _cell(v) for i, v in enumerate(values)])
        for row in sheet.iter_rows(min_row=2):
            for index in dates:
                row[index].number_format = XLSX_DATE
        for index, heading in enumerate(frame.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(heading) + 2)
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    if fmt == "gpkg":
        geo_frame = gpd.GeoDataFrame(
            frame, geometry=[Point(s.lon, s.lat) for s in sites], crs=geo.STORAGE_CRS
        )
        with tempfile.TemporaryDirectory(prefix="allianz-gpkg-") as tmp:
            target = Path(tmp) / "leerstand.gpkg"
            geo_frame.to_file(target, layer="leerstand", driver="GPKG", engine="pyogrio")
            return target.read_bytes()
    raise VacancyFileError("Format muss csv, xlsx oder gpkg sein.")


def _date_cell(value) -> date | None:
    """A stored ISO date as an Excel date (nothing stays empty)."""
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def _cell(value):
    """Text cells that start like a formula are written with a quote (never executed)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return neutralise(value) if isinstance(value, str) else value
