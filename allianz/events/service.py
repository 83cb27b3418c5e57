"""The rules of the events: what an event needs, the bounded recurrence, who may publish,
moderate and cancel; clubs submitting without an account (spam protection as for the
suggestions); the public list of coming dates with the public meetings; the schema.org Event.

Pages, the feed and the CLI all come here; nothing else writes the events' tables.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlite_utils

from allianz import audit, clock, config, geo, limits, mail, submissions, typed_dates, visitors
from allianz.accounts.model import User
from allianz.auth import Role, acts_in, can
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.events import recurrence, store
from allianz.events.model import (
    ACCESSIBILITY_MAX,
    DEFAULT_CATEGORIES,
    DESCRIPTION_MAX,
    LOCATION_MAX,
    MAX_DAYS,
    MEETING_CATEGORY,
    ORGANISER_MAX,
    PRICE_MAX,
    PUBLIC,
    REASON_MAX,
    TITLE_MAX,
    TITLE_MIN,
    VENUE_MAX,
    Event,
    Occurrence,
    Page,
    State,
)
from allianz.events.recurrence import Recurrence
from allianz.formatting import BERLIN
from allianz.municipalities.service import MunicipalityArea, locate
from allianz.text import EMAIL, clean
from db.connection import write_transaction

MIN_FILL_SECONDS = 3
PAGE_SIZE = 20
SUBMIT_LIMIT = limits.Limit(
    "event.submit",
    5,
    60 * 60,
    "Sie haben in kurzer Zeit viele Veranstaltungen gemeldet. Bitte versuchen Sie es {wann} "
    "erneut.",
)
CLUB = audit.Actor("verein", Role.CITIZEN.value)


class EventError(ValidationError):
    """A refused event or moderation step; German message(s)."""


# --- vocabulary ---------------------------------------------------------------------------


def categories(alliance: Alliance) -> dict[str, str]:
    """code -> German label: the alliance file's [events] categories, else the default list."""
    configured = config.section(alliance, "events").get("categories")
    if configured is None:
        return dict(DEFAULT_CATEGORIES)
    if (
        not isinstance(configured, dict)
        or not configured
        or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in configured.items())
    ):
        raise config.ConfigError(
            f"{alliance.source_path.name}: [events] categories muss eine Tabelle "
            'code = "Bezeichnung" sein.'
        )
    return dict(configured)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _now() -> datetime:
    return clock.now()


