"""Sharing vocabulary and records: the Bauhof pool's items, crews, blocks and bookings; the
citizens' Teilkultur listings and contact requests. Money in integer cents, use in minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

HOLDER_KINDS = {
    "municipality": "Bauhof einer Mitgliedsgemeinde",
    "club": "Verein",
    "alliance": "Allianz",
}
CATEGORIES = {
    "machine": "Maschine",
    "vehicle": "Fahrzeug",
    "trailer": "Anhänger",
    "event": "Veranstaltungsausstattung",
    "tool": "Werkzeug und Kleingerät",
}
BOOKING_STATES = {
    "requested": "angefragt (reserviert)",
    "approved": "zugesagt",
    "declined": "abgelehnt",
    "cancelled": "storniert",
    "expired": "Reservierung abgelaufen",
    "returned": "zurückgegeben",
}
# States whose bookings occupy the item (a request only while its hold lasts).
OCCUPYING = ("requested", "approved")

LISTING_KINDS = {"lend": "zum Verleihen", "give": "zu verschenken", "wanted": "gesucht"}
LISTING_STATES = {
    "pending": "wartet auf Freigabe",
    "published": "veröffentlicht",
    "rejected": "nicht freigegeben",
    "closed": "erledigt",
}
REQUEST_STATES = {"open": "offen", "declined": "abgelehnt"}


@dataclass(frozen=True)
class Crew:
    id: int
    holder_ags: str
    title: str
    size: int


@dataclass(frozen=True)
class Item:
    id: int
    holder_kind: str
    holder_ags: str | None
    holder_label: str
    category: str
    title: str
    description: str
    depot: str
    lat: float | None
    lon: float | None
    rate_hour_cents: int
    rate_day_cents: int
    rate_km_cents: int
    deposit_cents: int
    operator_required: bool
    operator_rate_cents: int
    crew_id: int | None
    licence: str
    insurance_note: str
    pickup_place: str
    return_place: str
    active: bool
    is_demo: bool
    created_by: str
    created_at: str
    updated_at: str
    purchase_value_cents: int = 0  # what buying the item new would cost (figure: savings)
    retired_at: str | None = None  # retired: no new bookings, the history stays
    retired_by: str | None = None

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def ref(self) -> str:
        return f"G-{self.id:04d}"


@dataclass(frozen=True)
class Block:
    id: int
    item_id: int | None
    crew_id: int | None
    starts_at: datetime
    ends_at: datetime
    reason: str


@dataclass(frozen=True)
class Booking:
    id: int
    item_id: int
    borrower_ags: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime
    with_operator: bool
    purpose: str
    state: str
    hold_until: datetime | None
    rate_hour_cents: int
    rate_day_cents: int
    rate_km_cents: int
    operator_rate_cents: int
    requested_by: str
    requested_at: str
    decided_by: str | None
    decided_at: str | None
    decline_reason: str
    returned_at: str | None
    condition_note: str
    machine_minutes: int | None
    operator_minutes: int | None
    km_used: int | None
    is_demo: bool

    @property
    def state_label(self) -> str:
        return BOOKING_STATES.get(self.state, self.state)

    @property
    def ref(self) -> str:
        return f"B-{self.id:05d}"


@dataclass(frozen=True)
class Listing:
    """A citizen's offer or wish as the public sees it (never the e-mail address)."""

    id: int
    kind: str
    title: str
    description: str
    place_hint: str
    ags: str | None
    state: str
    reject_reason: str
    created_at: str

    @property
    def kind_label(self) -> str:
        return LISTING_KINDS.get(self.kind, self.kind)

    @property
    def state_label(self) -> str:
        return LISTING_STATES.get(self.state, self.state)


@dataclass(frozen=True)
class ContactRequest:
    """A request for a listing; `other_email` is filled only once both sides agreed."""

    id: int
    listing_id: int
    note: str
    requester_agrees: bool
    offerer_agrees: bool
    state: str
    created_at: str
    other_email: str | None = None

    @property
    def agreed(self) -> bool:
        return self.requester_agrees and self.offerer_agrees
