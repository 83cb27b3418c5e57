"""Rules of the members' Bauhof equipment pool: items with lending rules, operator crews,
maintenance blocks, bookings with holds, approval, cancellation and return, availability,
and the quarterly settlement ("Abgeltung") between members.

No double booking: every write that occupies an item (a request, an approval, a block) checks
for overlaps inside one BEGIN IMMEDIATE transaction (db.connection.write_transaction), so two
writers cannot both see the slot free. A request holds its slot for HOLD until the owner
confirms it; an expired hold no longer counts and is marked `expired` when next seen.

Who may do what: staff and mayors of a member book for their municipality (`sharing.book`);
the owner's staff keep the inventory and answer requests (`sharing.inventory`, in their
municipality; the office for everything); settlements are seen by both members of a pair and
by the office (`sharing.settlement`).

Requests, answers, cancellations and expired holds queue their e-mails (`notices`) inside
the same transaction; items are edited, retired (refused while approved bookings lie ahead)
and get one photo; `depot` is the week/month view of one Bauhof.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlite_utils

from allianz import audit, geo, images, submissions
from allianz.accounts.model import User
from allianz.auth import acts_in, can
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.formatting import BERLIN, de_number
from allianz.sharing import notices, store
from allianz.sharing.model import CATEGORIES, HOLDER_KINDS, Block, Booking, Crew, Item
from allianz.text import clean
from db.connection import write_transaction

TITLE_MAX, TEXT_MAX, PLACE_MAX = 200, 4000, 300
HOLD = timedelta(hours=48)  # a request holds its slot this long unless the owner answers
MAX_SPAN = timedelta(days=31)  # longer loans are agreed outside the pool
MAX_AHEAD = timedelta(days=2 * 366)  # bookings further ahead are refused
MAX_CENTS = 10_000_000  # 100.000 € per rate: anything above is a typo
MAX_VALUE_CENTS = 100_000_000  # 1 Mio. € purchase value: no Bauhof machine costs more
MAX_KM = 100_000
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def _line(text: str | None, limit: int, label: str, errors: list[str]) -> str:
    value = " ".join(clean(text).split())
    if len(value) > limit:
        errors.append(f"{label}: höchstens {limit} Zeichen.")
    return value


def _text(text: str | None, limit: int, label: str, errors: list[str]) -> str:
    value = clean(text).replace("\r\n", "\n").replace("\r", "\n")
    if len(value) > limit:
        errors.append(f"{label}: höchstens {limit} Zeichen.")
    return value


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def euro(cents: int) -> str:
    """123456 -> "1.234,56 €"."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d} €"


def cents_from_euro(value: object, label: str, limit: int = MAX_CENTS) -> int:
    """A euro amount as typed ("12,50", 12.5) in integer cents; ValidationError in German."""
    text = str(value if value is not None else "").strip().replace("€", "").strip()
    if not text:
        return 0
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(
            f"{label}: bitte einen Betrag in Euro angeben (z. B. 12,50)."
        ) from exc
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"{label}: bitte einen Betrag ab 0 Euro angeben.")
    cents = int((amount * 100).quantize(Decimal(1), ROUND_HALF_UP))
    if cents > limit:
        raise ValidationError(f"{label}: höchstens {euro(limit)}.")
    return cents


def minutes_from_hours(value: object, label: str, limit: timedelta) -> int:
    """Hours as typed ("9", "7,5") in whole minutes, at most the booked span."""
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not text:
        return 0
    try:
        hours = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(f"{label}: bitte Stunden als Zahl angeben (z. B. 7,5).") from exc
    if not hours.is_finite() or hours < 0:
        raise ValidationError(f"{label}: bitte eine Zahl ab 0 angeben.")
    minutes = int((hours * 60).quantize(Decimal(1), ROUND_HALF_UP))
    if minutes > limit.total_seconds() // 60:
        raise ValidationError(
            f"{label}: mehr Stunden als die Buchung dauerte "
            f"({de_number(Decimal(int(limit.total_seconds())) / 3600, 1)} h)."
        )
    return minutes


# --- who may do what ---------------------------------------------------------------------------


def may_book(user: User) -> bool:
    return can(user.role, "sharing.book")


def may_keep(user: User, item: Item) -> bool:
    """The owner's staff (or the office) keep the item and answer its requests."""
    if not can(user.role, "sharing.inventory"):
        return False
    if item.holder_kind != "municipality":
        return acts_in(user, ())  # clubs' and the alliance's items: the office
    return acts_in(user, item.holder_ags)


def _require_keeper(user: User, item: Item) -> None:
    if not may_keep(user, item):
        raise PermissionDenied(
            "Dieses Gerät verwaltet der Bauhof, dem es gehört (oder die Geschäftsstelle)."
        )


def _require_booker(user: User, borrower_ags: str) -> None:
    if not may_book(user):
        raise PermissionDenied("Geräte buchen die Verwaltungen der Mitgliedsgemeinden.")
    if not acts_in(user, borrower_ags):
        raise PermissionDenied("Sie können nur für Ihre eigene Gemeinde buchen.")


# --- items, crews, blocks ----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemDraft:
    holder_kind: str
    holder_ags: str | None
    category: str
    title: str
    description: str = ""
    depot: str = ""
    point: str = ""  # "51.27, 12.58" (lat, lon) or empty
    rate_hour_cents: int = 0
    rate_day_cents: int = 0
    rate_km_cents: int = 0
    deposit_cents: int = 0
    operator_required: bool = False
    operator_rate_cents: int = 0
    crew_id: int | None = None
    licence: str = ""
    insurance_note: str = ""
    pickup_place: str = ""
    return_place: str = ""
    holder_label: str = ""  # a club's name; members and the alliance are named by the app
    purchase_value_cents: int = 0  # buying it new (replacement value), for the figures


