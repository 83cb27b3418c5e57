from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    PLANNED = "planned"
    DONE = "done"
    DECLINED = "declined"


STATUS_LABELS = {
    Status.NEW: "neu",
    Status.IN_REVIEW: "in Prüfung",
    Status.PLANNED: "geplant / in Arbeit",
    Status.DONE: "erledigt",
    Status.DECLINED: "abgelehnt",
}
CLOSED = frozenset({Status.DONE, Status.DECLINED})

# Which status may follow which: forwards, and re-opening a closed item for review.
TRANSITIONS = {
    Status.NEW: {Status.IN_REVIEW, Status.PLANNED, Status.DONE, Status.DECLINED},
    Status.IN_REVIEW: {Status.PLANNED, Status.DONE, Status.DECLINED},
    Status.PLANNED: {Status.IN_REVIEW, Status.DONE, Status.DECLINED},
    Status.DONE: {Status.IN_REVIEW},
    Status.DECLINED: {Status.IN_REVIEW},
}

TITLE_MIN, TITLE_MAX = 3, 120
DESCRIPTION_MAX = 2000
ADDRESS_MAX = 200
ANSWER_MAX = 2000
DUPLICATE_RADIUS_M = 50
NAME_MAX = 100
PHONE_MAX = 40
MEDIA_URL_MAX = 500


@dataclass(frozen=True)
class Suggestion:
    """The public view of a suggestion: nothing personal is part of it."""

    id: int
    ref: str
    category: str
    title: str
    description: str
    lat: float
    lon: float
    location_precise: bool
    address_text: str | None
    municipality_ags: str
    status: Status
    public_answer: str | None
    supports: int
    hidden: bool
    hidden_reason: str | None
    merged_into: int | None
    source: str
    created_at: str
    updated_at: str
    first_answer_at: str | None
    has_photo: bool = False

    @property
    def closed(self) -> bool:
        return self.status in CLOSED


@dataclass(frozen=True)
class Reporter:
    """What the reporter told about themselves: private, never part of a `Suggestion`, shown
    only to the staff responsible. A web form sends the e-mail at most; an Open311 client may
    also send a name, a phone number and a link to its own copy of the photo."""

    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    media_url: str = ""

    def __bool__(self) -> bool:
        return any((self.email, self.first_name, self.last_name, self.phone, self.media_url))

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
