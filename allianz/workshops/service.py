"""Workshop rules: who may plan, host, vote and moderate, in which phase, within which limits.

The pages, the CLI and the demo all go through these functions, so a rule holds everywhere.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlite_utils

from allianz import audit, geo, images, limits, submissions, visitors
from allianz.accounts.model import User
from allianz.auth import acts_in, can, require_municipality
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.formatting import de_date
from allianz.municipalities.service import MunicipalityArea, locate
from allianz.text import EMAIL, clean
from allianz.workshops import store
from allianz.workshops.model import (
    CARD_MAX,
    CARD_MIN,
    MAX_DOTS_PER_PERSON,
    MAX_ROUNDS,
    MAX_TABLES,
    PHASE_LABELS,
    TAG_MAX,
    TAGS_PER_CARD,
    TITLE_MAX,
    TRANSITIONS,
    Card,
    Phase,
    Workshop,
)
from db.connection import write_transaction


class WorkshopError(ValidationError):
    """A refused workshop action; `errors` are German sentences, one per problem."""


class AlreadyVoted(Conflict):
    """This visitor (account, or browser or address) has cast an online ballot here."""


# Online cards and ballots together, per visitor across all workshops.
ONLINE_LIMIT = limits.Limit(
    "workshop.online",
    10,
    15 * 60,
    "Sie haben in kurzer Zeit viele Beiträge gesendet. Bitte versuchen Sie es {wann} erneut.",
)


@dataclass
class TableDraft:
    topic: str
    host: str = ""
    handlungsfeld: int | None = None
    id: int | None = None


@dataclass
class WorkshopDraft:
    title: str
    starts_at: datetime
    place: str = ""
    scope_ags: str | None = None
    rounds: int = 3
    participants: int = 0
    dots_per_person: int = 3
    tables: list[TableDraft] = field(default_factory=list)


@dataclass
class CardDraft:
    table_id: int
    text: str
    round: int | None = None
    tags: str | list[str] = ""
    municipality_ags: str | None = None
    ortsteil: str | None = None
    lat: float | str | None = None
    lon: float | str | None = None


# --- reading (pages and the CLI read through here, never the store) ----------------------


def get(db: sqlite_utils.Database, workshop_id: int) -> Workshop | None:
    return store.get(db, workshop_id)


def all_workshops(db: sqlite_utils.Database) -> list[Workshop]:
    return store.all_workshops(db)


def managed_by(db: sqlite_utils.Database, user: User) -> list[Workshop]:
    """The workshops this user plans: their municipality's, or all for the alliance manager."""
    return [w for w in store.all_workshops(db) if can_manage(user, w)]


def running(db: sqlite_utils.Database) -> list[Workshop]:
    """Workshops that take cards now: live at the tables or in their online phase."""
    return [w for w in store.all_workshops(db) if w.phase in (Phase.LIVE, Phase.ONLINE)]


def hosted_by(db: sqlite_utils.Database, user: User) -> list[Workshop]:
    """The running workshops this user may moderate a table at."""
    return [w for w in running(db) if can_host(user, w)]


def cards(db: sqlite_utils.Database, workshop_id: int, include_hidden: bool = False) -> list[Card]:
    return store.cards(db, workshop_id, include_hidden=include_hidden)


def card_counts(db: sqlite_utils.Database) -> dict[int, int]:
    return store.card_counts(db)


def table_totals(db: sqlite_utils.Database) -> dict[int, tuple[int, int]]:
    return store.table_totals(db)


def photos(db: sqlite_utils.Database, workshop_id: int) -> list[dict]:
    return store.photos(db, workshop_id)


# --- planning ------------------------------------------------------------------------------


def default_tables(alliance: Alliance) -> list[TableDraft]:
    return [TableDraft(topic) for topic in alliance.workshop_topics]


def can_manage(user: User, workshop: Workshop) -> bool:
    """Staff manage their own municipality's workshops; the alliance manager all of them,
    and alone the alliance-wide ones (they belong to no single municipality's desk)."""
    return can(user.role, "workshops.manage") and acts_in(user, workshop.scope_ags or ())


def can_host(user: User, workshop: Workshop) -> bool:
    """Table hosts and staff moderate the workshops of their municipality, the alliance
    manager every one. An alliance-wide workshop belongs to every member municipality, so
    staff of any member may moderate a table there (planning it stays with the manager)."""
    return can(user.role, "workshops.host") and acts_in(user, workshop.scope_ags)


