"""Maps and German tables for the development pages (no rules of their own)."""

from __future__ import annotations

import folium
import geopandas as gpd
from shapely.geometry import shape

from allianz import geo, maps
from allianz.config import Alliance
from allianz.developments import service
from allianz.developments.model import Development
from allianz.formatting import de_date, de_datetime

FIELDS = [
    maps.Field("ref", "Nr."),
    maps.Field("title", "Vorhaben"),
    maps.Field("kind", "Art"),
    maps.Field("stage", "Stand"),
    maps.Field("area", "Fläche"),
]


def developments_map(
    alliance: Alliance, areas: gpd.GeoDataFrame, developments: list[Development]
) -> folium.Map:
    """Member boundaries and the developments' areas."""
    fmap = maps.areas_map(alliance, areas)
    if developments:
        maps.add_areas(
            fmap, service.frame(developments), layer_name="Bauvorhaben", tooltip=FIELDS,
            color="#b5179e",
        )  # fmt: skip
    maps.add_layer_control(fmap)
    return fmap


def detail_map(
    alliance: Alliance, areas: gpd.GeoDataFrame, development: Development, reach: bool
) -> folium.Map:
    """One development with (for the members) its search area and the asked members."""
    asked = {a.ags for a in development.answers}
    fmap = maps.base_map(alliance, areas.total_bounds)
    maps.add_areas(fmap, areas, layer_name="Gemeinden", tooltip=[maps.Field("name", "Gemeinde")])
    if reach and asked:
        maps.add_areas(
            fmap, areas[areas["ags"].isin(asked)], layer_name="beteiligte Gemeinden",
            tooltip=[maps.Field("name", "beteiligt")], color="#e76f51",
        )  # fmt: skip
    if reach:
        maps.add_areas(
            fmap, service.reach_frame(development), layer_name="Umkreis",
            tooltip=[maps.Field("label", "Umkreis")], color="#f4a261",
        )  # fmt: skip
    maps.add_areas(
        fmap, service.frame([development]), layer_name="Vorhaben", tooltip=FIELDS,
        color="#b5179e",
    )  # fmt: skip
    maps.add_layer_control(fmap)
    return fmap


def preview_map(alliance: Alliance, areas: gpd.GeoDataFrame, made: service.Preview) -> folium.Map:
    reached = {ags for ags, _ in made.affected}
    fmap = maps.base_map(alliance, areas.total_bounds)
    maps.add_areas(fmap, areas, layer_name="Gemeinden", tooltip=[maps.Field("name", "Gemeinde")])
    if reached:
        maps.add_areas(
            fmap, areas[areas["ags"].isin(reached)], layer_name="betroffene Gemeinden",
            tooltip=[maps.Field("name", "betroffen")], color="#e76f51",
        )  # fmt: skip
    frame = gpd.GeoDataFrame(
        {"label": ["Umkreis", "Vorhaben"]},
        geometry=[shape(made.reach), shape(made.geometry)],
        crs=geo.STORAGE_CRS,
    )
    maps.add_areas(
        fmap, frame.iloc[[0]], layer_name="Umkreis", tooltip=[maps.Field("label", "")],
        color="#f4a261",
    )  # fmt: skip
    maps.add_areas(
        fmap, frame.iloc[[1]], layer_name="Vorhaben", tooltip=[maps.Field("label", "")],
        color="#b5179e",
    )  # fmt: skip
    maps.add_layer_control(fmap)
    return fmap


def list_rows(developments: list[Development], names: dict[str, str]) -> list[dict]:
    return [
        {
            "Nr.": d.ref,
            "Vorhaben": d.title,
            "Gemeinde": names.get(d.municipality_ags, d.municipality_ags),
            "Art": d.kind_label,
            "Verfahrensstand": d.stage_label,
            "Fläche (ha)": d.area_ha,
            "Rückmeldung bis": de_date(d.deadline),
            "Antworten": f"{sum(1 for a in d.answers if a.answer)} von {len(d.answers)}",
            "Stand": d.status_label,
        }
        for d in developments
    ]


def public_rows(developments: list[Development], names: dict[str, str]) -> list[dict]:
    return [
        {
            "Nr.": d.ref,
            "Vorhaben": d.title,
            "Gemeinde": names.get(d.municipality_ags, d.municipality_ags),
            "Art": d.kind_label,
            "Verfahrensstand": d.stage_label,
            "Fläche (ha)": d.area_ha,
        }
        for d in developments
    ]


def answer_rows(development: Development) -> list[dict]:
    return [
        {
            "Gemeinde": a.member,
            "beteiligt weil": "Umkreis" if a.reason == "distance" else "von Hand",
            "Abstand (m)": a.distance_m,
            "Antwort": a.answer_label,
            "Stellungnahme": a.statement,
            "beantwortet": de_datetime(a.answered_at),
            "verspätet": a.late,
        }
        for a in development.answers
    ]
