"""Job postings ("Stellenanzeigen") of the members: kinds, pay grades, the posting as the
public may see it, and the German labels.

A posting is open from its creation through the end of its deadline day (`valid_through`,
Europe/Berlin); afterwards it is archived (it stays readable in the archive). A withdrawn
posting is no longer public.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    JOB = "job"
    APPRENTICESHIP = "apprenticeship"
    INTERNSHIP = "internship"
    VOLUNTEER = "volunteer"


KIND_LABELS = {
    Kind.JOB: "Stelle",
    Kind.APPRENTICESHIP: "Ausbildung",
    Kind.INTERNSHIP: "Praktikum",
    Kind.VOLUNTEER: "Freiwilligendienst",
}
# the feed's `art=` values (German, as people type them into an address)
KIND_SLUGS = {
    "stelle": Kind.JOB,
    "ausbildung": Kind.APPRENTICESHIP,
    "praktikum": Kind.INTERNSHIP,
    "freiwilligendienst": Kind.VOLUNTEER,
}


class State(StrEnum):
    OPEN = "open"  # published; public until the end of the deadline day
    WITHDRAWN = "withdrawn"  # taken back by the poster before the deadline


HOURS_LABELS = {False: "Vollzeit", True: "Teilzeit"}
FULL_TIME_HOURS = 39.0  # TVöD VKA, weekly hours of a full-time post

# Pay grades: TVöD (VKA) Entgeltgruppen, the social and educational service (TVöD SuE), the
# trainees' and interns' agreements, and the civil servants' Besoldung (A).
TVOED = (
    "E 1", "E 2", "E 2Ü", "E 3", "E 4", "E 5", "E 6", "E 7", "E 8", "E 9a", "E 9b", "E 9c",
    "E 10", "E 11", "E 12", "E 13", "E 14", "E 15", "E 15Ü",
)  # fmt: skip
SUE = (
    "S 2", "S 3", "S 4", "S 7", "S 8a", "S 8b", "S 9", "S 10", "S 11a", "S 11b", "S 12",
    "S 13", "S 14", "S 15", "S 16", "S 17", "S 18",
)  # fmt: skip
TRAINEES = ("TVAöD", "TVPöD")
BESOLDUNG = tuple(f"A {n}" for n in range(3, 17))
PAY_GRADES = (*TVOED, *SUE, *TRAINEES, *BESOLDUNG)

TITLE_MAX = 150
WORKPLACE_MAX = 300
DESCRIPTION_MAX = 8000
APPLY_TEXT_MAX = 2000
URL_MAX = 500
CONTACT_MAX = 120
REASON_MAX = 500
REMIND_DAYS_BEFORE = 5
PAGE_SIZE = 20


@dataclass(frozen=True)
class Posting:
    id: int
    municipality_ags: str
    title: str
    kind: Kind
    pay_grade: str
    part_time: bool
    hours_per_week: float | None
    starts_on: str | None  # ISO date; None: "ab sofort"
    valid_through: str  # ISO date (Berlin calendar day)
    workplace: str
    description: str
    apply_text: str
    apply_url: str
    apply_email: str
    contact_name: str
    contact_phone: str
    contact_email: str
    state: State
    withdrawn_reason: str
    reminded_at: str | None
    created_by: str
    created_at: str
    updated_at: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def hours_label(self) -> str:
        return HOURS_LABELS[self.part_time]

    @property
    def deadline(self) -> date:
        return date.fromisoformat(self.valid_through)

    def is_open(self, today: date) -> bool:
        """Public and in the list: not withdrawn, and the deadline day not yet over."""
        return self.state is State.OPEN and today <= self.deadline

    def phase(self, today: date) -> str:
        if self.state is State.WITHDRAWN:
            return "withdrawn"
        return "open" if today <= self.deadline else "archived"


PHASE_LABELS = {
    "open": "ausgeschrieben",
    "archived": "Bewerbungsfrist abgelaufen (Archiv)",
    "withdrawn": "zurückgezogen",
}


@dataclass(frozen=True)
class Filters:
    """What the public list and the feed narrow by; None means any."""

    municipality: str | None = None
    kind: Kind | None = None
    part_time: bool | None = None
    year: int | None = None  # the archive: deadlines in this year
