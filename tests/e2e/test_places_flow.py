"""The city map in the browser: a citizen opens "Stadtplan & Ansprechpartner" from the
navigation, opens "Ebenen und Gemeinden" and switches a layer off and on (checkboxes, by
keyboard), finds "Bauhof Naunhof" by the search, opens it from the result's link, reloads (the
deep link `?ort=` keeps it), and downloads the town hall's contact as a vCard that vobject
reads back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import vobject
from playwright.sync_api import expect

from allianz.devserver import wait_idle
from tests.e2e.conftest import map_frame, nav

pytestmark = pytest.mark.e2e

SEARCH = "Suche: Wer ist zuständig für …? Welcher Ort …?"


def test_citizen_switches_layers_searches_and_downloads_a_vcard(app_server, browser):
    page = browser.page
    page.goto(app_server.url)
    wait_idle(page)
    nav(page, "Stadtplan & Ansprechpartner")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Stadtplan & Ansprechpartner")).to_be_visible()
    map_frame(page)  # Leaflet loaded from our own server
    caption = page.get_by_text(re.compile(r"^\d+ Orte in 16 Ebenen$"))
    expect(caption).to_be_visible()
    total = int(caption.inner_text().split()[0])

    bauhof = page.get_by_role("checkbox", name="Bauhof", exact=True)
    expect(bauhof).to_be_hidden()  # the choice starts folded away (issue 23: phones)
    page.locator("summary", has_text="Ebenen und Gemeinden").focus()
    page.keyboard.press("Enter")  # opened by keyboard, too
    expect(bauhof).to_be_visible()
    bauhof.focus()
    page.keyboard.press("Space")  # the layer switch works by keyboard
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^\d+ Orte in 15 Ebenen$"))).to_be_visible()
    fewer = int(page.get_by_text(re.compile(r" Orte in 15 Ebenen$")).inner_text().split()[0])
    assert fewer < total
    bauhof.focus()
    page.keyboard.press("Space")
    wait_idle(page)
    expect(page.get_by_text(f"{total} Orte in 16 Ebenen")).to_be_visible()

    box = page.get_by_role("textbox", name=SEARCH)
    box.fill("Bauhof Naunhof")
    box.press("Enter")
    wait_idle(page)
    page.get_by_role("link", name=re.compile(r"^Bauhof Naunhof · Bauhof")).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Bauhof Naunhof")).to_be_visible()
    assert "ort=" in page.url
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Bauhof Naunhof")).to_be_visible()
    expect(page.get_by_text("Öffnungszeiten der nächsten sieben Tage")).to_be_visible()

    page.get_by_role("button", name="← Zur Karte und Liste").click()
    wait_idle(page)
    box = page.get_by_role("textbox", name=SEARCH)
    box.fill("Rathaus Naunhof")
    box.press("Enter")
    wait_idle(page)
    page.get_by_role("link", name=re.compile(r"^Rathaus Naunhof · Rathaus")).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Ansprechpartner")).to_be_visible()
    button = page.get_by_role("button", name="Kontakt als vCard speichern (.vcf)").first
    with page.expect_download() as download_info:
        button.click()
    card = vobject.readOne(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert card.version.value == "4.0"
    assert card.org.value[0] == "Stadt Naunhof"
    assert card.email.value.endswith("@naunhof.example")


def test_the_embedded_map_shows_only_its_municipality(app_server, browser):
    page = browser.page
    response = page.goto(app_server.url + "/places_embed?gemeinde=14729300&ebenen=rathaus,bauhof")
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    wait_idle(page)
    expect(page.get_by_role("heading", name="Stadtplan Stadt Naunhof")).to_be_visible()
    expect(page.get_by_text("2 Orte", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()  # no navigation in the frame
    expect(page.get_by_role("checkbox")).to_have_count(2)
    frame = map_frame(page)
    # one area (Naunhof's) and its two places, nothing of the other members
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-interactive').length > 0")
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-interactive').length") == 3
    page.get_by_text("Orte als Liste").click()
    table = page.get_by_test_id("stDataFrame")
    expect(table).to_be_visible()