def _stamp() -> str:
    """`updated_at`, to the microsecond: with the row count it is the data version the public
    feed's cache is keyed by, so two writes within one second must differ."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def local(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(BERLIN)


_WEEKDAY = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")


def when(starts_at: str, ends_at: str, all_day: bool) -> str:
    """Sa., 12.12.2026, 14:00–18:00 Uhr · ganztägig · or over several days."""
    start, end = local(starts_at), local(ends_at)
    head = f"{_WEEKDAY[start.weekday()]}, {start:%d.%m.%Y}"
    if all_day:
        last = (end - timedelta(days=1)).date()
        if last <= start.date():
            return f"{head}, ganztägig"
        return f"{head} bis {_WEEKDAY[last.weekday()]}, {last:%d.%m.%Y}"
    if end.date() == start.date():
        return f"{head}, {start:%H:%M}–{end:%H:%M} Uhr"
    return f"{head}, {start:%H:%M} Uhr bis {end:%d.%m.%Y}, {end:%H:%M} Uhr"


def event_when(event: Event) -> str:
    return when(event.starts_at, event.ends_at, event.all_day)


# --- drafts and checks --------------------------------------------------------------------


@dataclass
class EventDraft:
    title: str
    category: str
    municipality_ags: str | None
    day: date | str
    start_time: time | str = ""
    end_time: time | str = ""
    end_day: date | str | None = None  # empty: the same day
    all_day: bool = False
    description: str = ""
    venue: str = ""
    location_line: str = ""
    point: str = ""  # "51.27, 12.58" (lat, lon) or empty
    organiser: str = ""
    free: bool = True
    price_text: str = ""
    accessibility: str = ""
    recurrence: Recurrence = field(default_factory=Recurrence)
    exceptions: str = ""  # "24.12.2026, 31.12.2026"
    rrule: str = ""  # a ready RRULE (command line); the form's `recurrence` takes precedence


@dataclass
class ClubSubmission:
    """An event sent by a club without an account."""

    draft: EventDraft
    email: str
    consent: bool
    honeypot: str = ""
    started_at: datetime | None = None
    visitor: visitors.Visitor | None = None
    token: str | None = None


@dataclass(frozen=True)
class Checked:
    values: dict
    spans: list[tuple[str, str]]


def _text(
    value: str, label: str, most: int, errors: list[str], least: int = 0, missing: str = ""
) -> str:
    """`label` is the field in the nominative ("Der Titel"); `missing` the request when empty."""
    text = clean(value)
    if least and not text and missing:
        errors.append(missing)
    elif least and len(text) < least:
        errors.append(f"{label} braucht mindestens {least} Zeichen.")
    elif len(text) > most:
        errors.append(f"{label} darf höchstens {most} Zeichen haben.")
    return text


def _place(
    draft: EventDraft,
    ags: str | None,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    errors: list[str],
) -> tuple[float | None, float | None]:
    point = clean(draft.point)
    if not point:
        return None, None
    try:
        lat, lon = geo.parse_coordinates(point)
    except ValueError as exc:
        errors.append(f"Kartenpunkt: {exc}")
        return None, None
    where = locate(areas, lat, lon)
    if where.municipality is None:
        errors.append(
            f"Der Kartenpunkt liegt außerhalb des Gebiets der {alliance.name}. Bitte die Lage "
            "prüfen."
        )
    elif ags and ags not in {where.municipality.ags, *(a.ags for a in where.near)}:
        chosen = alliance.municipality(ags)
        errors.append(
            f"Der Kartenpunkt liegt in {where.municipality.name}, nicht in "
            f"{chosen.name if chosen else ags}. Bitte Gemeinde oder Kartenpunkt prüfen."
        )
    return round(lat, 6), round(lon, 6)


def _times(draft: EventDraft, errors: list[str]) -> tuple[datetime, datetime] | None:
    """First start and end: aware Europe/Berlin times, or naive midnights for all-day."""
    day = typed_dates.day(draft.day, errors, "Datum")
    end_day = day
    if draft.end_day not in (None, ""):
        end_day = typed_dates.day(draft.end_day, errors, "Enddatum")
    if draft.all_day:
        if day is None or end_day is None:
            return None
        start = datetime.combine(day, time.min)
        end = datetime.combine(end_day + timedelta(days=1), time.min)
    else:
        begin = typed_dates.clock(draft.start_time, "Beginn", errors)
        finish = typed_dates.clock(draft.end_time, "Ende", errors)
        if day is None or end_day is None or begin is None or finish is None:
            return None
        start = datetime.combine(day, begin, BERLIN)
        end = datetime.combine(end_day, finish, BERLIN)
    if end <= start:
        errors.append("Das Ende muss nach dem Beginn liegen.")
        return None
    if end - start > timedelta(days=MAX_DAYS):
        errors.append(f"Ein Termin dauert höchstens {MAX_DAYS} Tage; sonst bitte eine Reihe.")
        return None
    return start, end


def validate(
    alliance: Alliance,
    areas: list[MunicipalityArea],
    draft: EventDraft,
    now: datetime | None = None,
    alliance_wide: bool = True,
) -> Checked:
    """Every check of an event: texts, category, municipality, place, times, recurrence."""
    now = now or _now()
    errors: list[str] = []
    title = _text(
        draft.title, "Der Titel", TITLE_MAX, errors, TITLE_MIN, "Bitte einen Titel angeben."
    )
    description = _text(draft.description, "Die Beschreibung", DESCRIPTION_MAX, errors)
    known = categories(alliance)
    if draft.category not in known:
        errors.append("Bitte eine Kategorie wählen.")
    ags = draft.municipality_ags or None
    members = {m.ags for m in alliance.municipalities}
    if ags is None and not alliance_wide:
        errors.append("Bitte die Gemeinde wählen, in der die Veranstaltung stattfindet.")
    elif ags is not None and ags not in members:
        errors.append("Bitte eine Gemeinde der Allianz wählen.")
        ags = None
    venue = _text(draft.venue, "Der Veranstaltungsort", VENUE_MAX, errors, 1,
                  "Bitte den Veranstaltungsort angeben.")  # fmt: skip
    location_line = _text(draft.location_line, "Die Anschrift", LOCATION_MAX, errors)
    organiser = _text(draft.organiser, "Der Veranstalter", ORGANISER_MAX, errors, 1,
                      "Bitte den Veranstalter angeben.")  # fmt: skip
    price_text = _text(draft.price_text, "Die Angabe zum Eintritt", PRICE_MAX, errors)
    if not draft.free and not price_text:
        errors.append("Bitte den Eintritt angeben (z. B. „5 €, ermäßigt 3 €“).")
    accessibility = _text(draft.accessibility, "Der Hinweis zur Barrierefreiheit",
                          ACCESSIBILITY_MAX, errors)  # fmt: skip
    lat, lon = _place(draft, ags, alliance, areas, errors)
    times = _times(draft, errors)
    exceptions = recurrence.parse_exceptions(draft.exceptions, errors)
    rule = ""
    if times is not None:
        start, end = times
        if draft.recurrence.frequency != "none":
            rule = recurrence.build_rule(draft.recurrence, start.date(), draft.all_day, errors)
        elif clean(draft.rrule):
            rule = clean(draft.rrule).upper().removeprefix("RRULE:")
    if errors or times is None:
        raise EventError(errors or ["Bitte Datum und Uhrzeit prüfen."])
    try:
        starts = recurrence.expand(rule, start, draft.all_day, exceptions)
    except recurrence.RuleError as exc:
        raise EventError(exc.errors) from exc
    length = end - start
    spans = [(_utc(s, draft.all_day), _utc(s + length, draft.all_day)) for s in starts]
    if spans[-1][1] <= _iso(now):
        raise EventError("Die Veranstaltung liegt schon in der Vergangenheit.")
    values = {
        "title": title,
        "description": description,
        "category": draft.category,
        "municipality_ags": ags,
        "starts_at": _utc(start, draft.all_day),
        "ends_at": _utc(end, draft.all_day),
        "all_day": int(draft.all_day),
        "rrule": rule,
        "exdates": json.dumps(recurrence.exdate_list(exceptions)),
        "last_end_at": spans[-1][1],
        "venue": venue,
        "location_line": location_line,
        "lat": lat,
        "lon": lon,
        "organiser": organiser,
        "free": int(draft.free),
        "price_text": "" if draft.free else price_text,
        "accessibility": accessibility,
    }
    return Checked(values, spans)


def _utc(moment: datetime, all_day: bool) -> str:
    """Stored as UTC; an all-day date as the UTC moment of its local midnight."""
    if all_day:
        moment = moment.replace(tzinfo=BERLIN)
    return _iso(moment)


# --- permissions --------------------------------------------------------------------------


def _scope(ags: str | None) -> str | tuple:
    """An event of a member belongs to it; one of the whole alliance to the office alone."""
    return ags if ags else ()


def may_manage(user: User, ags: str | None) -> bool:
    return can(user.role, "events.manage") and acts_in(user, _scope(ags))


def may_moderate(user: User, event: Event) -> bool:
    return can(user.role, "events.moderate") and acts_in(user, _scope(event.municipality_ags))


def _require_manage(user: User, ags: str | None) -> None:
    if not can(user.role, "events.manage"):
        raise PermissionDenied("Veranstaltungen tragen die Gemeinden und die Geschäftsstelle ein.")
    if not acts_in(user, _scope(ags)):
        raise PermissionDenied(
            "Veranstaltungen Ihrer eigenen Gemeinde können Sie eintragen und ändern; die der "
            "ganzen Allianz die Geschäftsstelle."
        )


def _require_moderate(user: User, event: Event) -> None:
    if not may_moderate(user, event):
        raise PermissionDenied(
            "Gemeldete Veranstaltungen gibt die Verwaltung der Gemeinde frei, in der sie "
            "stattfinden, oder die Geschäftsstelle."
        )


# --- writing ------------------------------------------------------------------------------


def create(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    draft: EventDraft,
    token: str | None = None,
    now: datetime | None = None,
) -> Event:
    """An event entered by the staff of a member or the office: published at once."""
    if not can(user.role, "events.manage"):
        raise PermissionDenied("Veranstaltungen tragen die Gemeinden und die Geschäftsstelle ein.")
    checked = validate(alliance, areas, draft, now)
    _require_manage(user, checked.values["municipality_ags"])
    stamp = audit.now_iso()
    source = "office" if Role(user.role) is Role.MANAGER else "municipality"
    with write_transaction(db):
        submissions.claim(db, token, "event.create")
        new_id = store.insert(
            db,
            checked.values
            | {
                "state": State.PUBLISHED.value,
                "source": source,
                "created_by": user.username,
                "created_at": stamp,
                "updated_at": _stamp(),
                "published_at": stamp,
            },
        )
        store.replace_occurrences(db, new_id, checked.spans)
        audit.record(db, user.actor, "event.create", "event", str(new_id),
                     municipality_ags=checked.values["municipality_ags"])  # fmt: skip
        submissions.settle(db, token, str(new_id))
    return get(db, new_id)


def submit(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    sub: ClubSubmission,
    now: datetime | None = None,
) -> Event:
    """A club's event without an account: it waits for the municipality's staff and is public
    only once approved. The contact address is kept apart and never shown publicly."""
    now = now or _now()
    if sub.honeypot:
        raise EventError("Die Eingabe wurde als automatisiert erkannt.")
    if sub.started_at is not None and (now - sub.started_at).total_seconds() < MIN_FILL_SECONDS:
        raise EventError("Bitte nehmen Sie sich einen Moment Zeit für das Formular.")
    errors: list[str] = []
    address = clean(sub.email)
    if not address or not EMAIL.match(address) or len(address) > 200:
        errors.append(
            "Bitte eine gültige E-Mail-Adresse angeben: dorthin schicken wir die Nachricht über "
            "die Freigabe."
        )
    if not sub.consent:
        errors.append(
            "Bitte die Einwilligung ankreuzen, dass wir Ihre E-Mail-Adresse für die Nachricht "
            "zur Freigabe speichern."
        )
    try:
        checked = validate(alliance, areas, sub.draft, now, alliance_wide=False)
    except EventError as exc:
        raise EventError(exc.errors + errors) from exc
    if errors:
        raise EventError(errors)
    stamp = audit.now_iso()
    ags = checked.values["municipality_ags"]
    with write_transaction(db):
        submissions.claim(db, sub.token, "event.submit")
        if sub.visitor is not None:
            limits.admit(db, SUBMIT_LIMIT, sub.visitor.identities())
        new_id = store.insert(
            db,
            checked.values
            | {
                "state": State.SUBMITTED.value,
                "source": "club",
                "created_by": CLUB.name,
                "created_at": stamp,
                "updated_at": _stamp(),
            },
        )
        store.replace_occurrences(db, new_id, checked.spans)
        store.save_submitter(db, new_id, address, stamp)
        audit.record(db, CLUB, "event.submit", "event", str(new_id), municipality_ags=ags)
        submissions.settle(db, sub.token, str(new_id))
    return get(db, new_id)


def update(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    event_id: int,
    draft: EventDraft,
    now: datetime | None = None,
) -> Event:
    """Change an event (its dates too: the occurrences are expanded anew)."""
    current = get(db, event_id)
    _require_manage(user, current.municipality_ags)
    if current.state is State.DECLINED:
        raise Conflict("Eine abgelehnte Veranstaltung wird nicht mehr geändert.")
    checked = validate(alliance, areas, draft, now, alliance_wide=current.source != "club")
    _require_manage(user, checked.values["municipality_ags"])
    with write_transaction(db):
        store.update(db, event_id, checked.values | {"updated_at": _stamp()})
        store.replace_occurrences(db, event_id, checked.spans)
        audit.record(db, user.actor, "event.update", "event", str(event_id),
                     municipality_ags=checked.values["municipality_ags"])  # fmt: skip
    return get(db, event_id)


def _notify(db: sqlite_utils.Database, event: Event, subject: str, text: str, link: str) -> bool:
    address = store.submitter_email(db, event.id)
    if not address:
        return False
    body = (
        f"Guten Tag,\n\n{text}\n\nVeranstaltung: {event.title}\nTermin: {event_when(event)}\n"
        + (f"\n{link}\n" if link else "")
        + "\nDiese Nachricht wurde automatisch versandt.\n"
    )
    mail.queue(db, address, subject, body)
    return True


def approve(db: sqlite_utils.Database, user: User, event_id: int, base_url: str = "") -> Event:
    """Publish a club's event; the club gets a mail with the link."""
    with write_transaction(db):
        event = get(db, event_id)
        _require_moderate(user, event)
        if event.state is not State.SUBMITTED:
            raise Conflict(f"Die Veranstaltung ist {event.state_label}; das geht jetzt nicht mehr.")
        stamp = audit.now_iso()
        store.update(
            db,
            event_id,
            {"state": State.PUBLISHED.value, "published_at": stamp, "updated_at": _stamp()},
        )
        link = f"{base_url}{detail_path(event_id)}" if base_url else ""
        _notify(db, event, "Ihre Veranstaltung ist veröffentlicht",
                "Ihre Veranstaltung wurde geprüft und ist jetzt im Veranstaltungskalender "
                "veröffentlicht.", link)  # fmt: skip
        audit.record(db, user.actor, "event.approve", "event", str(event_id),
                     municipality_ags=event.municipality_ags)  # fmt: skip
    return get(db, event_id)


