"""The one map builder: tiles with attribution, locally served Leaflet, escaped user text.

Every page builds its map here and shows it through `show()`, so that:
- no script or stylesheet comes from a CDN (folium's defaults are replaced at import);
- every string that reaches a popup or tooltip is escaped exactly once, in `escape()`;
- many features go into one GeoJson layer, never thousands of Marker objects;
- tests can substitute `st_folium` (AppTest cannot click inside a map).

Our own map JavaScript lives in assets/js (served at /app/static/js/, linted by ESLint); each
file defines one `window.allianz...` function, and the templates here only call it with the
folium object names and JSON options.
"""

from __future__ import annotations

import functools
import html
import json
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import xyzservices
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from allianz import assets
from allianz.config import Alliance, TileServer

# Leaflet only: folium's further defaults (jQuery, Bootstrap, Awesome Markers, ~500 KB) serve
# icon markers this app does not use, and every map iframe would load and parse them.
_MAP_JS = [("leaflet", "leaflet/leaflet.js")]
_MAP_CSS = [("leaflet_css", "leaflet/leaflet.css")]
_SUPERCLUSTER_JS = [("supercluster", "supercluster/supercluster.min.js")]
_CLUSTER_CSS = [
    ("markerclustercss", "markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", "markercluster/MarkerCluster.Default.css"),
]


def _own_js(name: str) -> list[tuple[str, str]]:
    """One of our scripts (assets/js) as a default_js entry: streamlit-folium loads every
    element's links before the map script runs, so the script's function is defined by then."""
    return [(f"allianz_{name.removesuffix('.js').replace('-', '_')}", assets.own_url(name))]


