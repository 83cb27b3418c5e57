"""Segment and review vocabulary (see shared/domain.md: segment review)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Network(StrEnum):
    RAD = "rad"
    KERN = "kern"


NETWORK_LABELS = {Network.RAD: "Radwegenetz", Network.KERN: "Kernwegenetz"}


class SegmentStatus(StrEnum):
    IDEA = "idea"
    PLANNING = "planning"
    IMPLEMENTATION = "implementation"
    DONE = "done"
    DROPPED = "dropped"


STATUS_LABELS = {
    SegmentStatus.IDEA: "Idee",
    SegmentStatus.PLANNING: "Planung",
    SegmentStatus.IMPLEMENTATION: "Umsetzung",
    SegmentStatus.DONE: "fertig",
    SegmentStatus.DROPPED: "verworfen",
}

SURFACES = {
    "asphalt": "Asphalt",
    "concrete": "Beton",
    "paving": "Pflaster",
    "water_bound": "wassergebunden",
    "gravel": "Schotter",
    "unpaved": "unbefestigt",
}
CONDITIONS = {
    1: "1 – wie neu",
    2: "2 – gut",
    3: "3 – mittel",
    4: "4 – schlecht",
    5: "5 – Baumaßnahme nötig",
}
PRIORITIES = ("A", "B", "C")
RESPONSIBLE = {
    "municipality": "Gemeinde",
    "district": "Landkreis",
    "state": "Land",
    "federal": "Bund",
    "other": "sonstige",
}
FACILITIES = {
    "separate_path": "selbstständiger Geh-/Radweg",
    "roadside_path": "straßenbegleitender Radweg",
    "cycle_lane": "Radfahrstreifen",
    "protective_lane": "Schutzstreifen",
    "shared_road": "Mischverkehr",
    "farm_track": "Wirtschaftsweg",
}
DEFECTS_ALONG = {
    "no_facility": "keine Radverkehrsanlage",
    "too_narrow": "zu schmal",
    "detour": "Umweg",
    "bad_surface": "schlechte Oberfläche",
}
DEFECTS_POINT = {
    "crossing": "Querung",
    "visibility": "Sichtbeziehung",
    "narrowing": "Engstelle",
    "barrier": "Hindernis/Sperre",
    "signage": "Beschilderung",
}
DEFECTS = {**DEFECTS_ALONG, **DEFECTS_POINT}
KERNWEG_COST_PER_KM = (300_000, 350_000)


@dataclass(frozen=True)
class Segment:
    id: int
    name: str
    in_rad: bool
    in_kern: bool
    geometry: dict
    length_m: float
    surface: str | None
    width_m: float | None
    lighting: bool | None
    signage: bool | None
    facility: str | None
    responsible: str | None
    status: SegmentStatus
    priority: str | None
    gap: bool
    cost_eur: float | None
    condition: int | None
    source: str
    is_demo: bool
    created_at: str
    updated_at: str
    last_review_at: str | None = None
    last_review_condition: int | None = None
    # AGS of the member municipalities the segment crosses: it belongs to each of them
    municipalities: tuple[str, ...] = ()

    @property
    def reviewed(self) -> bool:
        return self.last_review_at is not None

    @property
    def shown_condition(self) -> int | None:
        """What maps and figures show: the latest review's verdict, else the official value."""
        return self.last_review_condition or self.condition

    @property
    def networks(self) -> tuple[Network, ...]:
        return tuple(
            n for n, flag in ((Network.RAD, self.in_rad), (Network.KERN, self.in_kern)) if flag
        )


@dataclass(frozen=True)
class Review:
    id: int
    segment_id: int
    reviewer: str
    reviewer_role: str
    at: str
    condition: int | None
    surface: str | None
    width_m: float | None
    defects: tuple[str, ...]
    defect_lat: float | None
    defect_lon: float | None
    gap: bool
    suggested_priority: str | None
    comment: str | None
    has_photo: bool
    accepted_at: str | None
    accepted_by: str | None
