"""The suggestions overview map layer.

Kept apart from presentation.py on purpose: this module imports streamlit-folium, which must
only be imported inside a script run. The HTTP layer (app.py → Open311 API → presentation)
is imported at server start, and a component declared then is never served (HTTP 404).
"""

from __future__ import annotations

import folium
import geopandas as gpd
from shapely.geometry import Point

from allianz import geo, maps
from allianz.config import Alliance
from allianz.suggestions.model import STATUS_LABELS, Status
from allianz.suggestions.presentation import STATUS_COLORS, category_label

# Up to this many points each is a GeoJSON feature with title and category in its tooltip;
# beyond, the compact browser-side cluster keeps the page small (number and status only).
DETAILED_UP_TO = 1500
_ORDER = list(Status)


def add_overview_layer(fmap: folium.Map, rows: list[tuple], alliance: Alliance) -> None:
    """Rows from store.map_rows, coloured by status; a click yields the suggestion's ref."""
    if len(rows) > DETAILED_UP_TO:
        maps.PointCluster(
            [(lat, lon, ref, _ORDER.index(Status(status))) for lat, lon, ref, status, *_ in rows],
            colors=[STATUS_COLORS[STATUS_LABELS[s]] for s in _ORDER],
            labels=[STATUS_LABELS[s] for s in _ORDER],
            name="Hinweise",
        ).add_to(fmap)
        return
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
    maps.add_point_layer(
        fmap,
        frame,
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
