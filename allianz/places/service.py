"""The rules of the city map and the town halls' contacts.

Staff edit the places and contacts of their own municipality, the alliance office all of them
(`auth.acts_in`). A place's municipality is where its point lies; a point outside the alliance
is refused. Contacts are public only as an official function address or with the person's
recorded consent; other entries stay inside the administration. Imports (GeoJSON, GeoPackage,
CSV with coordinates, OpenStreetMap extracts) update places by their source id instead of
adding them twice, and report every refused line in German.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from allianz import assets, audit, auth, images, submissions
from allianz.config import Alliance
from allianz.errors import NotFound, PermissionDenied, ValidationError
from allianz.municipalities import service as municipalities
from allianz.places import hours, store, vcard
from allianz.places.model import (
    ADDRESS_MAX,
    BASIS,
    CATEGORIES,
    DEPARTMENT_MAX,
    EMAIL_MAX,
    HOURS_MAX,
    KEYWORDS_MAX,
    NAME_MAX,
    NOTE_MAX,
    PHONE_MAX,
    ROLE_MAX,
    ROOM_MAX,
    SOURCE_ID_MAX,
    WEB_MAX,
    WHEELCHAIR,
    Contact,
    ContactDraft,
    ImportReport,
    Place,
    PlaceDraft,
)
from allianz.text import EMAIL, clean
from db.connection import write_transaction

MAX_IMPORT_ROWS = 50_000
SEARCH_LIMIT = 50


class PlaceError(ValidationError):
    """A place or contact that breaks a rule; German messages."""


# --- text for the search ------------------------------------------------------------------

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold(text: str) -> str:
    """Lower case, umlauts written out, other accents dropped: "Großpösna" -> "grosspoesna"."""
    lowered = text.lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(query: str) -> list[str]:
    """The words of a search, folded; short filler words of a question dropped ("Wer ist
    zuständig für Hundesteuer?" -> ["hundesteuer"])."""
    found = re.findall(r"\w+", fold(query))
    return [w for w in found if w not in _QUESTION_WORDS and len(w) > 1][:8]


_QUESTION_WORDS = {
    "wer", "ist", "zustaendig", "zustandig", "fuer", "fur", "wo", "was", "die", "der", "das",
    "den", "dem", "ein", "eine", "in", "im", "am", "an", "und", "oder", "mit", "bei", "zu",
    "zum", "zur", "von", "ich", "finde", "gibt", "es", "welche", "welcher", "wann", "hat",
}  # fmt: skip


def _names(alliance: Alliance) -> dict[str, str]:
    return {m.ags: m.name for m in alliance.municipalities}


def _place_search_text(alliance: Alliance, row: dict) -> str:
    parts = [
        row["name"],
        CATEGORIES.get(row["category"], ""),
        row["address_text"],
        _names(alliance).get(row["municipality_ags"], ""),
        row["note"],
    ]
    return fold(" ".join(parts))


def _contact_search_text(alliance: Alliance, row: dict) -> str:
    parts = [
        row["department"],
        row["role"],
        row["person_name"] if row["basis"] != "internal" else "",
        row["keywords"],
        row["room"],
        _names(alliance).get(row["municipality_ags"], ""),
    ]
    return fold(" ".join(parts))


# --- who may edit -------------------------------------------------------------------------


def may_edit(user, ags: str | None) -> bool:
    """Staff of the municipality, the alliance office everywhere."""
    return auth.can(user.role, "places.edit") and auth.acts_in(user, ags)


def _require_edit(user, ags: str | None) -> None:
    if not auth.can(user.role, "places.edit"):
        raise PermissionDenied(
            "Orte und Ansprechpartner pflegen die Verwaltungen der Gemeinden und die "
            "Geschäftsstelle der Allianz."
        )
    auth.require_municipality(
        user, ags, "Orte und Ansprechpartner anderer Gemeinden pflegt deren Verwaltung."
    )


# --- checks of single fields --------------------------------------------------------------


def _text(value: object, label: str, limit: int, errors: list[str], required=False) -> str:
    """One-line fields: line breaks become spaces (a name is one line in lists and vCards)."""
    text = clean(re.sub(r"[\r\n]+", " ", "" if value is None else str(value)))
    if required and not text:
        errors.append(f"{label}: bitte angeben.")
    elif len(text) > limit:
        errors.append(f"{label}: höchstens {limit} Zeichen.")
    return text


def _note(value: object, errors: list[str]) -> str:
    text = clean(None if value is None else str(value))
    if len(text) > NOTE_MAX:
        errors.append(f"Hinweis: höchstens {NOTE_MAX} Zeichen.")
    return text


_PHONE = re.compile(r"^\+?[0-9 ()/\-]{3,40}$")


def _phone(value: object, errors: list[str]) -> str:
    text = clean(None if value is None else str(value))
    if text and not _PHONE.match(text):
        errors.append("Telefon: nur Ziffern, Leerzeichen, +, -, / und Klammern, z. B. 034293 42-0.")
    return text[:PHONE_MAX]


def _web(value: object, errors: list[str]) -> str:
    text = clean(None if value is None else str(value))
    if not text:
        return ""
    parts = urllib.parse.urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or re.search(r"[\s<>\"'`\\]", text)
        or len(text) > WEB_MAX
    ):
        errors.append("Web: bitte eine Adresse mit http:// oder https:// angeben.")
        return ""
    return text


