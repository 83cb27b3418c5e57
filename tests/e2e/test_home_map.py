"""The start page in a real browser: offline Leaflet, municipality areas, click → name."""

import pytest
from playwright.sync_api import expect
from shapely.geometry import Point

from allianz import config, geo
from allianz.municipalities import service as municipalities
from db.connection import connect
from tests.e2e.conftest import json_get, wait_idle

pytestmark = pytest.mark.e2e
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _map_frame(page):
    page.wait_for_selector(MAP_FRAME)
    frame = next(f for f in page.frames if "streamlit_folium" in (f.url or ""))
    frame.wait_for_function("() => window.map && window.L")
    return frame


def _inner_point(db_path, ags: str) -> tuple[float, float]:
    """A point inside the area, away from the seat marker (which has its own tooltip)."""
    db = connect(db_path)
    area = next(a for a in municipalities.areas(db) if a.ags == ags)
    db.close()
    metric = geo.to_metric(area.geometry)
    seat = geo.to_metric(Point(area.seat_lon, area.seat_lat))
    inner = metric.buffer(-400).difference(seat.buffer(1200)).representative_point()
    wgs = geo.to_storage(inner)
    return wgs.y, wgs.x


def test_home_map_renders_offline_and_click_shows_name(browser, app_server):
    page = browser.page
    page.goto(app_server.url)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Region Partheland")).to_be_visible()
    frame = _map_frame(page)
    assert frame.evaluate("() => typeof window.L.map") == "function"
    # seven municipality areas + seven seat markers are drawn as interactive SVG paths
    frame.wait_for_function(
        "() => document.querySelectorAll('path.leaflet-interactive').length >= 14"
    )
    lat, lon = _inner_point(app_server.db_path, "14729300")
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " const r = window.map.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }",
        [lat, lon],
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
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