class _RawScript(Element):
    """Script text that is already final. Branca wraps every rendered script in a new Jinja
    template and compiles it again, which takes seconds for megabytes of data rows."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _DataRows:
    """Mixin for layers with a large `rows_json` in their script. Branca compiles every
    rendered script once more as a Jinja template (seconds for megabytes of rows); here the
    script is rendered with a placeholder and the rows are put in afterwards as raw text.
    streamlit-folium reads the script macro itself, which still gets the rows."""

    rows_json: str
    _PLACEHOLDER = "[/*rows*/]"

    def render(self, **kwargs) -> None:
        rows, self.rows_json = self.rows_json, self._PLACEHOLDER
        try:
            super().render(**kwargs)
        finally:
            self.rows_json = rows
        scripts = self.get_root().script._children
        name = self.get_name()
        scripts[name] = _RawScript(scripts[name].render().replace(self._PLACEHOLDER, rows, 1))


class PointCluster(JSCSSMixin, Layer):
    """Many points as compact rows [lat, lon, ref, class], clustered in the browser by
    supercluster: it indexes 50,000 points in a fraction of a second and the map only ever
    holds the clusters and points of the current view (one Leaflet marker per point, as
    leaflet.markercluster needs, takes several seconds to build). The cluster bubbles keep
    leaflet.markercluster's stylesheet.

    The rows are fetched from a static file (`assets.publish`): a megabyte inside the
    component's arguments slows every step from the websocket to the iframe. Only references
    and class indexes go in, never user text, so nothing needs escaping; a click on a point
    reports its `ref` like a GeoJson feature does, a click on a cluster zooms in. Clusters sit
    in a plain layer group so their clicks do not count as a choice.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.allianzPointCluster(
            {{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}"""
    )

    def __init__(
        self,
        layer: str,
        rows_json: str,
        colors: list[str],
        labels: list[str],
        name: str,
        counted: str = "Einträge",
    ) -> None:
        super().__init__(name=name, overlay=True)
        self._name = "PointCluster"
        self.rows_url = self.publish(layer, rows_json)
        self.options = {
            "rowsUrl": self.rows_url,
            "colors": colors,
            "labels": labels,
            "counted": counted,
            # From zoom 15 (a few streets in view) every point stands alone; each clustered
            # zoom level costs the browser an index pass over all rows (16: ~50 % longer).
            "maxClusterZoom": 14,
        }

    def add_to(self, parent: Element, name: str | None = None, index: int | None = None):
        """Besides joining the map, start fetching the rows before any map script loads:
        streamlit-folium loads the scripts one after another, the first one is
        assets/js/prefetch-rows.js with its call, inlined as a data: URL (no request to wait
        for), so the rows arrive while Leaflet loads."""
        super().add_to(parent, name=name, index=index)
        root = self._parent
        while not isinstance(root, folium.Map):
            root = root._parent
        call = f"window.allianzPrefetchRows({json.dumps(self.rows_url)});"
        script = assets.own_script("prefetch-rows.js") + call
        early = ("rows", "data:text/javascript," + urllib.parse.quote(script))
        root.default_js = [early, *root.default_js]
        return self

    @staticmethod
    def publish(layer: str, rows_json: str) -> str:
        """The rows' file URL (`assets.layer` names the layer); written with its gzip copy when
        missing. Callers that prepare rows ahead may publish them then, so that no page run
        pays for it."""
        return assets.publish(layer, rows_json)

    @staticmethod
    def rows(rows: list[tuple[float, float, str, int]]) -> str:
        """The rows as JSON (refs and numbers only), serialised at C speed; callers may keep
        it per data version."""
        return json.dumps([list(row) for row in rows], separators=(",", ":"))


class SegmentLines(_DataRows, JSCSSMixin, Layer):
    """Thousands of line segments as compact rows [id, style, km, condition, parts] drawn in
    the browser, each part a flat [lon, lat, lon, lat, ...] list.

    Per-feature GeoJSON with Python-side styles costs seconds and megabytes at 30,000 segments;
    these rows carry only numbers (no user text, so nothing to escape) and one style table.
    Above `CANVAS_FROM` segments they are drawn on a canvas instead of as SVG paths. A click
    reports the segment's `id` like a GeoJson feature does; the tooltip is built from numbers.
    """

    CANVAS_FROM = 2000
    default_js = _own_js("segment-lines.js")
    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.allianzSegmentLines(
            {{ this.rows_json }}, {{ this.options|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, rows_json: str, styles: list[dict], name: str, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, show=show)
        self._name = "SegmentLines"
        self.rows_json = rows_json.replace("<", "\\u003c")
        self.options = {"styles": styles, "canvasFrom": self.CANVAS_FROM}


def _local(entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, assets.url(path)) for name, path in entries]


def _use_local_assets() -> None:
    folium.Map.default_js = _local(_MAP_JS)
    folium.Map.default_css = _local(_MAP_CSS)
    PointCluster.default_js = _local(_SUPERCLUSTER_JS) + _own_js("point-cluster.js")
    PointCluster.default_css = _local(_CLUSTER_CSS)


_use_local_assets()

DEMO_LABEL = "Demo-Daten: Gebiete und Wege sind angenähert, nicht amtlich."


def escape(text: object) -> str:
    """HTML-escape user text for popups and tooltips, including JS template-literal breakers."""
    return html.escape(str(text), quote=True).replace("`", "&#96;").replace("$", "&#36;")


@functools.lru_cache(maxsize=8)
def _tile_provider(server: TileServer) -> xyzservices.TileProvider:
    """Folium looks a plain URL up among all known tile providers first (~10 ms a map)."""
    return xyzservices.TileProvider(
        name="Hintergrundkarte", url=server.url, attribution=server.attribution
    )


def base_map(alliance: Alliance, bounds: Sequence[float] | None = None) -> folium.Map:
    """Map with the configured tile server; `bounds` is (minx, miny, maxx, maxy) in WGS84."""
    lat = sum(m.seat_lat for m in alliance.municipalities) / len(alliance.municipalities)
    lon = sum(m.seat_lon for m in alliance.municipalities) / len(alliance.municipalities)
    fmap = folium.Map(
        location=[lat, lon],
        zoom_start=11,
        tiles=None,
        max_zoom=alliance.tiles.max_zoom,
    )
    folium.TileLayer(
        tiles=_tile_provider(alliance.tiles),
        attr=escape(alliance.tiles.attribution),
        name="Hintergrundkarte",
        max_zoom=alliance.tiles.max_zoom,
        control=False,
    ).add_to(fmap)
    _MetricScale().add_to(fmap)
    _FocusWithoutScroll().add_to(fmap)
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
        _RefitWhenShown([[miny, minx], [maxy, maxx]]).add_to(fmap)
    return fmap


class _MetricScale(MacroElement):
    """The scale bar in metres and kilometres only (folium's `control_scale` adds Leaflet's
    default, which also shows miles and feet)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


class _FocusWithoutScroll(JSCSSMixin, MacroElement):
    """Leaflet focuses the map on the first mousedown; in the st_folium iframe the browser
    then scrolls the app page to show the whole map, the button comes up over another spot,
    and the first click after a page load missed what it was aimed at. Focus without
    scrolling (assets/js/focus-without-scroll.js)."""

    default_js = _own_js("focus-without-scroll.js")
    _template = Template(
        """{% macro script(this, kwargs) %}
        window.allianzFocusWithoutScroll({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "FocusWithoutScroll"


class _RefitWhenShown(JSCSSMixin, MacroElement):
    """A map drawn while hidden (e.g. in a second tab) has no size, so fitBounds ends at
    zoom 0 showing the whole world; fit again the first time the map gets a size."""

    default_js = _own_js("refit-when-shown.js")
    _template = Template(
        """{% macro script(this, kwargs) %}
        window.allianzRefitWhenShown({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "RefitWhenShown"
        self.bounds = bounds


@dataclass(frozen=True)
class Field:
    column: str
    label: str


def _escaped_properties(frame: gpd.GeoDataFrame, columns: Iterable[str]) -> gpd.GeoDataFrame:
    """Only the named columns go to the browser, each escaped."""
    keep = list(dict.fromkeys(columns))
    out = frame[[*keep, frame.geometry.name]].copy()
    for column in keep:
        out[column] = out[column].map(escape)
    return out


def _geojson_layer(
    fmap: folium.Map,
    frame: gpd.GeoDataFrame,
    *,
    layer_name: str,
    tooltip: Sequence[Field],
    popup: Sequence[Field],
    id_column: str | None,
    extra_columns: Sequence[str] = (),
    show: bool = True,
    **style,
) -> folium.GeoJson:
    """One GeoJson layer; only the named columns go to the browser, all of them escaped."""
    columns = [f.column for f in (*tooltip, *popup)] + ([id_column] if id_column else [])
    columns += list(extra_columns)
    layer = folium.GeoJson(
        _escaped_properties(frame, columns).to_json(),
        name=layer_name,
        show=show,
        tooltip=folium.GeoJsonTooltip(
            fields=[f.column for f in tooltip], aliases=[f.label for f in tooltip]
        )
        if tooltip
        else None,
        popup=folium.GeoJsonPopup(
            fields=[f.column for f in popup], aliases=[f.label for f in popup]
        )
        if popup
        else None,
        **style,
    )
    layer.add_to(fmap)
    return layer


def add_areas(
    fmap: folium.Map,
    frame: gpd.GeoDataFrame,
    *,
    layer_name: str,
    tooltip: Sequence[Field],
    popup: Sequence[Field] = (),
    id_column: str | None = None,
    color: str = "#2c6e49",
    show: bool = True,
    fill_column: str | None = None,
) -> folium.GeoJson:
    """Polygons as one GeoJson layer with escaped tooltip/popup fields.

    `fill_column` names a column of colours the caller computed (e.g. a density scale);
    those polygons are filled more strongly and outlined thinly.
    """

    def style(feature: dict) -> dict:
        if fill_column:
            fill = feature["properties"].get(fill_column, color)
            return {"color": "#555555", "weight": 1, "fillColor": fill, "fillOpacity": 0.65}
        return {"color": color, "weight": 2, "fillColor": color, "fillOpacity": 0.12}

    return _geojson_layer(
        fmap,
        frame,
        layer_name=layer_name,
        tooltip=tooltip,
        popup=popup,
        id_column=id_column,
        extra_columns=[fill_column] if fill_column else [],
        show=show,
        style_function=style,
        highlight_function=lambda _feature: {"weight": 4, "fillOpacity": 0.3},
    )


def areas_map(
    alliance: Alliance, areas_frame: gpd.GeoDataFrame, *, color: str = "#2c6e49"
) -> folium.Map:
    """The usual start of a page's map: fitted to the member municipalities, drawn in."""
    fmap = base_map(alliance, areas_frame.total_bounds)
    add_areas(
        fmap, areas_frame, layer_name="Gemeinden", tooltip=[Field("name", "Gemeinde")], color=color
    )
    return fmap


def add_lines(
    fmap: folium.Map,
    frame: gpd.GeoDataFrame,
    *,
    layer_name: str,
    tooltip: Sequence[Field],
    color: str = "#d62828",
    dash: str | None = None,
    popup: Sequence[Field] = (),
    id_column: str | None = None,
    color_column: str | None = None,
    dash_column: str | None = None,
    show: bool = True,
) -> folium.GeoJson:
    """Lines as one GeoJson layer; per-feature colour/dash from columns the caller computed."""
    extra = [c for c in (color_column, dash_column) if c]

    def style(feature: dict) -> dict:
        props = feature["properties"]
        return {
            "color": props.get(color_column, color) if color_column else color,
            "weight": 5 if dash_column and props.get(dash_column) else 3,
            "dashArray": props.get(dash_column) or dash if dash_column else dash,
        }

    return _geojson_layer(
        fmap,
        frame,
        layer_name=layer_name,
        tooltip=tooltip,
        popup=popup,
        id_column=id_column,
        extra_columns=extra,
        show=show,
        style_function=style,
        highlight_function=lambda _feature: {"weight": 7},
    )


def add_point_layer(
    fmap: folium.Map,
    frame: gpd.GeoDataFrame,
    *,
    layer_name: str,
    tooltip: Sequence[Field],
    popup: Sequence[Field] = (),
    id_column: str | None = None,
    color: str = "#c1121f",
    color_by: tuple[str, dict[str, str]] | None = None,
) -> folium.GeoJson:
    """Many points as one GeoJson layer of circle markers (one element, not one per point).

    `color_by` = (column, {value: colour}) colours each point by one of the popup/tooltip
    columns; values not in the mapping get `color`.
    """
    style = {}
    if color_by is not None:
        column, palette = color_by
        escaped = {escape(value): hue for value, hue in palette.items()}
        style["style_function"] = lambda feature: {
            "fillColor": escaped.get(feature["properties"].get(column), color)
        }
    return _geojson_layer(
        fmap,
        frame,
        layer_name=layer_name,
        tooltip=tooltip,
        popup=popup,
        id_column=id_column,
        marker=folium.CircleMarker(
            radius=7, color="#ffffff", weight=1, fill=True, fill_color=color, fill_opacity=0.9
        ),
        **style,
    )


@dataclass(frozen=True)
class MapPoint:
    lat: float
    lon: float
    label: str


def add_points(
    fmap: folium.Map, points: Sequence[MapPoint], *, layer_name: str, color: str = "#1d3557"
) -> folium.FeatureGroup:
    """A few labelled points (e.g. seats); many points belong in a GeoJson or cluster layer."""
    group = folium.FeatureGroup(name=layer_name)
    for point in points:
        folium.CircleMarker(
            location=[point.lat, point.lon],
            radius=6,
            color=color,
            fill=True,
            fill_opacity=0.9,
            tooltip=folium.Tooltip(escape(point.label)),
        ).add_to(group)
    group.add_to(fmap)
    return group


def add_layer_control(fmap: folium.Map) -> None:
    folium.LayerControl(collapsed=False).add_to(fmap)


def st_folium(*args, **kwargs) -> dict | None:
    """streamlit-folium declares its component when imported, and a component declared
    outside a script run (server start, the warm-up thread) is never served: import it here.
    Tests substitute this function (AppTest cannot click inside a map)."""
    from streamlit_folium import st_folium as component

    return component(*args, **kwargs)


def show(
    fmap: folium.Map,
    *,
    key: str,
    height: int = 480,
    returned_objects: Sequence[str] = ("last_active_drawing",),
) -> dict:
    """Render through streamlit-folium; only `returned_objects` trigger a rerun."""
    return (
        st_folium(
            fmap,
            key=key,
            height=height,
            use_container_width=True,
            returned_objects=list(returned_objects),
            render=False,  # st_folium renders the map itself too; the whole page is not needed
        )
        or {}
    )


def clicked_properties(result: dict) -> dict:
    """Properties of the GeoJson feature the user clicked last (empty when none)."""
    feature = result.get("last_active_drawing") or {}
    return feature.get("properties") or {}