def _email(value: object, errors: list[str]) -> str:
    text = clean(None if value is None else str(value))
    if text and (not EMAIL.match(text) or len(text) > EMAIL_MAX or re.search(r"[<>\"`]", text)):
        errors.append("E-Mail: bitte eine gültige Adresse angeben.")
    return text


def _hours(value: object, label: str, errors: list[str]) -> str:
    text = clean(None if value is None else str(value))
    if len(text) > HOURS_MAX:
        errors.append(f"{label}: höchstens {HOURS_MAX} Zeichen.")
        return ""
    try:
        return hours.normalise(text)
    except hours.OpeningHoursError as exc:
        errors.append(f"{label}: {exc.errors[0]}")
        return ""


def _point(areas, lat, lon, given_ags: str | None, errors: list[str], alliance: Alliance):
    """The municipality the point lies in; German errors for missing, invalid or outside."""
    if lat is None or lon is None or str(lat).strip() == "" or str(lon).strip() == "":
        errors.append("Lage: bitte Breite und Länge angeben (oder eine Adresse wählen).")
        return None
    try:
        lat_f = float(str(lat).replace(",", "."))
        lon_f = float(str(lon).replace(",", "."))
    except ValueError:
        errors.append("Lage: Breite und Länge müssen Zahlen sein, z. B. 51,2871 und 12,5887.")
        return None
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180) or lat_f != lat_f or lon_f != lon_f:
        errors.append("Lage: die Koordinaten liegen außerhalb des gültigen Bereichs.")
        return None
    found = municipalities.locate(areas, lat_f, lon_f).municipality
    if found is None:
        errors.append(f"Lage: der Punkt liegt außerhalb des Gebiets der {alliance.name}.")
        return None
    if given_ags and given_ags != found.ags:
        names = _names(alliance)
        errors.append(
            f"Lage: der Punkt liegt in {found.name}, nicht in {names.get(given_ags, given_ags)}."
        )
        return None
    return round(lat_f, 6), round(lon_f, 6), found.ags


def _place_row(alliance: Alliance, areas, draft: PlaceDraft) -> tuple[dict, list[str]]:
    errors: list[str] = []
    category = (draft.category or "").strip()
    if category not in CATEGORIES:
        by_label = {fold(label): key for key, label in CATEGORIES.items()}
        category = by_label.get(fold(category), "")
        if not category:
            errors.append("Kategorie: bitte eine der Kategorien der Karte wählen.")
    wheelchair = (draft.wheelchair or "").strip().lower()
    wheelchair = {"ja": "yes", "eingeschränkt": "limited", "teilweise": "limited",
                  "nein": "no"}.get(wheelchair, wheelchair)  # fmt: skip
    if wheelchair not in WHEELCHAIR:
        errors.append("Rollstuhl: ja, eingeschränkt oder nein (yes, limited, no).")
        wheelchair = ""
    row = {
        "category": category,
        "name": _text(draft.name, "Name", NAME_MAX, errors, required=True),
        "address_text": _text(draft.address_text, "Adresse", ADDRESS_MAX, errors),
        "opening_hours": _hours(draft.opening_hours, "Öffnungszeiten", errors),
        "phone": _phone(draft.phone, errors),
        "web": _web(draft.web, errors),
        "wheelchair": wheelchair,
        "note": _note(draft.note, errors),
        "source": draft.source,
        "source_id": _text(draft.source_id, "Quell-ID", SOURCE_ID_MAX, errors),
    }
    located = _point(areas, draft.lat, draft.lon, draft.municipality_ags, errors, alliance)
    if located:
        row["lat"], row["lon"], row["municipality_ags"] = located
    return row, errors