def _holder_label(alliance: Alliance, kind: str, ags: str | None, label: str) -> str:
    if kind == "municipality":
        return f"Bauhof {alliance.municipality(ags).name}"
    if kind == "alliance":
        return alliance.name
    return label


def _check_item(db, alliance: Alliance, draft: ItemDraft) -> tuple[dict, list[str]]:
    errors: list[str] = []
    if draft.holder_kind not in HOLDER_KINDS:
        errors.append("Bitte angeben, wem das Gerät gehört.")
    members = {m.ags for m in alliance.municipalities}
    if draft.holder_kind == "municipality" and draft.holder_ags not in members:
        errors.append("Bitte die Mitgliedsgemeinde wählen, deren Bauhof das Gerät gehört.")
    if draft.category not in CATEGORIES:
        errors.append("Bitte eine Kategorie wählen.")
    title = _line(draft.title, TITLE_MAX, "Bezeichnung", errors)
    if not title:
        errors.append("Bitte eine Bezeichnung angeben.")
    club = _line(draft.holder_label, TITLE_MAX, "Verein", errors)
    if draft.holder_kind == "club" and not club:
        errors.append("Bitte den Verein nennen, dem das Gerät gehört.")
    lat = lon = None
    if clean(draft.point):
        try:
            lat, lon = geo.parse_coordinates(clean(draft.point))
        except ValueError as exc:
            errors.append(str(exc))
    for value, label in (
        (draft.rate_hour_cents, "Satz je Stunde"),
        (draft.rate_day_cents, "Satz je Tag"),
        (draft.rate_km_cents, "Satz je Kilometer"),
        (draft.deposit_cents, "Kaution"),
        (draft.operator_rate_cents, "Satz für das Bedienpersonal"),
    ):
        if not isinstance(value, int) or not 0 <= value <= MAX_CENTS:
            errors.append(f"{label}: ein Betrag zwischen 0 und {euro(MAX_CENTS)}.")
    value = draft.purchase_value_cents
    if not isinstance(value, int) or not 0 <= value <= MAX_VALUE_CENTS:
        errors.append(f"Anschaffungswert: ein Betrag zwischen 0 und {euro(MAX_VALUE_CENTS)}.")
    crew = store.crew(db, draft.crew_id) if draft.crew_id is not None else None
    if draft.operator_required:
        if crew is None:
            errors.append("Mit Bedienpersonal: bitte die Mannschaft des Bauhofs wählen.")
        elif draft.holder_kind == "municipality" and crew.holder_ags != draft.holder_ags:
            errors.append("Die Mannschaft gehört zu einem anderen Bauhof.")
    row = {
        "holder_kind": draft.holder_kind,
        "holder_ags": draft.holder_ags if draft.holder_kind == "municipality" else None,
        "category": draft.category,
        "title": title,
        "description": _text(draft.description, TEXT_MAX, "Beschreibung", errors),
        "depot": _line(draft.depot, PLACE_MAX, "Standort", errors),
        "lat": lat,
        "lon": lon,
        "rate_hour_cents": draft.rate_hour_cents,
        "rate_day_cents": draft.rate_day_cents,
        "rate_km_cents": draft.rate_km_cents,
        "deposit_cents": draft.deposit_cents,
        "operator_required": int(bool(draft.operator_required)),
        "operator_rate_cents": draft.operator_rate_cents if draft.operator_required else 0,
        "crew_id": crew.id if crew is not None and draft.operator_required else None,
        "licence": _line(draft.licence, PLACE_MAX, "Führerschein/Befähigung", errors),
        "insurance_note": _text(draft.insurance_note, TEXT_MAX, "Versicherung", errors),
        "pickup_place": _line(draft.pickup_place, PLACE_MAX, "Abholung", errors),
        "return_place": _line(draft.return_place, PLACE_MAX, "Rückgabe", errors),
        "purchase_value_cents": draft.purchase_value_cents,
    }
    if not errors:
        row["holder_label"] = _holder_label(alliance, draft.holder_kind, draft.holder_ags, club)
    return row, errors


def create_item(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    draft: ItemDraft,
    token: str | None = None,
    *,
    is_demo: bool = False,
) -> int:
    if not can(user.role, "sharing.inventory"):
        raise PermissionDenied("Geräte tragen die Bauhöfe der Mitgliedsgemeinden ein.")
    row, errors = _check_item(db, alliance, draft)
    if errors:
        raise ValidationError(errors)
    probe = Item(
        id=0, **{**_blank_item(), **row, "operator_required": bool(row["operator_required"])}
    )
    _require_keeper(user, probe)
    now = audit.now_iso()
    row.update(is_demo=int(is_demo), created_by=user.username, created_at=now, updated_at=now)
    with write_transaction(db):
        submissions.claim(db, token, "pool.item")
        item_id = store.insert_item(db, row)
        audit.record(
            db,
            user.actor,
            "pool.item.create",
            "pool_item",
            str(item_id),
            municipality_ags=row["holder_ags"],
            details={"title": row["title"]},
        )
        submissions.settle(db, token, str(item_id))
    return item_id


def _blank_item() -> dict:
    return {
        "holder_label": "",
        "active": True,
        "is_demo": False,
        "created_by": "",
        "created_at": "",
        "updated_at": "",
    }


# Fields an edit may change (the owner stays: an item changes hands outside the app).
EDITABLE = (
    "category",
    "title",
    "description",
    "depot",
    "lat",
    "lon",
    "rate_hour_cents",
    "rate_day_cents",
    "rate_km_cents",
    "deposit_cents",
    "operator_required",
    "operator_rate_cents",
    "crew_id",
    "licence",
    "insurance_note",
    "pickup_place",
    "return_place",
    "purchase_value_cents",
)


