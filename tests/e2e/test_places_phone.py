"""The city map on a phone (390 × 844, issue 23): the choice of layers and municipalities must
not push the map off the first screen. The map is seen right after load; the layers are one
tap away ("Ebenen und Gemeinden") and still switch by touch, and closing the choice again
brings the map back into the first screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from allianz.devserver import wait_idle
from tests.e2e.conftest import MAP_FRAME, PHONE, map_frame

pytestmark = pytest.mark.e2e

SEEN = 150  # px of the map at least on the first screen: more than a strip at its bottom


def map_top(page) -> float:
    """Where the map's frame begins, measured from the top of the page (not of the view)."""
    box = page.locator(MAP_FRAME).first.bounding_box()
    assert box is not None and box["height"] > 200, box
    return box["y"] + page.evaluate("() => window.scrollY")


def caption(page, layers: int):
    return page.get_by_text(re.compile(rf"^\d+ Orte in {layers} Ebenen$"))


def test_the_map_is_on_the_first_screen_and_layers_switch_by_touch(app_server, phone, tmp_path):
    page = phone
    page.goto(app_server.url + "/places")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Stadtplan & Ansprechpartner")).to_be_visible()
    map_frame(page)
    expect(caption(page, 16)).to_be_visible()
    page.screenshot(path=tmp_path / "places-phone.png")  # to look at when it fails
    assert page.evaluate("() => window.scrollY") == 0
    top = map_top(page)
    assert top + SEEN < PHONE["height"], f"the map starts at {top} px, not on the first screen"
    total = int(caption(page, 16).inner_text().split()[0])

    # the layers are one tap away and switch by touch
    page.get_by_text("Ebenen und Gemeinden", exact=True).tap()
    bauhof = page.get_by_role("checkbox", name="Bauhof", exact=True)
    expect(bauhof).to_be_visible()
    page.get_by_test_id("stCheckbox").filter(has=bauhof).tap()
    wait_idle(page)
    expect(caption(page, 15)).to_be_visible()
    assert int(caption(page, 15).inner_text().split()[0]) < total
    expect(bauhof).not_to_be_checked()
    expect(bauhof).to_be_visible()  # the choice stays open after the rerun

    # closed again, the map is back on the first screen and keeps the choice
    page.get_by_text("Ebenen und Gemeinden", exact=True).tap()
    expect(bauhof).to_be_hidden()
    map_frame(page)
    page.evaluate("() => window.scrollTo(0, 0)")
    assert map_top(page) + SEEN < PHONE["height"]
    expect(caption(page, 15)).to_be_visible()
