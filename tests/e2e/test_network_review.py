"""A working-group member clicks a segment, saves a review, and the map colour and the key
figures change.

Switching the colouring is a rerun that replaces the map's iframe (streamlit-folium keys it by
the map's content), so the map is only ever reached through a frame locator, after the rerun
has verifiably finished, and checked with waiting assertions.
"""

import re

import pytest
from playwright.sync_api import FrameLocator, expect
from shapely.geometry import shape

from allianz.networks import store
from db.connection import connect
from tests.e2e.conftest import PASSWORD, click_map_at, login, map_locator, nav, wait_idle

pytestmark = pytest.mark.e2e
REVIEWED = "#2a9d8f"
REVIEWED_PATHS = f'path.leaflet-interactive[stroke="{REVIEWED}"]'
RERUN = 30_000  # ms, as the page's default timeout: a rerun on a busy machine outlasts expect's 5 s


def _colour_by_review(page) -> FrameLocator:
    """Colour the map by "geprüft / nicht geprüft" and return it once the new map is drawn.

    `wait_idle` alone may still see the previous run's "notRunning" right after the click:
    the legend of the new colouring proves that the rerun has reached the page, `wait_idle`
    then that it has finished, so no further iframe is on its way.
    """
    page.get_by_text("geprüft / nicht geprüft").click()
    legend = page.get_by_test_id("stHtml").filter(has_text="nicht geprüft")
    expect(legend).to_be_visible(timeout=RERUN)
    wait_idle(page)
    network_map = map_locator(page)
    # the segments are drawn in one go: the 21st line means all of them are there
    expect(network_map.locator("path.leaflet-interactive").nth(20)).to_be_attached(timeout=RERUN)
    return network_map


def test_review_changes_colour_and_figures(browser, app_server):
    db = connect(app_server.db_path)
    segment = max(
        (s for s in store.all_segments(db) if s.in_rad and not s.reviewed), key=lambda s: s.length_m
    )
    db.close()
    middle = shape(segment.geometry).interpolate(0.5, normalized=True)

    page = browser.page
    login(page, app_server.url, "e2e-ak", PASSWORD, "Rita Radlerin")
    nav(page, "Radwege & Kernwege")
    wait_idle(page)
    network_map = _colour_by_review(page)
    reviewed_metric = page.get_by_test_id("stMetric").filter(has_text="geprüft")
    expect(reviewed_metric).to_contain_text("0,0 km")
    before = network_map.locator(REVIEWED_PATHS).count()

    click_map_at(page, middle.y, middle.x)
    heading = page.get_by_role("heading", name=re.compile(f"Abschnitt {segment.id}:"))
    expect(heading).to_be_visible(timeout=RERUN)
    page.get_by_role("link", name="Diesen Abschnitt bewerten").click()
    expect(page.get_by_role("heading", name="Befahrung & Bewertung")).to_be_visible()
    expect(page.get_by_text(f"Abschnitt {segment.id}:").first).to_be_visible()
    page.get_by_label("Kommentar").fill("Wurzelaufbrüche auf 200 m")
    page.get_by_role("button", name="Bewertung speichern").click()
    expect(page.get_by_text(f"Bewertung für Abschnitt {segment.id} gespeichert.")).to_be_visible()
    expect(page.get_by_text("Wurzelaufbrüche auf 200 m")).to_be_visible()

    nav(page, "Radwege & Kernwege")
    wait_idle(page)
    network_map = _colour_by_review(page)
    km = f"{segment.length_m / 1000:.1f}".replace(".", ",")
    expect(page.get_by_test_id("stMetric").filter(has_text="geprüft")).to_contain_text(f"{km} km")
    expect(network_map.locator(REVIEWED_PATHS)).to_have_count(before + 1, timeout=RERUN)
