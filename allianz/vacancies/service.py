"""Vacancy register rules: validation, scope, versioned edits, owner data apart, interest requests.

Every way in (form, work list, file import, CLI) passes `check`, and every write leaves a
history row with the site's public fields, so the register can be read as of any past date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

import sqlite_utils

from allianz import assets, audit, geo, limits, mail, submissions, visitors
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.auth import Role, acts_in, can
from allianz.config import Alliance
from allianz.errors import NotFound, PermissionDenied, ValidationError
from allianz.formatting import de_int
from allianz.municipalities.service import MunicipalityArea, locate
from allianz.text import EMAIL, clean
from allianz.vacancies import files, register_cache, store
from allianz.vacancies.model import CODED, FIELDS, LABELS, TEXT_MAX, Owner, Site
from db.connection import write_transaction

_TRUE = {"1", "ja", "j", "yes", "y", "true", "wahr", "x"}
_FALSE = {"0", "nein", "n", "no", "false", "falsch", ""}
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
MAX_AREA_M2 = 10_000_000
INTEREST_MAX = 2000


class VacancyError(ValidationError):
    """A refused change; `errors` are German sentences, one per problem."""


def _blank(value) -> bool:
    """None, empty text, and NaN/NaT from spreadsheets and data editors (unequal to itself)."""
    return value is None or value != value or str(value).strip() == ""


def _code(field: str, value, errors: list[str]) -> str | None:
    """A code from the list, given as code or German label (case-insensitive)."""
    if _blank(value):
        return None
    text = str(value).strip().casefold()
    for code, label in CODED[field].items():
        if text in (code.casefold(), label.casefold()):
            return code
    allowed = ", ".join(CODED[field].values())
    errors.append(f"{LABELS[field]}: „{clean(str(value))[:40]}“ ist nicht erlaubt ({allowed}).")
    return None


def _date(field: str, value, errors: list[str]) -> str | None:
    """ISO date from a date, 'YYYY-MM-DD', 'TT.MM.JJJJ', 'YYYY-MM' or a year."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    german = _GERMAN_DATE.match(text)
    if german:
        text = f"{german[3]}-{int(german[2]):02d}-{int(german[1]):02d}"
    elif re.fullmatch(r"\d{4}", text):
        text += "-01-01"
    elif re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        errors.append(f"{LABELS[field]}: „{clean(text)[:20]}“ ist kein Datum (TT.MM.JJJJ).")
        return None


