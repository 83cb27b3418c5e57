"""Measure vocabulary and records."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = {
    "idea": "Idee",
    "planned": "geplant",
    "in_progress": "in Umsetzung",
    "done": "umgesetzt",
    "dropped": "verworfen",
}
PRIORITIES = ("A", "B", "C")
LINK_KINDS = {"suggestion": "Hinweis", "card": "Werkstatt-Karte", "segment": "Netzabschnitt"}
EDITABLE = (
    "handlungsfeld",
    "area",
    "title",
    "priority",
    "assessment",
    "status",
    "cost_eur",
    "funding",
    "municipalities",
)
LABELS = {
    "handlungsfeld": "Handlungsfeld",
    "area": "Bereich",
    "title": "Maßnahme",
    "priority": "Priorität",
    "assessment": "Bewertung Lenkungsgruppe",
    "status": "Stand",
    "cost_eur": "Kosten (€)",
    "funding": "Förderprogramm",
    "municipalities": "beteiligte Gemeinden",
    "steps": "nächste Schritte",
}


@dataclass(frozen=True)
class Step:
    id: int | None
    text: str
    due_on: str | None
    responsible: str
    done_on: str | None

    def overdue(self, today: str) -> bool:
        return self.done_on is None and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class Measure:
    id: int
    ref: str
    handlungsfeld: int
    area: str
    title: str
    priority: str
    assessment: str
    status: str
    cost_eur: float | None
    funding: str
    municipalities: tuple[str, ...]
    version: int
    is_demo: bool
    created_at: str
    updated_at: str
    steps: tuple[Step, ...] = field(default=())

    def values(self) -> dict:
        return {name: getattr(self, name) for name in EDITABLE}