def draft_of(item: Item) -> ItemDraft:
    """The item as a draft to edit (the form starts from it)."""
    point = "" if item.lat is None or item.lon is None else f"{item.lat:.6f}, {item.lon:.6f}"
    return ItemDraft(
        holder_kind=item.holder_kind,
        holder_ags=item.holder_ags,
        category=item.category,
        title=item.title,
        description=item.description,
        depot=item.depot,
        point=point,
        rate_hour_cents=item.rate_hour_cents,
        rate_day_cents=item.rate_day_cents,
        rate_km_cents=item.rate_km_cents,
        deposit_cents=item.deposit_cents,
        operator_required=item.operator_required,
        operator_rate_cents=item.operator_rate_cents,
        crew_id=item.crew_id,
        licence=item.licence,
        insurance_note=item.insurance_note,
        pickup_place=item.pickup_place,
        return_place=item.return_place,
        holder_label=item.holder_label if item.holder_kind == "club" else "",
        purchase_value_cents=item.purchase_value_cents,
    )


def update_item(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    item_id: int,
    draft: ItemDraft,
) -> Item:
    """Change an item's data and lending rules (the owner's staff or the office). Bookings
    keep the rates they were made with; the owner cannot change here. Audited with the names
    of the changed fields."""
    with write_transaction(db):
        item = get_item(db, item_id)
        _require_keeper(user, item)
        fixed = {
            "holder_kind": item.holder_kind,
            "holder_ags": item.holder_ags,
            "holder_label": item.holder_label if item.holder_kind == "club" else "",
        }
        row, errors = _check_item(db, alliance, replace(draft, **fixed))
        if errors:
            raise ValidationError(errors)
        changes = {k: row[k] for k in EDITABLE if row[k] != getattr(item, k)}
        if "operator_required" in changes:
            changes["operator_required"] = int(changes["operator_required"])
        if not changes:
            return item
        store.update_item(db, item.id, {**changes, "updated_at": audit.now_iso()})
        audit.record(
            db,
            user.actor,
            "pool.item.update",
            "pool_item",
            str(item.id),
            municipality_ags=item.holder_ags,
            details={"fields": sorted(changes)},
        )
    return store.item(db, item_id)


def retire_item(
    db: sqlite_utils.Database,
    user: User,
    item_id: int,
    *,
    now: datetime | None = None,
    base_url: str = "",
) -> Item:
    """Take an item out of the pool: no new bookings, its history stays for the settlement.
    Refused while approved bookings have not ended (they are named); requests still held
    are declined, and their requesters are told."""
    moment = _now(now)
    with write_transaction(db):
        item = get_item(db, item_id)
        _require_keeper(user, item)
        pending = store.bookings(db, item_id=item.id, states=("approved",), start=_iso(moment))
        if pending:
            raise Conflict(
                [
                    "Das Gerät ist noch zugesagt und kann erst danach außer Dienst gestellt "
                    "werden. Bitte diese Buchungen zuerst stornieren oder abwarten:",
                    *(
                        f"{b.ref}: {_span_text(b.starts_at, b.ends_at)}, "
                        f"{notices.municipality_name(b.borrower_ags)}"
                        for b in pending
                    ),
                ]
            )
        reason = "Das Gerät wurde außer Dienst gestellt."
        requests = store.bookings(db, item_id=item.id, states=("requested",))
        for held in [b for b in requests if _held(b, moment)]:
            store.update_booking(
                db,
                held.id,
                {
                    "state": "declined",
                    "hold_until": None,
                    "decline_reason": reason,
                    "decided_by": user.username,
                    "decided_at": _iso(moment),
                },
            )
            notices.declined(db, store.booking(db, held.id), item, base_url)
        store.update_item(
            db,
            item.id,
            {
                "active": 0,
                "retired_at": _iso(moment),
                "retired_by": user.username,
                "updated_at": _iso(moment),
            },
        )
        audit.record(
            db,
            user.actor,
            "pool.item.retire",
            "pool_item",
            str(item.id),
            municipality_ags=item.holder_ags,
            details={"title": item.title},
        )
    return store.item(db, item_id)


def set_photo(db: sqlite_utils.Database, user: User, item_id: int, data: bytes) -> None:
    """One photo per item (a new one replaces it): at most 5 MB, a real JPEG or PNG by its
    content, stored re-encoded without metadata."""
    item = get_item(db, item_id)
    _require_keeper(user, item)
    image, width, height = images.sanitize_photo(data)  # PhotoError (German) when refused
    with write_transaction(db):
        store.put_item_photo(
            db,
            {
                "item_id": item.id,
                "image": image,
                "width": width,
                "height": height,
                "uploaded_by": user.username,
                "uploaded_at": audit.now_iso(),
            },
        )
        audit.record(
            db,
            user.actor,
            "pool.item.photo",
            "pool_item",
            str(item.id),
            municipality_ags=item.holder_ags,
        )


def photo(db: sqlite_utils.Database, item_id: int) -> bytes | None:
    """The item's photo as JPEG, or None."""
    return store.item_photo(db, item_id)


def create_crew(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    holder_ags: str,
    title: str,
    size: int,
    *,
    is_demo: bool = False,
) -> int:
    """Operators of a Bauhof who go out with its machines (`size` people at a time)."""
    if not can(user.role, "sharing.inventory") or not acts_in(user, holder_ags):
        raise PermissionDenied("Die Mannschaft eines Bauhofs pflegt dieser Bauhof.")
    errors: list[str] = []
    if holder_ags not in {m.ags for m in alliance.municipalities}:
        errors.append("Bitte eine Mitgliedsgemeinde wählen.")
    title = _line(title, TITLE_MAX, "Bezeichnung", errors) or "Bedienpersonal"
    if not isinstance(size, int) or not 1 <= size <= 50:
        errors.append("Größe der Mannschaft: 1 bis 50 Personen.")
    if errors:
        raise ValidationError(errors)
    with write_transaction(db):
        crew_id = store.insert_crew(
            db, {"holder_ags": holder_ags, "title": title, "size": size, "is_demo": int(is_demo)}
        )
        audit.record(
            db, user.actor, "pool.crew", "pool_crew", str(crew_id), municipality_ags=holder_ags
        )
    return crew_id