def _flag(field: str, value, errors: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if _blank(value) else str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    errors.append(f"{LABELS[field]}: bitte ja oder nein.")
    return False


def _number(field: str, value, errors: list[str]) -> float | None:
    if _blank(value):
        return None
    try:
        number = float(str(value).replace(" ", "").replace(",", "."))
    except ValueError:
        errors.append(f"{LABELS[field]}: „{clean(str(value))[:20]}“ ist keine Zahl.")
        return None
    if not 0 < number <= MAX_AREA_M2:
        most = de_int(MAX_AREA_M2)
        errors.append(f"{LABELS[field]}: muss größer als 0 und höchstens {most} sein.")
        return None
    return round(number, 1)


def check(
    alliance: Alliance,
    areas: list[MunicipalityArea],
    data: dict,
    today: date | None = None,
) -> tuple[dict, list[str]]:
    """Clean and validate one site's public fields; returns (row, errors)."""
    today = today or date.today()
    errors: list[str] = []
    row: dict = {}
    for field in ("address", "description", "source", "ortsteil"):
        text = clean(None if _blank(data.get(field)) else str(data.get(field)))
        if len(text) > TEXT_MAX[field]:
            errors.append(f"{LABELS[field]}: höchstens {TEXT_MAX[field]} Zeichen.")
        row[field] = text
    row["ortsteil"] = row["ortsteil"] or None
    for field in CODED:
        row[field] = _code(field, data.get(field), errors)
    if row["type"] is None and not any(e.startswith(LABELS["type"]) for e in errors):
        errors.append("Art: bitte angeben (z. B. Baulücke, Leerstand, Hofstelle).")
    row["status"] = row["status"] or "active"
    for field in ("vacant_since", "owner_contacted_on", "next_review"):
        row[field] = _date(field, data.get(field), errors)
    for field in ("vacant_since", "owner_contacted_on"):
        if row[field] and row[field] > today.isoformat():
            errors.append(f"{LABELS[field]}: liegt in der Zukunft.")
    row["area_m2"] = _number("area_m2", data.get("area_m2"), errors)
    row["publication_consent"] = int(
        _flag("publication_consent", data.get("publication_consent"), errors)
    )
    _place(alliance, areas, data, row, errors)
    return row, errors


def _place(alliance, areas, data, row, errors) -> None:
    """Coordinates decide the municipality; without them the address is placed at the seat."""
    ags = None if _blank(data.get("municipality_ags")) else str(data["municipality_ags"]).strip()
    if ags and ags.isdigit() and len(ags) < 8:
        ags = ags.zfill(8)  # spreadsheets drop leading zeros
    has_point = not (_blank(data.get("lat")) and _blank(data.get("lon")))
    row["location_precise"] = 1
    if has_point:
        try:
            lat, lon = geo.parse_coordinates(f"{data.get('lat')} {data.get('lon')}")
        except ValueError as exc:
            errors.append(f"Lage: {exc}")
            return
        found = locate(areas, lat, lon).municipality
        if found is None:
            errors.append("Lage: der Punkt liegt außerhalb der Allianz.")
            return
        if ags and ags != found.ags:
            errors.append(f"Lage: der Punkt liegt in {found.name}, nicht in Gemeinde {ags}.")
            return
        ags = found.ags
        precise = data.get("location_precise")
        # missing means precise; the exporter writes "ja"/"nein"
        row["location_precise"] = int(_blank(precise) or _flag("location_precise", precise, errors))
    elif ags:
        try:
            seat = alliance.municipality(ags)
        except KeyError:
            errors.append(f"Gemeinde: AGS {ags} gehört nicht zur Allianz.")
            return
        if not row["address"]:
            errors.append("Lage: bitte Koordinaten oder eine Adresse angeben.")
        lat, lon = seat.seat_lat, seat.seat_lon
        row["location_precise"] = 0
    else:
        errors.append("Lage: bitte auf die Karte klicken oder Koordinaten angeben.")
        return
    municipality = alliance.municipality(ags)
    if row["ortsteil"] and municipality.ortsteile and row["ortsteil"] not in municipality.ortsteile:
        errors.append(f"Ortsteil: „{row['ortsteil']}“ gehört nicht zu {municipality.name}.")
    row.update(municipality_ags=ags, lat=round(lat, 7), lon=round(lon, 7))


def may_edit(user: User, municipality_ags: str) -> bool:
    """Staff edit their own municipality's sites; the alliance manager all of them."""
    return can(user.role, "vacancies.edit") and acts_in(user, municipality_ags or ())


def _owner(value: Owner | None) -> Owner | None:
    if value is None:
        return None
    return Owner(clean(value.name)[:200], clean(value.contact)[:300], clean(value.note)[:1000])


def _history(db, site_id: int, version: int, actor: audit.Actor, action: str, changes, snapshot):
    store.add_history(
        db,
        {
            "site_id": site_id,
            "version": version,
            "at": audit.now_iso(),
            "actor": actor.name,
            "actor_role": actor.role,
            "action": action,
            "changes": changes,
            "snapshot": snapshot,
        },
    )


def _insert(db, row: dict, owner: Owner | None, actor: audit.Actor, action: str) -> int:
    stamp = audit.now_iso()
    site_id = store.insert(db, {**row, "version": 1, "created_at": stamp, "updated_at": stamp})
    snapshot = {f: row.get(f) for f in FIELDS}
    changes = {f: [None, v] for f, v in snapshot.items() if v not in (None, "")}
    if owner is not None and not owner.empty:
        store.save_owner(db, site_id, owner, stamp)
        changes["owner"] = "erfasst"
    _history(db, site_id, 1, actor, action, changes, snapshot)
    return site_id


def create(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    data: dict,
    owner: Owner | None = None,
    today: date | None = None,
    token: str | None = None,
) -> int:
    if not can(user.role, "vacancies.edit"):
        raise PermissionDenied("Flächen erfassen Verwaltung und Allianzmanagement.")
    row, errors = check(alliance, areas, data, today)
    if errors:
        raise VacancyError(errors)
    if not may_edit(user, row["municipality_ags"]):
        raise PermissionDenied("Sie können nur Flächen Ihrer eigenen Gemeinde erfassen.")
    with write_transaction(db):
        submissions.claim(db, token, "vacancy.create")
        site_id = _insert(db, row, _owner(owner), user.actor, "create")
        audit.record(
            db,
            user.actor,
            "vacancy.create",
            "vacancy",
            str(site_id),
            municipality_ags=row["municipality_ags"],
        )
    return site_id


def update(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    site_id: int,
    changes: dict,
    owner: Owner | None = None,
    today: date | None = None,
) -> bool:
    """Apply changed fields (others stay); returns False when nothing changed."""
    with write_transaction(db):
        site = store.get(db, site_id)
        if site is None:
            raise NotFound("Diese Fläche gibt es nicht.")
        if not may_edit(user, site.municipality_ags):
            raise PermissionDenied("Sie können nur Flächen Ihrer eigenen Gemeinde bearbeiten.")
        old = site.values()
        merged = {**old, **changes}
        if {"lat", "lon"} & changes.keys() and "municipality_ags" not in changes:
            merged["municipality_ags"] = None  # the new point decides the municipality
        row, errors = check(alliance, areas, merged, today)
        if not errors and not may_edit(user, row["municipality_ags"]):
            raise PermissionDenied(
                "Die Fläche kann nicht in eine fremde Gemeinde verschoben werden."
            )
        if errors:
            raise VacancyError(errors)
        diff = {f: [old[f], row[f]] for f in FIELDS if _differs(old[f], row[f])}
        owner = _owner(owner)
        if owner is not None and owner != store.owner(db, site_id):
            store.save_owner(db, site_id, owner, audit.now_iso())
            diff["owner"] = "geändert"
        if not diff:
            return False
        version = site.version + 1
        db["vacancy_sites"].update(
            site_id, {**row, "version": version, "updated_at": audit.now_iso()}
        )
        _history(db, site_id, version, user.actor, "update", diff, row)
        audit.record(
            db,
            user.actor,
            "vacancy.update",
            "vacancy",
            str(site_id),
            municipality_ags=row["municipality_ags"],
            details={"fields": sorted(diff)},
        )
    # consent withdrawn, deactivated or moved: older map files must not show it any longer
    assets.retract(public_layer(db))
    return True


def public_layer(db: sqlite_utils.Database) -> str:
    """The published file layer of the public "Leerstand teilen" map rows."""
    return assets.layer("vacancies", db)


def _differs(old, new) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return bool(old) != bool(new)
    return old != new and not (old in (None, "") and new in (None, ""))


def owner_of(db: sqlite_utils.Database, user: User, site_id: int) -> Owner:
    """Owner data, only for a role allowed to see it, and only for its own municipality."""
    site = store.get(db, site_id)
    if (
        site is None
        or not can(user.role, "vacancies.owner")
        or not may_edit(user, site.municipality_ags)
    ):
        raise PermissionDenied("Keine Berechtigung für Eigentümerdaten.")
    return store.owner(db, site_id)


def export_file(
    db: sqlite_utils.Database, alliance: Alliance, user: User, fmt: str, internal: bool = False
) -> bytes:
    """The register of the user's scope as CSV, XLSX or GeoPackage. With owner data only for
    the roles allowed, and then always with an audit row."""
    if fmt not in files.FORMATS:
        raise ValidationError("Die Ausgabedatei muss auf .csv, .xlsx oder .gpkg enden.")
    action = "vacancies.export_internal" if internal else "vacancies.export"
    if not can(user.role, action):
        raise PermissionDenied("Keine Berechtigung für diesen Export.")
    sites = store.search(db, store.Filters(municipality_ags=scope_filter(user)))
    owners = None
    if internal:
        with write_transaction(db):
            audit.record(
                db, user.actor, "vacancy.export_internal", "vacancy", details={"format": fmt}
            )
        owners = store.owners(db)
    return files.write(sites, alliance, fmt, owners)


# --- reading (pages and the CLI read through here; results kept per register version) -----

Filters = store.Filters


def sites(db: sqlite_utils.Database, filters: store.Filters) -> list[Site]:
    return register_cache.sites(db, filters)


def shared(db: sqlite_utils.Database, filters: store.Filters) -> register_cache.Shared:
    """Only sites whose owners agreed to publication, whatever the filters say."""
    return register_cache.shared(db, replace(filters, shareable_only=True))


def get(db: sqlite_utils.Database, site_id: int) -> Site | None:
    return store.get(db, site_id)


def register(db: sqlite_utils.Database, scope: tuple[str, ...]) -> list[Site]:
    return store.search(db, store.Filters(municipality_ags=scope))


def history(db: sqlite_utils.Database, site_id: int) -> list[dict]:
    return store.history(db, site_id)


def records_as_of(db: sqlite_utils.Database, user: User, day: date) -> list[dict]:
    """The register as it stood on `day`, within the user's municipality."""
    scope = scope_filter(user)
    return [
        r
        for r in register_cache.records_as_of(db, day)
        if not scope or r["municipality_ags"] in scope
    ]


def interests(db: sqlite_utils.Database, user: User) -> list[dict]:
    """Interest requests with the requester's contact: staff of the municipality only."""
    if not can(user.role, "vacancies.edit"):
        raise PermissionDenied("Anfragen sieht die Verwaltung der Gemeinde.")
    return store.interests(db, user.municipality_ags)


def summary(db: sqlite_utils.Database, alliance: Alliance, today: date, per_ha: float):
    return register_cache.summary(db, alliance, today, per_ha)


def by_type(db: sqlite_utils.Database, alliance: Alliance):
    return register_cache.by_type(db, alliance)


def change(db: sqlite_utils.Database, alliance: Alliance, since: date):
    return register_cache.change(db, alliance, since)


def hexbins(db: sqlite_utils.Database, size_m: float):
    return register_cache.hexbins(db, size_m)


def scope_filter(user: User) -> tuple[str, ...]:
    """The municipalities whose sites a register user works with (empty: all)."""
    return (user.municipality_ags,) if user.municipality_ags else ()


@dataclass(frozen=True)
class ImportResult:
    count: int
    municipalities: dict[str, int]


def import_rows(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User | None,
    rows: list[dict],
    actor: audit.Actor | None = None,
    today: date | None = None,
    token: str | None = None,
) -> ImportResult:
    """All rows or none: every row is checked first, errors name the row (as in the file)."""
    actor = actor or user.actor
    if user is not None and not can(user.role, "vacancies.import"):
        raise PermissionDenied("Keine Berechtigung für den Import.")
    if not rows:
        raise VacancyError("Die Datei enthält keine Zeilen.")
    checked, errors, foreign = [], [], []
    for number, data in enumerate(rows, start=2):  # row 1 holds the headings
        row, problems = check(alliance, areas, data, today)
        if not problems and user is not None and not may_edit(user, row["municipality_ags"]):
            foreign.append(f"Zeile {number}: liegt nicht in Ihrer Gemeinde")
        errors += [f"Zeile {number}: {p}" for p in problems]
        owner = Owner(
            *(clean(str(data.get(f) or "")) for f in ("owner_name", "owner_contact", "owner_note"))
        )
        checked.append((row, owner))
    if foreign:
        raise PermissionDenied(foreign)
    if errors:
        raise VacancyError(errors)
    per_municipality: dict[str, int] = {}
    with write_transaction(db):
        submissions.claim(db, token, "vacancy.import")
        for row, owner in checked:
            _insert(db, row, owner, actor, "import")
            ags = row["municipality_ags"]
            per_municipality[ags] = per_municipality.get(ags, 0) + 1
        audit.record(db, actor, "vacancy.import", "vacancy", details={"rows": len(checked)})
    return ImportResult(len(checked), per_municipality)


# Interest requests per visitor (each one mails the municipality's staff).
INTEREST_LIMIT = limits.Limit(
    "vacancy.interest",
    3,
    30 * 60,
    "Sie haben in kurzer Zeit mehrere Anfragen gesendet. Bitte versuchen Sie es {wann} erneut.",
)


def express_interest(
    db: sqlite_utils.Database,
    alliance: Alliance,
    site_id: int,
    name: str,
    email: str,
    message: str,
    consent: bool,
    token: str | None = None,
    visitor: visitors.Visitor | None = None,
) -> None:
    """A citizen's interest in a shared site goes to the municipality's staff by mail;
    the citizen never learns who they are, the staff get the citizen's address to reply.
    The page names the `visitor`, whose requests INTEREST_LIMIT counts."""
    site = store.get(db, site_id)
    if site is None or not site.publication_consent or not site.active:
        raise NotFound("Diese Fläche ist nicht (mehr) veröffentlicht.")
    errors = []
    name, email, message = clean(name)[:120], clean(email), clean(message)
    if not EMAIL.match(email):
        errors.append(
            "Bitte eine gültige E-Mail-Adresse angeben, damit die Gemeinde antworten kann."
        )
    if not 10 <= len(message) <= INTEREST_MAX:
        errors.append(f"Die Nachricht braucht 10 bis {INTEREST_MAX} Zeichen.")
    if not consent:
        errors.append("Ohne Einwilligung können wir Ihre Anfrage nicht weitergeben.")
    if errors:
        raise VacancyError(errors)
    recipients = accounts.contact_addresses(db, site.municipality_ags)
    municipality = alliance.municipality(site.municipality_ags).name
    stamp = audit.now_iso()
    with write_transaction(db):
        submissions.claim(db, token, "vacancy.interest")
        if visitor is not None:
            limits.admit(db, INTEREST_LIMIT, visitor.identities())
        db["vacancy_interests"].insert(
            {
                "site_id": site.id,
                "municipality_ags": site.municipality_ags,
                "name": name,
                "email": email,
                "message": message,
                "consent_at": stamp,
                "created_at": stamp,
            }
        )
        body = (
            f"Neue Anfrage zur Fläche {site.ref} ({municipality}, "
            f"{site.address or 'ohne Adresse'}).\n\n"
            f"Von: {name or 'ohne Namen'} <{email}>\n\n{message}\n\n"
            "Die Anfrage steht auch in Allianz-Werkstatt unter „Leerstand erfassen“ → Anfragen."
        )
        for recipient in recipients:
            mail.queue(db, recipient, f"Anfrage zu {site.ref} (Leerstand teilen)", body)
        audit.record(
            db,
            audit.Actor("öffentlich", Role.CITIZEN.value),
            "vacancy.interest",
            "vacancy",
            str(site.id),
            municipality_ags=site.municipality_ags,
        )


def by_ref(db: sqlite_utils.Database, user: User, ref: str) -> Site | None:
    """A site by its number as this user may see it: the register's users see every site,
    everyone else only those whose owners agreed to publication."""
    site = store.by_ref(db, ref)
    if site is None:
        return None
    if can(user.role, "page.vacancy_analysis") or site.publication_consent:
        return site
    return None
