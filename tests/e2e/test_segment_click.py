"""A segment of the network map is chosen with one click, as people click: right after the page
has loaded, with part of the map still below the window, and a few pixels beside the thin line.

Leaflet focuses the map on the first mousedown; the browser used to scroll the page then so
that the whole map came into view, the button came up over another spot and the first click
after every page load was lost (allianz/maps.py `_FocusWithoutScroll`). The lines are 3 px
wide; an invisible wide twin takes clicks and hovers beside them (assets/js/segment-lines.js).
"""

import re

import pytest
from playwright.sync_api import expect
from shapely.geometry import shape
from shapely.ops import unary_union

from allianz.networks import store
from db.connection import connect
from tests.e2e.conftest import MAP_FRAME, PASSWORD, SETTLED, login, map_frame, wait_idle

pytestmark = pytest.mark.e2e
RERUN = 30_000  # ms: a rerun on a busy machine outlasts expect's 5 s
BESIDE = 6  # px from the middle of a 3 px line (5 px for a gap): well off its stroke


def _east_west_segment(db_path):
    """The Radweg segment that runs most nearly east-west: when the page moves vertically
    between mousedown and mouseup, the button comes up off the line."""
    db = connect(db_path)
    segments = [s for s in store.all_segments(db) if s.in_rad and shape(s.geometry).length > 0.02]
    db.close()

    def steepness(segment) -> float:
        minx, miny, maxx, maxy = shape(segment.geometry).bounds
        return (maxy - miny) / (maxx - minx)

    return min(segments, key=steepness)


def _open_network_map(page, base_url: str):
    """A fresh load of "Radwege & Kernwege" with the map drawn and settled."""
    page.goto(base_url + "/networks")
    wait_idle(page)
    frame = map_frame(page)
    frame.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length")
    frame.evaluate(SETTLED)
    return frame


def _aim(page, frame, lat: float, lon: float) -> tuple[float, float]:
    """Centre the map on (lat, lon) and return where that point is on the page."""
    frame.evaluate("([lat, lon]) => window.map.panTo([lat, lon], {animate: false})", [lat, lon])
    frame.evaluate(SETTLED)
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " const r = window.map.getContainer().getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; }",
        [lat, lon],
    )
    box = page.locator(MAP_FRAME).first.bounding_box()
    return box["x"] + x, box["y"] + y


def _selected(page, segment_id: int):
    return page.get_by_role("heading", name=re.compile(f"^Abschnitt {segment_id}:"))


def test_first_click_after_page_load_selects_the_segment(browser, app_server):
    segment = _east_west_segment(app_server.db_path)
    middle = shape(segment.geometry).interpolate(0.5, normalized=True)
    page = browser.page
    login(page, app_server.url, "e2e-ak", PASSWORD, "Rita Radlerin")
    frame = _open_network_map(page, app_server.url)

    # as on a laptop: the map's top in the window, its lower part still below it
    iframe = page.locator(MAP_FRAME).first
    window_height = page.viewport_size["height"]
    page.get_by_test_id("stMain").evaluate(
        "(main, by) => main.scrollBy(0, by)", iframe.bounding_box()["y"] - (window_height - 400)
    )
    top = iframe.bounding_box()["y"]
    assert top + iframe.bounding_box()["height"] > window_height + 100
    x, y = _aim(page, frame, middle.y, middle.x)
    assert y < window_height - 50

    page.mouse.click(x, y)  # exactly once
    expect(_selected(page, segment.id)).to_be_visible(timeout=RERUN)
    assert iframe.bounding_box()["y"] == top  # the page did not move under the pointer
    # the focus is in the map all the same (Chromium focuses the clicked line itself)
    assert frame.evaluate("() => window.map.getContainer().contains(document.activeElement)")


