"""Reading a register extract (Melderegister-Auszug) for the Leerstandsrisiko.

One row per address or building (or one per resident: rows of the same address are added
up), with the residents' birth years, their ages, or counts per age group. Columns are found
by their German headings; every other column (names above all) is left unread. Each cell
with years or ages is reduced to counts (`AgeCounts`) the moment it is parsed: no year or
age is kept in a row, and no message repeats one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from allianz.errors import ValidationError
from allianz.formatting import de_int
from allianz.text import clean
from allianz.vacancies import files
from allianz.vacancies.risk_model import (
    MAX_RESIDENTS,
    OLDEST_AGE,
    OLDEST_BIRTH_YEAR,
    AgeCounts,
)

SUFFIXES = (".csv", ".xlsx")
TEXT_MAX = 120

# heading (normalised) -> role
_HEADINGS = {
    "straße": "street",
    "strasse": "street",
    "str.": "street",
    "straßenname": "street",
    "strassenname": "street",
    "straßenbezeichnung": "street",
    "hausnummer": "number",
    "hausnr.": "number",
    "hausnr": "number",
    "hnr": "number",
    "nr.": "number",
    "zusatz": "suffix",
    "hausnummernzusatz": "suffix",
    "hausnummerzusatz": "suffix",
    "ortsteil": "ortsteil",
    "gemeindeteil": "ortsteil",
    "ot": "ortsteil",
    "gemeinde": "municipality",
    "ags": "municipality",
    "gemeindeschlüssel": "municipality",
    "rechtswert": "east",
    "ostwert": "east",
    "hochwert": "north",
    "nordwert": "north",
    "breite": "lat",
    "lat": "lat",
    "länge": "lon",
    "lon": "lon",
    "geburtsjahre": "years",
    "geburtsjahr": "years",
    "jahrgänge": "years",
    "jahrgang": "years",
    "geburtsdaten": "dates",
    "geburtsdatum": "dates",
    "alter": "ages",
    "lebensalter": "ages",
    "anzahl": "count",
    "anzahl gemeldete": "count",
    "anzahl einwohner": "count",
    "einwohner": "count",
    "gemeldete": "count",
    "personen": "count",
}
# address parts we do not need, left unread without a remark
_QUIET = {"plz", "postleitzahl", "ort", "ortsname", "kreis", "landkreis"}
_NAME = re.compile(r"name|vorname|nachname|titel|anrede|akademisch", re.IGNORECASE)
_BAND = (
    (re.compile(r"^(\d{1,3})\s*(?:-|–|bis)\s*(\d{1,3})(?:\s*jahre)?$"), "range"),
    (re.compile(r"^(\d{1,3})\s*\+$"), "open"),
    (re.compile(r"^(?:ab)\s*(\d{1,3})(?:\s*jahre)?$"), "open"),
    (re.compile(r"^(\d{1,3})\s*(?:jahre\s*)?(?:und|u\.)\s*(?:älter|mehr)$"), "open"),
    (re.compile(r"^unter\s*(\d{1,3})(?:\s*jahre)?$"), "below"),
)
_SEPARATORS = re.compile(r"[;,|/\s]+")
_DATE = re.compile(r"^(?:\d{1,2}\.\d{1,2}\.(\d{4})|(\d{4})-\d{2}-\d{2}(?:[ T].*)?)$")


class RiskFileError(ValidationError):
    """The extract cannot be used; German messages, nothing was stored."""


@dataclass
class ExtractRow:
    """One row of the extract as the service needs it: where, and counts only."""

    line: int
    street: str = ""
    number: str = ""
    suffix: str = ""
    ortsteil: str = ""
    municipality: str = ""
    lat: float | None = None
    lon: float | None = None
    east: float | None = None
    north: float | None = None
    counts: AgeCounts = field(default_factory=AgeCounts)


@dataclass
class Extract:
    rows: list[ExtractRow]
    ignored: list[str]  # headings left unread
    names_ignored: list[str]  # of those, the ones that look like names of people


def _heading(raw) -> str:
    return re.sub(r"\s+", " ", str(raw or "").strip().casefold()).rstrip(":")


def _band(heading: str) -> int | None:
    """The lower bound of an age-group heading ("70-79", "80+", "unter 18"), else None."""
    text = re.sub(r"^(?:alter|altersgruppe|altersklasse)\s*", "", heading)
    for pattern, kind in _BAND:
        match = pattern.match(text)
        if match:
            return 0 if kind == "below" else int(match.group(1))
    return None


def _plan(headings: list) -> tuple[dict[str, str], dict[str, int], list[str], list[str]]:
    """(raw heading -> role, raw heading -> band's lower age, ignored, ignored names)."""
    roles: dict[str, str] = {}
    bands: dict[str, int] = {}
    ignored, names = [], []
    for raw in headings:
        key = str(raw)
        heading = _heading(raw)
        if heading in _HEADINGS:
            roles[key] = _HEADINGS[heading]
        elif (low := _band(heading)) is not None:
            bands[key] = low
        elif heading and heading not in _QUIET:
            shown = clean(str(raw))[:40]
            ignored.append(shown)
            if _NAME.search(heading):
                names.append(shown)
    return roles, bands, ignored, names


def _blank(value) -> bool:
    return value is None or value != value or str(value).strip() == ""


def _text(value) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))[:TEXT_MAX]