def get_item(db: sqlite_utils.Database, item_id: int) -> Item:
    item = store.item(db, item_id)
    if item is None or not item.active:
        raise NotFound("Dieses Gerät gibt es nicht (mehr).")
    return item


def items(
    db: sqlite_utils.Database, *, category: str | None = None, holder_ags: str | None = None
) -> list[Item]:
    return [
        i
        for i in store.items(db)
        if (category is None or i.category == category)
        and (holder_ags is None or i.holder_ags == holder_ags)
    ]


def crews(db: sqlite_utils.Database, holder_ags: str | None = None) -> list[Crew]:
    return store.crews(db, holder_ags)


def blocks(db: sqlite_utils.Database, item_id: int) -> list[Block]:
    return store.blocks_of_item(db, item_id)


def _span(start: datetime, end: datetime, now: datetime, *, past_ok: bool = False) -> list[str]:
    errors = []
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("aware datetimes expected")
    if end <= start:
        errors.append("Das Ende muss nach dem Beginn liegen.")
    elif end - start > MAX_SPAN:
        errors.append(
            f"Höchstens {MAX_SPAN.days} Tage am Stück; längere Überlassungen bitte "
            "direkt mit dem Bauhof vereinbaren."
        )
    if not past_ok and start < now - timedelta(minutes=5):
        errors.append("Der Beginn liegt in der Vergangenheit.")
    if start > now + MAX_AHEAD:
        errors.append("So weit im Voraus wird nicht gebucht (höchstens zwei Jahre).")
    return errors


def add_block(
    db: sqlite_utils.Database,
    user: User,
    item_id: int,
    start: datetime,
    end: datetime,
    reason: str,
    *,
    now: datetime | None = None,
    crew: bool = False,
) -> int:
    """Maintenance of the item (or, with `crew`, the item's crew away: holiday, winter
    service). Refused when it would cut into a confirmed booking."""
    moment = _now(now)
    item = get_item(db, item_id)
    _require_keeper(user, item)
    errors = _span(start, end, moment, past_ok=True)
    reason = _line(reason, PLACE_MAX, "Grund", errors) or (
        "Bedienpersonal verhindert" if crew else "Wartung"
    )
    if crew and item.crew_id is None:
        errors.append("Dieses Gerät hat keine eigene Mannschaft.")
    if errors:
        raise ValidationError(errors)
    s, e = _iso(start), _iso(end)
    with write_transaction(db):
        ids = store.items_of_crew(db, item.crew_id) if crew else [item.id]
        hit = store.occupying(db, ids, s, e, _iso(moment), operator_only=crew)
        hit = [b for b in hit if b.state == "approved"]
        if hit:
            raise Conflict(
                "In dieser Zeit ist das Gerät zugesagt ("
                + ", ".join(_span_text(b.starts_at, b.ends_at) for b in hit[:3])
                + "). Bitte die Buchung zuerst mit der entleihenden Gemeinde klären."
            )
        row = {
            "item_id": None if crew else item.id,
            "crew_id": item.crew_id if crew else None,
            "starts_at": s,
            "ends_at": e,
            "reason": reason,
            "created_by": user.username,
            "created_at": _iso(moment),
        }
        block_id = store.insert_block(db, row)
        audit.record(
            db,
            user.actor,
            "pool.block",
            "pool_item",
            str(item.id),
            municipality_ags=item.holder_ags,
            details={"reason": reason},
        )
    return block_id


# --- bookings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingDraft:
    borrower_ags: str
    starts_at: datetime  # aware
    ends_at: datetime
    with_operator: bool = False
    purpose: str = ""


def local_moment(day: date, clock: str | time) -> datetime:
    """A day and "HH:MM" in Europe/Berlin as an aware UTC datetime."""
    if isinstance(clock, str):
        try:
            clock = time.fromisoformat(clock.strip())
        except ValueError as exc:
            raise ValidationError("Uhrzeit bitte als HH:MM angeben.") from exc
    return datetime.combine(day, clock, BERLIN).astimezone(UTC)


def _span_text(start: datetime, end: datetime) -> str:
    a, b = start.astimezone(BERLIN), end.astimezone(BERLIN)
    if a.date() == b.date():
        return f"{a:%d.%m.%Y} {a:%H:%M}–{b:%H:%M}"
    return f"{a:%d.%m.%Y %H:%M} – {b:%d.%m.%Y %H:%M}"


def _max_concurrent(spans: list[tuple[datetime, datetime]]) -> int:
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    peak = level = 0
    for _, step in events:  # ends sort before starts at the same moment (-1 < 1)
        level += step
        peak = max(peak, level)
    return peak


def conflicts(
    db: sqlite_utils.Database,
    item: Item,
    start: datetime,
    end: datetime,
    with_operator: bool,
    now: datetime,
    exclude: int | None = None,
) -> list[str]:
    """Why [start, end) cannot be had (German sentences); empty when it is free. Call inside
    the write transaction that then books, so nobody takes the slot in between."""
    s, e, n = _iso(start), _iso(end), _iso(now)
    reasons = []
    for b in store.occupying(db, [item.id], s, e, n, exclude=exclude):
        what = "zugesagt" if b.state == "approved" else "reserviert"
        reasons.append(f"Das Gerät ist {_span_text(b.starts_at, b.ends_at)} schon {what}.")
    for block in store.blocks_overlapping(db, s, e, item_id=item.id):
        reasons.append(
            f"Das Gerät ist {_span_text(block.starts_at, block.ends_at)} nicht "
            f"verfügbar: {block.reason}."
        )
    if with_operator and item.crew_id is not None:
        crew = store.crew(db, item.crew_id)
        for block in store.blocks_overlapping(db, s, e, crew_id=item.crew_id):
            reasons.append(
                f"Das Bedienpersonal ist {_span_text(block.starts_at, block.ends_at)}"
                f" nicht verfügbar: {block.reason}."
            )
        busy = store.occupying(
            db, store.items_of_crew(db, item.crew_id), s, e, n, operator_only=True, exclude=exclude
        )
        spans = [(max(b.starts_at, start), min(b.ends_at, end)) for b in busy]
        if crew is not None and _max_concurrent(spans) >= crew.size:
            reasons.append(
                "In dieser Zeit ist das ganze Bedienpersonal des Bauhofs schon "
                "mit anderen Geräten unterwegs."
            )
    return reasons