def decline(db: sqlite_utils.Database, user: User, event_id: int, reason: str) -> Event:
    """Refuse a club's event with a reason; the club is told the reason by mail."""
    errors: list[str] = []
    text = _text(reason, "Der Grund", REASON_MAX, errors, 3,
                 "Bitte einen Grund für die Ablehnung angeben.")  # fmt: skip
    if errors:
        raise EventError(errors)
    with write_transaction(db):
        event = get(db, event_id)
        _require_moderate(user, event)
        if event.state is not State.SUBMITTED:
            raise Conflict(f"Die Veranstaltung ist {event.state_label}; das geht jetzt nicht mehr.")
        store.update(
            db,
            event_id,
            {"state": State.DECLINED.value, "decline_reason": text, "updated_at": _stamp()},
        )
        _notify(db, event, "Ihre Veranstaltung wurde nicht veröffentlicht",
                f"Ihre Veranstaltung wurde nicht veröffentlicht. Grund: {text}", "")  # fmt: skip
        audit.record(db, user.actor, "event.decline", "event", str(event_id),
                     municipality_ags=event.municipality_ags, reason=text)  # fmt: skip
    return get(db, event_id)


def cancel(db: sqlite_utils.Database, user: User, event_id: int, reason: str) -> Event:
    """Call off a published event: it stays in the list and the feed, marked as cancelled."""
    errors: list[str] = []
    text = _text(reason, "Der Hinweis zur Absage", REASON_MAX, errors)
    if errors:
        raise EventError(errors)
    with write_transaction(db):
        event = get(db, event_id)
        _require_manage(user, event.municipality_ags)
        if event.state is not State.PUBLISHED:
            raise Conflict(f"Die Veranstaltung ist {event.state_label}; das geht jetzt nicht mehr.")
        store.update(
            db,
            event_id,
            {"state": State.CANCELLED.value, "cancel_reason": text, "updated_at": _stamp()},
        )
        _notify(db, event, "Ihre Veranstaltung wurde abgesagt",
                "Ihre Veranstaltung ist im Veranstaltungskalender als abgesagt markiert."
                + (f" Hinweis: {text}" if text else ""), "")  # fmt: skip
        audit.record(db, user.actor, "event.cancel", "event", str(event_id),
                     municipality_ags=event.municipality_ags, reason=text or None)  # fmt: skip
    return get(db, event_id)


