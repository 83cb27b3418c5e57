"""Rules for building developments reported between members (§ 2 Abs. 2 BauGB, informal step).

A member's staff report a development with its area (read from a file); the members within a
kind-dependent distance are affected and asked; each answers by a deadline; "Bedenken" proposes
a coordination meeting of the meetings slice. The reports are not public: staff, mayors and the
alliance office see them; the office may release one to the public map without the statements.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import geopandas as gpd
import shapely
import sqlite_utils
from shapely.geometry import LineString, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from allianz import audit, auth, config, geo, submissions
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.developments import store, xplan
from allianz.developments.model import (
    ANSWERS,
    DEFAULT_ANSWER_DAYS,
    DEFAULT_DISTANCE_KM,
    EFFECTS,
    KINDS,
    REMIND_DAYS_BEFORE,
    STAGES,
    Answer,
    Development,
    Document,
    Draft,
)
from allianz.errors import NotFound, PermissionDenied, ValidationError
from allianz.formatting import BERLIN, de_csv, de_date
from allianz.municipalities import service as municipalities
from allianz.municipalities.service import MunicipalityArea
from allianz.text import EMAIL, clean
from db.connection import write_transaction

TITLE_MAX = 200
TEXT_MAX = 5000
LINE_MAX = 200
MAX_PDF_BYTES = 10 * 1024 * 1024
GEO_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".kml")
XPLAN_SUFFIXES = (".gml", ".xml")
NEEDS_STATEMENT = ("remarks", "objection")


class DevelopmentError(ValidationError):
    """A development or an answer was refused; the message is German."""


# --- settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    distance_km: dict[str, float]
    answer_days: int


def settings(alliance: Alliance) -> Settings:
    """Distances and answer period: defaults, overridden by the alliance file's optional
    [developments] table (distance_km = { wind = 10, ... }, answer_days = 28)."""
    raw = config.section(alliance, "developments")
    file_name = alliance.source_path.name
    distances = dict(DEFAULT_DISTANCE_KM)
    for kind, km in dict(raw.get("distance_km", {})).items():
        if kind not in KINDS or not 0 <= float(km) <= 50:
            raise DevelopmentError(
                f"{file_name}: [developments.distance_km] {kind} = {km} ist ungültig."
            )
        distances[kind] = float(km)
    days = int(raw.get("answer_days", DEFAULT_ANSWER_DAYS))
    if not 7 <= days <= 120:
        raise DevelopmentError(f"{file_name}: answer_days muss 7 bis 120 Tage sein.")
    return Settings(distances, days)


def _names(alliance: Alliance) -> dict[str, str]:
    return {m.ags: m.name for m in alliance.municipalities}


def _today(now: datetime | None) -> date:
    return (now or datetime.now(UTC)).astimezone(BERLIN).date()


# --- geometry ------------------------------------------------------------------------------


def read_area(path: Path) -> tuple[BaseGeometry, str]:
    """The polygon(s) of a GeoJSON, GeoPackage, zipped Shapefile, KML or XPlanGML file, in
    WGS84, not yet checked against the alliance. Returns (geometry, source text)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in XPLAN_SUFFIXES:
        return xplan.read_geltungsbereich(path), f"XPlanGML ({path.name[:80]})"
    if suffix not in GEO_SUFFIXES:
        raise DevelopmentError(
            "Dateiformat nicht unterstützt. Erlaubt: GeoJSON, GeoPackage, Shapefile als ZIP, "
            "KML, XPlanGML (.gml)."
        )
    try:
        frame = geo.read_vector_file(path, max_features=1000).frame
    except geo.GeoFileError as exc:
        raise DevelopmentError(exc.errors) from exc
    if frame.crs is None:
        raise DevelopmentError("Die Datei nennt kein Koordinatensystem.")
    frame = frame.to_crs(geo.STORAGE_CRS)
    polygons = [
        g
        for g in frame.geometry
        if g is not None and not g.is_empty and g.geom_type in ("Polygon", "MultiPolygon")
    ]
    if not polygons:
        raise DevelopmentError("Die Datei enthält keine Fläche (Polygon).")
    parts = [geo.make_valid_polygonal(g) if not g.is_valid else g for g in polygons]
    return shapely.union_all(parts), f"Datei {path.name[:80]}"


