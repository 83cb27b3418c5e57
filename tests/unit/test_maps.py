import gzip
import re
import urllib.parse

import geopandas as gpd
import pytest
import sqlite_utils
from shapely.geometry import box

from allianz import assets, maps
from allianz.maps import Field

HOSTILE = "<img src=x onerror=alert(1)>`${alert(2)}`"


def test_escape_neutralises_html_and_js_template_literals():
    escaped = maps.escape(HOSTILE)
    assert "<" not in escaped and ">" not in escaped
    assert "`" not in escaped and "${" not in escaped
    assert maps.escape("\"quoted\" & 'single'") == "&quot;quoted&quot; &amp; &#x27;single&#x27;"


def _render(fmap) -> str:
    return fmap.get_root().render()


def _external_asset_urls(page: str) -> list[str]:
    urls = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    return [u for u in urls if "{z}" not in u]


def test_map_loads_no_asset_from_a_cdn(alliance):
    fmap = maps.base_map(alliance)
    frame = gpd.GeoDataFrame(
        {"name": ["A"], "ags": ["1"]}, geometry=[box(12.5, 51.3, 12.6, 51.4)], crs="EPSG:4326"
    )
    maps.add_areas(fmap, frame, layer_name="x", tooltip=[Field("name", "Name")])
    maps.add_layer_control(fmap)
    page = _render(fmap)
    assert _external_asset_urls(page) == []
    assert "/app/static/vendor/leaflet/leaflet.js" in page
    # streamlit-folium collects default_js of every element; all must be local too
    for element in [fmap, *fmap._children.values()]:
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            assert url.startswith(("/app/static/vendor/", "/app/static/js/")), url


def test_point_cluster_uses_local_assets():
    cls = maps.PointCluster
    assert all(u.startswith("/app/static/") for _, u in cls.default_js + cls.default_css)


def test_tiles_and_attribution_come_from_config(alliance):
    page = _render(maps.base_map(alliance))
    assert alliance.tiles.url in page
    assert "basemap.de / BKG" in page


def test_user_text_in_tooltips_and_popups_is_escaped(alliance):
    fmap = maps.base_map(alliance)
    frame = gpd.GeoDataFrame(
        {"name": [HOSTILE]}, geometry=[box(12.5, 51.3, 12.6, 51.4)], crs="EPSG:4326"
    )
    maps.add_areas(
        fmap, frame, layer_name="x", tooltip=[Field("name", "Name")], popup=[Field("name", "Name")]
    )
    maps.add_points(fmap, [maps.MapPoint(51.3, 12.5, HOSTILE)], layer_name="p")
    page = _render(fmap)
    assert "<img src=x" not in page
    assert "${alert(2)}" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_clicked_properties():
    assert maps.clicked_properties({}) == {}
    result = {"last_active_drawing": {"type": "Feature", "properties": {"ags": "14729060"}}}
    assert maps.clicked_properties(result) == {"ags": "14729060"}


def test_assets_install_copies_every_file(tmp_path):
    if not assets.NODE_MODULES.exists():
        pytest.fail("node_modules missing: run `make setup` (npm ci)")
    assert assets.install(static_dir=tmp_path) == len(assets.FILES) + len(assets.OWN_FILES)
    assert assets.missing(tmp_path) == []
    assert (tmp_path / "vendor" / "leaflet" / "images" / "layers.png").is_file()
    with pytest.raises(KeyError):
        assets.url("evil/cdn.js")


def test_project_static_folder_is_complete():
    assert assets.missing() == [], "run `make setup` to copy the map assets"


