"""Suggestions as tables and map layers for the views: German labels, nothing personal."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from allianz.config import Alliance
from allianz.formatting import de_datetime
from allianz.suggestions.model import STATUS_LABELS, Status, Suggestion

# Open items warm, finished ones green, declined grey; the legend names them in text too.
# (map colour, Streamlit's matching text colour for the legend)
_STATUS_STYLE = {
    Status.NEW: ("#d62828", "red"),
    Status.IN_REVIEW: ("#f77f00", "orange"),
    Status.PLANNED: ("#7b2cbf", "violet"),
    Status.DONE: ("#2a9d8f", "green"),
    Status.DECLINED: ("#6c757d", "gray"),
}
STATUS_COLORS = {STATUS_LABELS[s]: hue for s, (hue, _) in _STATUS_STYLE.items()}


def status_legend() -> str:
    return " · ".join(f":{name}[●] {STATUS_LABELS[s]}" for s, (_, name) in _STATUS_STYLE.items())


TABLE_COLUMNS = [
    "Nummer",
    "Titel",
    "Kategorie",
    "Gemeinde",
    "Status",
    "Unterstützungen",
    "Gemeldet",
    "Seite",
]


def category_label(alliance: Alliance, code: str) -> str:
    return next((c.label for c in alliance.categories if c.code == code), code)


def municipality_name(alliance: Alliance, ags: str) -> str:
    return next((m.name for m in alliance.municipalities if m.ags == ags), ags)


def table(items: list[Suggestion], alliance: Alliance) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Nummer": s.ref,
                "Titel": s.title,
                "Kategorie": category_label(alliance, s.category),
                "Gemeinde": municipality_name(alliance, s.municipality_ags),
                "Status": STATUS_LABELS[s.status],
                "Unterstützungen": s.supports,
                "Gemeldet": de_datetime(s.created_at, ""),
            }
            for s in items
        ],
        columns=TABLE_COLUMNS,
    )


def points(items: list[Suggestion], alliance: Alliance) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "ref": [s.ref for s in items],
            "title": [s.title for s in items],
            "category": [category_label(alliance, s.category) for s in items],
            "status": [STATUS_LABELS[s.status] for s in items],
        },
        geometry=[Point(s.lon, s.lat) for s in items],
        crs="EPSG:4326",
    )
