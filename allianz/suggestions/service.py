"""Suggestion rules, shared by the web pages, the Open311 API and the CLI.

Validation and limits live here once, so a rule holds for every way in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import sqlite_utils
from shapely.geometry import Point

from allianz import assets, audit, geo, images, limits, mail, submissions, visitors
from allianz.accounts.model import User
from allianz.auth import Role, acts_in, can
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.formatting import de_csv, de_datetime
from allianz.municipalities.service import MunicipalityArea, locate
from allianz.suggestions import store
from allianz.suggestions.model import (
    ADDRESS_MAX,
    ANSWER_MAX,
    DESCRIPTION_MAX,
    DUPLICATE_RADIUS_M,
    MEDIA_URL_MAX,
    NAME_MAX,
    PHONE_MAX,
    STATUS_LABELS,
    TITLE_MAX,
    TITLE_MIN,
    TRANSITIONS,
    Reporter,
    Status,
    Suggestion,
)
from allianz.text import EMAIL, clean
from db.connection import write_transaction

# Reads without rules of their own go straight to the store; pages use these names.
Filters = store.Filters
get = store.get
by_ref = store.by_ref
search = store.search
count = store.count
photo = store.photo

MIN_FILL_SECONDS = 3
# Per visitor (`allianz.visitors`): the web form's suggestions, and supports of one suggestion
# (once a day; the limits' keys change at midnight UTC). Open311 clients have their own limit.
SUBMIT_LIMIT = limits.Limit(
    "suggestion.submit",
    5,
    15 * 60,
    "Sie haben in kurzer Zeit viele Hinweise gesendet. Bitte versuchen Sie es {wann} erneut.",
)
SUPPORT_LIMIT = limits.Limit(
    "suggestion.support",
    1,
    24 * 3600,
    "Sie haben diesen Hinweis schon unterstützt. Erneut unterstützen können Sie ihn {wann}.",
)
PHONE = re.compile(r"\+?[0-9][0-9 ()/.\-]*")


class SubmissionError(ValidationError):
    """Refused submission; `errors` are German sentences, one per problem."""


class NeedsMunicipalityChoice(SubmissionError):
    """The pin is within 50 m of a boundary: the citizen confirms the municipality."""

    def __init__(self, options: list[MunicipalityArea]):
        names = ", ".join(o.name for o in options)
        super().__init__([f"Der Ort liegt nahe einer Gemeindegrenze. Bitte wählen: {names}"])
        self.options = options


class WorkflowError(ValidationError):
    """Refused staff action; German message."""


@dataclass
class Submission:
    category: str
    title: str
    description: str
    lat: float | str | None
    lon: float | str | None
    address_text: str = ""
    location_precise: bool = True
    chosen_ags: str | None = None
    email: str = ""
    email_consent: bool = False
    # sent by Open311 clients (GeoReport v2 standard fields); the web form has none of them
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    media_url: str = ""
    photo: bytes | None = None
    honeypot: str = ""
    started_at: datetime | None = None
    visitor: visitors.Visitor | None = None  # the web form's sender, counted by SUBMIT_LIMIT
    token: str | None = None  # the form's submission token: one suggestion per form
    request_hash: str | None = None  # of the request behind `token` (an API idempotency key)
    source: str = "web"


def _now() -> datetime:
    return datetime.now(UTC)


def _coordinate(value, low: float, high: float, name: str, errors: list[str]) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        errors.append(f"{name} fehlt oder ist keine Zahl.")
        return None
    if not low <= number <= high:  # also false for NaN
        errors.append(f"{name} liegt außerhalb des gültigen Bereichs.")
        return None
    return number


@dataclass(frozen=True)
class Checked:
    """A submission that passed every check, with its values cleaned and parsed once."""

    municipality: MunicipalityArea
    title: str
    description: str
    lat: float
    lon: float
    address_text: str
    reporter: Reporter
    photo: tuple[bytes, int, int] | None


def validate(
    alliance: Alliance,
    areas: list[MunicipalityArea],
    sub: Submission,
    now: datetime | None = None,
) -> Checked:
    """All checks of a new suggestion."""
    now = now or _now()
    if sub.honeypot:
        raise SubmissionError(["Die Eingabe wurde als automatisiert erkannt."])
    if sub.started_at is not None and (now - sub.started_at).total_seconds() < MIN_FILL_SECONDS:
        raise SubmissionError(["Bitte nehmen Sie sich einen Moment Zeit für das Formular."])
    errors: list[str] = []
    if sub.category not in {c.code for c in alliance.categories}:
        errors.append("Bitte eine gültige Kategorie wählen.")
    title, description = clean(sub.title), clean(sub.description)
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        errors.append(f"Der Titel braucht {TITLE_MIN} bis {TITLE_MAX} Zeichen.")
    if not description:
        errors.append("Bitte beschreiben Sie den Hinweis.")
    elif len(description) > DESCRIPTION_MAX:
        errors.append(f"Die Beschreibung darf höchstens {DESCRIPTION_MAX} Zeichen haben.")
    address_text = clean(sub.address_text)
    if len(address_text) > ADDRESS_MAX:
        errors.append(f"Die Ortsangabe darf höchstens {ADDRESS_MAX} Zeichen haben.")
    email = clean(sub.email)
    if email and not EMAIL.match(email):
        errors.append("Die E-Mail-Adresse ist ungültig.")
    if email and not sub.email_consent:
        errors.append(
            "Für Nachrichten per E-Mail bitte die Einwilligung ankreuzen oder das Feld leeren."
        )
    reporter = _reporter(sub, email, errors)
    lat = _coordinate(sub.lat, -90, 90, "Die Breite", errors)
    lon = _coordinate(sub.lon, -180, 180, "Die Länge", errors)
    photo = None
    if sub.photo:
        try:
            photo = images.sanitize_photo(sub.photo)
        except images.PhotoError as exc:
            errors.append(str(exc))
    if errors:
        raise SubmissionError(errors)
    location = locate(areas, lat, lon)
    if location.municipality is None:
        raise SubmissionError(
            [
                f"Der Ort liegt außerhalb des Gebiets der {alliance.name}. Bitte prüfen Sie die "
                "Lage auf der Karte."
            ]
        )
    options = [location.municipality, *location.near]
    chosen = (
        options[0]
        if len(options) == 1
        else next((o for o in options if o.ags == sub.chosen_ags), None)
    )
    if chosen is None:
        raise NeedsMunicipalityChoice(options)
    return Checked(
        chosen, title, description, round(lat, 6), round(lon, 6), address_text, reporter, photo
    )


def _reporter(sub: Submission, email: str, errors: list[str]) -> Reporter:
    """The reporter's own details, checked; nothing of them is ever published."""
    first_name, last_name = clean(sub.first_name), clean(sub.last_name)
    for label, value in (("Der Vorname", first_name), ("Der Nachname", last_name)):
        if len(value) > NAME_MAX:
            errors.append(f"{label} darf höchstens {NAME_MAX} Zeichen haben.")
    phone = clean(sub.phone)
    if phone and (len(phone) > PHONE_MAX or not PHONE.fullmatch(phone)):
        errors.append(
            f"Die Telefonnummer ist ungültig (Ziffern, Leerzeichen, + ( ) / - . und "
            f"höchstens {PHONE_MAX} Zeichen)."
        )
    media_url = clean(sub.media_url)
    if media_url:
        parts = urlsplit(media_url)
        if (
            len(media_url) > MEDIA_URL_MAX
            or parts.scheme not in ("http", "https")
            or not parts.netloc
            or any(c.isspace() for c in media_url)
        ):
            errors.append(
                f"media_url muss eine Adresse mit http:// oder https:// sein (höchstens "
                f"{MEDIA_URL_MAX} Zeichen)."
            )
    return Reporter(email, first_name, last_name, phone, media_url)


