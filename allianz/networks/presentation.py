"""Segments as map layers and tables for the views: colours, German labels."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from allianz.networks import service
from allianz.networks.model import (
    CONDITIONS,
    STATUS_LABELS,
    SURFACES,
    Segment,
    SegmentStatus,
)

GREY = "#8d99ae"
COLOUR_MODES = {
    "condition": "Zustand",
    "status": "Status",
    "priority": "Priorität",
    "reviewed": "geprüft / nicht geprüft",
}
_CONDITION = {1: "#1a9850", 2: "#91cf60", 3: "#fee08b", 4: "#fc8d59", 5: "#d73027"}
_STATUS = {
    SegmentStatus.IDEA.value: "#4895ef",
    SegmentStatus.PLANNING.value: "#7209b7",
    SegmentStatus.IMPLEMENTATION.value: "#f77f00",
    SegmentStatus.DONE.value: "#2a9d8f",
    SegmentStatus.DROPPED.value: GREY,
}
_PRIORITY = {"A": "#d62828", "B": "#f77f00", "C": "#e9c46a"}
_REVIEWED = {True: "#2a9d8f", False: GREY}


def colour(segment: Segment, mode: str) -> str:
    if mode == "condition":
        return _CONDITION.get(segment.shown_condition, GREY)
    if mode == "status":
        return _STATUS.get(segment.status.value, GREY)
    if mode == "priority":
        return _PRIORITY.get(segment.priority, GREY)
    return _REVIEWED[segment.reviewed]


def legend(mode: str) -> list[tuple[str, str]]:
    """(colour, label) pairs for the chosen colouring."""
    if mode == "condition":
        return [(_CONDITION[k], v) for k, v in CONDITIONS.items()] + [(GREY, "unbekannt")]
    if mode == "status":
        return [(_STATUS[k.value], v) for k, v in STATUS_LABELS.items()]
    if mode == "priority":
        return [(_PRIORITY[p], f"Priorität {p}") for p in _PRIORITY] + [(GREY, "ohne")]
    return [(_REVIEWED[True], "geprüft"), (_REVIEWED[False], "nicht geprüft")]


def map_frame(segments: list[Segment], mode: str) -> gpd.GeoDataFrame:
    data = service.frame(segments)
    data["colour"] = [colour(s, mode) for s in segments]
    data["dash"] = ["10 8" if s.gap else "" for s in segments]
    data["label"] = [
        f"{s.name} · {s.length_m / 1000:.2f} km · Zustand {s.shown_condition or '?'}"
        + (" · LÜCKE" if s.gap else "")
        for s in segments
    ]
    return data


def table(segments: list[Segment]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Nr.": [s.id for s in segments],
            "Name": [s.name for s in segments],
            "Netz": [
                ", ".join("Rad" if n.value == "rad" else "Kern" for n in s.networks)
                for s in segments
            ],
            "km": [round(s.length_m / 1000, 2) for s in segments],
            "Zustand": [s.shown_condition for s in segments],
            "Oberfläche": [SURFACES.get(s.surface, s.surface) for s in segments],
            "Breite m": [s.width_m for s in segments],
            "Status": [STATUS_LABELS[s.status] for s in segments],
            "Priorität": [s.priority for s in segments],
            "Lücke": [s.gap for s in segments],
            "geprüft": [s.last_review_at[:10] if s.last_review_at else "" for s in segments],
        }
    )