# --- reading ------------------------------------------------------------------------------


DETAIL_KEY = "veranstaltung"


def detail_path(event_id: int) -> str:
    """The detail view's address below the app's base URL."""
    return f"/events?{DETAIL_KEY}={event_id}"


def get(db: sqlite_utils.Database, event_id: int) -> Event:
    found = store.get(db, event_id)
    if found is None:
        raise NotFound("Diese Veranstaltung gibt es nicht.")
    return found


def public(db: sqlite_utils.Database, event_id: int) -> Event:
    """An event as anyone may see it: published or cancelled."""
    found = store.get(db, event_id)
    if found is None or found.state not in PUBLIC:
        raise NotFound("Diese Veranstaltung gibt es nicht (oder sie ist noch nicht freigegeben).")
    return found


def event_at(db: sqlite_utils.Database, key: str) -> Event | None:
    """The public event a URL key names, or None (typed by hand, stale, not yet approved)."""
    if not key.isdigit() or len(key) > 12:
        return None
    found = store.get(db, int(key))
    return found if found is not None and found.state in PUBLIC else None


def for_viewer(db: sqlite_utils.Database, user: User, event_id: int) -> Event:
    """Public events for everyone; waiting and declined ones for their moderators."""
    found = get(db, event_id)
    if found.state in PUBLIC or may_moderate(user, found):
        return found
    raise NotFound("Diese Veranstaltung gibt es nicht (oder sie ist noch nicht freigegeben).")