def checked_area(geometry: BaseGeometry, areas: list[MunicipalityArea]) -> BaseGeometry:
    """A repaired polygon inside (or overlapping) the alliance; else a German refusal."""
    if geometry is None or geometry.is_empty:
        raise DevelopmentError("Die Fläche ist leer.")
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise DevelopmentError("Bitte eine Fläche (Polygon) angeben, keine Linie oder Punkt.")
    if not geometry.is_valid:
        geometry = geo.make_valid_polygonal(geometry)
        if geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
            raise DevelopmentError(
                "Die Fläche schneidet sich selbst und lässt sich nicht reparieren. Bitte den "
                "Umriss ohne Überkreuzungen zeichnen."
            )
    lon_min, lat_min, lon_max, lat_max = geometry.bounds
    if not (-180 <= lon_min <= lon_max <= 180 and -90 <= lat_min <= lat_max <= 90):
        raise DevelopmentError("Die Koordinaten liegen außerhalb des gültigen Bereichs.")
    alliance_area = shapely.union_all([a.geometry for a in areas])
    if not geometry.intersects(alliance_area):
        raise DevelopmentError(
            "Die Fläche liegt außerhalb des Allianzgebiets. Bitte die richtige Datei wählen "
            "(Koordinatensystem prüfen)."
        )
    if geo.area_km2(geometry) * 100 > 5000:
        raise DevelopmentError("Die Fläche ist größer als 5.000 ha – bitte prüfen.")
    return geometry


def area_ha(geometry: BaseGeometry) -> float:
    """Area in hectares, measured in EPSG:25832."""
    return geo.to_metric(geometry).area / 10_000


def affected(
    areas: list[MunicipalityArea], geometry: BaseGeometry, distance_km: float, reporter: str
) -> list[tuple[str, float]]:
    """(AGS, distance in m) of the other members whose area lies within `distance_km` of the
    development, measured in EPSG:25832."""
    metric = geo.to_metric(geometry)
    frame = gpd.GeoSeries([a.geometry for a in areas], crs=geo.STORAGE_CRS).to_crs(geo.METRIC_CRS)
    found = []
    for area, member in zip(areas, frame, strict=True):
        if area.ags == reporter:
            continue
        distance = float(metric.distance(member))
        if distance <= distance_km * 1000:
            found.append((area.ags, distance))
    return found


def buffer_of(development: Development) -> BaseGeometry:
    """The development's search area (its distance around it) in WGS84, for the map."""
    metric = geo.to_metric(shape(development.geometry))
    return geo.to_storage(metric.buffer(development.distance_km * 1000))


MAX_POINTS = 500
_NUMBER = re.compile(r"[+-]?\d{1,3}(?:[.,]\d+)?")


def parse_point(line: str, where: str = "") -> tuple[float, float]:
    """One point typed as "Breite; Länge" (latitude first, as maps show it), decimal point or
    comma: "51.2781, 12.5870", "51,2781; 12,5870", "51,2781 12,5870". Returns (lon, lat).
    The refusal does not repeat the typed text (it is shown as Markdown)."""
    text = clean(line).strip()
    if ";" in text:
        parts = text.split(";")
    elif len(text.split()) == 2:
        parts = [p.rstrip(",") for p in text.split()]
    else:
        parts = text.split(",")
    parts = [p.strip() for p in parts]
    if len(parts) != 2 or not all(_NUMBER.fullmatch(p) for p in parts):
        raise DevelopmentError(
            f"{where}Das ist kein Punkt. Bitte „Breite; Länge“ schreiben, z. B. 51,2781; 12,5870."
        )
    lat, lon = (float(p.replace(",", ".")) for p in parts)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DevelopmentError(f"{where}Breite oder Länge liegt außerhalb des gültigen Bereichs.")
    return (lon, lat)


def parse_corners(text: str) -> list[tuple[float, float]]:
    """The corner points of a drawn area, one per line (see `parse_point`), as (lon, lat)."""
    lines = [line for line in clean(text).splitlines() if line.strip()]
    if len(lines) > MAX_POINTS:
        raise DevelopmentError(f"Höchstens {MAX_POINTS} Eckpunkte.")
    points = [parse_point(line, f"Zeile {number}: ") for number, line in enumerate(lines, 1)]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # the ring may be closed by hand
    if len(set(points)) < 3:
        raise DevelopmentError("Für eine Fläche braucht es mindestens drei verschiedene Eckpunkte.")
    return points


def corners_polygon(text: str) -> tuple[dict, str]:
    """A drawn or typed area → (GeoJSON polygon in WGS84, source text). Not yet checked
    against the alliance: `preview` and `report` do that as for an imported file (a
    self-intersecting outline is repaired or refused there)."""
    points = parse_corners(text)
    return mapping(Polygon([*points, points[0]])), f"gezeichnet ({len(points)} Eckpunkte)"


def point_line(lon: float, lat: float) -> str:
    """A point as one line of the corner field (German decimal comma)."""
    return f"{lat:.6f}; {lon:.6f}".replace(".", ",")


VERTEX_M = 12  # radius of a drawn corner on the map
DRAWING_MARGIN_M = 1500  # the drawing map shows the corners with this much around them


