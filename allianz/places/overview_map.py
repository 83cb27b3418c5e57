"""The city map's layer: the chosen categories' places as one GeoJSON layer with name and
category in the tooltip (up to DETAILED_UP_TO places), beyond that clustered in the browser
like the suggestions (`maps.PointCluster`, rows published as a static file, no CDN).

Kept apart from the service: this module imports folium and the map builder, which only page
runs need."""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd
import sqlite_utils
from shapely.geometry import Point

from allianz import geo, maps
from allianz.places import service
from allianz.places.model import CATEGORIES, CATEGORY_COLORS
from allianz.versioned_cache import VersionedCache

DETAILED_UP_TO = 1500
_ORDER = list(CATEGORIES)


@dataclass(frozen=True)
class PlacesLayer:
    count: int
    published_as: str = ""
    cluster_rows: str | None = None
    points: gpd.GeoDataFrame | None = None


def prepare(rows: list[tuple], published_as: str) -> PlacesLayer:
    if len(rows) > DETAILED_UP_TO:
        index = {key: i for i, key in enumerate(_ORDER)}
        cluster_rows = maps.PointCluster.rows(
            [(lat, lon, str(ref), index[category]) for lat, lon, ref, category, _ in rows]
        )
        maps.PointCluster.publish(published_as, cluster_rows)
        return PlacesLayer(len(rows), published_as, cluster_rows=cluster_rows)
    frame = gpd.GeoDataFrame(
        {
            "ref": [str(r[2]) for r in rows],
            "category": [CATEGORIES[r[3]] for r in rows],
            "name": [r[4] for r in rows],
        },
        geometry=[Point(r[1], r[0]) for r in rows],
        crs=geo.STORAGE_CRS,
    )
    return PlacesLayer(len(rows), points=frame)


_cache: VersionedCache[PlacesLayer] = VersionedCache(keep=16)


def current(
    db: sqlite_utils.Database, categories: tuple[str, ...], ags: tuple[str, ...] | None
) -> PlacesLayer:
    """The layer of these categories and members, kept until a place changes."""
    return _cache.get(
        (service.version(db), service.public_layer(db), categories, ags),
        lambda: prepare(service.map_rows(db, categories, ags), service.public_layer(db)),
    )


def add(fmap: folium.Map, layer: PlacesLayer) -> None:
    """A click on a place yields its id as `ref`."""
    if layer.cluster_rows is not None:
        maps.PointCluster(
            layer.published_as,
            layer.cluster_rows,
            colors=[CATEGORY_COLORS[k] for k in _ORDER],
            labels=[CATEGORIES[k] for k in _ORDER],
            name="Orte",
            counted="Orte",
        ).add_to(fmap)
    elif layer.count:
        maps.add_point_layer(
            fmap,
            layer.points,
            layer_name="Orte",
            tooltip=[maps.Field("name", "Ort"), maps.Field("category", "Kategorie")],
            popup=[maps.Field("name", "Ort"), maps.Field("category", "Kategorie")],
            id_column="ref",
            color_by=("category", {CATEGORIES[k]: CATEGORY_COLORS[k] for k in _ORDER}),
        )