def dates(db: sqlite_utils.Database, event_id: int) -> list[tuple[str, str]]:
    """Every (start, end) of an event's series, UTC ISO."""
    return store.occurrences(db, event_id)


def coming_dates(db: sqlite_utils.Database, event_id: int, now: datetime) -> list[tuple[str, str]]:
    """The dates of an event not yet over."""
    after = _iso(now)
    return [span for span in store.occurrences(db, event_id) if span[1] > after]


def submitter_address(db: sqlite_utils.Database, user: User, event_id: int) -> str:
    """A club's contact address, for the moderators of the event only."""
    _require_moderate(user, get(db, event_id))
    return store.submitter_email(db, event_id)


def moderation_queue(db: sqlite_utils.Database, user: User) -> list[Event]:
    """Club events waiting for this user: the office sees all, staff their municipality's."""
    if not can(user.role, "events.moderate"):
        raise PermissionDenied("Gemeldete Veranstaltungen gibt die Verwaltung frei.")
    scope = None if Role(user.role) is Role.MANAGER else (user.municipality_ags,)
    if scope == (None,):
        return []
    return store.by_state(db, (State.SUBMITTED,), scope)


def managed(db: sqlite_utils.Database, user: User, now: datetime | None = None) -> list[Event]:
    """Public events not yet over that this user may change or cancel, soonest first (the
    office: all)."""
    if not can(user.role, "events.manage"):
        raise PermissionDenied("Veranstaltungen tragen die Gemeinden und die Geschäftsstelle ein.")
    scope = None if Role(user.role) is Role.MANAGER else (user.municipality_ags or "",)
    found = store.public_events(db, _iso(now or _now()), None, None)
    return [e for e in found if (scope is None or e.municipality_ags in scope)
            and may_manage(user, e.municipality_ags)]  # fmt: skip


