"""The start page in a real browser: offline Leaflet, municipality areas, click → name."""

import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from allianz import config
from tests.e2e.conftest import click_map, inner_point, json_get, map_frame, wait_idle

pytestmark = pytest.mark.e2e


def test_home_map_renders_offline_and_click_shows_name(browser, app_server):
    page = browser.page
    page.goto(app_server.url)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Region Partheland")).to_be_visible()
    assert page.evaluate("() => document.documentElement.lang") == "de"
    frame = map_frame(page)
    assert frame.evaluate("() => typeof window.L.map") == "function"
    # seven municipality areas + seven seat markers are drawn as interactive SVG paths
    frame.wait_for_function(
        "() => document.querySelectorAll('path.leaflet-interactive').length >= 14"
    )
    lat, lon = inner_point(app_server.db_path, "14729300")
    click_map(page, frame, lat, lon)
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Stadt Naunhof")
    expect(page.get_by_text("Ausgewählt: Stadt Naunhof")).to_be_visible()

    tile_host = config.load("partheland").tiles.host
    assert browser.hosts <= {"127.0.0.1", tile_host}, browser.hosts


def test_keyboard_only_coordinates(browser, app_server):
    page = browser.page
    page.goto(app_server.url)
    wait_idle(page)
    field = page.get_by_label("Koordinaten (Breite, Länge)")
    field.fill("51.3583, 12.6278")
    field.press("Enter")
    expect(page.get_by_text("Der Punkt liegt in Machern")).to_be_visible()


def test_healthz(app_server):
    body = json_get(app_server.url + "/healthz")
    assert body["status"] == "ok" and body["schema_version"] == body["schema_expected"]
    for _ in range(100):  # the public maps are prepared in the background after the start
        if body["warmup"] != "running":
            break
        time.sleep(0.3)
        body = json_get(app_server.url + "/healthz")
    assert body["warmup"] == "done" and body["warmup_s"] > 0
    leaflet = app_server.url + "/app/static/vendor/leaflet/leaflet.js"
    with urllib.request.urlopen(leaflet) as r:  # noqa: S310 - loopback
        assert r.headers["Cache-Control"] == "public, max-age=86400"


def test_streamlit_metrics_are_not_public(app_server):
    for path in ("/_stcore/metrics", "/_stcore/metrics/"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(app_server.url + path, timeout=10)  # noqa: S310 - loopback
        assert refused.value.code == 404
        assert b"session" not in refused.value.read()
    assert json_get(app_server.url + "/healthz")["status"]  # operators look here instead
