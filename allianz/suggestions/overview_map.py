"""The suggestions overview map layer.

Kept apart from presentation.py on purpose: this module imports streamlit-folium, which must
only be imported inside a script run. The HTTP layer (app.py → Open311 API → presentation)
is imported at server start, and a component declared then is never served (HTTP 404).
"""

from __future__ import annotations

import folium

from allianz import maps
from allianz.config import Alliance
from allianz.suggestions.model import Suggestion
from allianz.suggestions.presentation import STATUS_COLORS, points


def add_overview_layer(fmap: folium.Map, items: list[Suggestion], alliance: Alliance) -> None:
    """All suggestions, coloured by status; a click yields their ref."""
    maps.add_point_layer(
        fmap,
        points(items, alliance),
        layer_name="Hinweise",
        tooltip=[maps.Field("title", "Hinweis"), maps.Field("status", "Status")],
        popup=[
            maps.Field("ref", "Nummer"),
            maps.Field("title", "Titel"),
            maps.Field("status", "Status"),
        ],
        id_column="ref",
        color_by=("status", STATUS_COLORS),
    )