def _check_filters(
    alliance: Alliance, municipality: str | None, category: str | None
) -> tuple[str | None, str | None]:
    if municipality and municipality not in {m.ags for m in alliance.municipalities}:
        raise EventError("Diese Gemeinde gehört nicht zur Allianz.")
    if category and category not in categories(alliance):
        raise EventError("Diese Kategorie gibt es nicht.")
    return municipality or None, category or None


def _meetings(
    db: sqlite_utils.Database, now: datetime, municipality: str | None
) -> list[Occurrence]:
    """Public meetings not yet over, through the meetings slice's own service."""
    from allianz.meetings import service as meetings  # noqa: PLC0415 - one-way use

    found = []
    for meeting in meetings.public_listing(db, start=now - timedelta(days=1),
                                           municipality=municipality):  # fmt: skip
        if meeting.ends_at <= now:
            continue
        found.append(
            Occurrence(
                starts_at=_iso(meeting.starts_at),
                ends_at=_iso(meeting.ends_at),
                all_day=False,
                title=meeting.title,
                category_label=MEETING_CATEGORY,
                municipality_ags=meeting.municipality_ags,
                venue=meeting.place or ("online" if meeting.online_url else ""),
                cancelled=meeting.state == "cancelled",
                meeting_id=meeting.id,
            )
        )
    return found


