"""Exchange with Bavaria's Flächenmanagement-Datenbank (FMD, Landesamt für Umwelt): the
vacancy register and the Leerstandsrisiko aggregates in one documented column structure with
the FMD categories, so a member keeps its data once (README: "FMD-Austausch").

- Export: one row per site of the user's scope, plus one row per risk aggregate (a grid
  group of at least K_MIN buildings, category "Leerstandsrisiko") — never a single building.
- Import: the site rows go through the register's own import (all or nothing, the user's
  municipality only); rows whose "Kennung" is already a site of the register are skipped, and
  "Leerstandsrisiko" rows are skipped too (aggregates cannot become buildings again).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import shapely
import sqlite_utils

from allianz import geo
from allianz.accounts.model import User
from allianz.auth import can
from allianz.config import Alliance
from allianz.errors import PermissionDenied, ValidationError
from allianz.formatting import de_csv, de_date, de_int
from allianz.municipalities.service import MunicipalityArea
from allianz.vacancies import files, risk_service
from allianz.vacancies import service as vacancies
from allianz.vacancies.model import CODED

RISK = "Leerstandsrisiko"
# our type -> (FMD category, Restnutzung)
CATEGORIES = {
    "baulücke": ("Baulücke", False),
    "gering_bebaut": ("geringfügig bebautes Grundstück", False),
    "brache": ("Brachfläche", False),
    "brache_restnutzung": ("Brachfläche", True),
    "leerstand": ("Leerstand", False),
    "hofstelle": ("Hofstelle", False),
}
COLUMNS = (
    "Kennung",
    "Gemeindeschlüssel",
    "Gemeinde",
    "Ortsteil",
    "Kategorie",
    "Restnutzung",
    "Lage",
    "Rechtswert",
    "Hochwert",
    "Fläche m²",
    "Nutzung",
    "Eigentümerart",
    "Verfügbarkeit",
    "Stand",
    "leer seit",
    "Anzahl Gebäude",
    "Anzahl Risikogebäude",
    "Bemerkung",
)
# FMD column -> field of the register (the others are derived or export-only)
_FIELDS = {
    "gemeindeschlüssel": "municipality_ags",
    "ortsteil": "ortsteil",
    "lage": "address",
    "fläche m²": "area_m2",
    "nutzung": "usage",
    "eigentümerart": "owner_type",
    "verfügbarkeit": "willingness",
    "stand": "status",
    "leer seit": "vacant_since",
    "bemerkung": "description",
}


def _utm(lat: float, lon: float) -> tuple[int, int]:
    point = geo.to_metric(shapely.Point(lon, lat))
    return round(point.x), round(point.y)


def export_csv(db: sqlite_utils.Database, alliance: Alliance, user: User) -> bytes:
    """The register of the user's scope and the risk aggregates as an FMD exchange CSV."""
    if not can(user.role, "vacancies.export"):
        raise PermissionDenied("Keine Berechtigung für diesen Export.")
    names = {m.ags: m.name for m in alliance.municipalities}
    rows = []
    for site in vacancies.register(db, vacancies.scope_filter(user)):
        category, rest = CATEGORIES[site.type]
        east, north = _utm(site.lat, site.lon)
        rows.append(
            [
                site.ref,
                site.municipality_ags,
                names.get(site.municipality_ags, ""),
                site.ortsteil or "",
                category,
                rest,
                site.address,
                east,
                north,
                site.area_m2,
                CODED["usage"].get(site.usage or "", ""),
                CODED["owner_type"].get(site.owner_type or "", ""),
                CODED["willingness"].get(site.willingness or "", ""),
                CODED["status"][site.status],
                de_date(site.vacant_since, ""),
                None,
                None,
                site.description,
            ]
        )
    if can(user.role, "vacancy_risk.aggregates"):
        for number, group in enumerate(risk_service.grid(db, user), start=1):
            centre = group.geometry.representative_point()
            east, north = _utm(centre.y, centre.x)
            rows.append(
                [
                    f"R-{group.municipality_ags}-{number}",
                    group.municipality_ags,
                    names.get(group.municipality_ags, ""),
                    "",
                    RISK,
                    None,
                    f"Rasterfeld, {group.cells} × 500 m",
                    east,
                    north,
                    None,
                    "",
                    "",
                    "",
                    "",
                    "",
                    group.tally.buildings,
                    group.tally.risk,
                    "Aggregat, mindestens 5 Gebäude; keine Einzelgebäude",
                ]
            )
    return ("\ufeff" + de_csv(list(COLUMNS), rows)).encode("utf-8")


@dataclass(frozen=True)
class FmdImport:
    stored: int
    known: list[str]  # Kennungen already in the register (skipped)
    risk_rows: int  # Leerstandsrisiko rows (skipped)


def _type(category: str, rest: str) -> str | None:
    wanted = category.strip().casefold()
    with_rest = rest.strip().casefold() in ("ja", "j", "1", "x", "true")
    for code, (label, restnutzung) in CATEGORIES.items():
        if label.casefold() == wanted and restnutzung == with_rest:
            return code
    return None


def _number(value) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return float(str(value).strip().replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def rows_of(db: sqlite_utils.Database, user: User, raw: list[dict]) -> tuple[list[dict], FmdImport]:
    """FMD rows as register rows; errors name the line."""
    rows, known, risk_rows, errors = [], [], 0, []
    for line, cells in enumerate(raw, start=2):
        cell = {str(k).strip().casefold(): v for k, v in cells.items() if k is not None}
        category = str(cell.get("kategorie") or "")
        if category.strip().casefold() == RISK.casefold():
            risk_rows += 1
            continue
        ref = str(cell.get("kennung") or "").strip()
        if ref and vacancies.by_ref(db, user, ref) is not None:
            known.append(ref)
            continue
        code = _type(category, str(cell.get("restnutzung") or ""))
        if code is None:
            allowed = ", ".join(dict.fromkeys(label for label, _ in CATEGORIES.values()))
            errors.append(f"Zeile {line}: Kategorie muss eine der FMD-Kategorien sein ({allowed}).")
            continue
        row = {"type": code, "source": "FMD-Austausch"}
        for column, field in _FIELDS.items():
            value = cell.get(column)
            if value is not None and str(value).strip() != "":
                row[field] = value
        east, north = _number(cell.get("rechtswert")), _number(cell.get("hochwert"))
        if east is not None and north is not None:
            point = geo.to_storage(shapely.Point(east, north))
            row |= {"lat": point.y, "lon": point.x}
        rows.append(row)
    if errors:
        raise ValidationError([*errors, "Nichts wurde gespeichert."])
    return rows, FmdImport(0, known, risk_rows)


def import_file(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    path: Path,
    token: str | None = None,
) -> FmdImport:
    """An FMD exchange file (CSV or XLSX) into the register, all or nothing."""
    if not can(user.role, "vacancies.import"):
        raise PermissionDenied("Keine Berechtigung für den Import.")
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValidationError("Erlaubt sind CSV und XLSX (Excel).")
    if path.stat().st_size > files.MAX_BYTES:
        raise ValidationError(f"Die Datei ist größer als {files.MAX_BYTES // 2**20} MB.")
    raw = files._read_csv(path) if suffix == ".csv" else files._read_xlsx(path)
    if len(raw) > files.MAX_ROWS:
        raise ValidationError(f"Höchstens {de_int(files.MAX_ROWS)} Zeilen je Datei.")
    rows, summary = rows_of(db, user, raw)
    if not rows:
        return summary
    result = vacancies.import_rows(db, alliance, areas, user, rows, token=token)
    return FmdImport(result.count, summary.known, summary.risk_rows)