def _clear_point(db_path) -> tuple[int, float, float]:
    """(id, lat, lon): a point on a Radweg segment as far as possible from every other one,
    so that no other line is near where the test clicks beside it."""
    db = connect(db_path)
    lines = {s.id: (s.in_rad, shape(s.geometry)) for s in store.all_segments(db)}
    db.close()
    best = (-1.0, 0, 0.0, 0.0)
    for segment_id, (in_rad, line) in lines.items():
        if not in_rad:
            continue
        others = unary_union([g for i, (_, g) in lines.items() if i != segment_id])
        for fraction in (0.3, 0.4, 0.5, 0.6, 0.7):
            point = line.interpolate(fraction, normalized=True)
            best = max(best, (others.distance(point), segment_id, point.y, point.x))
    return best[1:]


# A visible line's stroke width by its segment id (several when it is in both networks).
WIDTHS = (
    "(id) => { const w = []; window.map.eachLayer((l) => { if (l.feature && l.visible === l"
    " && l.feature.properties.id === id) { w.push(l._path.getAttribute('stroke-width')); } });"
    " return w; }"
)
# The point `by` pixels from (lat, lon) on the line at right angles to it, in the frame.
BESIDE_POINT = """([id, lat, lon, by]) => {
    const map = window.map;
    const c = map.latLngToLayerPoint([lat, lon]);
    let near = null;
    map.eachLayer((l) => {
        if (l.feature && l.visible === l && l.feature.properties.id === id) {
            for (const part of l._parts) {
                for (let i = 1; i < part.length; i++) {
                    const d = L.LineUtil.pointToSegmentDistance(c, part[i - 1], part[i]);
                    if (!near || d < near.d) { near = {d: d, a: part[i - 1], b: part[i]}; }
                }
            }
        }
    });
    const dx = near.b.x - near.a.x, dy = near.b.y - near.a.y, n = Math.hypot(dx, dy);
    const p = map.layerPointToContainerPoint(L.point(c.x - dy / n * by, c.y + dx / n * by));
    const r = map.getContainer().getBoundingClientRect();
    return [p.x + r.left, p.y + r.top];
}"""
# How far a point of the frame is from the segment's line, in pixels.
DISTANCE = """([id, [x, y]]) => {
    const map = window.map;
    const r = map.getContainer().getBoundingClientRect();
    const p = map.containerPointToLayerPoint(L.point(x - r.left, y - r.top));
    let d = Infinity;
    map.eachLayer((l) => {
        if (l.feature && l.visible === l && l.feature.properties.id === id) {
            for (const part of l._parts) {
                for (let i = 1; i < part.length; i++) {
                    d = Math.min(d, L.LineUtil.pointToSegmentDistance(p, part[i - 1], part[i]));
                }
            }
        }
    });
    return d;
}"""


def test_click_beside_a_line_selects_it_and_hover_highlights_it(browser, app_server):
    segment_id, lat, lon = _clear_point(app_server.db_path)
    page = browser.page
    login(page, app_server.url, "e2e-ak", PASSWORD, "Rita Radlerin")
    frame = _open_network_map(page, app_server.url)
    iframe = page.locator(MAP_FRAME).first
    iframe.scroll_into_view_if_needed()
    frame.evaluate(
        "([lat, lon]) => window.map.setView([lat, lon], 15, {animate: false})", [lat, lon]
    )
    frame.evaluate(SETTLED)
    inside = frame.evaluate(BESIDE_POINT, [segment_id, lat, lon, BESIDE])
    distance = frame.evaluate(DISTANCE, [segment_id, inside])
    assert 4 < distance < 7, distance  # off the stroke, within the 16 px hit area
    under = frame.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).getAttribute('class')", inside
    )
    assert "allianz-segment-hit" in under  # the invisible twin, not the visible line
    assert set(frame.evaluate(WIDTHS, segment_id)) <= {"3", "5"}  # 5: a gap, dashed

    box = iframe.bounding_box()
    beside = box["x"] + inside[0], box["y"] + inside[1]
    page.mouse.move(*beside)
    frame.wait_for_function(f"() => ({WIDTHS})({segment_id}).includes('7')")  # highlighted
    expect(frame.locator(".leaflet-tooltip")).to_contain_text(f"Nr. {segment_id} ·")

    page.mouse.click(*beside)
    expect(_selected(page, segment_id)).to_be_visible(timeout=RERUN)