def request_booking(
    db: sqlite_utils.Database,
    user: User,
    item_id: int,
    draft: BookingDraft,
    token: str | None = None,
    *,
    now: datetime | None = None,
    base_url: str = "",
) -> Booking:
    """Reserve the span: the owner's own staff book directly (approved), other members hold
    the slot for HOLD until the owner answers. Conflict (German) when the slot is taken."""
    moment = _now(now)
    item = get_item(db, item_id)
    _require_booker(user, draft.borrower_ags)
    errors = _span(draft.starts_at, draft.ends_at, moment)
    purpose = _text(draft.purpose, TEXT_MAX, "Zweck", errors)
    if item.operator_required and not draft.with_operator:
        errors.append("Dieses Gerät wird nur mit Bedienpersonal des Bauhofs verliehen.")
    with_operator = bool(draft.with_operator and item.crew_id is not None)
    if draft.with_operator and item.crew_id is None:
        errors.append("Für dieses Gerät stellt der Bauhof kein Bedienpersonal.")
    if errors:
        raise ValidationError(errors)
    own = draft.borrower_ags == item.holder_ags and may_keep(user, item)
    with write_transaction(db):
        submissions.claim(db, token, "pool.booking")
        reasons = conflicts(db, item, draft.starts_at, draft.ends_at, with_operator, moment)
        if reasons:
            raise Conflict(
                ["Diese Zeit ist nicht frei – die Anfrage wurde nicht gespeichert.", *reasons]
            )
        booking_id = store.insert_booking(
            db,
            {
                "item_id": item.id,
                "borrower_ags": draft.borrower_ags,
                "starts_at": _iso(draft.starts_at),
                "ends_at": _iso(draft.ends_at),
                "with_operator": int(with_operator),
                "purpose": purpose,
                "state": "approved" if own else "requested",
                "hold_until": None if own else _iso(moment + HOLD),
                "rate_hour_cents": item.rate_hour_cents,
                "rate_day_cents": item.rate_day_cents,
                "rate_km_cents": item.rate_km_cents,
                "operator_rate_cents": item.operator_rate_cents if with_operator else 0,
                "requested_by": user.username,
                "requested_at": _iso(moment),
                "decided_by": user.username if own else None,
                "decided_at": _iso(moment) if own else None,
            },
        )
        audit.record(
            db,
            user.actor,
            "pool.booking.request",
            "pool_booking",
            str(booking_id),
            municipality_ags=draft.borrower_ags,
            details={"item": item.id, "own": own},
        )
        submissions.settle(db, token, str(booking_id))
        booking = store.booking(db, booking_id)
        if not own:
            notices.requested(db, booking, item, base_url)
    return booking


def get_booking(db: sqlite_utils.Database, user: User, booking_id: int) -> tuple[Booking, Item]:
    found = store.booking(db, booking_id)
    if found is None:
        raise NotFound("Diese Buchung gibt es nicht.")
    item = store.item(db, found.item_id)
    if not (may_keep(user, item) or (may_book(user) and acts_in(user, found.borrower_ags))):
        raise NotFound("Diese Buchung gibt es nicht.")
    return found, item


def _held(booking: Booking, now: datetime) -> bool:
    return (
        booking.state == "requested"
        and booking.hold_until is not None
        and (booking.hold_until > now)
    )


def approve(
    db: sqlite_utils.Database,
    user: User,
    booking_id: int,
    *,
    now: datetime | None = None,
    base_url: str = "",
) -> Booking:
    moment = _now(now)
    with write_transaction(db):
        booking, item = get_booking(db, user, booking_id)
        _require_keeper(user, item)
        if booking.state != "requested":
            raise Conflict(f"Diese Buchung ist schon {booking.state_label}.")
        expired = not _held(booking, moment)
        if expired:  # recorded, and the refusal raised once the change is committed
            store.update_booking(db, booking_id, {"state": "expired"})
            audit.record(
                db,
                audit.SYSTEM,
                "pool.booking.expired",
                "pool_booking",
                str(booking_id),
                municipality_ags=booking.borrower_ags,
            )
            notices.expired(db, store.booking(db, booking_id), item, base_url)
        else:
            _confirm(db, user, booking, item, moment)
            notices.approved(db, store.booking(db, booking_id), item, base_url)
    if expired:
        raise Conflict("Die Reservierung ist abgelaufen; die Gemeinde muss neu anfragen.")
    return store.booking(db, booking_id)


def _confirm(db, user: User, booking: Booking, item: Item, moment: datetime) -> None:
    booking_id = booking.id
    reasons = conflicts(
        db,
        item,
        booking.starts_at,
        booking.ends_at,
        booking.with_operator,
        moment,
        exclude=booking_id,
    )
    if reasons:
        raise Conflict(["Die Zeit ist nicht mehr frei:", *reasons])
    store.update_booking(
        db,
        booking_id,
        {
            "state": "approved",
            "hold_until": None,
            "decided_by": user.username,
            "decided_at": _iso(moment),
        },
    )
    audit.record(
        db,
        user.actor,
        "pool.booking.approve",
        "pool_booking",
        str(booking_id),
        municipality_ags=item.holder_ags,
    )