# --- places -------------------------------------------------------------------------------


def save_place(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user,
    draft: PlaceDraft,
    place_id: int | None = None,
    token: str | None = None,
    areas=None,
) -> Place:
    """Create (place_id None) or change a place; the point decides its municipality."""
    if not auth.can(user.role, "places.edit"):
        _require_edit(user, None)
    row, errors = _place_row(alliance, areas or municipalities.areas(db), draft)
    if errors:
        raise PlaceError(errors)
    _require_edit(user, row["municipality_ags"])
    current = None
    if place_id is not None:
        current = get_place(db, place_id)
        _require_edit(user, current.municipality_ags)
    row["search_text"] = _place_search_text(alliance, row)
    stamp = audit.now_iso()
    with write_transaction(db):
        if current is None:
            submissions.claim(db, token, "place.create")
            if row["source_id"] and store.by_source(db, row["municipality_ags"], row["source_id"]):
                raise PlaceError("Quell-ID: diese ID hat schon ein anderer Ort der Gemeinde.")
            place_id = store.insert_place(
                db, {**row, "created_by": user.username, "created_at": stamp, "updated_at": stamp}
            )
            submissions.settle(db, token, str(place_id))
            action = "place.create"
        else:
            store.update_place(db, place_id, {**row, "updated_at": stamp})
            action = "place.update"
        audit.record(
            db, user.actor, action, "place", str(place_id),
            municipality_ags=row["municipality_ags"], details={"name": row["name"]},
        )  # fmt: skip
    assets.retract(public_layer(db))
    return store.place(db, place_id)


def delete_place(db: sqlite_utils.Database, user, place_id: int) -> None:
    current = get_place(db, place_id)
    _require_edit(user, current.municipality_ags)
    with write_transaction(db):
        store.delete_place(db, place_id)
        audit.record(
            db, user.actor, "place.delete", "place", str(place_id),
            municipality_ags=current.municipality_ags, details={"name": current.name},
        )  # fmt: skip
    assets.retract(public_layer(db))


def set_photo(db: sqlite_utils.Database, user, place_id: int, data: bytes | None) -> None:
    """Store a cleaned copy of the photo (EXIF removed), or remove it (`data` None)."""
    current = get_place(db, place_id)
    _require_edit(user, current.municipality_ags)
    image = images.sanitize_photo(data)[0] if data is not None else None
    with write_transaction(db):
        store.update_place(db, place_id, {"photo": image, "updated_at": audit.now_iso()})
        audit.record(
            db, user.actor, "place.photo", "place", str(place_id),
            municipality_ags=current.municipality_ags,
        )  # fmt: skip


def get_place(db: sqlite_utils.Database, place_id: int | str) -> Place:
    try:
        found = store.place(db, int(place_id))
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound(f"Einen Ort mit der Nummer {str(place_id)[:20]} gibt es nicht.")
    return found


def photo(db: sqlite_utils.Database, place_id: int) -> bytes | None:
    return store.photo(db, place_id)


