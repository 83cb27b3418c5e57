"""A working-group member clicks a segment, saves a review, and the map colour and the key
figures change."""

import re

import pytest
from playwright.sync_api import expect
from shapely.geometry import shape

from allianz.networks import store
from db.connection import connect
from tests.e2e.conftest import PASSWORD, click_map, login, map_frame, nav, wait_idle

pytestmark = pytest.mark.e2e
REVIEWED = "#2a9d8f"


def _reviewed_paths(frame) -> int:
    return frame.evaluate(
        f"() => document.querySelectorAll('path.leaflet-interactive[stroke=\"{REVIEWED}\"]').length"
    )


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
    page.get_by_text("geprüft / nicht geprüft").click()
    wait_idle(page)
    reviewed_metric = page.get_by_test_id("stMetric").filter(has_text="geprüft")
    expect(reviewed_metric).to_contain_text("0,0 km")
    frame = map_frame(page)
    frame.wait_for_function(
        "() => document.querySelectorAll('path.leaflet-interactive').length > 20"
    )
    before = _reviewed_paths(frame)

    click_map(page, frame, middle.y, middle.x)
    expect(page.get_by_role("heading", name=re.compile(f"Abschnitt {segment.id}:"))).to_be_visible()
    page.get_by_role("link", name="Diesen Abschnitt bewerten").click()
    expect(page.get_by_role("heading", name="Befahrung & Bewertung")).to_be_visible()
    expect(page.get_by_text(f"Abschnitt {segment.id}:").first).to_be_visible()
    page.get_by_label("Kommentar").fill("Wurzelaufbrüche auf 200 m")
    page.get_by_role("button", name="Bewertung speichern").click()
    expect(page.get_by_text(f"Bewertung für Abschnitt {segment.id} gespeichert.")).to_be_visible()
    expect(page.get_by_text("Wurzelaufbrüche auf 200 m")).to_be_visible()

    nav(page, "Radwege & Kernwege")
    wait_idle(page)
    page.get_by_text("geprüft / nicht geprüft").click()
    wait_idle(page)
    km = f"{segment.length_m / 1000:.1f}".replace(".", ",")
    expect(page.get_by_test_id("stMetric").filter(has_text="geprüft")).to_contain_text(f"{km} km")
    page.wait_for_timeout(1000)  # the colour switch replaces the map's iframe
    frame = map_frame(page)
    frame.wait_for_function(
        f"() => document.querySelectorAll('path.leaflet-interactive[stroke=\"{REVIEWED}\"]')"
        f".length === {before + 1}"
    )