def submit(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    sub: Submission,
    now: datetime | None = None,
) -> Suggestion:
    checked = validate(alliance, areas, sub, now)
    stamp = audit.now_iso()
    with write_transaction(db):
        submissions.claim(db, sub.token, "suggestion.submit", sub.request_hash)
        if sub.visitor is not None:
            limits.admit(db, SUBMIT_LIMIT, sub.visitor.identities())
        new_id = store.insert(
            db,
            {
                "category": sub.category,
                "title": checked.title,
                "description": checked.description,
                "lat": checked.lat,
                "lon": checked.lon,
                "location_precise": int(sub.location_precise),
                "address_text": checked.address_text or None,
                "municipality_ags": checked.municipality.ags,
                "status": Status.NEW.value,
                "source": sub.source,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        if checked.photo is not None:
            store.save_photo(db, new_id, *checked.photo)
        if checked.reporter:
            store.save_reporter(db, new_id, checked.reporter, stamp)
        audit.record(
            db,
            audit.Actor("buerger", Role.CITIZEN.value),
            "suggestion.create",
            "suggestion",
            str(new_id),
            municipality_ags=checked.municipality.ags,
            details={"source": sub.source},
        )
        created = store.get(db, new_id)
        submissions.settle(db, sub.token, created.ref)
    return created


def nearby_duplicates(
    db: sqlite_utils.Database, category: str, lat: float, lon: float, precise: bool = True
) -> list[Suggestion]:
    """Open suggestions of the same category within 50 m, nearest first.

    Only between exact locations: a report placed approximately (at an Ortsteil's point)
    says nothing about where the problem is, so it is never offered as a duplicate, and an
    approximate new report gets no offers."""
    if not precise:
        return []
    here = Point(lon, lat)
    found = []
    for candidate in store.in_box(db, category, lat, lon, DUPLICATE_RADIUS_M * 1.5):
        if candidate.closed or not candidate.location_precise:
            continue
        distance = geo.distance_m(here, Point(candidate.lon, candidate.lat))
        if distance <= DUPLICATE_RADIUS_M:
            found.append((distance, candidate))
    return [c for _, c in sorted(found, key=lambda pair: pair[0])]


def support(
    db: sqlite_utils.Database, suggestion_id: int, visitor: visitors.Visitor | None = None
) -> Suggestion:
    """+1 for a suggestion; a page names the `visitor`, who supports it once a day."""
    with write_transaction(db):
        target = store.get(db, suggestion_id)
        if target is None or target.hidden or target.merged_into:
            raise NotFound("Diesen Hinweis gibt es nicht (mehr).")
        if visitor is not None:
            whos = [f"{suggestion_id}:{key}" for key in visitor.identities()]
            limits.admit(db, SUPPORT_LIMIT, whos)
        store.add_supports(db, suggestion_id, 1)
        audit.record(
            db,
            audit.Actor("buerger", Role.CITIZEN.value),
            "suggestion.support",
            "suggestion",
            str(suggestion_id),
            municipality_ags=target.municipality_ags,
        )
    return store.get(db, suggestion_id)


# --- staff side -------------------------------------------------------------------------


def may_handle(user: User, suggestion: Suggestion) -> bool:
    """Staff handle their own municipality's suggestions; the alliance manager handles all."""
    return can(user.role, "suggestions.review") and acts_in(user, suggestion.municipality_ags or ())


def review_filters(user: User, filters: store.Filters) -> store.Filters | None:
    """The filters narrowed to what this user may review; None when nothing."""
    if not can(user.role, "suggestions.review"):
        return None
    if user.role is not Role.MANAGER:
        filters = replace(filters, municipality_ags=(user.municipality_ags,))
    return filters


def review_queue(
    db: sqlite_utils.Database, user: User, filters: store.Filters, limit: int | None = None
) -> list:
    """Newest first; `limit` keeps the page fast when thousands are open."""
    scoped = review_filters(user, filters)
    return [] if scoped is None else store.search(db, scoped, limit=limit)


def _load_for(db, user: User, suggestion_id: int) -> Suggestion:
    suggestion = store.get(db, suggestion_id)
    if suggestion is None:
        raise NotFound("Diesen Hinweis gibt es nicht.")
    if not may_handle(user, suggestion):
        raise PermissionDenied("Dieser Hinweis gehört nicht zu Ihrer Gemeinde.")
    return suggestion


def reporter(db: sqlite_utils.Database, user: User, suggestion_id: int) -> Reporter | None:
    """The reporter's private details, for the staff who handle this suggestion only."""
    _load_for(db, user, suggestion_id)
    return store.reporter(db, suggestion_id)


def _notify(db, alliance: Alliance, suggestion: Suggestion, text: str) -> None:
    email = store.contact_email(db, suggestion.id)
    if email:
        mail.queue(
            db,
            email,
            f"[{alliance.name}] Ihr Hinweis {suggestion.ref}: {STATUS_LABELS[suggestion.status]}",
            f"Guten Tag,\n\nzu Ihrem Hinweis {suggestion.ref} „{suggestion.title}“ gibt es "
            f"Neuigkeiten.\n\nStand: {STATUS_LABELS[suggestion.status]}\n\n{text}\n\n"
            f"Sie erhalten diese Nachricht, weil Sie bei der Meldung eingewilligt haben.\n",
        )


def set_status(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    suggestion_id: int,
    status: Status | str,
    answer: str,
) -> Suggestion:
    status = Status(status)
    answer = clean(answer)
    if not answer:
        raise WorkflowError("Bitte eine öffentliche Antwort schreiben.")
    if len(answer) > ANSWER_MAX:
        raise WorkflowError(f"Die Antwort darf höchstens {ANSWER_MAX} Zeichen haben.")
    with write_transaction(db):
        current = _load_for(db, user, suggestion_id)
        if status != current.status and status not in TRANSITIONS[current.status]:
            raise WorkflowError(
                f"Von „{STATUS_LABELS[current.status]}“ geht es nicht zu „{STATUS_LABELS[status]}“."
            )
        stamp = audit.now_iso()
        store.update(
            db,
            suggestion_id,
            {
                "status": status.value,
                "public_answer": answer,
                "updated_at": stamp,
                "first_answer_at": current.first_answer_at or stamp,
            },
        )
        audit.record(
            db,
            user.actor,
            "suggestion.status",
            "suggestion",
            str(suggestion_id),
            municipality_ags=current.municipality_ags,
            details={"from": current.status.value, "to": status.value},
        )
        updated = store.get(db, suggestion_id)
        _notify(db, alliance, updated, answer)
    return updated


def reassign(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    suggestion_id: int,
    ags: str,
    reason: str,
) -> Suggestion:
    try:
        target = alliance.municipality(ags)
    except KeyError as exc:
        raise WorkflowError("Diese Gemeinde gehört nicht zur Allianz.") from exc
    reason = clean(reason)
    if not reason:
        raise WorkflowError("Bitte einen Grund für die Weitergabe angeben.")
    with write_transaction(db):
        current = _load_for(db, user, suggestion_id)
        if current.municipality_ags == ags:
            raise Conflict("Der Hinweis liegt schon bei dieser Gemeinde.")
        store.update(db, suggestion_id, {"municipality_ags": ags, "updated_at": audit.now_iso()})
        audit.record(
            db,
            user.actor,
            "suggestion.reassign",
            "suggestion",
            str(suggestion_id),
            municipality_ags=current.municipality_ags,
            reason=reason,
            details={"to": ags, "to_name": target.name},
        )
        audit.record(
            db,
            user.actor,
            "suggestion.received",
            "suggestion",
            str(suggestion_id),
            municipality_ags=ags,
            reason=reason,
            details={"from": current.municipality_ags},
        )
    return store.get(db, suggestion_id)


def public_layer(db: sqlite_utils.Database) -> str:
    """The published file layer of the public overview map's cluster rows."""
    return assets.layer("suggestions", db)


def merge(
    db: sqlite_utils.Database, alliance: Alliance, user: User, duplicate_id: int, target_id: int
) -> Suggestion:
    """Fold a duplicate into another suggestion; its supports (and its reporter) carry over."""
    if duplicate_id == target_id:
        raise WorkflowError("Ein Hinweis kann nicht mit sich selbst zusammengeführt werden.")
    with write_transaction(db):
        duplicate = _load_for(db, user, duplicate_id)
        target = _load_for(db, user, target_id)
        if duplicate.merged_into or target.merged_into:
            raise Conflict("Einer der Hinweise ist schon zusammengeführt.")
        store.add_supports(db, target_id, duplicate.supports + 1)
        store.update(db, duplicate_id, {"merged_into": target_id, "updated_at": audit.now_iso()})
        audit.record(
            db,
            user.actor,
            "suggestion.merge",
            "suggestion",
            str(duplicate_id),
            municipality_ags=duplicate.municipality_ags,
            details={"into": target.ref, "supports_carried": duplicate.supports + 1},
        )
        _notify(
            db,
            alliance,
            store.get(db, duplicate_id),
            f"Ihr Hinweis wurde mit dem gleichlautenden Hinweis {target.ref} "
            "zusammengeführt. Dort finden Sie den weiteren Stand.",
        )
    assets.retract(public_layer(db))  # older map files still show the duplicate
    return store.get(db, target_id)


def hide(
    db: sqlite_utils.Database, user: User, suggestion_id: int, reason: str, hidden: bool = True
) -> Suggestion:
    reason = clean(reason)
    if hidden and not reason:
        raise WorkflowError("Bitte einen Grund für das Ausblenden angeben.")
    with write_transaction(db):
        current = _load_for(db, user, suggestion_id)
        store.update(
            db,
            suggestion_id,
            {
                "hidden": int(hidden),
                "hidden_reason": reason if hidden else None,
                "updated_at": audit.now_iso(),
            },
        )
        audit.record(
            db,
            user.actor,
            "suggestion.hide" if hidden else "suggestion.unhide",
            "suggestion",
            str(suggestion_id),
            municipality_ags=current.municipality_ags,
            reason=reason or None,
        )
    assets.retract(public_layer(db))  # older map files still show a hidden suggestion
    return store.get(db, suggestion_id)


# --- exports ----------------------------------------------------------------------------

EXPORT_FIELDS = (
    "ref",
    "category",
    "title",
    "description",
    "status",
    "public_answer",
    "municipality_ags",
    "lat",
    "lon",
    "address_text",
    "supports",
    "created_at",
    "updated_at",
)


CSV_HEADINGS = (
    "Nummer",
    "Kategorie",
    "Titel",
    "Beschreibung",
    "Status",
    "Antwort",
    "Gemeinde",
    "Adresse",
    "Breite",
    "Länge",
    "Unterstützungen",
    "gemeldet am",
    "geändert am",
)


def export_csv(items: list[Suggestion], alliance: Alliance) -> str:
    """For people (Excel): `;`, German headings, labels instead of codes, decimal comma,
    dates and times as 04.12.2026 19:25 (Europe/Berlin), empty cells empty."""
    names = {m.ags: m.name for m in alliance.municipalities}
    categories = {c.code: c.label for c in alliance.categories}
    rows = [
        [
            s.ref,
            categories.get(s.category, s.category),
            s.title,
            s.description,
            STATUS_LABELS[s.status],
            s.public_answer,
            names.get(s.municipality_ags, s.municipality_ags),
            s.address_text,
            s.lat,
            s.lon,
            s.supports,
            de_datetime(s.created_at, empty=""),
            de_datetime(s.updated_at, empty=""),
        ]
        for s in items
    ]
    return de_csv(list(CSV_HEADINGS), rows)


def export_geojson(items: list[Suggestion], alliance: Alliance) -> str:
    """The machine format (QGIS, scripts): properties keep the field names and codes of
    EXPORT_FIELDS (status and category as codes, ISO 8601 UTC timestamps, numbers as JSON
    numbers) and add the German `municipality`, `category_label` and `status_label`."""
    names = {m.ags: m.name for m in alliance.municipalities}
    categories = {c.code: c.label for c in alliance.categories}
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
            "properties": {
                **{f: getattr(s, f) for f in EXPORT_FIELDS if f not in ("lat", "lon")},
                "status": s.status.value,
                "municipality": names.get(s.municipality_ags, ""),
                "category_label": categories.get(s.category, s.category),
                "status_label": STATUS_LABELS[s.status],
            },
        }
        for s in items
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


EXPORT_FORMATS = {"csv": export_csv, "geojson": export_geojson}


def export(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    filters: store.Filters,
    fmt: str,
) -> str:
    """The suggestions this user reviews, filtered, as CSV or GeoJSON (no e-mail addresses)."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationError("Export als .csv oder .geojson.")
    scoped = review_filters(user, filters)
    if scoped is None or not can(user.role, "suggestions.export"):
        raise PermissionDenied("Den Export der Hinweise nutzen Verwaltung und Allianzmanagement.")
    return EXPORT_FORMATS[fmt](store.search(db, scoped), alliance)


def visible_by_ref(db: sqlite_utils.Database, user: User, ref: str) -> Suggestion | None:
    """A suggestion by its number as this user may see it (hidden ones only for its desk)."""
    suggestion = store.by_ref(db, ref)
    if suggestion is None or (suggestion.hidden and not may_handle(user, suggestion)):
        return None
    return suggestion