def places(
    db: sqlite_utils.Database,
    categories: Iterable[str] | None = None,
    ags: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[Place]:
    """Places (all public) of the chosen layers and municipalities, by name."""
    return store.places(
        db,
        None if categories is None else list(categories),
        None if ags is None else list(ags),
        limit=limit,
    )


def map_rows(db, categories: Iterable[str], ags: Iterable[str] | None = None) -> list[tuple]:
    return store.map_rows(db, list(categories), None if ags is None else list(ags))


def version(db: sqlite_utils.Database) -> tuple:
    return store.version(db)


def counts(db: sqlite_utils.Database) -> dict[tuple[str, str], int]:
    return store.counts(db)


def public_layer(db: sqlite_utils.Database) -> str:
    """The published file layer of the map's cluster rows."""
    return assets.layer("places", db)


def search(
    db: sqlite_utils.Database, query: str, ags: Iterable[str] | None = None
) -> tuple[list[Place], list[Contact]]:
    """Places and public contacts matching every word of the query ("Wer ist zuständig für
    Hundesteuer?", "Bauhof Naunhof"); places whose name matches first."""
    found = words(query)
    if not found:
        return [], []
    chosen = None if ags is None else list(ags)
    hits = store.places(db, None, chosen, words=found, limit=SEARCH_LIMIT * 4)
    hits.sort(key=lambda p: (not all(w in fold(p.name) for w in found), p.name))
    people = store.contacts(db, chosen, public_only=True, words=found)
    return hits[:SEARCH_LIMIT], people[:SEARCH_LIMIT]


# --- contacts -----------------------------------------------------------------------------


def _contact_row(alliance: Alliance, draft: ContactDraft) -> tuple[dict, list[str]]:
    errors: list[str] = []
    if draft.municipality_ags not in _names(alliance):
        errors.append("Gemeinde: bitte eine Mitgliedsgemeinde wählen.")
    if draft.basis not in BASIS:
        errors.append("Veröffentlichung: bitte Funktionsadresse, Einwilligung oder intern wählen.")
    row = {
        "municipality_ags": draft.municipality_ags,
        "place_id": draft.place_id,
        "department": _text(draft.department, "Amt/Abteilung", DEPARTMENT_MAX, errors, True),
        "role": _text(draft.role, "Funktion", ROLE_MAX, errors),
        "person_name": _text(draft.person_name, "Name", NAME_MAX, errors),
        "phone": _phone(draft.phone, errors),
        "email": _email(draft.email, errors),
        "room": _text(draft.room, "Zimmer", ROOM_MAX, errors),
        "office_hours": _hours(draft.office_hours, "Sprechzeiten", errors),
        "keywords": ", ".join(
            k.strip()
            for k in _text(draft.keywords, "Zuständig für", KEYWORDS_MAX, errors).split(",")
            if k.strip()
        ),
        "basis": draft.basis,
    }
    if draft.basis == "function" and row["person_name"]:
        errors.append(
            "Eine Funktionsadresse nennt keine Person. Für eine Person bitte „Person mit "
            "Einwilligung“ oder „nur intern“ wählen."
        )
    if draft.basis == "consent" and not row["person_name"]:
        errors.append("Name: bei „Person mit Einwilligung“ bitte den Namen angeben.")
    return row, errors


def save_contact(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user,
    draft: ContactDraft,
    contact_id: int | None = None,
    token: str | None = None,
) -> Contact:
    """Create or change a contact. Choosing "Person mit Einwilligung" records the consent's
    date (the form asks for the confirmation that it was given)."""
    _require_edit(user, draft.municipality_ags if draft.municipality_ags else None)
    row, errors = _contact_row(alliance, draft)
    if errors:
        raise PlaceError(errors)
    current = get_contact(db, contact_id) if contact_id is not None else None
    if current is not None:
        _require_edit(user, current.municipality_ags)
    if row["place_id"] is not None:
        place = get_place(db, row["place_id"])
        if place.municipality_ags != row["municipality_ags"]:
            raise PlaceError("Der Ort gehört zu einer anderen Gemeinde.")
    stamp = audit.now_iso()
    if row["basis"] == "consent":
        keep = current is not None and current.basis == "consent" and current.consent_at
        row["consent_at"] = current.consent_at if keep else stamp
    else:
        row["consent_at"] = None
    row["search_text"] = _contact_search_text(alliance, row)
    with write_transaction(db):
        if current is None:
            submissions.claim(db, token, "place_contact.create")
            contact_id = store.insert_contact(
                db, {**row, "created_by": user.username, "created_at": stamp, "updated_at": stamp}
            )
            submissions.settle(db, token, str(contact_id))
            action = "place_contact.create"
        else:
            store.update_contact(db, contact_id, {**row, "updated_at": stamp})
            action = "place_contact.update"
        audit.record(
            db, user.actor, action, "place_contact", str(contact_id),
            municipality_ags=row["municipality_ags"], details={"basis": row["basis"]},
        )  # fmt: skip
    return store.contact(db, contact_id)


def delete_contact(db: sqlite_utils.Database, user, contact_id: int) -> None:
    current = get_contact(db, contact_id)
    _require_edit(user, current.municipality_ags)
    with write_transaction(db):
        store.delete_contact(db, contact_id)
        audit.record(
            db, user.actor, "place_contact.delete", "place_contact", str(contact_id),
            municipality_ags=current.municipality_ags,
        )  # fmt: skip


def get_contact(db: sqlite_utils.Database, contact_id: int | str) -> Contact:
    try:
        found = store.contact(db, int(contact_id))
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound("Diesen Ansprechpartner gibt es nicht (mehr).")
    return found


def public_contacts(
    db: sqlite_utils.Database, ags: Iterable[str] | None = None, place_id: int | None = None
) -> list[Contact]:
    """Function addresses and people with consent."""
    return store.contacts(db, None if ags is None else list(ags), True, place_id=place_id)


def office_contacts(db: sqlite_utils.Database, user) -> list[Contact]:
    """Every contact the user may edit (internal ones included)."""
    _require_edit(
        user, None if auth.Role(user.role) is auth.Role.MANAGER else user.municipality_ags
    )
    chosen = None if auth.Role(user.role) is auth.Role.MANAGER else [user.municipality_ags]
    return store.contacts(db, chosen, public_only=False)


def contact_vcard(db: sqlite_utils.Database, alliance: Alliance, contact_id: int) -> bytes:
    """The vCard of a public contact (NotFound for an internal one)."""
    found = get_contact(db, contact_id)
    if not found.public:
        raise NotFound("Diesen Ansprechpartner gibt es nicht (mehr).")
    place = store.place(db, found.place_id) if found.place_id else None
    return vcard.card(
        found,
        _names(alliance).get(found.municipality_ags, ""),
        address=place.address_text if place else "",
        web=place.web if place else "",
    )


# --- import and export --------------------------------------------------------------------

# Column names a file may use (folded) -> the draft's field.
_COLUMNS = {
    "id": "source_id", "source_id": "source_id", "quell_id": "source_id",
    "quelle_id": "source_id", "osm_id": "source_id",
    "name": "name", "titel": "name", "bezeichnung": "name",
    "kategorie": "category", "category": "category", "art": "category",
    "adresse": "address_text", "anschrift": "address_text", "address": "address_text",
    "lat": "lat", "breite": "lat", "latitude": "lat", "y": "lat",
    "lon": "lon", "lng": "lon", "laenge": "lon", "longitude": "lon", "x": "lon",
    "opening_hours": "opening_hours", "oeffnungszeiten": "opening_hours",
    "telefon": "phone", "phone": "phone", "tel": "phone",
    "web": "web", "website": "web", "url": "web", "internet": "web",
    "wheelchair": "wheelchair", "rollstuhl": "wheelchair", "barrierefrei": "wheelchair",
    "hinweis": "note", "note": "note", "beschreibung": "note",
    "gemeinde": "municipality_ags", "ags": "municipality_ags",
}  # fmt: skip


def _draft_of(record: dict, source: str) -> PlaceDraft:
    values: dict = {}
    for key, value in record.items():
        field = _COLUMNS.get(fold(str(key)).strip().replace(" ", "_").replace("-", "_"))
        if field and field not in values and value is not None and str(value) != "nan":
            values[field] = value
    ags = str(values.pop("municipality_ags", "") or "").strip() or None
    return PlaceDraft(
        municipality_ags=ags if ags and ags.isdigit() else None,
        category=str(values.get("category", "")),
        name=str(values.get("name", "")),
        lat=values.get("lat"),
        lon=values.get("lon"),
        address_text=str(values.get("address_text", "")),
        opening_hours=str(values.get("opening_hours", "")),
        phone=str(values.get("phone", "")),
        web=str(values.get("web", "")),
        wheelchair=str(values.get("wheelchair", "")),
        note=str(values.get("note", "")),
        source=source,
        source_id=str(values.get("source_id", "")).removesuffix(".0"),
    )


def read_file(path: Path, mapping: dict[str, str] | None = None) -> tuple[list[dict], str]:
    """The records of a GeoJSON, GeoPackage, CSV or OSM extract (.osm.pbf), and the source's
    name. Coordinates of geo files are taken from their point geometry (WGS84)."""
    path = Path(path)
    name = path.name.lower()
    if name.endswith((".osm.pbf", ".pbf", ".osm")):
        from allianz.places import osm  # noqa: PLC0415 - osmium only for OSM extracts

        return osm.records(path, mapping), "osm"
    if name.endswith(".csv"):
        return _csv_records(path), "csv"
    if not name.endswith((".geojson", ".json", ".gpkg")):
        raise PlaceError(
            "Dateiformat nicht unterstützt. Erlaubt: GeoJSON, GeoPackage (.gpkg), CSV mit "
            "Koordinaten (lat/lon), OpenStreetMap-Auszug (.osm.pbf)."
        )
    from allianz import geo  # noqa: PLC0415 - GDAL only for geo files

    vector = geo.read_vector_file(path)
    frame = vector.frame.to_crs(geo.STORAGE_CRS)
    records = []
    for record, geometry in zip(
        frame.drop(columns=frame.geometry.name).to_dict("records"), frame.geometry, strict=True
    ):
        if geometry is not None and not geometry.is_empty:
            point = geometry if geometry.geom_type == "Point" else geometry.representative_point()
            record = {**record, "lat": point.y, "lon": point.x}
        records.append(record)
    return records, "gpkg" if name.endswith(".gpkg") else "geojson"


def _csv_records(path: Path) -> list[dict]:
    raw = path.read_bytes()
    if len(raw) > 20 * 1024 * 1024:
        raise PlaceError("Die CSV-Datei ist größer als 20 MB.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if text.count(";") > text.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise PlaceError("Die CSV-Datei hat keine Kopfzeile.")
    records = []
    for record in reader:
        records.append({k: v for k, v in record.items() if k is not None})
        if len(records) > MAX_IMPORT_ROWS:
            raise PlaceError(f"Die Datei hat mehr als {MAX_IMPORT_ROWS} Zeilen.")
    return records


def import_records(
    db: sqlite_utils.Database, alliance: Alliance, user, records: list[dict], source: str
) -> ImportReport:
    """Save every valid record; a record with a source id known in its municipality updates
    that place. Refused lines (invalid, outside the alliance or the user's municipality) are
    reported as "Zeile N: …" and nothing of them is saved."""
    if not auth.can(user.role, "places.import"):
        raise PermissionDenied(
            "Orte einlesen dürfen die Verwaltungen der Gemeinden und die Geschäftsstelle."
        )
    areas = municipalities.areas(db)
    first_line = 2 if source == "csv" else 1  # a CSV's first line is its header
    errors: list[str] = []
    prepared: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for number, record in enumerate(records, start=first_line):
        label = "Zeile" if source == "csv" else "Objekt"
        row, problems = _place_row(alliance, areas, _located(db, _draft_of(record, source)))
        if not problems and not auth.acts_in(user, row["municipality_ags"]):
            problems = ["der Ort liegt nicht in Ihrer Gemeinde."]
        key = (row.get("municipality_ags"), row["source_id"])
        if not problems and row["source_id"] and key in seen:
            problems = [f"Quell-ID „{row['source_id']}“ kommt in der Datei doppelt vor."]
        if problems:
            errors.append(f"{label} {number}: " + " ".join(problems))
            continue
        seen.add(key)
        row["search_text"] = _place_search_text(alliance, row)
        prepared.append(row)
    created = updated = 0
    stamp = audit.now_iso()
    with write_transaction(db):
        for row in prepared:
            known = _known(db, row["municipality_ags"], row["source_id"])
            if known:
                store.update_place(db, known, {**row, "updated_at": stamp})
                updated += 1
            else:
                store.insert_place(
                    db,
                    {**row, "created_by": user.username, "created_at": stamp, "updated_at": stamp},
                )
                created += 1
        audit.record(
            db, user.actor, "place.import", "place", None,
            municipality_ags=user.municipality_ags,
            details={"source": source, "created": created, "updated": updated,
                     "refused": len(errors)},
        )  # fmt: skip
    assets.retract(public_layer(db))
    return ImportReport(created, updated, tuple(errors))


def _located(db: sqlite_utils.Database, draft: PlaceDraft) -> PlaceDraft:
    """A line without coordinates but with an address takes the point of the address index's
    best match (and its postal form); without a match the line is refused for its point."""
    blank = draft.lat is None or draft.lon is None or not str(draft.lat).strip()
    if not blank or not draft.address_text.strip():
        return draft
    from allianz.addresses import service as addresses  # noqa: PLC0415

    hits = addresses.search(db, draft.address_text, limit=1)
    if not hits:
        return draft
    return dataclasses.replace(draft, lat=hits[0].lat, lon=hits[0].lon, address_text=hits[0].label)


_OWN_EXPORT = re.compile(r"allianz-(\d+)")


def _known(db: sqlite_utils.Database, ags: str, source_id: str) -> int | None:
    """The place a source id stands for: one imported with it, or (for a file this app
    exported, "allianz-12") the place itself, when it is still in that municipality."""
    if not source_id:
        return None
    found = store.by_source(db, ags, source_id)
    own = _OWN_EXPORT.fullmatch(source_id)
    if found is None and own:
        place = store.place(db, int(own.group(1)))
        found = place.id if place is not None and place.municipality_ags == ags else None
    return found


def import_file(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user,
    path: Path,
    mapping: dict[str, str] | None = None,
) -> ImportReport:
    if not auth.can(user.role, "places.import"):
        raise PermissionDenied(
            "Orte einlesen dürfen die Verwaltungen der Gemeinden und die Geschäftsstelle."
        )
    records, source = read_file(path, mapping if mapping is not None else osm_mapping(alliance))
    return import_records(db, alliance, user, records, source)


def osm_mapping(alliance: Alliance) -> dict[str, str] | None:
    """The alliance file's OSM tag mapping (`[places.osm_mapping]`, "amenity=townhall" =
    "rathaus"), replacing the default of allianz/places/osm.py; None when not configured."""
    from allianz import config  # noqa: PLC0415
    from allianz.places import osm  # noqa: PLC0415

    table = config.section(alliance, "places").get("osm_mapping")
    return osm.check_mapping(table) if table is not None else None


EXPORT_COLUMNS = (
    "nr", "name", "kategorie", "gemeinde", "adresse", "oeffnungszeiten", "telefon", "web",
    "rollstuhl", "hinweis", "quelle_id",
)  # fmt: skip


def export_frame(db: sqlite_utils.Database, alliance: Alliance, ags: Iterable[str] | None = None):
    """The public data of the places as a GeoDataFrame in WGS84 (no photos, no editors)."""
    import geopandas as gpd  # noqa: PLC0415 - only exports need it
    from shapely.geometry import Point  # noqa: PLC0415

    names = _names(alliance)
    rows = places(db, ags=ags)
    return gpd.GeoDataFrame(
        {
            "nr": [p.id for p in rows],
            "name": [p.name for p in rows],
            "kategorie": [p.category_label for p in rows],
            "gemeinde": [names.get(p.municipality_ags, "") for p in rows],
            "adresse": [p.address_text for p in rows],
            "oeffnungszeiten": [p.opening_hours for p in rows],
            "telefon": [p.phone for p in rows],
            "web": [p.web for p in rows],
            "rollstuhl": [p.wheelchair for p in rows],
            "hinweis": [p.note for p in rows],
            "quelle_id": [p.source_id or f"allianz-{p.id}" for p in rows],
        },
        geometry=[Point(p.lon, p.lat) for p in rows],
        crs="EPSG:4326",
    )


def export(
    db: sqlite_utils.Database, alliance: Alliance, kind: str, ags: Iterable[str] | None = None
) -> bytes:
    """GeoJSON or GeoPackage of the public place data."""
    frame = export_frame(db, alliance, ags)
    if kind == "geojson":
        return frame.to_json(ensure_ascii=False, drop_id=True).encode("utf-8")
    if kind == "gpkg":
        import tempfile  # noqa: PLC0415

        with tempfile.TemporaryDirectory(prefix="allianz-orte-") as tmp:
            target = Path(tmp) / "orte.gpkg"
            frame.to_file(target, driver="GPKG", layer="orte")
            return target.read_bytes()
    raise PlaceError("Exportformat: geojson oder gpkg.")


def now() -> datetime:
    return datetime.now(UTC)


def stock_figures(db: sqlite_utils.Database) -> dict[str, dict[str, int]]:
    return store.stock(db)
