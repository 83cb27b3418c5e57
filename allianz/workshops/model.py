"""Workshop vocabulary: phases and their order, limits, and the records pages work with."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Phase(StrEnum):
    PLANNED = "planned"
    LIVE = "live"
    ONLINE = "online"
    CLOSED = "closed"


PHASE_LABELS = {
    Phase.PLANNED: "geplant",
    Phase.LIVE: "läuft (live)",
    Phase.ONLINE: "Online-Phase",
    Phase.CLOSED: "abgeschlossen",
}

# A workshop only moves forward: the event starts, may open online, and ends.
TRANSITIONS = {
    Phase.PLANNED: {Phase.LIVE},
    Phase.LIVE: {Phase.ONLINE, Phase.CLOSED},
    Phase.ONLINE: {Phase.CLOSED},
    Phase.CLOSED: set(),
}

ORIGIN_LABELS = {"live": "vor Ort", "online": "online"}

CARD_MIN, CARD_MAX = 2, 500
TAG_MAX, TAGS_PER_CARD = 30, 5
TITLE_MAX = 150
MAX_TABLES = 12
MAX_ROUNDS = 10
MAX_DOTS_PER_PERSON = 20


@dataclass(frozen=True)
class TopicTable:
    id: int
    workshop_id: int
    position: int
    topic: str
    host: str
    handlungsfeld: int | None


@dataclass(frozen=True)
class Workshop:
    id: int
    title: str
    starts_at: str
    place: str
    scope_ags: str | None
    rounds: int
    participants: int
    dots_per_person: int
    phase: Phase
    online_until: str | None
    is_demo: bool
    created_by: str
    created_at: str
    updated_at: str
    tables: tuple[TopicTable, ...] = field(default=())

    @property
    def date(self) -> str:
        return self.starts_at[:10]

    def table(self, table_id: int) -> TopicTable:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)


@dataclass(frozen=True)
class Card:
    id: int
    workshop_id: int
    table_id: int
    text: str
    round: int | None
    tags: tuple[str, ...]
    municipality_ags: str | None
    ortsteil: str | None
    lat: float | None
    lon: float | None
    origin: str
    handlungsfeld: int | None
    host_dots: int
    device_dots: int
    online_dots: int
    hidden: bool
    hidden_reason: str | None
    created_by: str
    created_at: str

    @property
    def dots(self) -> int:
        return self.host_dots + self.device_dots + self.online_dots

    @property
    def live_dots(self) -> int:
        """Dots given at the event: entered by the host or on the shared device."""
        return self.host_dots + self.device_dots