def corners_frame(text: str) -> gpd.GeoDataFrame | None:
    """The corners typed or clicked so far, as map features: each corner a small disc (an
    area, so that a click on it gives the clicked place, not the corner) and, from two on,
    the outline closed back to the first; None when nothing is readable yet."""
    try:
        points = [parse_point(line) for line in clean(text).splitlines() if line.strip()]
    except DevelopmentError:
        return None
    if not points:
        return None
    shapes = [geo.to_storage(geo.to_metric(Point(p)).buffer(VERTEX_M)) for p in points]
    labels = [f"Eckpunkt {number}" for number in range(1, len(points) + 1)]
    if len(points) >= 2:
        shapes.append(LineString([*points, points[0]] if len(points) >= 3 else points))
        labels.append("Umriss")
    return gpd.GeoDataFrame({"label": labels}, geometry=shapes, crs=geo.STORAGE_CRS)


def drawing_bounds(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """Where the drawing map looks after a click: the corners so far with a margin, so the
    map does not jump back to the whole alliance after every corner."""
    metric = geo.to_metric(shapely.union_all(list(frame.geometry)))
    return tuple(geo.to_storage(metric.buffer(DRAWING_MARGIN_M)).bounds)


# --- visibility ----------------------------------------------------------------------------


def sees_internal(user: User) -> bool:
    return auth.can(user.role, "developments.view_internal")


def _sees_statement(user: User, development: Development, answer: Answer) -> bool:
    if auth.can(user.role, "developments.manage"):
        return True
    return user.municipality_ags in (development.municipality_ags, answer.ags)


def for_viewer(user: User, development: Development) -> Development | None:
    """What `user` may see: the office everything; staff and mayors every development with
    the answers, statements only of their own member or on their own development; everyone
    else only released developments, without answers, contact and statements."""
    if sees_internal(user):
        return replace(
            development,
            answers=tuple(
                a
                if _sees_statement(user, development, a)
                else replace(a, statement="", statement_lon=None, statement_lat=None)
                for a in development.answers
            ),
        )
    if not development.public:
        return None
    return replace(
        development,
        answers=(),
        contact_name="",
        contact_email="",
        contact_phone="",
        effects_text="",
        outcome="",
        geometry_source="",
        created_by="",
    )


def listing(db: sqlite_utils.Database, alliance: Alliance, user: User) -> list[Development]:
    seen = (for_viewer(user, d) for d in store.all_developments(db, _names(alliance)))
    return [d for d in seen if d is not None]


def get(db: sqlite_utils.Database, alliance: Alliance, user: User, development_id: int):
    development = store.get(db, development_id, _names(alliance))
    shown = for_viewer(user, development) if development else None
    if shown is None:
        raise NotFound(f"Bauvorhaben Nr. {development_id} gibt es nicht.")
    return shown


def _raw(db, alliance: Alliance, development_id: int) -> Development:
    development = store.get(db, development_id, _names(alliance))
    if development is None:
        raise NotFound(f"Bauvorhaben Nr. {development_id} gibt es nicht.")
    return development


def _require(user: User, action: str, message: str) -> None:
    if not auth.can(user.role, action):
        raise PermissionDenied(message)


def _require_manager(user: User) -> None:
    _require(user, "developments.manage", "Das entscheidet die Geschäftsstelle der Allianz.")


# --- report --------------------------------------------------------------------------------


def _line(text: str | None, label: str, errors: list[str], required: bool = False) -> str:
    value = " ".join(clean(text).split())
    if required and len(value) < 3:
        errors.append(f"{label}: bitte mindestens 3 Zeichen.")
    if len(value) > LINE_MAX:
        errors.append(f"{label}: höchstens {LINE_MAX} Zeichen.")
    return value


def _count(value, label: str, errors: list[str], limit: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.append(f"{label}: bitte eine ganze Zahl.")
        return None
    if not 0 <= number <= limit:
        errors.append(f"{label}: 0 bis {limit:,}.".replace(",", "."))
    return number


def _reporter_ags(alliance: Alliance, user: User, ags: str | None) -> str:
    if user.role is Role.STAFF:
        if not user.municipality_ags:
            raise PermissionDenied("Ihr Konto ist keiner Mitgliedsgemeinde zugeordnet.")
        return user.municipality_ags
    if ags not in _names(alliance):
        raise DevelopmentError("Bitte die meldende Gemeinde wählen.")
    return ags


def _snapshot(development: Development) -> str:
    """A version of the development for the history, without the contact person."""
    data = {
        k: getattr(development, k)
        for k in (
            "title",
            "kind",
            "stage",
            "area_ha",
            "dwellings",
            "floor_space_m2",
            "effects",
            "effects_text",
            "deadline",
            "status",
            "public",
            "meeting_id",
            "outcome",
        )  # fmt: skip
        if hasattr(development, k)
    }
    data["members"] = {a.ags: a.answer for a in development.answers}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=list)


def _version(db, alliance: Alliance, development_id: int, user: User, bump: bool = True) -> None:
    development = _raw(db, alliance, development_id)
    version = development.version
    if bump:
        version += 1
        store.update(db, development_id, {"version": version, "updated_at": audit.now_iso()})
    store.add_version(
        db,
        {
            "development_id": development_id,
            "version": version,
            "snapshot": _snapshot(replace(development, version=version)),
            "changed_by": user.username,
            "changed_at": audit.now_iso(),
        },
    )


def report(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    draft: Draft,
    token: str | None = None,
    *,
    reporter_ags: str | None = None,
    documents: tuple[tuple[str, bytes], ...] = (),
    now: datetime | None = None,
    is_demo: bool = False,
) -> int:
    """Store a development, compute the affected members, queue their e-mails. All or nothing."""
    _require(user, "developments.report", "Bauvorhaben melden die Verwaltungen der Mitglieder.")
    ags = _reporter_ags(alliance, user, reporter_ags)
    errors: list[str] = []
    title = _line(draft.title, "Titel", errors, required=True)
    if draft.kind not in KINDS:
        errors.append("Bitte die Art des Vorhabens wählen.")
    if draft.stage not in STAGES:
        errors.append("Bitte den Verfahrensstand wählen.")
    effects = tuple(e for e in draft.effects if e in EFFECTS)
    if len(effects) != len(draft.effects):
        errors.append("Unbekannte Auswirkung gewählt.")
    effects_text = clean(draft.effects_text)
    if len(effects_text) > TEXT_MAX:
        errors.append(f"Auswirkungen: höchstens {TEXT_MAX} Zeichen.")
    dwellings = _count(draft.dwellings, "Wohneinheiten", errors, 100_000)
    floor_space = _count(draft.floor_space_m2, "Verkaufs-/Geschossfläche (m²)", errors, 10_000_000)
    contact_name = _line(draft.contact_name, "Ansprechperson", errors)
    contact_email = _line(draft.contact_email, "E-Mail", errors)
    if contact_email and not EMAIL.match(contact_email):
        errors.append("Die E-Mail-Adresse der Ansprechperson ist ungültig.")
    contact_phone = _line(draft.contact_phone, "Telefon", errors)
    names = _names(alliance)
    extra = [a for a in dict.fromkeys(draft.extra_members) if a != ags]
    if any(a not in names for a in extra):
        errors.append("Eine gewählte Gemeinde gehört nicht zur Allianz.")
    for _name, content in documents:
        _check_pdf(content, errors)
    if errors:
        raise DevelopmentError(errors)
    geometry = checked_area(shape(draft.geometry), areas)
    measured = area_ha(geometry)
    if draft.area_ha is not None and not 0 < float(draft.area_ha) <= 5000:
        raise DevelopmentError("Fläche in ha: größer als 0 und höchstens 5.000.")
    config = settings(alliance)
    distance = config.distance_km[draft.kind]
    found = dict(affected(areas, geometry, distance, ags))
    moment = now or datetime.now(UTC)
    stamp = moment.isoformat(timespec="seconds")
    deadline = _today(moment) + timedelta(days=config.answer_days)
    with write_transaction(db):
        submissions.claim(db, token, "development.report")
        development_id = store.insert(
            db,
            {
                "title": title,
                "kind": draft.kind,
                "stage": draft.stage,
                "municipality_ags": ags,
                "area_ha": round(float(draft.area_ha) if draft.area_ha else measured, 2),
                "dwellings": dwellings,
                "floor_space_m2": floor_space,
                "effects": json.dumps(list(effects)),
                "effects_text": effects_text,
                "contact_name": contact_name,
                "contact_email": contact_email,
                "contact_phone": contact_phone,
                "geometry": json.dumps(mapping(geometry), separators=(",", ":")),
                "geometry_source": clean(draft.geometry_source)[:LINE_MAX],
                "distance_km": distance,
                "deadline": deadline.isoformat(),
                "is_demo": int(is_demo),
                "created_by": user.username,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        members = [(a, "distance", d) for a, d in found.items()]
        members += [(a, "manual", None) for a in extra if a not in found]
        for member, reason, distance_m in members:
            store.add_member(
                db,
                {
                    "development_id": development_id,
                    "ags": member,
                    "reason": reason,
                    "distance_m": round(distance_m) if distance_m is not None else None,
                    "notified_at": None if is_demo else stamp,
                },
            )
        for name, content in documents:
            _store_document(db, development_id, None, name, content)
        if not is_demo:
            _notify(db, alliance, development_id, [m for m, _, _ in members], "new")
        submissions.settle(db, token, str(development_id))
        _version(db, alliance, development_id, user, bump=False)
        audit.record(
            db,
            user.actor,
            "development.report",
            "development",
            str(development_id),
            municipality_ags=ags,
            details={"members": [m for m, _, _ in members]},
        )
    return development_id


def _notify(db, alliance: Alliance, development_id: int, members: list[str], why: str) -> int:
    """Queue e-mails to the staff of `members` (the office when a member has none). The
    mail names the development and the deadline, never a statement."""
    from allianz import mail  # noqa: PLC0415 - the mail slice imports the registry

    development = _raw(db, alliance, development_id)
    reporter = _names(alliance).get(development.municipality_ags, "")
    subject = {
        "new": f"Neues Bauvorhaben in {reporter}: {development.title[:80]}",
        "remind": f"Erinnerung: Rückmeldung bis {de_date(development.deadline)} erbeten",
    }[why]
    body = (
        f"{reporter} meldet das Bauvorhaben {development.ref} „{development.title}“ "
        f"({development.kind_label}, {development.stage_label}).\n\n"
        f"Ihre Gemeinde ist betroffen. Bitte geben Sie bis {de_date(development.deadline)} "
        "in der Allianz-Werkstatt unter „Bauvorhaben“ eine Rückmeldung: zur Kenntnis "
        "genommen, keine Bedenken, Hinweise oder Bedenken.\n\n"
        "Die Meldung ist nicht öffentlich (§ 2 Abs. 2 BauGB, informelle Vorabstimmung)."
    )
    sent = 0
    for ags in members:
        for address in accounts.contact_addresses(db, ags):
            mail.queue(db, address, subject, body)
            sent += 1
    return sent


def add_member(
    db: sqlite_utils.Database, alliance: Alliance, user: User, development_id: int, ags: str
) -> None:
    """Ask one more member by hand (the reporting member's staff or the office)."""
    _require(user, "developments.report", "Nur die Verwaltung oder die Geschäftsstelle.")
    development = _raw(db, alliance, development_id)
    if user.role is Role.STAFF and user.municipality_ags != development.municipality_ags:
        raise PermissionDenied("Nur die meldende Gemeinde kann weitere Gemeinden beteiligen.")
    if ags not in _names(alliance) or ags == development.municipality_ags:
        raise DevelopmentError("Bitte eine andere Mitgliedsgemeinde wählen.")
    if any(a.ags == ags for a in development.answers):
        raise DevelopmentError("Diese Gemeinde ist schon beteiligt.")
    with write_transaction(db):
        store.add_member(
            db,
            {
                "development_id": development_id,
                "ags": ags,
                "reason": "manual",
                "notified_at": audit.now_iso(),
            },
        )
        _notify(db, alliance, development_id, [ags], "new")
        _version(db, alliance, development_id, user)
        audit.record(
            db, user.actor, "development.member", "development", str(development_id),
            municipality_ags=ags,
        )  # fmt: skip


# --- answers, deadlines, reminders --------------------------------------------------------


def answer(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    development_id: int,
    kind: str,
    statement: str = "",
    *,
    point: tuple[float, float] | None = None,
    now: datetime | None = None,
) -> bool:
    """The answer of the user's member, optionally with a map point (lon, lat) inside the
    alliance; returns whether it came after the deadline."""
    _require(user, "developments.answer", "Antworten gibt die Verwaltung der Gemeinde.")
    development = _raw(db, alliance, development_id)
    ags = user.municipality_ags
    if not ags or not any(a.ags == ags for a in development.answers):
        raise PermissionDenied("Ihre Gemeinde ist bei diesem Bauvorhaben nicht beteiligt.")
    if kind not in ANSWERS:
        raise DevelopmentError("Bitte eine Antwort wählen.")
    text = clean(statement)
    if len(text) > TEXT_MAX:
        raise DevelopmentError(f"Die Stellungnahme hat höchstens {TEXT_MAX} Zeichen.")
    if kind in NEEDS_STATEMENT and len(text) < 3:
        raise DevelopmentError(f"Bei „{ANSWERS[kind]}“ bitte eine Stellungnahme schreiben.")
    where = _statement_point(db, point)
    moment = now or datetime.now(UTC)
    late = _today(moment) > date.fromisoformat(development.deadline)
    with write_transaction(db):
        store.update_member(
            db,
            development_id,
            ags,
            {
                "answer": kind,
                "statement": text,
                "statement_lon": where[0] if where else None,
                "statement_lat": where[1] if where else None,
                "answered_at": moment.isoformat(timespec="seconds"),
                "answered_by": user.username,
                "late": int(late),
            },
        )
        if kind == "objection" and development.status == "open":
            store.update(db, development_id, {"status": "coordination"})
        _version(db, alliance, development_id, user)
        audit.record(
            db, user.actor, "development.answer", "development", str(development_id),
            municipality_ags=ags, details={"answer": kind, "late": late},
        )  # fmt: skip
    return late


def _statement_point(db, point: tuple[float, float] | None) -> tuple[float, float] | None:
    """A statement's map point, rounded to about 10 cm; it must lie in the alliance."""
    if point is None:
        return None
    try:
        lon, lat = (float(v) for v in point)
    except (TypeError, ValueError) as exc:
        raise DevelopmentError("Der Kartenpunkt ist ungültig.") from exc
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DevelopmentError("Der Kartenpunkt liegt außerhalb des gültigen Bereichs.")
    alliance_area = shapely.union_all([a.geometry for a in municipalities.areas(db)])
    if not alliance_area.intersects(Point(lon, lat)):
        raise DevelopmentError("Der Kartenpunkt liegt außerhalb des Allianzgebiets.")
    return (round(lon, 6), round(lat, 6))


def statement_points(*developments: Development) -> gpd.GeoDataFrame:
    """The map points of the statements the viewer may see (`for_viewer` has removed the
    others), labelled with the development, the member and its answer."""
    shown = [(d, a) for d in developments for a in d.answers if a.point is not None]
    return gpd.GeoDataFrame(
        {
            "ref": [d.ref for d, _ in shown],
            "member": [a.member for _, a in shown],
            "answer": [a.answer_label for _, a in shown],
            "statement": [a.statement[:300] for _, a in shown],
        },
        geometry=[Point(a.point) for _, a in shown],
        crs=geo.STORAGE_CRS,
    )


def reminder_day(development: Development) -> date:
    return date.fromisoformat(development.deadline) - timedelta(days=REMIND_DAYS_BEFORE)


def remind(db: sqlite_utils.Database, alliance: Alliance, now: datetime | None = None) -> int:
    """E-mail every member that has not answered when its deadline is a week away or less
    (and not yet passed); each member once per development. Returns the mails queued."""
    today = _today(now)
    until = (today + timedelta(days=REMIND_DAYS_BEFORE)).isoformat()
    sent = 0
    with write_transaction(db):
        for row in store.due_for_reminder(db, until, today.isoformat()):
            sent += _notify(db, alliance, row["development_id"], [row["ags"]], "remind")
            store.update_member(
                db,
                row["development_id"],
                row["ags"],
                {"reminded_at": (now or datetime.now(UTC)).isoformat(timespec="seconds")},
            )
            audit.record(
                db, audit.SYSTEM, "development.remind", "development",
                str(row["development_id"]), municipality_ags=row["ags"],
            )  # fmt: skip
    return sent


def is_overdue(answer: Answer, development: Development, today: date) -> bool:
    return answer.answer is None and today > date.fromisoformat(development.deadline)


@dataclass(frozen=True)
class OpenRequest:
    """A development one member has still to answer: for the start page and "Meine Gemeinde"."""

    development_id: int
    title: str
    reporter_ags: str
    deadline: str  # date ISO
    overdue: bool

    @property
    def ref(self) -> str:
        return f"BV-{self.development_id:04d}"


def open_for(db: sqlite_utils.Database, user: User, ags: str, now=None) -> list[OpenRequest]:
    """The developments member `ags` has still to answer, nearest deadline first; for that
    member's staff and mayor and the office, nobody else (the reports are not public)."""
    if not sees_internal(user):
        return []
    if user.municipality_ags != ags and not auth.can(user.role, "developments.manage"):
        return []
    today = _today(now).isoformat()
    return [
        OpenRequest(
            row["id"],
            row["title"],
            row["municipality_ags"],
            row["deadline"],
            row["deadline"] < today,
        )
        for row in store.open_for(db, ags)
    ]


def open_for_member(db: sqlite_utils.Database, user: User, now=None) -> list[OpenRequest]:
    """Developments the user's own member has still to answer (for the start page)."""
    if not user.municipality_ags:
        return []
    return open_for(db, user, user.municipality_ags, now)


# --- the office: release, coordination meeting, outcome -----------------------------------


def release(
    db: sqlite_utils.Database, alliance: Alliance, user: User, development_id: int, public: bool
) -> None:
    """Show the development (area and key data, never the answers) on the public map, or
    take it back."""
    _require_manager(user)
    _raw(db, alliance, development_id)
    with write_transaction(db):
        store.update(
            db,
            development_id,
            {"public": int(public), "released_at": audit.now_iso() if public else None},
        )
        _version(db, alliance, development_id, user)
        audit.record(
            db, user.actor, "development.release" if public else "development.withdraw",
            "development", str(development_id),
        )  # fmt: skip


def propose_meeting(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    development_id: int,
    day: date,
    start: str,
    end: str,
    place: str,
    token: str | None = None,
) -> int:
    """A non-public coordination meeting (meetings slice) with the development as agenda item,
    the reporting and the affected members invited. Returns the meeting's number."""
    from allianz.meetings import service as meetings  # noqa: PLC0415 - meetings link back here

    _require_manager(user)
    development = _raw(db, alliance, development_id)
    if development.meeting_id:
        raise DevelopmentError(
            f"Es gibt schon ein Abstimmungsgespräch (S-{development.meeting_id:04d})."
        )
    draft = meetings.MeetingDraft(
        "network_working",
        f"Abstimmungsgespräch {development.ref}: {development.title}"[:200],
        day,
        start,
        end,
        place,
        municipality_ags=development.municipality_ags,
        public=False,
    )
    with write_transaction(db):
        meeting_id = meetings.create(db, alliance, user, draft, token)
        item = meetings.add_item(
            db, user, meeting_id, f"Bauvorhaben {development.ref}: {development.title}"[:200],
            public=False,
        )  # fmt: skip
        meetings.link_item(db, user, item, "development", str(development_id))
        invited = [development.municipality_ags, *(a.ags for a in development.answers)]
        meetings.set_invitees(
            db, alliance, user, meeting_id, [("municipality", a) for a in invited]
        )
        store.update(db, development_id, {"meeting_id": meeting_id, "status": "coordination"})
        _version(db, alliance, development_id, user)
        audit.record(
            db, user.actor, "development.meeting", "development", str(development_id),
            details={"meeting": meeting_id},
        )  # fmt: skip
    return meeting_id


def settle(
    db: sqlite_utils.Database, alliance: Alliance, user: User, development_id: int, outcome: str
) -> None:
    """Record the outcome of the coordination; the development counts as coordinated."""
    _require_manager(user)
    _raw(db, alliance, development_id)
    text = clean(outcome)
    if not 3 <= len(text) <= TEXT_MAX:
        raise DevelopmentError(f"Das Ergebnis braucht 3 bis {TEXT_MAX} Zeichen.")
    with write_transaction(db):
        store.update(db, development_id, {"status": "settled", "outcome": text})
        _version(db, alliance, development_id, user)
        audit.record(db, user.actor, "development.settle", "development", str(development_id))


def history(
    db: sqlite_utils.Database, alliance: Alliance, user: User, development_id: int
) -> list[dict]:
    _require(user, "developments.view_internal", "Der Verlauf ist nicht öffentlich.")
    _raw(db, alliance, development_id)
    return store.versions(db, development_id)


# --- documents -----------------------------------------------------------------------------


def add_document(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    development_id: int,
    name: str,
    content: bytes,
) -> int:
    """A PDF (≤ 10 MB) of the reporting member, or of an asked member with its answer."""
    development = _raw(db, alliance, development_id)
    ags = user.municipality_ags
    if auth.can(user.role, "developments.manage"):
        ags = None
    elif not sees_internal(user) or ags not in (
        development.municipality_ags,
        *(a.ags for a in development.answers),
    ):
        raise PermissionDenied("Nur beteiligte Gemeinden laden Dokumente hoch.")
    errors: list[str] = []
    _check_pdf(content, errors)
    if errors:
        raise DevelopmentError(errors)
    with write_transaction(db):
        document_id = _store_document(
            db, development_id, ags if ags != development.municipality_ags else None, name, content
        )
        audit.record(
            db, user.actor, "development.document", "development", str(development_id),
            details={"document": document_id},
        )  # fmt: skip
    return document_id


def _check_pdf(content: bytes, errors: list[str]) -> None:
    if len(content) > MAX_PDF_BYTES:
        errors.append("Das Dokument ist größer als 10 MB.")
    elif not content.startswith(b"%PDF-"):
        errors.append("Bitte ein PDF-Dokument hochladen.")


def _store_document(db, development_id: int, ags: str | None, name: str, content: bytes) -> int:
    return store.add_document(
        db,
        {
            "development_id": development_id,
            "ags": ags,
            "file_title": clean(Path(name).name)[:LINE_MAX] or "Dokument.pdf",
            "size": len(content),
            "sha1": hashlib.sha1(content, usedforsecurity=False).hexdigest(),
            "content": content,
            "uploaded_at": audit.now_iso(),
        },
    )


def documents(
    db: sqlite_utils.Database, alliance: Alliance, user: User, development_id: int
) -> list[Document]:
    if not sees_internal(user):
        return []
    _raw(db, alliance, development_id)
    return store.documents(db, development_id)


def document(db: sqlite_utils.Database, user: User, document_id: int) -> tuple[str, bytes]:
    _require(user, "developments.view_internal", "Dokumente sind nicht öffentlich.")
    found = store.document_content(db, document_id)
    if found is None:
        raise NotFound("Das Dokument gibt es nicht.")
    row, content = found
    return row["file_title"], content


# --- exports, links ------------------------------------------------------------------------

EXPORT_COLUMNS = {
    "ref": "Nr.",
    "title": "Titel",
    "member": "Gemeinde",
    "kind": "Art",
    "stage": "Verfahrensstand",
    "area_ha": "Fläche (ha)",
    "dwellings": "Wohneinheiten",
    "floor_space_m2": "Verkaufs-/Geschossfläche (m²)",
    "deadline": "Rückmeldung bis",
    "status": "Stand",
    "answered": "Antworten",
    "objections": "Bedenken",
    "public": "veröffentlicht",
}


def _export_rows(alliance: Alliance, developments: list[Development]) -> list[dict]:
    names = _names(alliance)
    return [
        {
            "ref": d.ref,
            "title": d.title,
            "member": names.get(d.municipality_ags, d.municipality_ags),
            "kind": d.kind_label,
            "stage": d.stage_label,
            "area_ha": d.area_ha,
            "dwellings": d.dwellings,
            "floor_space_m2": d.floor_space_m2,
            "deadline": d.deadline,
            "status": d.status_label,
            "answered": f"{sum(1 for a in d.answers if a.answer)} von {len(d.answers)}",
            "objections": sum(1 for a in d.answers if a.answer == "objection"),
            "public": "ja" if d.public else "nein",
        }
        for d in developments
    ]


def export(db: sqlite_utils.Database, alliance: Alliance, user: User, fmt: str) -> bytes:
    """All developments as CSV (German, ;-separated) or GeoPackage for the GIS; key data and
    the number of answers, no statements, no contact person."""
    _require_manager(user)
    developments = store.all_developments(db, _names(alliance))
    rows = _export_rows(alliance, developments)
    if fmt == "csv":
        for row in rows:
            row["deadline"] = de_date(row["deadline"], empty="")
        lines = [[row[k] for k in EXPORT_COLUMNS] for row in rows]
        return de_csv(list(EXPORT_COLUMNS.values()), lines).encode("utf-8-sig")
    if fmt != "gpkg":
        raise DevelopmentError("Export als csv oder gpkg.")
    frame = gpd.GeoDataFrame(
        rows or None,
        columns=list(EXPORT_COLUMNS),
        geometry=[shape(d.geometry) for d in developments],
        crs=geo.STORAGE_CRS,
    )
    with tempfile.TemporaryDirectory(prefix="allianz-bv-") as tmp:
        path = Path(tmp) / "bauvorhaben.gpkg"
        frame.to_file(path, layer="bauvorhaben", driver="GPKG")
        return path.read_bytes()


def label(db: sqlite_utils.Database, user: User, target: str) -> str | None:
    """How a development is called for an agenda item link; None when the user may not see
    it or it does not exist."""
    if not target.isdigit() or len(target) > 9:
        return None
    development = store.get(db, int(target), {})
    shown = for_viewer(user, development) if development else None
    return f"{shown.ref}: {shown.title}" if shown else None


# --- for the pages -------------------------------------------------------------------------


def read_upload(name: str, content: bytes) -> tuple[dict, str]:
    """An uploaded area file → (GeoJSON geometry in WGS84, source text); nothing stored."""
    suffix = Path(name).suffix.lower()
    if suffix not in (*GEO_SUFFIXES, *XPLAN_SUFFIXES):
        raise DevelopmentError(
            "Dateiformat nicht unterstützt. Erlaubt: GeoJSON, GeoPackage, Shapefile als ZIP, "
            "KML, XPlanGML (.gml)."
        )
    with tempfile.TemporaryDirectory(prefix="allianz-bv-") as tmp:
        path = Path(tmp) / f"vorhaben{suffix}"
        path.write_bytes(content)
        geometry, _source = read_area(path)
    kind = "XPlanGML" if suffix in XPLAN_SUFFIXES else "Datei"
    return mapping(geometry), f"{kind} {clean(Path(name).name)[:80]}"


@dataclass(frozen=True)
class Preview:
    geometry: dict
    area_ha: float
    distance_km: float
    reach: dict  # the search area around the development (GeoJSON, WGS84)
    affected: tuple[tuple[str, float], ...]  # (AGS, distance in m)
    repaired: bool = False  # the outline crossed itself and was made valid


def preview(
    alliance: Alliance,
    areas: list[MunicipalityArea],
    geometry: dict,
    kind: str,
    reporter: str | None,
) -> Preview:
    """What a report would do: the checked area, its size, the members it would reach."""
    checked = checked_area(shape(geometry), areas)
    distance = settings(alliance).distance_km.get(kind, DEFAULT_DISTANCE_KM["other"])
    reach = geo.to_storage(geo.to_metric(checked).buffer(distance * 1000))
    return Preview(
        mapping(checked),
        area_ha(checked),
        distance,
        mapping(reach),
        tuple(affected(areas, checked, distance, reporter or "")),
        repaired=not shape(geometry).is_valid,
    )


def frame(developments: list[Development]) -> gpd.GeoDataFrame:
    """The developments as map features (key data only)."""
    return gpd.GeoDataFrame(
        {
            "ref": [d.ref for d in developments],
            "title": [d.title for d in developments],
            "kind": [d.kind_label for d in developments],
            "stage": [d.stage_label for d in developments],
            "area": [f"{d.area_ha:.2f}".replace(".", ",") + " ha" for d in developments],
        },
        geometry=[shape(d.geometry) for d in developments],
        crs=geo.STORAGE_CRS,
    )


def reach_frame(development: Development) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"label": [f"Umkreis {development.distance_km:g} km".replace(".", ",")]},
        geometry=[buffer_of(development)],
        crs=geo.STORAGE_CRS,
    )


def may_answer(user: User) -> bool:
    return auth.can(user.role, "developments.answer")


def may_report(user: User) -> bool:
    return auth.can(user.role, "developments.report")
