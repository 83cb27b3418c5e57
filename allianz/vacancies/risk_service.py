"""Leerstandsrisiko rules: import of a register extract (derived flags only), who sees what,
owner contacts, the step into the vacancy register, and aggregates that hide single buildings.

- Building-level flags are seen by the staff of the owning municipality only, and every such
  view is written to the audit trail (who, when, which area). The alliance office and the
  mayors see aggregates: per Ortsteil and on a 500 m grid, with at least K_MIN buildings in
  every figure shown (smaller groups are merged with others, never shown alone).
- An extract replaces the municipality's flags; the flags expire after `keep_years`
  (alliance file, [vacancy_risk]) and are purged by the retention hook.
- A building enters the vacancy register only when the newest contact step records the
  owner's consent.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import shapely
import sqlite_utils
from shapely.geometry import box

from allianz import audit, clock, config, geo, submissions
from allianz.accounts.model import User
from allianz.addresses import normalise
from allianz.addresses import service as addresses
from allianz.addresses.model import short_name
from allianz.auth import acts_in, can, require_municipality
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.formatting import de_date, de_int
from allianz.municipalities.service import MunicipalityArea
from allianz.text import clean
from allianz.vacancies import risk_import, risk_store
from allianz.vacancies import service as vacancies
from allianz.vacancies.risk_model import (
    CELL_M,
    CONSENT,
    K_MIN,
    KEEP_YEARS,
    MAX_RESIDENTS,
    NOTE_MAX,
    OUTCOMES,
    AgeCounts,
    Contact,
    RiskBuilding,
    derive,
)
from db.connection import write_transaction

RiskFileError = risk_import.RiskFileError


def keep_years(alliance: Alliance) -> int:
    """How long flags are kept: [vacancy_risk] keep_years of the alliance file (default 2)."""
    raw = config.section(alliance, "vacancy_risk").get("keep_years", KEEP_YEARS)
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 5:
        raise ValidationError(
            f"{alliance.source_path.name}: [vacancy_risk] keep_years muss eine ganze Zahl "
            "von 1 bis 5 sein."
        )
    return raw


def _now() -> str:
    return clock.now().isoformat(timespec="seconds")


def _staff_municipality(user: User, action: str, message: str) -> str:
    """The one municipality whose building-level data this user works with."""
    if not can(user.role, action) or not user.municipality_ags:
        raise PermissionDenied(message)
    return user.municipality_ags


# --- import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    buildings: int
    risk: int
    removed: int
    unknown: list[str]  # "Zeile 5: Hauptstraße 99" (not found or ambiguous: not stored)
    ignored: list[str]  # headings left unread
    names_ignored: list[str]


@dataclass
class _Place:
    key: str
    street: str
    number: str
    ortsteil: str | None
    lat: float
    lon: float
    counts: AgeCounts = field(default_factory=AgeCounts)
    lines: list[int] = field(default_factory=list)


def _find_address(db, row: risk_import.ExtractRow, ags: str, place: str):
    """(the one indexed address of this street and number in the municipality — and Ortsteil,
    when given — or None, how many matched)."""
    number = normalise.house_number(row.number, row.suffix)
    street_key = normalise.name_key(row.street)
    if number is None or not street_key:
        return None, 0
    text = f"{row.street} {row.ortsteil} {place} {number[0]} "
    found = [
        a
        for a in addresses.search(db, text, limit=50)
        if a.municipality_ags == ags
        and normalise.name_key(a.street) == street_key
        and (normalise.house_number(a.house_number) or ("", ""))[1] == number[1]
        and (not row.ortsteil or normalise.name_key(a.ortsteil) == normalise.name_key(row.ortsteil))
    ]
    return (found[0] if len(found) == 1 else None), len(found)


def _point(row: risk_import.ExtractRow) -> tuple[float, float] | None:
    if row.lat is not None and row.lon is not None:
        return row.lat, row.lon
    if row.east is not None and row.north is not None:
        if not (200_000 <= row.east <= 900_000 and 5_200_000 <= row.north <= 6_200_000):
            return None
        point = geo.to_storage(shapely.Point(row.east, row.north))
        return point.y, point.x
    return None


def import_extract(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    extract: risk_import.Extract,
    token: str | None = None,
) -> ImportResult:
    """Join the extract to buildings of the user's municipality and store the flags only;
    all or nothing. Rows whose address the index does not know are listed, not stored."""
    ags = _staff_municipality(
        user,
        "vacancy_risk.import",
        "Einen Melderegister-Auszug übernimmt nur die Verwaltung der eigenen Gemeinde.",
    )
    municipality = alliance.municipality(ags)
    area = next((a for a in areas if a.ags == ags), None)
    accepted = {ags, municipality.name.casefold(), short_name(municipality.name).casefold()}
    places: dict[str, _Place] = {}
    unknown, foreign = [], []
    for row in extract.rows:
        if row.municipality and row.municipality.casefold() not in accepted:
            foreign.append(f"Zeile {row.line}: gehört nicht zu {municipality.name}")
            continue
        found, matches = (
            _find_address(db, row, ags, short_name(municipality.name)) if row.street else (None, 0)
        )
        if found is not None:
            key = f"a:{found.id}"
            lat, lon, street, number = found.lat, found.lon, found.street, found.house_number
            ortsteil = found.ortsteil or None
        else:
            point = _point(row)
            if point is None:
                where = f"{row.street} {row.number}{row.suffix}".strip() or "ohne Adresse"
                if matches > 1:
                    where += " (in mehreren Ortsteilen – bitte die Spalte „Ortsteil“ angeben)"
                unknown.append(f"Zeile {row.line}: {where}")
                continue
            lat, lon = point
            if area is None or not area.geometry.covers(shapely.Point(lon, lat)):
                foreign.append(f"Zeile {row.line}: der Punkt liegt nicht in {municipality.name}")
                continue
            key = f"p:{lat:.6f},{lon:.6f}"
            street, number = row.street, f"{row.number}{row.suffix}".strip()
            ortsteil = row.ortsteil or None
        place = places.setdefault(key, _Place(key, street, number, ortsteil, lat, lon))
        place.counts.merge(row.counts)
        place.lines.append(row.line)
    if foreign:
        raise PermissionDenied([*foreign[:50], "Nichts wurde gespeichert."])
    crowded = [p for p in places.values() if p.counts.total > MAX_RESIDENTS]
    if crowded:
        raise RiskFileError(
            [
                f"Zeilen {', '.join(str(n) for n in p.lines[:5])}: mehr als "
                f"{de_int(MAX_RESIDENTS)} Gemeldete an einer Adresse – bitte den Auszug prüfen."
                for p in crowded[:20]
            ]
            + ["Nichts wurde gespeichert."]
        )
    if not places:
        raise RiskFileError(
            [
                "Keine Zeile des Auszugs passt zu einer Adresse des Adressverzeichnisses "
                "oder hat Koordinaten in Ihrer Gemeinde. Nichts wurde gespeichert.",
                *unknown[:50],
            ]
        )
    rows = []
    for place in places.values():
        flags = derive(place.counts)
        rows.append(
            {
                "location_key": place.key,
                "street": clean(place.street)[:120],
                "house_number": clean(place.number)[:20],
                "ortsteil": place.ortsteil,
                "lat": round(place.lat, 7),
                "lon": round(place.lon, 7),
                "all_70": int(flags.all_70),
                "all_80": int(flags.all_80),
                "no_resident": int(flags.no_resident),
                "resident_band": flags.band,
            }
        )
        place.counts = AgeCounts()  # nothing of the residents outlives the derivation
    now = clock.now()
    expires = now + timedelta(days=round(365.25 * keep_years(alliance)))
    risk = sum(1 for r in rows if r["all_70"] or r["no_resident"])
    with write_transaction(db):
        submissions.claim(db, token, "vacancy_risk.import")
        counts = risk_store.replace_municipality(
            db,
            ags,
            rows,
            now.isoformat(timespec="seconds"),
            expires.isoformat(timespec="seconds"),
        )
        audit.record(
            db,
            user.actor,
            "vacancy_risk.import",
            "vacancy_risk",
            ags,
            municipality_ags=ags,
            details={
                "Gebäude": len(rows),
                "Risikogebäude": risk,
                "entfernt": counts["removed"],
                "unbekannt": len(unknown),
            },
        )
    return ImportResult(
        len(rows), risk, counts["removed"], unknown, extract.ignored, extract.names_ignored
    )


def import_file(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    path: Path,
    token: str | None = None,
) -> ImportResult:
    """Read a CSV/XLSX extract (the caller deletes the file) and import it."""
    _staff_municipality(
        user,
        "vacancy_risk.import",
        "Einen Melderegister-Auszug übernimmt nur die Verwaltung der eigenen Gemeinde.",
    )
    extract = risk_import.read(path, clock.today())
    return import_extract(db, alliance, areas, user, extract, token)


# --- building level: staff of the municipality, every view audited ------------------------

_BUILDINGS_REFUSED = (
    "Gebäudebezogene Risikomerkmale sieht nur die Verwaltung der eigenen Gemeinde; "
    "Auswertungen zeigt „Leerstandsrisiko auswerten“."
)


def buildings(
    db: sqlite_utils.Database,
    user: User,
    view: str,
    ortsteil: str | None = None,
    risk_only: bool = True,
) -> list[RiskBuilding]:
    """The own municipality's buildings (risk buildings only unless `risk_only` is off),
    for the work list or the map (`view`, named in the audit row with the Ortsteil)."""
    ags = _staff_municipality(user, "vacancy_risk.buildings", _BUILDINGS_REFUSED)
    found = [
        b
        for b in risk_store.buildings(db, (ags,), _now())
        if (b.risk or not risk_only) and (not ortsteil or b.ortsteil == ortsteil)
    ]
    with write_transaction(db):
        audit.record(
            db,
            user.actor,
            "vacancy_risk.view",
            "vacancy_risk",
            ags,
            municipality_ags=ags,
            details={
                "Ansicht": view,
                "Bereich": ortsteil or "ganze Gemeinde",
                "Gebäude": len(found),
            },
        )
    return found


def _own_building(db, user: User, building_id: int, action: str) -> RiskBuilding:
    ags = _staff_municipality(user, action, _BUILDINGS_REFUSED)
    building = risk_store.get(db, building_id, _now())
    if building is None:
        raise NotFound(
            "Dieses Gebäude gibt es nicht (mehr) – die Merkmale sind womöglich abgelaufen."
        )
    if building.municipality_ags != ags:
        raise PermissionDenied(_BUILDINGS_REFUSED)
    return building


def building(
    db: sqlite_utils.Database, user: User, building_id: int
) -> tuple[RiskBuilding, list[Contact]]:
    """One building with its contact steps (newest first); the view is audited."""
    found = _own_building(db, user, building_id, "vacancy_risk.buildings")
    with write_transaction(db):
        audit.record(
            db,
            user.actor,
            "vacancy_risk.view",
            "vacancy_risk",
            str(found.id),
            municipality_ags=found.municipality_ags,
            details={"Ansicht": "Gebäude", "Bereich": found.ortsteil or "ganze Gemeinde"},
        )
    return found, risk_store.contacts(db, found.id)


def latest_contacts(
    db: sqlite_utils.Database, user: User, items: list[RiskBuilding]
) -> dict[int, Contact]:
    """The newest contact step of each of these buildings (the user's own municipality)."""
    ags = _staff_municipality(user, "vacancy_risk.buildings", _BUILDINGS_REFUSED)
    return risk_store.latest_contacts(db, [b.id for b in items if b.municipality_ags == ags])


@dataclass(frozen=True)
class ContactDraft:
    contacted_on: date | None
    outcome: str | None
    note: str = ""


def record_contact(
    db: sqlite_utils.Database,
    user: User,
    building_id: int,
    draft: ContactDraft,
    token: str | None = None,
) -> int:
    """A step of the owner contact: when, with which outcome, a note (staff only)."""
    found = _own_building(db, user, building_id, "vacancy_risk.contact")
    errors = []
    today = clock.today()
    if draft.contacted_on is None:
        errors.append("Kontakt am: bitte ein Datum angeben.")
    elif draft.contacted_on > today:
        errors.append("Kontakt am: liegt in der Zukunft.")
    if draft.outcome not in OUTCOMES:
        errors.append("Ergebnis: bitte " + ", ".join(f"„{v}“" for v in OUTCOMES.values()) + ".")
    note = clean(draft.note)
    if len(note) > NOTE_MAX:
        errors.append(f"Notiz: höchstens {de_int(NOTE_MAX)} Zeichen.")
    if errors:
        raise ValidationError(errors)
    with write_transaction(db):
        submissions.claim(db, token, "vacancy_risk.contact")
        contact_id = risk_store.add_contact(
            db,
            {
                "building_id": found.id,
                "contacted_on": draft.contacted_on.isoformat(),
                "outcome": draft.outcome,
                "note": note,
                "actor": user.username,
                "created_at": _now(),
            },
        )
        audit.record(
            db,
            user.actor,
            "vacancy_risk.contact",
            "vacancy_risk",
            str(found.id),
            municipality_ags=found.municipality_ags,
            details={"Ergebnis": OUTCOMES[draft.outcome]},
        )
    return contact_id


def to_register(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    building_id: int,
    token: str | None = None,
) -> int:
    """Create the vacancy-register entry of a building whose owner consented (the newest
    contact step); returns the site's id."""
    found = _own_building(db, user, building_id, "vacancy_risk.contact")
    if found.site_id is not None:
        raise Conflict("Dieses Gebäude steht schon im Leerstandskataster.")
    steps = risk_store.contacts(db, found.id)
    if not steps or steps[0].outcome != CONSENT:
        raise ValidationError(
            "Ins Leerstandskataster nur mit Einwilligung: bitte zuerst einen Kontakt mit dem "
            f"Ergebnis „{OUTCOMES[CONSENT]}“ erfassen."
        )
    municipality = alliance.municipality(found.municipality_ags)
    ortsteil = found.ortsteil if found.ortsteil in municipality.ortsteile else None
    data = {
        "type": "leerstand",
        "usage": "wohnen",
        "status": "active",
        "address": found.label if found.street else "",
        "ortsteil": ortsteil,
        "lat": found.lat,
        "lon": found.lon,
        "municipality_ags": found.municipality_ags,
        "owner_contacted_on": steps[0].contacted_on,
        "source": f"Leerstandsrisiko, Einwilligung vom {de_date(steps[0].contacted_on)}",
    }
    with write_transaction(db):
        submissions.claim(db, token, "vacancy_risk.to_register")
        site_id = vacancies.create(db, alliance, areas, user, data)
        risk_store.set_site(db, found.id, site_id)
        audit.record(
            db,
            user.actor,
            "vacancy_risk.to_register",
            "vacancy_risk",
            str(found.id),
            municipality_ags=found.municipality_ags,
            details={"Fläche": vacancies.get(db, site_id).ref},
        )
    return site_id


# --- aggregates: the municipal desk, never a group of fewer than K_MIN buildings ----------


@dataclass
class Tally:
    buildings: int = 0
    risk: int = 0
    all_70: int = 0
    all_80: int = 0
    no_resident: int = 0

    def add(self, b: RiskBuilding) -> None:
        self.buildings += 1
        self.risk += b.risk
        self.all_70 += b.all_70
        self.all_80 += b.all_80
        self.no_resident += b.no_resident

    def merge(self, other: Tally) -> None:
        self.buildings += other.buildings
        self.risk += other.risk
        self.all_70 += other.all_70
        self.all_80 += other.all_80
        self.no_resident += other.no_resident

    @property
    def share(self) -> float:
        return 100 * self.risk / self.buildings if self.buildings else 0.0


def aggregate_scope(user: User, ags: str | None) -> tuple[str, ...]:
    """The municipalities whose aggregates this user asks for (empty: all of them)."""
    if not can(user.role, "vacancy_risk.aggregates"):
        raise PermissionDenied("Auswertungen zum Leerstandsrisiko sieht der Gemeindeschreibtisch.")
    wanted = ags or user.municipality_ags
    if wanted is None:
        if not acts_in(user, None) or user.municipality_ags:
            raise PermissionDenied("Bitte eine Gemeinde wählen.")
        return ()
    require_municipality(
        user, wanted, "Auswertungen zum Leerstandsrisiko sieht jede Gemeinde nur für sich."
    )
    return (wanted,)


def _in_scope(db, scope: tuple[str, ...]) -> dict[str, list[RiskBuilding]]:
    per: dict[str, list[RiskBuilding]] = defaultdict(list)
    for b in risk_store.buildings(db, scope, _now()):
        per[b.municipality_ags].append(b)
    return per


def municipality_tallies(db: sqlite_utils.Database) -> dict[str, Tally]:
    """Per member municipality (the steering group's figures; callers apply K_MIN)."""
    result: dict[str, Tally] = defaultdict(Tally)
    for municipality, items in _in_scope(db, ()).items():
        for b in items:
            result[municipality].add(b)
    return dict(result)


@dataclass(frozen=True)
class OrtsteilRow:
    municipality_ags: str
    label: str
    tally: Tally


OTHERS = "übrige Ortsteile"
WITHOUT = "ohne Ortsteil"


def ortsteil_groups(items: list[RiskBuilding], k: int = K_MIN) -> list[tuple[str, Tally]]:
    """Per Ortsteil; Ortsteile of fewer than k buildings together as "übrige Ortsteile",
    which, still below k, joins the smallest shown Ortsteil; nothing below k is shown."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for b in items:
        tallies[b.ortsteil or WITHOUT].add(b)
    shown = {name: t for name, t in tallies.items() if t.buildings >= k}
    rest = Tally()
    for name, t in tallies.items():
        if name not in shown:
            rest.merge(t)
    if rest.buildings:
        if rest.buildings >= k:
            shown[OTHERS] = rest
        elif shown:
            smallest = min(shown, key=lambda n: (shown[n].buildings, n))
            shown[smallest].merge(rest)
            shown[f"{smallest} und {OTHERS}"] = shown.pop(smallest)
    return sorted(shown.items(), key=lambda item: item[0].casefold())


def ortsteile(db: sqlite_utils.Database, user: User, ags: str | None = None) -> list[OrtsteilRow]:
    """Share of risk buildings per Ortsteil, per municipality of the scope."""
    result = []
    for municipality, items in sorted(_in_scope(db, aggregate_scope(user, ags)).items()):
        result += [OrtsteilRow(municipality, n, t) for n, t in ortsteil_groups(items)]
    return result


Cell = tuple[int, int]


@dataclass
class CellGroup:
    cells: set[Cell]
    tally: Tally


def _distance(a: set[Cell], b: set[Cell]) -> int:
    return min(max(abs(x1 - x2), abs(y1 - y2)) for x1, y1 in a for x2, y2 in b)


def merge_cells(cells: dict[Cell, Tally], k: int = K_MIN) -> list[CellGroup]:
    """Grid cells into groups of at least k buildings: the smallest group below k joins the
    nearest group (a neighbour where there is one; the smaller of equally near ones), until
    none is below k. A single group below k (the whole area has fewer) is not shown. No
    group is ever dropped while others are shown, so no figure follows from a total minus
    the shown groups."""
    groups = [CellGroup({c}, t) for c, t in cells.items() if t.buildings]
    while len(groups) > 1:
        small = [g for g in groups if g.tally.buildings < k]
        if not small:
            break
        g = min(small, key=lambda x: (x.tally.buildings, min(x.cells)))
        others = [o for o in groups if o is not g]
        target = min(
            others, key=lambda o: (_distance(g.cells, o.cells), o.tally.buildings, min(o.cells))
        )
        target.cells |= g.cells
        target.tally.merge(g.tally)
        groups.remove(g)
    return [g for g in groups if g.tally.buildings >= k]


@dataclass(frozen=True)
class GridGroup:
    municipality_ags: str
    geometry: shapely.Geometry  # WGS84
    cells: int
    tally: Tally


def grid(
    db: sqlite_utils.Database, user: User, ags: str | None = None, cell_m: int = CELL_M
) -> list[GridGroup]:
    """Risk buildings on a grid of `cell_m` cells (EPSG:25832), per municipality."""
    result = []
    for municipality, items in sorted(_in_scope(db, aggregate_scope(user, ags)).items()):
        metric = gpd.GeoSeries.from_xy(
            [b.lon for b in items], [b.lat for b in items], crs=geo.STORAGE_CRS
        ).to_crs(geo.METRIC_CRS)
        cells: dict[Cell, Tally] = defaultdict(Tally)
        for b, point in zip(items, metric, strict=True):
            cells[(math.floor(point.x / cell_m), math.floor(point.y / cell_m))].add(b)
        for group in merge_cells(dict(cells)):
            shape = shapely.union_all(
                [
                    box(x * cell_m, y * cell_m, (x + 1) * cell_m, (y + 1) * cell_m)
                    for x, y in group.cells
                ]
            )
            result.append(
                GridGroup(municipality, geo.to_storage(shape), len(group.cells), group.tally)
            )
    return result


@dataclass(frozen=True)
class Projection:
    municipality_ags: str
    vacant_now: int  # active "Leerstand (Gebäude)" sites of the register
    unregistered_now: int  # nobody registered, not in the register
    in_5_years: int
    in_10_years: int
    buildings: int


def projection(db: sqlite_utils.Database, user: User, ags: str | None = None) -> list[Projection]:
    """Possible vacancies in 5 and 10 years next to today's (see PROJECTION_ASSUMPTION)."""
    return projection_for(db, aggregate_scope(user, ags))


def projection_for(db: sqlite_utils.Database, scope: tuple[str, ...]) -> list[Projection]:
    """The projection per municipality of `scope` (empty: all); for those allowed to see it
    (`projection`) and for the steering group's figures."""
    per = _in_scope(db, scope)
    sites = vacancies.register(db, scope)
    result = []
    for municipality in sorted(set(per) | {s.municipality_ags for s in sites}):
        items = [b for b in per.get(municipality, []) if b.site_id is None]
        if 0 < len(per.get(municipality, [])) < K_MIN:
            items = []  # fewer buildings than k: their flags are not counted
        now = sum(
            1
            for s in sites
            if s.municipality_ags == municipality and s.type == "leerstand" and s.active
        )
        empty = sum(b.no_resident for b in items)
        result.append(
            Projection(
                municipality,
                now,
                empty,
                now + empty + sum(b.all_80 for b in items),
                now + empty + sum(b.all_70 for b in items),
                len(per.get(municipality, [])),
            )
        )
    return result


PROJECTION_ASSUMPTION = (
    "Einfache Annahme: Gebäude, in denen niemand gemeldet ist, gelten schon heute als "
    "möglicher Leerstand; Gebäude, in denen alle Gemeldeten 80 Jahre oder älter sind, können "
    "innerhalb von 5 Jahren frei werden, solche mit allen Gemeldeten ab 70 innerhalb von "
    "10 Jahren. Kein Zuzug, kein Generationswechsel in der Familie, keine Sterbetafel: eine "
    "grobe Obergrenze für die Planung, keine Vorhersage für einzelne Gebäude."
)


# --- retention ----------------------------------------------------------------------------


def purge_expired(db: sqlite_utils.Database, now: str | None = None) -> dict[str, int]:
    """Delete flags (and their contact steps) whose period has run out."""
    return risk_store.purge_expired(db, now or _now())
