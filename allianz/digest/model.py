"""The e-mail digest's subscribers, their choice (municipalities, topics, parts) and the
German labels of the parts."""

from __future__ import annotations

import json
from dataclasses import dataclass

NEWS, EVENTS, JOBS = "news", "events", "jobs"
PART_LABELS = {NEWS: "Neuigkeiten", EVENTS: "Veranstaltungen", JOBS: "Stellen"}
CONFIRM_HOURS = 48  # an unconfirmed request expires after this
EVENT_DAYS = 14  # the digest lists the events of the coming two weeks
WINDOW_MAX_DAYS = 14  # news and jobs of at most two weeks (after a missed run)
EMAIL_MAX = 200
# URL keys of the newsletter page (the links in the mails land there)
CONFIRM_KEY = "bestaetigen"
UNSUBSCRIBE_KEY = "abmelden"


@dataclass(frozen=True)
class Choice:
    """What a subscriber wants: empty `municipalities` or `topics` means all of them."""

    municipalities: tuple[str, ...] = ()
    topics: tuple[int, ...] = ()
    parts: tuple[str, ...] = (NEWS, EVENTS, JOBS)

    def to_json(self) -> str:
        return json.dumps(
            {
                "gemeinden": list(self.municipalities),
                "themen": list(self.topics),
                "teile": list(self.parts),
            }  # fmt: skip
        )

    @classmethod
    def from_json(cls, text: str | None) -> Choice | None:
        if not text:
            return None
        raw = json.loads(text)
        return cls(
            tuple(str(a) for a in raw.get("gemeinden", [])),
            tuple(int(t) for t in raw.get("themen", [])),
            tuple(str(p) for p in raw.get("teile", [])),
        )

    def wants_place(self, ags: str | None) -> bool:
        """Items of the whole alliance (no municipality) concern every subscriber."""
        return not self.municipalities or ags is None or ags in self.municipalities

    def wants_topic(self, topic: int | None) -> bool:
        return not self.topics or topic in self.topics


@dataclass(frozen=True)
class Subscriber:
    id: int
    email: str
    choice: Choice | None  # None until confirmed
    pending_choice: Choice | None  # waiting for confirmation
    expires_at: str | None
    unsubscribe_token: str
    requested_at: str
    confirmed_at: str | None
    last_digest_at: str | None
    last_digest_week: str | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


@dataclass(frozen=True)
class Digest:
    """One built mail: subject, plain text, HTML and the extra header lines."""

    recipient: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    counts: dict[str, int]


@dataclass(frozen=True)
class Run:
    """What one weekly run did."""

    week: str
    mails: int
    without_news: int
    already_sent: int