def public_meetings(
    db: sqlite_utils.Database, now: datetime, municipality: str | None = None
) -> list:
    """The meetings slice's public meetings not yet over (for the feed)."""
    from allianz.meetings import service as meetings  # noqa: PLC0415 - one-way use

    shown = meetings.public_listing(db, start=now - timedelta(days=1), municipality=municipality)
    return [m for m in shown if m.ends_at > now]


def meetings_shown(alliance: Alliance, category: str | None) -> bool:
    """Meetings have no category of ours: shown unfiltered and under "Allianz"."""
    return category is None or (category == "allianz" and "allianz" in categories(alliance))


def coming(
    db: sqlite_utils.Database,
    alliance: Alliance,
    now: datetime,
    *,
    municipality: str | None = None,
    category: str | None = None,
    page: int = 1,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of the coming dates: occurrences of public events (running ones included)
    and the public meetings, soonest first."""
    municipality, category = _check_filters(alliance, municipality, category)
    labels = categories(alliance)
    after = _iso(now)
    meetings = _meetings(db, now, municipality) if meetings_shown(alliance, category) else []
    total = store.count_coming(db, after, None, municipality, category) + len(meetings)
    pages = max(1, math.ceil(total / size))
    page = min(max(1, page), pages)
    wanted = page * size
    rows = store.coming(db, after, None, municipality, category, wanted)
    items = [
        Occurrence(
            starts_at=start,
            ends_at=end,
            all_day=bool(all_day),
            title=title,
            category_label=labels.get(code, code),
            municipality_ags=ags,
            venue=venue,
            cancelled=state == State.CANCELLED,
            event_id=event_id,
            recurring=bool(rule),
        )
        for start, end, event_id, title, code, ags, venue, all_day, state, rule in rows
    ]
    merged = sorted(items + meetings, key=lambda o: o.starts_at)[(page - 1) * size : wanted]
    return Page(tuple(merged), total, page, pages)


def upcoming(db: sqlite_utils.Database, now: datetime, limit: int = 3) -> list[tuple]:
    """The next dates of events (not meetings: those have their own teaser): (start, end,
    all-day, event id, title with "Abgesagt: " for a cancelled one)."""
    rows = store.coming(db, _iso(now), None, None, None, limit)
    return [(start, end, bool(all_day), event_id,
             f"Abgesagt: {title}" if state == State.CANCELLED else title)
            for start, end, event_id, title, _c, _a, _v, all_day, state, _r in rows]  # fmt: skip


def feed_events(
    db: sqlite_utils.Database,
    alliance: Alliance,
    now: datetime,
    municipality: str | None = None,
    category: str | None = None,
) -> list[Event]:
    """Public events with a date still to come (or within the last 30 days) for the feed."""
    municipality, category = _check_filters(alliance, municipality, category)
    return store.public_events(db, _iso(now - timedelta(days=30)), municipality, category)


# --- schema.org ---------------------------------------------------------------------------


def jsonld(event: Event, alliance: Alliance, url: str, span: tuple[str, str] | None = None) -> dict:
    """schema.org `Event` of an event; `span` is the date to describe (a series' next date,
    the page passes it), else the first; a series also gets its schedule."""
    place: dict = {"@type": "Place", "name": event.venue}
    member = alliance.municipality(event.municipality_ags) if event.municipality_ags else None
    address = {"@type": "PostalAddress", "addressCountry": "DE"}
    if event.location_line:
        address["streetAddress"] = event.location_line
    if member:
        address["addressLocality"] = member.name
    place["address"] = address
    if event.lat is not None and event.lon is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": event.lat, "longitude": event.lon}
    start, end = (local(t) for t in (span or (event.starts_at, event.ends_at)))
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": start.date().isoformat() if event.all_day else start.isoformat(),
        "endDate": (
            (end - timedelta(days=1)).date().isoformat() if event.all_day else end.isoformat()
        ),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.state is State.CANCELLED
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "organizer": {"@type": "Organization", "name": event.organiser},
        "isAccessibleForFree": event.free,
        "description": event.description or event.title,
        "url": url,
    }
    if event.rrule:
        data["eventSchedule"] = {
            "@type": "Schedule",
            "repeatFrequency": _frequency(event.rrule),
            "scheduleTimezone": "Europe/Berlin",
        }
    if not event.free and event.price_text:
        data["offers"] = {"@type": "Offer", "description": event.price_text, "url": url}
    return data


def _frequency(rule: str) -> str:
    freq = recurrence.parts_of(rule)["FREQ"]
    return {"DAILY": "P1D", "WEEKLY": "P1W", "MONTHLY": "P1M", "YEARLY": "P1Y"}[freq]


# --- figures ------------------------------------------------------------------------------


def figure_rows(
    db: sqlite_utils.Database, since: datetime, until: datetime
) -> tuple[list[tuple], list[tuple]]:
    """(AGS, source, state, dates in the period) per event with dates in the period, and
    (AGS, state) of the clubs' submissions in the period."""
    lo, hi = _iso(since), _iso(until)
    return store.counts_for_figures(db, lo, hi), store.submitted_between(db, lo, hi)


def version(db: sqlite_utils.Database) -> tuple:
    """A cheap key that changes whenever an event is written (for caches of public output)."""
    return store.version(db)


def latest(db: sqlite_utils.Database, limit: int = 200) -> list[Event]:
    """The newest events in every state (the command line, the office's overview)."""
    return store.latest(db, limit)


def draft_of(event: Event) -> EventDraft:
    """The event as the form's fields, to change it."""
    start, end = local(event.starts_at), local(event.ends_at)
    form = recurrence.form_of(event.rrule)
    keep_rule = event.rrule if form.frequency == "none" else ""
    if event.all_day:
        last = (end - timedelta(days=1)).date()
        times = {"start_time": "", "end_time": "", "end_day": last if last > start.date() else None}
    else:
        times = {
            "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"),
            "end_day": end.date() if end.date() > start.date() else None,
        }
    return EventDraft(
        title=event.title,
        category=event.category,
        municipality_ags=event.municipality_ags,
        day=start.date(),
        all_day=event.all_day,
        description=event.description,
        venue=event.venue,
        location_line=event.location_line,
        point="" if event.lat is None or event.lon is None else f"{event.lat:.6f}, {event.lon:.6f}",
        organiser=event.organiser,
        free=event.free,
        price_text=event.price_text,
        accessibility=event.accessibility,
        recurrence=form,
        exceptions=", ".join(date.fromisoformat(d).strftime("%d.%m.%Y") for d in event.exdates),
        rrule=keep_rule,
        **times,
    )


# --- taken over from a member's website -----------------------------------------------------


def save_imported(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    actor: audit.Actor,
    draft: EventDraft,
    event_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """An event of a member's own calendar feed (allianz/feed_import), published at once as
    the member's event, or the event an earlier run made from it, changed (its dates expanded
    anew). Every check of `validate` applies, the bound of a series too; the caller's
    transaction is joined. A cancelled event stays cancelled when its entry changes."""
    checked = validate(alliance, areas, draft, now, alliance_wide=False)
    current = store.get(db, event_id) if event_id is not None else None
    with write_transaction(db):
        if current is None:
            stamp = audit.now_iso()
            target = store.insert(
                db,
                checked.values
                | {
                    "state": State.PUBLISHED.value,
                    "source": "municipality",
                    "created_by": actor.name,
                    "created_at": stamp,
                    "updated_at": _stamp(),
                    "published_at": stamp,
                },
            )
            action = "event.create"
        else:
            target = current.id
            store.update(db, target, checked.values | {"updated_at": _stamp()})
            action = "event.update"
        store.replace_occurrences(db, target, checked.spans)
        audit.record(db, actor, action, "event", str(target),
                     municipality_ags=checked.values["municipality_ags"])  # fmt: skip
    return target
