"""Tables and map layers for the workshop pages (German headings, no logic of their own).
Dates are `date` objects, so that `ui.german_table` shows them as 04.12.2026 and charts can
place them on a time axis."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from allianz import geo
from allianz.config import Alliance
from allianz.workshops import results
from allianz.workshops.model import ORIGIN_LABELS, PHASE_LABELS, Card, Workshop


def scope_label(alliance: Alliance, workshop: Workshop) -> str:
    if workshop.scope_ags is None:
        return "ganze Allianz"
    return alliance.municipality(workshop.scope_ags).name


def overview(alliance: Alliance, workshops: list[Workshop], counts: dict[int, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Nr.": w.id,
                "Datum": date.fromisoformat(w.date),
                "Titel": w.title,
                "Ort": w.place,
                "Bereich": scope_label(alliance, w),
                "Stand": PHASE_LABELS[w.phase],
                "Teilnehmende": w.participants,
                "Karten": counts.get(w.id, 0),
            }
            for w in workshops
        ],
        columns=["Nr.", "Datum", "Titel", "Ort", "Bereich", "Stand", "Teilnehmende", "Karten"],
    )


def ranking_table(ranked: list[results.Ranked]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Rang": r.rank,
                "Karte": r.card.text,
                "Punkte": r.card.dots,
                "davon online": r.card.online_dots,
                "Herkunft": ORIGIN_LABELS[r.card.origin],
                "Runde": r.card.round,
                "Schlagworte": ", ".join(r.card.tags),
            }
            for r in ranked
        ],
        columns=["Rang", "Karte", "Punkte", "davon online", "Herkunft", "Runde", "Schlagworte"],
    )


def per_table_frame(workshop: Workshop, cards: list[Card]) -> pd.DataFrame:
    rows = []
    for table in workshop.tables:
        own = [c for c in cards if c.table_id == table.id]
        split = results.origin_split(own)
        rows.append(
            {
                "Thementisch": table.topic,
                "Karten vor Ort": split.live_cards,
                "Karten online": split.online_cards,
                "Punkte vor Ort": split.live_dots,
                "Punkte online": split.online_dots,
            }
        )
    return pd.DataFrame(rows).set_index("Thementisch")


def tag_frame(cards: list[Card]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"Schlagwort": c.tag, "Karten": c.cards, "Punkte": c.dots}
            for c in results.tag_clusters(cards)
        ],
        columns=["Schlagwort", "Karten", "Punkte"],
    )


def handlungsfeld_frame(alliance: Alliance, cards: list[Card]) -> pd.DataFrame:
    titles = {h.number: f"{h.number} {h.title}" for h in alliance.handlungsfelder}
    counts = results.per_handlungsfeld(cards)
    order = [h.number for h in alliance.handlungsfelder] + [None]
    return pd.DataFrame(
        [
            {
                "Handlungsfeld": titles.get(n, "ohne Zuordnung")
                if n is not None
                else "ohne Zuordnung",
                "Karten": counts[n][0],
                "Punkte": counts[n][1],
            }
            for n in order
            if n in counts
        ],
        columns=["Handlungsfeld", "Karten", "Punkte"],
    )


def topic_frame(points: list[results.TopicPoint]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Thema": p.topic,
                "Datum": date.fromisoformat(p.date),
                "Werkstatt": p.workshop_id,
                "Karten": p.cards,
                "Punkte": p.dots,
            }
            for p in points
        ],
        columns=["Thema", "Datum", "Werkstatt", "Karten", "Punkte"],
    )


def card_points(workshop: Workshop, cards: list[Card]) -> gpd.GeoDataFrame:
    """Cards that carry a map point, for the results map (the ranked list is its alternative)."""
    located = [c for c in cards if c.lat is not None and c.lon is not None]
    return gpd.GeoDataFrame(
        {
            "text": [c.text for c in located],
            "table": [workshop.table(c.table_id).topic for c in located],
            "dots": [str(c.dots) for c in located],
        },
        geometry=[Point(c.lon, c.lat) for c in located],
        crs=geo.STORAGE_CRS,
    )