def _number(value) -> float | None:
    if _blank(value):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def _whole(value) -> int | None:
    """A non-negative whole number from a cell (1, "1", 1.0), else None."""
    number = _number(value)
    if number is None or number < 0 or not number.is_integer():
        return None
    return int(number)


def _parts(value) -> list[str]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(int(value))] if float(value).is_integer() else [str(value)]
    if isinstance(value, date):
        return [value.isoformat()]
    return [p for p in _SEPARATORS.split(str(value).strip()) if p]


def _add_years(cell, counts: AgeCounts, year: int, problems: set[str]) -> None:
    for part in _parts(cell):
        if not part.isdigit() or len(part) != 4:
            problems.add("years")
            continue
        born = int(part)
        if born > year:
            problems.add("future")
        elif born < OLDEST_BIRTH_YEAR:
            problems.add("old")
        else:
            counts.add_age(year - born)


def _add_dates(cell, counts: AgeCounts, year: int, problems: set[str]) -> None:
    values = [cell] if isinstance(cell, date) else _SEPARATORS.split(str(cell).strip())
    for part in values:
        if isinstance(part, date):
            born = part.year
        elif not part:
            continue
        else:
            match = _DATE.match(part)
            if not match:
                problems.add("dates")
                continue
            born = int(match.group(1) or match.group(2))
        if born > year:
            problems.add("future")
        elif born < OLDEST_BIRTH_YEAR:
            problems.add("old")
        else:
            counts.add_age(year - born)


def _add_ages(cell, counts: AgeCounts, problems: set[str]) -> None:
    for part in _parts(cell):
        if not part.isdigit():
            problems.add("ages")
            continue
        age = int(part)
        if age > OLDEST_AGE:
            problems.add("old")
        else:
            counts.add_age(age)


_PROBLEMS = {
    "years": "„Geburtsjahre“ enthält etwas anderes als vierstellige Jahreszahlen "
    "(erwartet z. B. 1938;1941).",
    "dates": "„Geburtsdatum“ enthält etwas anderes als Datumsangaben (TT.MM.JJJJ).",
    "ages": "„Alter“ enthält etwas anderes als ganze Zahlen (erwartet z. B. 84;81).",
    "future": "ein Geburtsjahr liegt in der Zukunft.",
    "old": f"ein Geburtsjahr liegt vor {OLDEST_BIRTH_YEAR} bzw. ein Alter über {OLDEST_AGE} "
    "Jahren – bitte den Auszug prüfen.",
    "band": "eine Altersgruppe enthält keine ganze Zahl ≥ 0.",
    "count": "die Anzahl der Gemeldeten ist keine ganze Zahl ≥ 0.",
    "too_many": f"mehr als {de_int(MAX_RESIDENTS)} Gemeldete an einer Adresse – bitte den "
    "Auszug prüfen.",
    "coordinates": "Koordinaten sind keine Zahlen.",
    "where": "weder Adresse (Straße und Hausnummer) noch Koordinaten.",
}


