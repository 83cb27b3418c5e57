"""Segments as map layers and tables for the views: colours, German labels."""

from __future__ import annotations

import json
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from allianz.formatting import de_date
from allianz.networks.model import (
    CONDITIONS,
    STATUS_LABELS,
    SURFACES,
    Network,
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


def colours(data: pd.DataFrame, mode: str) -> pd.Series:
    """The colour of every segment of a `service.frame` for the chosen colouring."""
    if mode == "condition":
        picked = data["condition"].map(_CONDITION)
    elif mode == "status":
        picked = data["status"].map(_STATUS)
    elif mode == "priority":
        picked = data["priority"].map(_PRIORITY)
    else:
        picked = data["reviewed"].map(_REVIEWED)
    return picked.fillna(GREY)


def legend(mode: str) -> list[tuple[str, str]]:
    """(colour, label) pairs for the chosen colouring."""
    if mode == "condition":
        return [(_CONDITION[k], v) for k, v in CONDITIONS.items()] + [(GREY, "unbekannt")]
    if mode == "status":
        return [(_STATUS[k.value], v) for k, v in STATUS_LABELS.items()]
    if mode == "priority":
        return [(_PRIORITY[p], f"Priorität {p}") for p in _PRIORITY] + [(GREY, "ohne")]
    return [(_REVIEWED[True], "geprüft"), (_REVIEWED[False], "nicht geprüft")]


LINE_TOLERANCE_DEG = 1e-5  # about 1 m: invisible at any zoom the tile servers offer


def row_tails(data: gpd.GeoDataFrame) -> list[str]:
    """What never changes in a segment's map row: `,km,condition,parts]`, the parts being
    its display geometry, each a flat [lon, lat, ...] list, simplified and rounded to about
    1 m (lengths and figures always use the stored geometry)."""
    simple = shapely.simplify(data.geometry.values, LINE_TOLERANCE_DEG)
    parts, owner = shapely.get_parts(simple, return_index=True)
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    flat = np.round(coords, 5).tolist()
    by_part: list[list[float]] = [[] for _ in range(len(parts))]
    for (lon, lat), part in zip(flat, part_of.tolist(), strict=True):
        by_part[part] += (lon, lat)
    by_segment: list[list[list[float]]] = [[] for _ in range(len(data))]
    for part, segment in enumerate(owner.tolist()):
        by_segment[segment].append(by_part[part])
    km = data["length_km"].tolist()
    condition = data["condition"].fillna(0).astype(int).tolist()
    return [
        f",{k:.3f},{c},{json.dumps(p, separators=(',', ':'))}]"
        for k, c, p in zip(km, condition, by_segment, strict=True)
    ]


@dataclass(frozen=True)
class MapLayer:
    network: Network
    rows_json: str
    count: int


def map_layers(
    data: gpd.GeoDataFrame, tails: list[str], selected: np.ndarray, mode: str
) -> tuple[list[MapLayer], list[dict]]:
    """The selected segments as one row list per network for `maps.SegmentLines`
    ([id, style, km, condition, parts]), and the style table the rows point into (colour by
    `mode`, gaps dashed)."""
    gap = data["gap"].to_numpy(bool)
    codes, styles = pd.factorize(colours(data, mode).to_numpy(str) + np.where(gap, "|gap", ""))
    ids = data["id"].tolist()
    codes = codes.tolist()
    layers = []
    for network in Network:
        member = data["in_rad" if network is Network.RAD else "in_kern"].to_numpy(bool)
        rows = [
            f"[{ids[i]},{codes[i]}{tails[i]}" for i in np.flatnonzero(selected & member).tolist()
        ]
        layers.append(MapLayer(network, "[" + ",".join(rows) + "]", len(rows)))
    table = [{"color": key.split("|")[0], "gap": key.endswith("|gap")} for key in styles]
    return layers, table


def matching(
    data: pd.DataFrame, selected: np.ndarray, query: str, limit: int = 50
) -> dict[int, str]:
    """Up to `limit` selected segments whose number or name contains `query`, for choosing a
    segment by keyboard ("id: name")."""
    chosen = data[selected]
    text = query.strip().casefold()
    if text:
        hit = chosen["name"].str.casefold().str.contains(text, regex=False) | chosen["id"].astype(
            str
        ).str.startswith(text)
        chosen = chosen[hit]
    head = chosen.head(limit)
    return {int(i): f"{i}: {name}" for i, name in zip(head["id"], head["name"], strict=True)}


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
            "geprüft": [de_date(s.last_review_at, "") for s in segments],
        }
    )