def extend_hold(
    db: sqlite_utils.Database, user: User, booking_id: int, *, now: datetime | None = None
) -> Booking:
    """The owner needs more time to answer: the hold runs HOLD from now (while it lasts)."""
    moment = _now(now)
    with write_transaction(db):
        booking, item = get_booking(db, user, booking_id)
        _require_keeper(user, item)
        if not _held(booking, moment):
            raise Conflict("Nur eine laufende Reservierung kann verlängert werden.")
        store.update_booking(db, booking_id, {"hold_until": _iso(moment + HOLD)})
        audit.record(
            db,
            user.actor,
            "pool.booking.extend",
            "pool_booking",
            str(booking_id),
            municipality_ags=item.holder_ags,
        )
    return store.booking(db, booking_id)


def decline(
    db: sqlite_utils.Database,
    user: User,
    booking_id: int,
    reason: str,
    *,
    now: datetime | None = None,
    base_url: str = "",
) -> Booking:
    moment = _now(now)
    errors: list[str] = []
    reason = _text(reason, TEXT_MAX, "Begründung", errors)
    if not reason:
        errors.append("Bitte kurz begründen, warum die Anfrage abgelehnt wird.")
    if errors:
        raise ValidationError(errors)
    with write_transaction(db):
        booking, item = get_booking(db, user, booking_id)
        _require_keeper(user, item)
        if booking.state != "requested":
            raise Conflict(f"Diese Buchung ist schon {booking.state_label}.")
        store.update_booking(
            db,
            booking_id,
            {
                "state": "declined",
                "hold_until": None,
                "decline_reason": reason,
                "decided_by": user.username,
                "decided_at": _iso(moment),
            },
        )
        audit.record(
            db,
            user.actor,
            "pool.booking.decline",
            "pool_booking",
            str(booking_id),
            municipality_ags=item.holder_ags,
            reason=reason,
        )
        notices.declined(db, store.booking(db, booking_id), item, base_url)
    return store.booking(db, booking_id)


def cancel(
    db: sqlite_utils.Database,
    user: User,
    booking_id: int,
    *,
    now: datetime | None = None,
    base_url: str = "",
) -> Booking:
    """The borrower or the owner calls a booking off before it has begun."""
    moment = _now(now)
    with write_transaction(db):
        booking, item = get_booking(db, user, booking_id)
        if booking.state not in ("requested", "approved"):
            raise Conflict(f"Diese Buchung ist schon {booking.state_label}.")
        if booking.starts_at <= moment and booking.state == "approved":
            raise Conflict("Die Buchung hat schon begonnen; bitte die Rückgabe eintragen.")
        store.update_booking(db, booking_id, {"state": "cancelled", "hold_until": None})
        audit.record(
            db,
            user.actor,
            "pool.booking.cancel",
            "pool_booking",
            str(booking_id),
            municipality_ags=booking.borrower_ags,
        )
        by_borrower = user.municipality_ags == booking.borrower_ags or not may_keep(user, item)
        notices.cancelled(
            db, store.booking(db, booking_id), item, by_borrower, user.username, base_url
        )
    return store.booking(db, booking_id)


@dataclass(frozen=True)
class ReturnInput:
    machine_hours: str = ""
    operator_hours: str = ""  # empty: as many as the machine's hours
    km: int = 0
    condition_note: str = ""


def record_return(
    db: sqlite_utils.Database,
    user: User,
    booking_id: int,
    returned: ReturnInput,
    *,
    now: datetime | None = None,
) -> Booking:
    """The owner takes the item back: condition, hours of the machine and the operator, km."""
    moment = _now(now)
    booking, item = get_booking(db, user, booking_id)
    _require_keeper(user, item)
    errors: list[str] = []
    span = booking.ends_at - booking.starts_at
    try:
        machine = minutes_from_hours(returned.machine_hours, "Maschinenstunden", span)
        operator = 0
        if booking.with_operator:
            typed = returned.operator_hours
            operator = (
                machine
                if not str(typed or "").strip()
                else minutes_from_hours(typed, "Stunden Bedienpersonal", span)
            )
    except ValidationError as exc:
        errors += exc.errors
        machine = operator = 0
    km = returned.km
    if not isinstance(km, int) or not 0 <= km <= MAX_KM:
        errors.append(f"Kilometer: eine ganze Zahl von 0 bis {MAX_KM}.")
    note = _text(returned.condition_note, TEXT_MAX, "Zustand", errors)
    if booking.starts_at > moment:
        errors.append("Die Buchung hat noch nicht begonnen.")
    if errors:
        raise ValidationError(errors)
    with write_transaction(db):
        current = store.booking(db, booking_id)
        if current.state != "approved":
            raise Conflict(
                f"Diese Buchung ist {current.state_label}; zurückgegeben werden kann "
                "nur eine zugesagte."
            )
        store.update_booking(
            db,
            booking_id,
            {
                "state": "returned",
                "returned_at": _iso(moment),
                "condition_note": note,
                "machine_minutes": machine,
                "operator_minutes": operator,
                "km_used": km,
            },
        )
        audit.record(
            db,
            user.actor,
            "pool.booking.return",
            "pool_booking",
            str(booking_id),
            municipality_ags=item.holder_ags,
        )
    return store.booking(db, booking_id)


def expire_holds(
    db: sqlite_utils.Database, *, now: datetime | None = None, base_url: str = ""
) -> int:
    """Mark requests whose hold ran out as expired (they stopped counting already) and tell
    each requester."""
    with write_transaction(db):
        ids = store.expire_holds(db, _iso(_now(now)))
        for booking_id in ids:
            audit.record(db, audit.SYSTEM, "pool.booking.expired", "pool_booking", str(booking_id))
            booking = store.booking(db, booking_id)
            notices.expired(db, booking, store.item(db, booking.item_id), base_url)
    return len(ids)