def _require_host(user: User, workshop: Workshop, message: str) -> None:
    """Refuse a role that does not moderate (German `message`), then a foreign municipality."""
    if not can(user.role, "workshops.host"):
        raise PermissionDenied(message)
    require_municipality(
        user,
        workshop.scope_ags,
        "Sie können nur bei Werkstätten Ihrer eigenen Gemeinde moderieren.",
    )


def _required(db: sqlite_utils.Database, workshop_id: int) -> Workshop:
    workshop = store.get(db, workshop_id)
    if workshop is None:
        raise NotFound(f"Eine Werkstatt Nr. {workshop_id} gibt es nicht.")
    return workshop


def _check_draft(alliance: Alliance, draft: WorkshopDraft) -> list[str]:
    errors = []
    title = clean(draft.title)
    if not 3 <= len(title) <= TITLE_MAX:
        errors.append(f"Der Titel braucht 3 bis {TITLE_MAX} Zeichen.")
    if draft.scope_ags is not None and draft.scope_ags not in {
        m.ags for m in alliance.municipalities
    }:
        errors.append("Die gewählte Gemeinde gehört nicht zur Allianz.")
    if not 1 <= draft.rounds <= MAX_ROUNDS:
        errors.append(f"Die Zahl der Runden muss zwischen 1 und {MAX_ROUNDS} liegen.")
    if not 0 <= draft.participants <= 100_000:
        errors.append("Die Zahl der Teilnehmenden ist ungültig.")
    if not 1 <= draft.dots_per_person <= MAX_DOTS_PER_PERSON:
        errors.append(f"Punkte je Person: 1 bis {MAX_DOTS_PER_PERSON}.")
    topics = [clean(t.topic) for t in draft.tables]
    if not 1 <= len(topics) <= MAX_TABLES:
        errors.append(f"Eine Werkstatt hat 1 bis {MAX_TABLES} Thementische.")
    if any(not 2 <= len(t) <= TITLE_MAX for t in topics):
        errors.append(f"Jeder Thementisch braucht ein Thema mit 2 bis {TITLE_MAX} Zeichen.")
    fields = {h.number for h in alliance.handlungsfelder}
    if any(t.handlungsfeld is not None and t.handlungsfeld not in fields for t in draft.tables):
        errors.append("Ein Thementisch nennt ein Handlungsfeld, das es nicht gibt.")
    return errors


def _draft_fields(draft: WorkshopDraft) -> dict:
    """The columns a planner sets, the same for a new workshop and an edited one."""
    return {
        "title": clean(draft.title),
        "starts_at": draft.starts_at.isoformat(timespec="minutes"),
        "place": clean(draft.place),
        "scope_ags": draft.scope_ags,
        "rounds": draft.rounds,
        "participants": draft.participants,
        "dots_per_person": draft.dots_per_person,
    }


