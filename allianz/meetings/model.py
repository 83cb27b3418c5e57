"""Meeting vocabulary and records: kinds, states and their order, answers, link kinds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

KINDS = {
    "steering_group": "Lenkungsgruppe (Allianzsitzung)",
    "assembly": "Mitgliederversammlung",
    "working_group": "Arbeitskreis",
    "network_working": "Netzwerkveranstaltung (Arbeitsebene)",
    "network_decision": "Netzwerkveranstaltung (Entscheidungsebene)",
    "public_event": "Öffentliche Veranstaltung",
}
# Working groups named in the alliances' documents; the office may name others.
WORKING_GROUPS = ("Arbeitskreis Radwege", "AG Verwaltung", "AG Bauhof")

STATES = {
    "planned": "geplant",
    "invited": "Einladung verschickt",
    "held": "durchgeführt",
    "commenting": "Protokoll in Abstimmung",
    "released": "Protokoll freigegeben",
    "cancelled": "abgesagt",
}
# state -> states it may move to (one step at a time; the office may skip the comment phase)
TRANSITIONS = {
    "planned": ("invited", "held", "cancelled"),
    "invited": ("held", "cancelled"),
    "held": ("commenting", "released"),
    "commenting": ("released",),
    "released": (),
    "cancelled": (),
}
ANSWERS = {"yes": "Zusage", "maybe": "vielleicht", "no": "Absage"}
INVITEE_KINDS = {"role": "Rolle", "municipality": "Gemeinde", "user": "Person"}
LINK_KINDS = {
    "measure": "Maßnahme",
    "suggestion": "Hinweis",
    "segment": "Netzabschnitt",
    "workshop": "Bürgerwerkstatt",
    "vacancy": "Leerstandsfläche",
    "development": "Bauvorhaben",
}


@dataclass(frozen=True)
class Link:
    kind: str
    target: str
    label: str  # what the target is called today ("M-003: Radweg …"); empty when gone


@dataclass(frozen=True)
class Item:
    id: int
    meeting_id: int
    position: int
    title: str
    public: bool
    result: str
    resolution: str
    decided_at: str | None
    links: tuple[Link, ...] = ()

    @property
    def number(self) -> str:
        """TOP number as the office writes it: "TOP 3"."""
        return f"TOP {self.position}"


@dataclass(frozen=True)
class Document:
    id: int
    meeting_id: int
    item_id: int | None
    file_title: str
    mime_type: str
    size: int
    sha1: str
    uploaded_at: str


@dataclass(frozen=True)
class Meeting:
    id: int
    kind: str
    working_group: str
    title: str
    starts_at: datetime  # aware, UTC
    ends_at: datetime
    place: str
    lat: float | None
    lon: float | None
    online_url: str
    organiser: str
    municipality_ags: str | None
    public: bool
    state: str
    cancel_reason: str
    invited_at: str | None
    minutes: str
    minutes_internal: str
    comments_until: str | None
    released_at: str | None
    version: int
    is_demo: bool
    created_by: str
    created_at: str
    updated_at: str
    items: tuple[Item, ...] = field(default=())

    @property
    def kind_label(self) -> str:
        label = KINDS.get(self.kind, self.kind)
        return f"{label}: {self.working_group}" if self.working_group else label

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def ref(self) -> str:
        return f"S-{self.id:04d}"


@dataclass(frozen=True)
class Participant:
    user_id: int
    display_name: str
    role: str
    municipality_ags: str | None
    answer: str | None
    answered_at: str | None
    attended: bool | None


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    body: str
    created_at: str


@dataclass(frozen=True)
class Appointment:
    id: int
    on_date: str
    event: str
    partner: str
    topic: str


@dataclass(frozen=True)
class PressEntry:
    id: int
    on_date: str
    outlet: str
    topic: str
    url: str