def bookings_for(
    db: sqlite_utils.Database,
    user: User,
    *,
    incoming: bool,
    states: tuple[str, ...] = (),
    since: datetime | None = None,
    limit: int | None = None,
) -> list[tuple[Booking, Item]]:
    """`incoming`: requests and loans of the user's own Bauhof's items (the office: all);
    else the user's municipality's own bookings of other members' items. `since`: only those
    ending after it; `limit`: the first ones by start (incoming) or the newest (own)."""
    ags = user.municipality_ags
    window = {"start": _iso(since) if since else None, "limit": limit}
    if incoming:
        if not can(user.role, "sharing.inventory"):
            return []
        found = store.bookings(db, holder_ags=ags, states=states, **window)
    else:
        if not may_book(user) or ags is None:
            return []
        found = store.bookings(db, borrower_ags=ags, states=states, newest_first=True, **window)
    by_id = {i.id: i for i in store.items(db, active_only=False)}
    pairs = [(b, by_id[b.item_id]) for b in found]
    if incoming:
        pairs = [(b, i) for b, i in pairs if may_keep(user, i)]
    return pairs


def occupancy(
    db: sqlite_utils.Database,
    item_id: int,
    start: datetime,
    end: datetime,
    *,
    now: datetime | None = None,
) -> list[tuple[datetime, datetime, str]]:
    """What occupies the item in [start, end): (from, to, German label) without personal data:
    the borrowing municipality's AGS is named by the caller, not a person."""
    moment = _now(now)
    s, e = _iso(start), _iso(end)
    found = [
        (
            b.starts_at,
            b.ends_at,
            "zugesagt" if b.state == "approved" else "reserviert",
            b.borrower_ags,
        )
        for b in store.occupying(db, [item_id], s, e, _iso(moment))
    ]
    found += [
        (b.starts_at, b.ends_at, f"Wartung: {b.reason}", "")
        for b in store.blocks_overlapping(db, s, e, item_id=item_id)
    ]
    return sorted((a, b, label + (f" ({ags})" if ags else "")) for a, b, label, ags in found)


def week(
    db: sqlite_utils.Database,
    alliance: Alliance,
    item_id: int,
    monday: date,
    *,
    now: datetime | None = None,
) -> list[dict]:
    """The week view: one row per day with what occupies the item (municipalities by name)."""
    names = {m.ags: m.name for m in alliance.municipalities}
    start = datetime.combine(monday, time.min, BERLIN)
    rows = []
    spans = occupancy(db, item_id, start, start + timedelta(days=7), now=now)
    for offset in range(7):
        day_start = start + timedelta(days=offset)
        day_end = day_start + timedelta(days=1)
        parts = []
        for a, b, label in spans:
            if a < day_end and b > day_start:
                frm = max(a, day_start).astimezone(BERLIN)
                to = min(b, day_end).astimezone(BERLIN)
                until = "24:00" if to == day_end.astimezone(BERLIN) else f"{to:%H:%M}"
                for ags, name in names.items():
                    label = label.replace(f"({ags})", f"({name})")
                parts.append(f"{frm:%H:%M}–{until} {label}")
        rows.append(
            {
                "Tag": WEEKDAYS[offset],
                "Datum": day_start.date(),
                "Belegung": "; ".join(parts) or "frei",
            }
        )
    return rows


DEPOT_VIEWS = {"woche": "Woche", "monat": "Monat"}
DAY_STATES = ("zugesagt", "reserviert", "gesperrt")  # what a day cell can say, besides "frei"


def depot_period(view: str, day: date) -> tuple[date, int]:
    """The first day and the number of days of a depot view: the week (Monday to Sunday) or
    the calendar month containing `day`."""
    if view == "monat":
        first = day.replace(day=1)
        after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, (after - first).days
    if view != "woche":
        raise ValidationError("Ansicht: Woche oder Monat.")
    return day - timedelta(days=day.weekday()), 7


def day_label(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%d.%m.}"