def create(db: sqlite_utils.Database, alliance: Alliance, user: User, draft: WorkshopDraft) -> int:
    if not can(user.role, "workshops.manage"):
        raise PermissionDenied("Keine Berechtigung, Werkstätten zu planen.")
    require_municipality(
        user, draft.scope_ags or (), "Sie können nur Werkstätten Ihrer eigenen Gemeinde planen."
    )
    errors = _check_draft(alliance, draft)
    if errors:
        raise WorkshopError(errors)
    stamp = audit.now_iso()
    with write_transaction(db):
        workshop_id = (
            db["workshops"]
            .insert(
                {
                    **_draft_fields(draft),
                    "phase": Phase.PLANNED.value,
                    "created_by": user.username,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            .last_pk
        )
        _write_tables(db, workshop_id, draft.tables)
        audit.record(
            db,
            user.actor,
            "workshop.create",
            "workshop",
            str(workshop_id),
            municipality_ags=draft.scope_ags,
        )
    return workshop_id


def _write_tables(db: sqlite_utils.Database, workshop_id: int, tables: list[TableDraft]) -> None:
    """Update tables by id, add new ones; a removed table must not hold cards."""
    kept = {t.id for t in tables if t.id is not None}
    for old in store.tables_of(db, workshop_id):
        if old.id in kept:
            continue
        used = db.execute("SELECT count(*) FROM workshop_cards WHERE table_id = ?", [old.id])
        if used.fetchone()[0]:
            raise WorkshopError(f"Der Tisch „{old.topic}“ hat schon Karten und bleibt bestehen.")
        db.execute("DELETE FROM workshop_tables WHERE id = ?", [old.id])
    for position, table in enumerate(tables, start=1):
        row = {
            "workshop_id": workshop_id,
            "position": position,
            "topic": clean(table.topic),
            "host": clean(table.host),
            "handlungsfeld": table.handlungsfeld,
        }
        if table.id is None:
            db["workshop_tables"].insert(row)
        else:
            db["workshop_tables"].update(table.id, row)


def update(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    workshop_id: int,
    draft: WorkshopDraft,
) -> None:
    workshop = _required(db, workshop_id)
    if not can_manage(user, workshop):
        raise PermissionDenied("Keine Berechtigung für diese Werkstatt.")
    require_municipality(
        user,
        draft.scope_ags or (),
        "Eine Werkstatt lässt sich nicht in eine fremde Gemeinde verlegen.",
    )
    if workshop.phase is Phase.CLOSED:
        raise WorkshopError("Eine abgeschlossene Werkstatt kann nicht mehr geändert werden.")
    errors = _check_draft(alliance, draft)
    ids = {t.id for t in workshop.tables}
    if any(t.id is not None and t.id not in ids for t in draft.tables):
        errors.append("Ein Thementisch gehört nicht zu dieser Werkstatt.")
    if errors:
        raise WorkshopError(errors)
    with write_transaction(db):
        db["workshops"].update(
            workshop_id,
            {**_draft_fields(draft), "updated_at": audit.now_iso()},
        )
        _write_tables(db, workshop_id, draft.tables)
        audit.record(
            db,
            user.actor,
            "workshop.update",
            "workshop",
            str(workshop_id),
            municipality_ags=workshop.scope_ags,
        )


def set_phase(
    db: sqlite_utils.Database,
    user: User,
    workshop_id: int,
    phase: Phase,
    online_until: date | None = None,
    today: date | None = None,
) -> None:
    today = today or date.today()
    workshop = _required(db, workshop_id)
    if not can_manage(user, workshop):
        raise PermissionDenied("Keine Berechtigung für diese Werkstatt.")
    phase = Phase(phase)
    if phase not in TRANSITIONS[workshop.phase]:
        raise WorkshopError(
            f"Von „{PHASE_LABELS[workshop.phase]}“ geht es nicht zu „{PHASE_LABELS[phase]}“."
        )
    if phase is Phase.ONLINE and (online_until is None or online_until < today):
        raise WorkshopError("Die Online-Phase braucht ein Enddatum ab heute.")
    with write_transaction(db):
        # the marks of who voted online go with the phase (and with every ended one)
        store.forget_voters(db, before=today.isoformat())
        if phase is not Phase.ONLINE:
            store.forget_voters(db, workshop_id=workshop_id)
        db["workshops"].update(
            workshop_id,
            {
                "phase": phase.value,
                "online_until": online_until.isoformat() if online_until else None,
                "updated_at": audit.now_iso(),
            },
        )
        audit.record(
            db,
            user.actor,
            "workshop.phase",
            "workshop",
            str(workshop_id),
            municipality_ags=workshop.scope_ags,
            details={"from": workshop.phase.value, "to": phase.value},
        )


def online_open(workshop: Workshop, today: date | None = None) -> bool:
    """Citizens may add cards and vote online only in the online phase, until its end date."""
    today = today or date.today()
    return (
        workshop.phase is Phase.ONLINE
        and workshop.online_until is not None
        and today.isoformat() <= workshop.online_until
    )


def parse_tags(value: str | list[str]) -> tuple[str, ...]:
    """Comma-separated, trimmed, lower case, without duplicates, in the order given."""
    parts = value.split(",") if isinstance(value, str) else value
    tags: list[str] = []
    for part in parts:
        tag = clean(part).lstrip("#").lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _check_card(
    alliance: Alliance,
    areas: list[MunicipalityArea],
    workshop: Workshop,
    draft: CardDraft,
) -> tuple[dict, list[str]]:
    errors = []
    text = clean(draft.text)
    if not CARD_MIN <= len(text) <= CARD_MAX:
        errors.append(f"Der Kartentext braucht {CARD_MIN} bis {CARD_MAX} Zeichen.")
    if draft.table_id not in {t.id for t in workshop.tables}:
        errors.append("Bitte einen Thementisch dieser Werkstatt wählen.")
    if draft.round is not None and not 1 <= draft.round <= workshop.rounds:
        errors.append(f"Die Runde muss zwischen 1 und {workshop.rounds} liegen.")
    tags = parse_tags(draft.tags)
    if len(tags) > TAGS_PER_CARD or any(len(t) > TAG_MAX for t in tags):
        errors.append(f"Höchstens {TAGS_PER_CARD} Schlagworte mit je bis zu {TAG_MAX} Zeichen.")
    ags = draft.municipality_ags or None
    ortsteil = clean(draft.ortsteil) or None
    lat = lon = None
    if draft.lat not in (None, "") or draft.lon not in (None, ""):
        try:
            lat, lon = geo.parse_coordinates(f"{draft.lat}, {draft.lon}")
        except ValueError as exc:
            errors.append(str(exc))
        else:
            found = locate(areas, lat, lon).municipality
            if found is None:
                errors.append("Der Kartenpunkt liegt außerhalb der Allianz.")
            elif ags is None:
                ags = found.ags
    if ags is not None:
        try:
            municipality = alliance.municipality(ags)
        except KeyError:
            errors.append("Die gewählte Gemeinde gehört nicht zur Allianz.")
        else:
            if ortsteil and ortsteil not in municipality.ortsteile:
                errors.append(f"„{ortsteil}“ ist kein Ortsteil von {municipality.name}.")
    elif ortsteil:
        errors.append("Zum Ortsteil bitte auch die Gemeinde wählen.")
    row = {
        "workshop_id": workshop.id,
        "table_id": draft.table_id,
        "text": text,
        "round": draft.round,
        "tags": json.dumps(list(tags), ensure_ascii=False),
        "municipality_ags": ags,
        "ortsteil": ortsteil,
        "lat": lat,
        "lon": lon,
    }
    return row, errors


def add_card(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    workshop_id: int,
    draft: CardDraft,
    *,
    online: bool = False,
    today: date | None = None,
    token: str | None = None,
    visitor: visitors.Visitor | None = None,
) -> int:
    """A live card from a table host, or an online card from anyone in the online phase
    (counted against ONLINE_LIMIT for the `visitor` the page names)."""
    workshop = _required(db, workshop_id)
    if online:
        if not online_open(workshop, today):
            raise WorkshopError(
                "Für diese Werkstatt können online keine Karten mehr ergänzt werden."
            )
    else:
        _require_host(user, workshop, "Nur Tischmoderation und Verwaltung erfassen Karten vor Ort.")
        if workshop.phase is not Phase.LIVE:
            raise WorkshopError(
                "Karten vor Ort lassen sich nur erfassen, solange die Werkstatt läuft."
            )
    row, errors = _check_card(alliance, areas, workshop, draft)
    if errors:
        raise WorkshopError(errors)
    table = workshop.table(draft.table_id)
    row |= {
        "origin": "online" if online else "live",
        "handlungsfeld": table.handlungsfeld,
        "created_by": "online" if online else user.username,
        "created_at": audit.now_iso(),
    }
    with write_transaction(db):
        submissions.claim(db, token, "workshop.card")
        if online and visitor is not None:
            limits.admit(db, ONLINE_LIMIT, visitor.identities())
        return db["workshop_cards"].insert(row).last_pk


def _entry_open(workshop: Workshop) -> None:
    if workshop.phase not in (Phase.LIVE, Phase.ONLINE):
        raise WorkshopError(
            "Punkte lassen sich nur während der Werkstatt und der Online-Phase eintragen."
        )


def set_host_dots(
    db: sqlite_utils.Database, user: User, workshop_id: int, dots: dict[int, int]
) -> int:
    """The host transcribes the paper dot vote; returns how many cards changed."""
    workshop = _required(db, workshop_id)
    _require_host(user, workshop, "Nur Tischmoderation und Verwaltung tragen Punkte ein.")
    _entry_open(workshop)
    own = {c.id: c for c in store.cards(db, workshop_id, include_hidden=True)}
    errors = []
    for card_id, value in dots.items():
        if card_id not in own:
            errors.append(f"Karte {card_id} gehört nicht zu dieser Werkstatt.")
        elif not isinstance(value, int) or value < 0 or value > 10_000:
            errors.append(f"Karte {card_id}: Punkte müssen eine ganze Zahl ab 0 sein.")
    if errors:
        raise WorkshopError(errors)
    changed = {k: v for k, v in dots.items() if own[k].host_dots != v}
    with write_transaction(db):
        for card_id, value in changed.items():
            db["workshop_cards"].update(card_id, {"host_dots": value})
        if changed:
            audit.record(
                db,
                user.actor,
                "workshop.dots",
                "workshop",
                str(workshop_id),
                municipality_ags=workshop.scope_ags,
                details={str(k): v for k, v in changed.items()},
            )
    return len(changed)


def cast_ballot(
    db: sqlite_utils.Database,
    user: User,
    workshop_id: int,
    dots: dict[int, int],
    *,
    online: bool = False,
    today: date | None = None,
    visitor: visitors.Visitor | None = None,
) -> str:
    """One participant's dots, on the shared device at the event or online afterwards.

    A ballot holds at most the workshop's dots per person; several dots may go to one card.
    Online, the page names the `visitor`: one ballot per workshop for each of its keys (the
    account; else the browser's cookie and the address), and ONLINE_LIMIT counts it.
    """
    workshop = _required(db, workshop_id)
    if online:
        if not online_open(workshop, today):
            raise WorkshopError("Die Online-Abstimmung ist nicht (mehr) geöffnet.")
    else:
        _require_host(user, workshop, "Das Abstimmungsgerät bedient die Tischmoderation.")
        if workshop.phase is not Phase.LIVE:
            raise WorkshopError("Am Gerät wird nur abgestimmt, solange die Werkstatt läuft.")
    given = {card_id: value for card_id, value in dots.items() if value}
    visible = {c.id for c in store.cards(db, workshop_id)}
    errors = []
    if any(not isinstance(v, int) or v < 0 for v in dots.values()):
        errors.append("Punkte müssen ganze Zahlen ab 0 sein.")
    elif not given:
        errors.append("Bitte mindestens einen Punkt vergeben.")
    elif sum(given.values()) > workshop.dots_per_person:
        errors.append(
            f"Jede Person hat {workshop.dots_per_person} Punkte; vergeben wurden "
            f"{sum(given.values())}."
        )
    if any(card_id not in visible for card_id in given):
        errors.append("Es kann nur für sichtbare Karten dieser Werkstatt gestimmt werden.")
    if errors:
        raise WorkshopError(errors)
    ballot = secrets.token_hex(8)
    stamp = audit.now_iso()
    origin = "online" if online else "device"
    with write_transaction(db):
        if online and visitor is not None:
            _mark_voter(db, workshop, visitor, today or date.today())
            limits.admit(db, ONLINE_LIMIT, visitor.identities())
        db["workshop_votes"].insert_all(
            {"card_id": card_id, "ballot": ballot, "origin": origin, "dots": value, "at": stamp}
            for card_id, value in given.items()
        )
    return ballot


def _voter_marks(db: sqlite_utils.Database, workshop: Workshop, visitor: visitors.Visitor):
    return visitors.pseudonyms(db, f"workshop-ballot:{workshop.id}", visitor)


def already_voted_message(workshop: Workshop) -> str:
    return (
        "Von Ihrem Konto, diesem Browser oder Ihrem Internetanschluss aus wurde in dieser "
        "Werkstatt schon online abgestimmt. Jede Person stimmt einmal ab; eine weitere Stimme "
        f"ist in dieser Online-Phase (bis {de_date(workshop.online_until)}) nicht möglich."
    )


def has_voted(db: sqlite_utils.Database, workshop: Workshop, visitor: visitors.Visitor) -> bool:
    """True when any of the visitor's keys has cast an online ballot in this workshop."""
    return store.has_voter(db, workshop.id, _voter_marks(db, workshop, visitor))


def _mark_voter(
    db: sqlite_utils.Database, workshop: Workshop, visitor: visitors.Visitor, today: date
) -> None:
    """Inside the ballot's transaction: refuse a second ballot, else remember this one."""
    store.forget_voters(db, before=today.isoformat())
    marks = _voter_marks(db, workshop, visitor)
    if store.has_voter(db, workshop.id, marks):
        raise AlreadyVoted(already_voted_message(workshop))
    store.add_voter(db, workshop.id, marks, workshop.online_until)


def hide_card(
    db: sqlite_utils.Database, user: User, card_id: int, reason: str, *, hidden: bool = True
) -> None:
    found = store.card(db, card_id)
    if found is None:
        raise NotFound("Diese Karte gibt es nicht.")
    workshop = _required(db, found.workshop_id)
    if not can_manage(user, workshop):
        raise PermissionDenied("Keine Berechtigung für diese Werkstatt.")
    reason = clean(reason)
    if hidden and len(reason) < 3:
        raise WorkshopError("Bitte einen Grund für das Ausblenden angeben.")
    with write_transaction(db):
        db["workshop_cards"].update(
            card_id, {"hidden": int(hidden), "hidden_reason": reason if hidden else None}
        )
        audit.record(
            db,
            user.actor,
            "workshop.card.hide" if hidden else "workshop.card.show",
            "workshop_card",
            str(card_id),
            municipality_ags=workshop.scope_ags,
            reason=reason or None,
        )


def set_card_handlungsfeld(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    card_id: int,
    number: int | None,
) -> None:
    found = store.card(db, card_id)
    if found is None:
        raise NotFound("Diese Karte gibt es nicht.")
    workshop = _required(db, found.workshop_id)
    if not can_manage(user, workshop):
        raise PermissionDenied("Keine Berechtigung für diese Werkstatt.")
    if number is not None and number not in {h.number for h in alliance.handlungsfelder}:
        raise WorkshopError("Dieses Handlungsfeld gibt es nicht.")
    with write_transaction(db):
        db["workshop_cards"].update(card_id, {"handlungsfeld": number})
        audit.record(
            db,
            user.actor,
            "workshop.card.handlungsfeld",
            "workshop_card",
            str(card_id),
            municipality_ags=workshop.scope_ags,
            details={"from": found.handlungsfeld, "to": number},
        )


def add_photo(
    db: sqlite_utils.Database,
    user: User,
    workshop_id: int,
    table_id: int | None,
    caption: str,
    data: bytes,
) -> int:
    """A photo of a paper board, re-encoded without metadata, for the protocol."""
    workshop = _required(db, workshop_id)
    _require_host(user, workshop, "Nur Tischmoderation und Verwaltung laden Fotos hoch.")
    if workshop.phase is Phase.PLANNED:
        raise WorkshopError("Fotos der Stellwände gibt es erst, wenn die Werkstatt läuft.")
    if table_id is not None and table_id not in {t.id for t in workshop.tables}:
        raise WorkshopError("Dieser Tisch gehört nicht zur Werkstatt.")
    try:
        image, width, height = images.sanitize_photo(data)
    except images.PhotoError as exc:
        raise WorkshopError(str(exc)) from exc
    with write_transaction(db):
        photo_id = (
            db["workshop_photos"]
            .insert(
                {
                    "workshop_id": workshop_id,
                    "table_id": table_id,
                    "caption": clean(caption)[:200],
                    "image": image,
                    "width": width,
                    "height": height,
                    "created_by": user.username,
                    "created_at": audit.now_iso(),
                }
            )
            .last_pk
        )
        audit.record(
            db,
            user.actor,
            "workshop.photo",
            "workshop",
            str(workshop_id),
            municipality_ags=workshop.scope_ags,
        )
    return photo_id


def register_contact(
    db: sqlite_utils.Database, workshop_id: int, email: str, consent: bool
) -> None:
    """A participant's address for sending the protocol: only with consent, staff-only."""
    _required(db, workshop_id)
    email = clean(email)
    if not EMAIL.match(email):
        raise WorkshopError("Bitte eine gültige E-Mail-Adresse angeben.")
    if not consent:
        raise WorkshopError("Ohne Einwilligung speichern wir keine E-Mail-Adresse.")
    with write_transaction(db):
        db["workshop_contacts"].insert(
            {"workshop_id": workshop_id, "email": email, "consent_at": audit.now_iso()}
        )


def contacts(db: sqlite_utils.Database, user: User, workshop_id: int) -> list[dict]:
    workshop = _required(db, workshop_id)
    if not can_manage(user, workshop):
        raise PermissionDenied("Keine Berechtigung für die Kontaktliste.")
    return store.contacts(db, workshop_id)