def parse(raw_rows: list[dict], today: date) -> Extract:
    """Rows of cells (heading -> value) into extract rows; all errors at once."""
    if not raw_rows:
        raise RiskFileError("Die Datei enthält keine Zeilen.")
    roles, bands, ignored, names = _plan(list(raw_rows[0].keys()))
    found = set(roles.values())
    if not ({"years", "dates", "ages", "count"} & found or bands):
        raise RiskFileError(
            "Es fehlt eine Spalte mit den Gemeldeten: „Geburtsjahre“ (z. B. 1938;1941), "
            "„Alter“ (z. B. 84;81), Altersgruppen („0-17“, „18-64“, „65-69“, „70-79“, „80+“) "
            "oder „Anzahl“. Nichts wurde gespeichert."
        )
    has_address = {"street", "number"} <= found
    has_points = {"east", "north"} <= found or {"lat", "lon"} <= found
    if not (has_address or has_points):
        raise RiskFileError(
            "Es fehlen Spalten für die Lage: „Straße“ und „Hausnummer“, oder „Rechtswert“ und "
            "„Hochwert“ (ETRS89/UTM32), oder „Breite“ und „Länge“. Nichts wurde gespeichert."
        )
    rows, errors = [], []
    for line, cells in enumerate(raw_rows, start=2):  # line 1 holds the headings
        row = ExtractRow(line)
        problems: set[str] = set()
        with_age = False
        for key, role in roles.items():
            value = cells.get(key)
            if role in ("street", "number", "suffix", "ortsteil", "municipality"):
                setattr(row, role, _text(value))
            elif role in ("lat", "lon", "east", "north"):
                number = _number(value)
                if number is None and not _blank(value):
                    problems.add("coordinates")
                setattr(row, role, number)
            elif _blank(value):
                continue
            elif role == "years":
                _add_years(value, row.counts, today.year, problems)
                with_age = True
            elif role == "dates":
                _add_dates(value, row.counts, today.year, problems)
                with_age = True
            elif role == "ages":
                _add_ages(value, row.counts, problems)
                with_age = True
        for key, low in bands.items():
            value = cells.get(key)
            if _blank(value):
                continue
            count = _whole(value)
            if count is None or count > 10 * MAX_RESIDENTS:
                problems.add("band" if count is None else "too_many")
                continue
            row.counts.add_band(low, count)
            with_age = True
        count_key = next((k for k, r in roles.items() if r == "count"), None)
        if count_key is not None and not with_age and not _blank(cells.get(count_key)):
            count = _whole(cells.get(count_key))
            if count is None:
                problems.add("count")
            else:
                row.counts.add_unknown(count)
        if row.counts.total > MAX_RESIDENTS:
            problems.add("too_many")
        located = (row.street and row.number) or (
            (row.lat is not None and row.lon is not None)
            or (row.east is not None and row.north is not None)
        )
        if not located and "coordinates" not in problems:
            if all(_blank(v) for v in cells.values()):
                continue  # an empty line
            problems.add("where")
        errors += [f"Zeile {line}: {_PROBLEMS[p]}" for p in _PROBLEMS if p in problems]
        rows.append(row)
    if errors:
        raise RiskFileError([*errors, "Nichts wurde gespeichert."])
    return Extract(rows, ignored, names)


def read(path: Path, today: date) -> Extract:
    """A CSV or XLSX extract; the file itself is the caller's to delete."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise RiskFileError("Erlaubt sind CSV und XLSX (Excel).")
    size = path.stat().st_size
    if size == 0:
        raise RiskFileError("Die Datei ist leer.")
    if size > files.MAX_BYTES:
        raise RiskFileError(f"Die Datei ist größer als {files.MAX_BYTES // 2**20} MB.")
    try:
        raw = files._read_csv(path) if path.suffix.lower() == ".csv" else files._read_xlsx(path)
    except files.VacancyFileError as exc:
        raise RiskFileError(exc.errors) from exc
    if len(raw) > files.MAX_ROWS:
        raise RiskFileError(f"Höchstens {de_int(files.MAX_ROWS)} Zeilen je Datei.")
    return parse(raw, today)
