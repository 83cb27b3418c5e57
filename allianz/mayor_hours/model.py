"""Consultation hours ("Sprechstunden") and the questions asked in them, with the question's
states, the published moderation code and their German labels."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    SUBMITTED = "submitted"  # received, waiting for moderation (not public)
    PUBLISHED = "published"  # approved: public, in the queue, open for support
    ANSWERED = "answered"  # answered in text or orally
    MERGED = "merged"  # folded into a question of the same meaning
    HELD = "held"  # held back with a reason of the moderation code


STATE_LABELS = {
    State.SUBMITTED: "eingegangen",
    State.PUBLISHED: "veröffentlicht, offen",
    State.ANSWERED: "beantwortet",
    State.MERGED: "zusammengeführt",
    State.HELD: "zurückgehalten",
}

# Which state may follow which. Answered, merged and held-back questions stay as they are.
TRANSITIONS = {
    State.SUBMITTED: {State.PUBLISHED, State.MERGED, State.HELD},
    State.PUBLISHED: {State.ANSWERED, State.MERGED, State.HELD},
    State.ANSWERED: set(),
    State.MERGED: set(),
    State.HELD: set(),
}
PUBLIC = (State.PUBLISHED, State.ANSWERED)

# The published moderation code: the only reasons a question is held back.
HOLD_REASONS = {
    "insult": "Beleidigung oder herabwürdigende Äußerung",
    "third_party_data": "persönliche Daten Dritter",
    "advertising": "Werbung",
    "off_topic": "gehört nicht zum Thema der Sprechstunde",
    "duplicate": "doppelte Frage",
}

ANSWER_KINDS = {"text": "schriftlich beantwortet", "oral": "mündlich beantwortet"}
HOST_KINDS = {"mayor": "Bürgermeisterin/Bürgermeister", "speaker": "Sprecher der Allianz"}

BODY_MAX = 300
BACKGROUND_MAX = 1500
NAME_MAX = 60
TOPIC_MAX = 200
HOST_MAX = 120
ANSWER_MAX = 4000
ANSWER_TARGET_DAYS = 14
ANONYMOUS = "anonym"


@dataclass(frozen=True)
class Hour:
    id: int
    host_kind: str
    municipality_ags: str | None
    host_title: str
    topic: str
    starts_at: str
    ends_at: str
    current_question_id: int | None
    created_at: str


@dataclass(frozen=True)
class Question:
    """A question as the public may see it; the asker's e-mail is never part of it."""

    id: int
    hour_id: int
    body: str
    background: str
    shown_name: str
    state: State
    hold_reason: str | None
    merged_into: int | None
    supports: int
    answer: str
    answer_kind: str | None
    answered_at: str | None
    suggestion_ref: str | None
    created_at: str

    @property
    def author(self) -> str:
        return self.shown_name or ANONYMOUS


@dataclass(frozen=True)
class Counts:
    """The moderation's transparency figures of one hour."""

    received: int
    published: int
    answered: int
    merged: int
    held: int
    held_by_reason: dict[str, int]
    waiting: int