def test_server_start_does_not_import_the_map_component():
    """A component declared while app.py is imported (server start, no script run) is never
    served: every map would stay empty (HTTP 404 for the component)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = "import sys, app; print('streamlit_folium' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_segment_rows_reach_the_page_and_the_component_once(alliance):
    from streamlit_folium import _get_map_string

    rows = "[[7,0,0.123,3,[[12.5,51.3,12.6,51.31]]],[8,1,1.5,0,[[12.7,51.2,12.71,51.21]]]]"
    styles = [{"color": "#ff0000", "gap": False}, {"color": "#00ff00", "gap": True}]
    fmap = maps.base_map(alliance)
    maps.SegmentLines(rows + "<!--", styles, "Radwegenetz").add_to(fmap)
    maps.add_layer_control(fmap)
    page = _render(fmap)
    assert page.count("12.71,51.21") == 1 and "/*rows*/" not in page
    assert "<!--" not in page  # "<" in data rows is escaped as \u003c
    fmap.render()
    script = _get_map_string(fmap)  # what streamlit-folium sends to the browser
    assert script.count("12.71,51.21") == 1 and "/*rows*/" not in script
    assert '"Radwegenetz"' in page  # listed in the layer control


def test_publish_serves_each_content_once_and_keeps_the_newest_per_layer(tmp_path, monkeypatch):
    first = assets.publish("points_a", "[[1]]", static_dir=tmp_path)
    assert re.fullmatch(r"/app/static/data/points_a\.[0-9a-f]{24}\.json", first)
    assert assets.publish("points_a", "[[1]]", static_dir=tmp_path) == first
    assert (tmp_path / "data" / first.rsplit("/", 1)[1]).read_text() == "[[1]]"
    other = assets.publish("points_b", "[[1]]", static_dir=tmp_path)  # same rows, other layer
    monkeypatch.setattr(assets, "_KEEP_DATA", 2)
    newest = [assets.publish("points_a", f"[{n}]", static_dir=tmp_path) for n in range(3)]
    kept = sorted(f.name for f in (tmp_path / "data").iterdir())
    rows = sorted(name for name in kept if name.endswith(".json"))
    names = sorted(url.rsplit("/", 1)[1] for url in [*newest[1:], other])
    assert rows == names  # two of layer a, and b untouched
    assert kept == sorted(rows + [f"{name}.gz" for name in rows])  # each with its gzip copy
    assert gzip.decompress((tmp_path / "data" / f"{names[0]}.gz").read_bytes()).startswith(b"[")


def test_retract_removes_every_file_of_the_layer_only(tmp_path):
    a = [assets.publish("points_a", f"[{n}]", static_dir=tmp_path) for n in range(3)]
    b = assets.publish("points_ab", "[1]", static_dir=tmp_path)  # a prefix is not the layer
    assert assets.retract("points_a", static_dir=tmp_path) == 3
    left = sorted(f.name for f in (tmp_path / "data").iterdir())
    assert left == sorted([b.rsplit("/", 1)[1], b.rsplit("/", 1)[1] + ".gz"])
    assert all(not (tmp_path / "data" / url.rsplit("/", 1)[1]).exists() for url in a)
    with pytest.raises(ValueError):
        assets.publish("../x", "[]", static_dir=tmp_path)


def test_layers_of_two_databases_differ(tmp_path):
    first = sqlite_utils.Database(tmp_path / "a.sqlite3")
    second = sqlite_utils.Database(tmp_path / "b.sqlite3")
    assert assets.layer("vacancies", first) != assets.layer("vacancies", second)
    assert assets.layer("vacancies", first) == assets.layer("vacancies", first)


OWN_SCRIPTS = {
    "point-cluster.js": "allianzPointCluster",
    "segment-lines.js": "allianzSegmentLines",
    "refit-when-shown.js": "allianzRefitWhenShown",
    "focus-without-scroll.js": "allianzFocusWithoutScroll",
    "prefetch-rows.js": "allianzPrefetchRows",
    "german-ui.js": "allianzGermanUi",  # loaded by main.py on every page, not by the maps
}
# the scripts a map element loads and calls (every base map focuses without scrolling)
OWN_MAP_SCRIPTS = (
    "point-cluster.js",
    "segment-lines.js",
    "refit-when-shown.js",
    "focus-without-scroll.js",
)


def _map_with_own_layers(alliance):
    fmap = maps.base_map(alliance, (12.4, 51.2, 12.8, 51.4))  # with _RefitWhenShown
    rows = maps.PointCluster.rows([(51.3, 12.6, "H-2026-00001", 0)])
    maps.PointCluster("points_t", rows, ["#ff0000"], ["neu"], "Hinweise").add_to(fmap)
    styles = [{"color": "#ff0000", "gap": False}]
    maps.SegmentLines("[[7,0,0.123,3,[[12.5,51.3,12.6,51.31]]]]", styles, "Wege").add_to(fmap)
    return fmap


def test_map_scripts_call_our_served_js_files_instead_of_inline_code(alliance):
    from streamlit_folium import _get_map_string

    fmap = _map_with_own_layers(alliance)
    page = _render(fmap)
    for name in OWN_MAP_SCRIPTS:
        assert f'<script src="{assets.own_url(name)}"></script>' in page
    script = _get_map_string(fmap)  # what streamlit-folium runs after loading the links
    for name in OWN_MAP_SCRIPTS:
        assert f"window.{OWN_SCRIPTS[name]}(" in script
    # the layer code lives in the files; the templates only call it
    assert "function" not in script and "ResizeObserver" not in script
    assert "Supercluster" not in script and "L.polyline" not in script
    own = (maps.PointCluster, maps.SegmentLines, maps._RefitWhenShown, maps._FocusWithoutScroll)
    elements = [e for e in fmap._children.values() if isinstance(e, own)]
    assert len(elements) == len(OWN_MAP_SCRIPTS)
    for element in elements:  # one call with names and JSON options (here a single row)
        call = element._template.module.script(element, {}).strip()
        assert call.startswith(("var ", "window.")) and len(call) < 400, call


def test_each_class_lists_its_script_so_it_loads_before_the_map_script(alliance):
    fmap = _map_with_own_layers(alliance)
    links = [url for _, url in fmap.default_js]
    for element in fmap._children.values():
        links += [url for _, url in getattr(element, "default_js", [])]
    for name in OWN_MAP_SCRIPTS:
        assert assets.own_url(name) in links
    # the early fetch runs first, without a request: prefetch-rows.js inlined with its call
    first = urllib.parse.unquote(links[0])
    assert first.startswith("data:text/javascript,")
    assert assets.own_script("prefetch-rows.js") in first
    assert 'window.allianzPrefetchRows("/app/static/data/points_t.' in first


def test_own_scripts_define_the_called_functions_and_are_served(tmp_path):
    from allianz.static_files import cache_control

    assert set(assets.OWN_FILES) == set(OWN_SCRIPTS)
    assert sorted(p.name for p in assets.OWN_JS_SOURCE.glob("*.js")) == sorted(OWN_SCRIPTS)
    for name, function in OWN_SCRIPTS.items():
        assert f"window.{function} = function (" in assets.own_script(name)
        url = assets.own_url(name)
        path, _, version = url.partition("?v=")
        assert path == f"/app/static/js/{name}" and re.fullmatch(r"[0-9a-f]{12}", version)
        assert cache_control(path) == b"public, max-age=86400"
        # `make assets` copies it to where Streamlit serves /app/static/
        served = assets.STATIC_DIR / path.removeprefix("/app/static/")
        assert served.read_bytes() == (assets.OWN_JS_SOURCE / name).read_bytes(), "make assets"
    with pytest.raises(KeyError):
        assets.own_url("../../app.py")


def test_a_changed_own_script_counts_as_missing_until_copied(tmp_path):
    if not assets.NODE_MODULES.exists():
        pytest.fail("node_modules missing: run `make setup` (npm ci)")
    assets.install(static_dir=tmp_path)
    (tmp_path / "js" / "point-cluster.js").write_text("// old version\n")
    assert assets.missing(tmp_path) == ["js/point-cluster.js"]