def depot(
    db: sqlite_utils.Database,
    holder_ags: str,
    first: date,
    days: int,
    *,
    now: datetime | None = None,
) -> list[dict]:
    """Availability of all active items of one municipality's Bauhof, one row per item and
    one column per day (Europe/Berlin): "frei", or what touches the day ("zugesagt",
    "reserviert" while a hold lasts, "gesperrt" for maintenance), several joined by commas.
    Words, not colours: the table reads the same on a screen reader and in print. Two queries
    for the whole depot, whatever the number of items."""
    if not 1 <= days <= 31:
        raise ValidationError("Höchstens 31 Tage auf einmal.")
    found = items(db, holder_ags=holder_ags)
    bounds = [
        datetime.combine(first + timedelta(days=n), time.min, BERLIN) for n in range(days + 1)
    ]
    s, e = _iso(bounds[0]), _iso(bounds[-1])
    ids = [i.id for i in found]
    marks: dict[int, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    for b in store.occupying(db, ids, s, e, _iso(_now(now))):
        marks[b.item_id].append(
            (b.starts_at, b.ends_at, "zugesagt" if b.state == "approved" else "reserviert")
        )
    for block in store.blocks_of_items(db, ids, s, e):
        marks[block.item_id].append((block.starts_at, block.ends_at, "gesperrt"))
    rows = []
    for item in found:
        row = {"Gerät": item.title, "Nr.": item.ref}
        for n in range(days):
            lo, hi = bounds[n], bounds[n + 1]
            touching = {label for a, b, label in marks[item.id] if a < hi and b > lo}
            row[day_label(first + timedelta(days=n))] = (
                ", ".join(x for x in DAY_STATES if x in touching) or "frei"
            )
        rows.append(row)
    return rows


# --- settlement ("Abgeltung") ------------------------------------------------------------------


def _cents(rate_cents: int, minutes: int) -> int:
    return int((Decimal(rate_cents) * minutes / 60).quantize(Decimal(1), ROUND_HALF_UP))


def days_of(booking: Booking) -> int:
    """Calendar days (Europe/Berlin) the booking touches: a day rate counts each of them."""
    return _days(booking.starts_at, booking.ends_at)


def _days(starts_at: datetime, ends_at: datetime) -> int:
    a = starts_at.astimezone(BERLIN).date()
    b = (ends_at - timedelta(seconds=1)).astimezone(BERLIN).date()
    return (b - a).days + 1


def _charges(
    rates: tuple[int, int, int, int],
    machine_minutes: int,
    days: int,
    operator_minutes: int,
    km: int,
) -> tuple[int, int, int, int]:
    """(machine, day, operator, km) cents of a loan at the booking's rates (per hour, day,
    operator hour, km): the one rule for the statement and for the steering group's sums."""
    rate_hour, rate_day, operator_rate, rate_km = rates
    return (
        _cents(rate_hour, machine_minutes),
        rate_day * days if rate_day else 0,
        _cents(operator_rate, operator_minutes),
        rate_km * km,
    )


@dataclass(frozen=True)
class StatementLine:
    booking: Booking
    item: Item
    creditor_ags: str  # the owner
    debtor_ags: str  # the borrower
    machine_cents: int
    day_cents: int
    operator_cents: int
    km_cents: int

    @property
    def total_cents(self) -> int:
        return self.machine_cents + self.day_cents + self.operator_cents + self.km_cents


@dataclass(frozen=True)
class PairBalance:
    """Two members' claims in a quarter and what remains after netting."""

    first_ags: str
    second_ags: str
    first_claims_cents: int  # what the second owes the first
    second_claims_cents: int
    lines: tuple[StatementLine, ...] = field(default=())

    @property
    def net(self) -> tuple[str, str, int]:
        """(debtor, creditor, cents) after netting; cents 0 when even."""
        diff = self.first_claims_cents - self.second_claims_cents
        if diff >= 0:
            return self.second_ags, self.first_ags, diff
        return self.first_ags, self.second_ags, -diff


def quarter_span(year: int, quarter: int) -> tuple[datetime, datetime]:
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise ValidationError("Quartal 1 bis 4 eines Jahres zwischen 2000 und 2100.")
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return (datetime.combine(first, time.min, BERLIN), datetime.combine(after, time.min, BERLIN))


def line_for(booking: Booking, item: Item) -> StatementLine:
    b = booking
    machine, day, operator, km = _charges(
        (b.rate_hour_cents, b.rate_day_cents, b.operator_rate_cents, b.rate_km_cents),
        b.machine_minutes or 0,
        days_of(b) if b.rate_day_cents else 0,
        b.operator_minutes or 0,
        b.km_used or 0,
    )
    return StatementLine(
        booking=booking,
        item=item,
        creditor_ags=item.holder_ags,
        debtor_ags=booking.borrower_ags,
        machine_cents=machine,
        day_cents=day,
        operator_cents=operator,
        km_cents=km,
    )


@dataclass(frozen=True, slots=True)
class LoanFigure:
    """A returned loan between members as the steering group's figures add it up: the item,
    the borrower, machine minutes and the settlement's total (no Booking built: a district's
    year holds tens of thousands of loans)."""

    item: Item
    debtor_ags: str
    machine_minutes: int
    total_cents: int

    @property
    def creditor_ags(self) -> str:
        return self.item.holder_ags


def loan_figures(db: sqlite_utils.Database, start: datetime, end: datetime) -> list[LoanFigure]:
    """The loans of `returned_between`, in the same order and with the same totals, read as
    plain rows of the columns the figures need."""
    by_id = {i.id: i for i in store.items(db, active_only=False)}
    found = []
    for row in store.returned_ending_figures(db, _iso(start), _iso(end)):
        item_id, borrower, starts, ends, rates, machine, operator, km = row
        item = by_id[item_id]
        ends_at = datetime.fromisoformat(ends)
        if not start <= ends_at < end or item.holder_kind != "municipality":
            continue
        if item.holder_ags == borrower:
            continue
        days = _days(datetime.fromisoformat(starts), ends_at) if rates[1] else 0
        charged = _charges(rates, machine or 0, days, operator or 0, km or 0)
        found.append(LoanFigure(item, borrower, machine or 0, sum(charged)))
    return found


def settlement(db: sqlite_utils.Database, user: User, year: int, quarter: int) -> list[PairBalance]:
    """Per pair of members: the returned bookings between them that ended in the quarter,
    each side's claims and the net. Staff and mayors see the pairs of their municipality."""
    if not can(user.role, "sharing.settlement"):
        raise PermissionDenied("Die Abgeltung sehen die Verwaltungen der Mitgliedsgemeinden.")
    start, end = quarter_span(year, quarter)
    pairs: dict[tuple[str, str], list[StatementLine]] = defaultdict(list)
    for line in returned_between(db, start, end):  # the quarter in which the use ended
        pairs[tuple(sorted((line.creditor_ags, line.debtor_ags)))].append(line)
    result = []
    for (first, second), lines in sorted(pairs.items()):
        if not (acts_in(user, first) or acts_in(user, second)):
            continue
        result.append(
            PairBalance(
                first,
                second,
                sum(x.total_cents for x in lines if x.creditor_ags == first),
                sum(x.total_cents for x in lines if x.creditor_ags == second),
                tuple(lines),
            )
        )
    return result


def hours(minutes: int | None) -> str:
    return de_number(Decimal(minutes or 0) / 60, 2)


def returned_between(
    db: sqlite_utils.Database, start: datetime, end: datetime
) -> list[StatementLine]:
    """Returned loans between members whose use ended in [start, end) (for the figures)."""
    by_id = {i.id: i for i in store.items(db, active_only=False)}
    found = []
    for booking in store.returned_ending(db, _iso(start), _iso(end)):
        item = by_id[booking.item_id]
        if not start <= booking.ends_at < end or item.holder_kind != "municipality":
            continue
        if item.holder_ags != booking.borrower_ags:
            found.append(line_for(booking, item))
    return found
