"""Events ("Veranstaltungen"): states, sources, the default categories, the recurrence
vocabulary of the German form and the records the pages show."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    SUBMITTED = "submitted"  # sent by a club without an account, waiting for moderation
    PUBLISHED = "published"  # public in the list, on the start page and in the feed
    DECLINED = "declined"  # refused by the municipality's staff, with a reason (not public)
    CANCELLED = "cancelled"  # published, then called off: stays visible as "abgesagt"


STATE_LABELS = {
    State.SUBMITTED: "wartet auf Freigabe",
    State.PUBLISHED: "veröffentlicht",
    State.DECLINED: "abgelehnt",
    State.CANCELLED: "abgesagt",
}
PUBLIC = (State.PUBLISHED, State.CANCELLED)

SOURCES = {
    "club": "gemeldet von einem Verein (ohne Konto)",
    "municipality": "eingetragen von der Gemeinde",
    "office": "eingetragen von der Geschäftsstelle",
}

# The alliance file's [events] categories = {code = "Label", ...} replaces this list.
DEFAULT_CATEGORIES = {
    "kultur": "Kultur",
    "sport": "Sport",
    "feste": "Feste & Märkte",
    "vereine": "Vereine",
    "familie": "Kinder & Familie",
    "senioren": "Senioren",
    "bildung": "Bildung",
    "natur": "Natur",
    "allianz": "Allianz",
}
MEETING_CATEGORY = "Sitzung"  # public meetings of the meetings slice, shown in the list

FREQUENCIES = {
    "none": "einmalig",
    "daily": "täglich",
    "weekly": "wöchentlich an Wochentagen",
    "monthly": "monatlich am gleichen Tag",
    "monthly_weekday": "monatlich am gleichen Wochentag (z. B. jeden 1. Samstag)",
}
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
END_KINDS = {"count": "nach einer Anzahl Termine", "until": "an einem Datum"}

# The bound of a series: more occurrences, or a series running longer, is refused.
MAX_OCCURRENCES = 500
MAX_YEARS = 3

TITLE_MIN, TITLE_MAX = 3, 150
DESCRIPTION_MAX = 5000
VENUE_MAX = 150
LOCATION_MAX = 200
ORGANISER_MAX = 150
PRICE_MAX = 200
ACCESSIBILITY_MAX = 1000
REASON_MAX = 1000
MAX_DAYS = 14  # one occurrence lasts at most two weeks (a Kirmes, a festival week)


@dataclass(frozen=True)
class Event:
    """An event as the public may see it; the submitter's e-mail is never part of it."""

    id: int
    title: str
    description: str
    category: str
    municipality_ags: str | None
    starts_at: str  # UTC ISO: the first occurrence
    ends_at: str
    all_day: bool
    rrule: str  # RFC 5545 RRULE value without DTSTART, empty for a single date
    exdates: tuple[str, ...]  # local dates (YYYY-MM-DD) of left-out occurrences
    last_end_at: str
    venue: str
    location_line: str
    lat: float | None
    lon: float | None
    organiser: str
    free: bool
    price_text: str
    accessibility: str
    state: State
    decline_reason: str
    cancel_reason: str
    source: str
    created_by: str
    created_at: str
    updated_at: str
    published_at: str | None

    @property
    def ref(self) -> str:
        return f"V-{self.id:04d}"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Occurrence:
    """One date of the list: an occurrence of an event, or a public meeting (event is None)."""

    starts_at: str  # UTC ISO
    ends_at: str
    all_day: bool
    title: str
    category_label: str
    municipality_ags: str | None
    venue: str
    cancelled: bool
    event_id: int | None = None
    meeting_id: int | None = None
    recurring: bool = False


@dataclass(frozen=True)
class Page:
    """One page of the list of coming dates."""

    items: tuple[Occurrence, ...]
    total: int
    page: int
    pages: int
