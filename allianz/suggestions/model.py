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
