"""News items ("Neuigkeiten"), their states with German labels and the limits of their fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"  # being written (or returned by the office with a note)
    SUBMITTED = "submitted"  # waiting for the office's review
    PUBLISHED = "published"  # public within its publishing window
    WITHDRAWN = "withdrawn"  # taken back; kept for the record, not public


STATE_LABELS = {
    State.DRAFT: "Entwurf",
    State.SUBMITTED: "wartet auf Freigabe",
    State.PUBLISHED: "veröffentlicht",
    State.WITHDRAWN: "zurückgezogen",
}

TITLE_MAX = 150
TEASER_MAX = 400
BODY_MAX = 20_000
NOTE_MAX = 1_000
PAGE_SIZE = 20
# The URL key of a detail view and the filters of the list and the feeds
DETAIL_KEY = "meldung"
WHOLE_ALLIANCE = "allianz"  # `gemeinde=allianz`: only the items of the whole alliance


@dataclass(frozen=True)
class NewsItem:
    """One item; `author`/`author_id` name the account that wrote it (internal only: the
    public sees the publisher, a municipality or the office)."""

    id: int
    municipality_ags: str | None
    handlungsfeld: int | None
    title: str
    teaser: str
    body: str
    has_image: bool
    publish_from: str
    publish_until: str | None
    state: State
    review_note: str
    visible_from: str | None
    published_at: str | None
    author_id: int | None
    author: str
    by_office: bool
    is_demo: bool
    created_at: str
    updated_at: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Draft:
    """What a writer fills in. Times are datetimes; naive ones are local time in Germany."""

    title: str
    teaser: str
    body: str
    municipality_ags: str | None  # None: the whole alliance
    handlungsfeld: int | None = None
    publish_from: datetime | None = None  # None: at once
    publish_until: datetime | None = None  # None: without end
    image: bytes | None = None
    remove_image: bool = False


@dataclass(frozen=True)
class Page:
    """One page of the public list."""

    items: list[NewsItem]
    total: int
    number: int
    pages: int
