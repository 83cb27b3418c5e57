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
    fmap = _areas_with_developments(alliance, areas, developments)
    maps.add_layer_control(fmap)
    return fmap


def _areas_with_developments(
    alliance: Alliance, areas: gpd.GeoDataFrame, developments: list[Development]
) -> folium.Map:
    fmap = maps.areas_map(alliance, areas)
    if developments:
        maps.add_areas(
            fmap, service.frame(developments), layer_name="Bauvorhaben", tooltip=FIELDS,
            color="#b5179e",
        )  # fmt: skip
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
    add_statement_points(fmap, development)
    maps.add_layer_control(fmap)
    return fmap


def add_statement_points(fmap: folium.Map, *developments: Development) -> None:
    """The map points of the statements the viewer may see (`service.for_viewer` has taken
    the others away: a citizen's development has no answers at all)."""
    points = service.statement_points(*developments)
    if len(points):
        maps.add_point_layer(
            fmap, points, layer_name="Stellungnahmen",
            tooltip=[maps.Field("ref", "Vorhaben"), maps.Field("member", "Gemeinde"),
                     maps.Field("answer", "Antwort")],
            popup=[maps.Field("statement", "Stellungnahme")], color="#1d3557",
        )  # fmt: skip


def board_map(
    alliance: Alliance, areas: gpd.GeoDataFrame, developments: list[Development]
) -> folium.Map:
    """The office's board: every development and the points of the statements."""
    fmap = _areas_with_developments(alliance, areas, developments)
    if developments:
        add_statement_points(fmap, *developments)
    maps.add_layer_control(fmap)
    return fmap


def drawing_map(alliance: Alliance, areas: gpd.GeoDataFrame, corners: str) -> folium.Map:
    """The member boundaries with the corner points clicked or typed so far and the outline
    they make (closed back to the first point), zoomed to the corners once there are some."""
    frame = service.corners_frame(corners)
    if frame is None:
        return maps.areas_map(alliance, areas)
    fmap = maps.base_map(alliance, service.drawing_bounds(frame))
    maps.add_areas(fmap, areas, layer_name="Gemeinden", tooltip=[maps.Field("name", "Gemeinde")])
    outline = frame[frame.geom_type == "LineString"]
    if len(outline):
        maps.add_lines(
            fmap, outline, layer_name="Umriss", tooltip=[maps.Field("label", "")],
            color="#b5179e",
        )  # fmt: skip
    maps.add_areas(
        fmap, frame[frame.geom_type == "Polygon"], layer_name="Eckpunkte",
        tooltip=[maps.Field("label", "")], color="#b5179e",
    )  # fmt: skip
    return fmap


def add_pending_point(fmap: folium.Map, point: tuple[float, float] | None) -> None:
    """The point (lon, lat) a member is about to put on its statement."""
    if point is not None:
        maps.add_points(
            fmap, [maps.MapPoint(point[1], point[0], "Punkt Ihrer Stellungnahme")],
            layer_name="Punkt Ihrer Stellungnahme", color="#e63946",
        )  # fmt: skip


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
            "Kartenpunkt": service.point_line(*a.point) if a.point else "",
            "beantwortet": de_datetime(a.answered_at),
            "verspätet": a.late,
        }
        for a in development.answers
    ]
