"""The suggestions overview map layer.

Kept apart from presentation.py on purpose: this module imports streamlit-folium, which must
only be imported inside a script run. The HTTP layer (app.py → Open311 API → presentation)
is imported at server start, and a component declared then is never served (HTTP 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import folium
import geopandas as gpd
import sqlite_utils
from shapely.geometry import Point

from allianz import geo, maps
from allianz.config import Alliance
from allianz.suggestions import store
from allianz.suggestions.model import STATUS_LABELS, Status
from allianz.suggestions.presentation import STATUS_COLORS, category_label
from allianz.suggestions.service import public_layer
from allianz.suggestions.store import Filters
from allianz.versioned_cache import VersionedCache

# Up to this many points each is a GeoJSON feature with title and category in its tooltip;
# beyond, the compact browser-side cluster keeps the page small (number and status only).
DETAILED_UP_TO = 1500
_ORDER = list(Status)
DEFAULT_DAYS = 365


def default_period(today: date) -> tuple[date, date]:
    """The overview opens on the last year; the server prepares exactly this layer at start."""
    return today - timedelta(days=DEFAULT_DAYS), today


def filters_for(period: tuple[date, ...], **chosen: tuple) -> Filters:
    """Filters from the page's widgets; a half-chosen period leaves its end open."""
    since = period[0] if period else None
    until = period[1] if len(period) > 1 else None
    return Filters(
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        **chosen,
    )


@dataclass(frozen=True)
class OverviewLayer:
    count: int
    published_as: str = ""  # the assets.layer the cluster rows are served under
    cluster_rows: str | None = None  # JSON rows for maps.PointCluster, above DETAILED_UP_TO
    points: gpd.GeoDataFrame | None = None  # one feature per suggestion, up to DETAILED_UP_TO


def prepare(rows: list[tuple], alliance: Alliance, published_as: str) -> OverviewLayer:
    """Rows from store.map_rows in the form the map needs, coloured by status."""
    if len(rows) > DETAILED_UP_TO:
        index = {status.value: i for i, status in enumerate(_ORDER)}
        cluster_rows = maps.PointCluster.rows(
            [(lat, lon, ref, index[status]) for lat, lon, ref, status, *_ in rows]
        )
        maps.PointCluster.publish(published_as, cluster_rows)  # here, once per data version
        return OverviewLayer(len(rows), published_as, cluster_rows=cluster_rows)
    frame = gpd.GeoDataFrame(
        {
            "ref": [r[2] for r in rows],
            "status": [STATUS_LABELS[Status(r[3])] for r in rows],
            "title": [r[4] for r in rows],
            "category": [category_label(alliance, r[5]) for r in rows],
        },
        geometry=[Point(r[1], r[0]) for r in rows],
        crs=geo.STORAGE_CRS,
    )
    return OverviewLayer(len(rows), points=frame)


_cache: VersionedCache[OverviewLayer] = VersionedCache(keep=16)


def current(db: sqlite_utils.Database, filters: Filters, alliance: Alliance) -> OverviewLayer:
    """The layer for these filters, kept until a suggestion is added or changed (a support
    changes nothing on the map)."""
    return _cache.get(
        (store.map_version(db), filters, alliance.slug),
        lambda: prepare(store.map_rows(db, filters), alliance, public_layer(db)),
    )


def add(fmap: folium.Map, layer: OverviewLayer) -> None:
    """A click on a point yields the suggestion's ref."""
    if layer.cluster_rows is not None:
        maps.PointCluster(
            layer.published_as,
            layer.cluster_rows,
            colors=[STATUS_COLORS[STATUS_LABELS[s]] for s in _ORDER],
            labels=[STATUS_LABELS[s] for s in _ORDER],
            name="Hinweise",
            counted="Hinweise",
        ).add_to(fmap)
    elif layer.count:
        maps.add_point_layer(
            fmap,
            layer.points,
            layer_name="Hinweise",
            tooltip=[maps.Field("title", "Hinweis"), maps.Field("status", "Status")],
            popup=[
                maps.Field("ref", "Nummer"),
                maps.Field("title", "Titel"),
                maps.Field("category", "Kategorie"),
                maps.Field("status", "Status"),
            ],
            id_column="ref",
            color_by=("status", STATUS_COLORS),
        )
