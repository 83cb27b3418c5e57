"""Where a report lands (issue 19, item 6), in a real browser and by keyboard only.

Typing part of an address proposes addresses of the alliance's index; the one chosen with the
arrow keys and Enter is where the report is stored, exactly. A report without an address goes
to the Ortsteil's own point (not the municipal seat, where every such report used to stack),
marked approximate, and is never offered another approximate report as a duplicate.
"""

import re

import pytest
from playwright.sync_api import expect

from allianz import config
from allianz.addresses import service as addresses
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from allianz.suggestions import store as suggestion_store
from db.connection import connect
from tests.e2e.conftest import choose, wait_idle

pytestmark = pytest.mark.e2e

BORSDORF = "14729060"


def _open_address_tab(page, url: str) -> None:
    """The report page, its "Adresse oder Ortsteil" tab chosen with the arrow key."""
    page.goto(url + "/suggest")
    wait_idle(page)
    page.get_by_role("tab", name="Koordinaten").focus()
    page.keyboard.press("ArrowRight")
    tab = page.get_by_role("tab", name="Adresse oder Ortsteil")
    if tab.get_attribute("aria-selected") != "true":
        page.keyboard.press("Enter")
    expect(tab).to_have_attribute("aria-selected", "true")
    wait_idle(page)


def _fill_and_send(page, title: str) -> str:
    choose(page, "Kategorie", "Straßenbel", "Straßenbeleuchtung")
    page.get_by_label("Titel").focus()
    page.keyboard.type(title)
    page.keyboard.press("Tab")
    page.keyboard.type("Per Tastatur: Lampe flackert.")
    page.wait_for_timeout(3200)  # the form's minimum fill time
    page.get_by_role("button", name="Hinweis senden").focus()
    page.keyboard.press("Enter")
    notice = page.get_by_text(re.compile(r"Ihre Nummer: H-\d{4}-\d{5}"))
    expect(notice).to_be_visible()
    return re.search(r"H-\d{4}-\d{5}", notice.inner_text()).group(0)


def test_typed_address_chosen_by_keyboard_places_the_report_there(browser, app_server):
    typed = "zweenfurth dorfstr 3"
    db = connect(app_server.db_path)
    expected = addresses.search(db, typed)[0]
    db.close()
    assert expected.label.startswith("Dorfstraße 3") and "OT Zweenfurth" in expected.label

    page = browser.page
    _open_address_tab(page, app_server.url)
    page.get_by_label("Adresse suchen", exact=True).focus()
    page.keyboard.type(typed, delay=60)  # suggestions come while typing, after a short pause
    hits = page.get_by_label("Passende Adressen", exact=True)
    expect(hits).to_be_visible()
    wait_idle(page)
    hits.focus()
    page.keyboard.press("ArrowDown")  # opens the list on its first entry
    first = page.get_by_role("option").first
    expect(first).to_have_text(expected.label)
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(hits).to_have_value(expected.label)
    chosen = page.get_by_text(re.compile(r"Gewählter Ort: .*\(Borsdorf\) – Adresse: "))
    expect(chosen).to_contain_text(expected.label)
    expect(chosen).not_to_contain_text("ungefähr")

    ref = _fill_and_send(page, "Lampe an der Dorfstraße")
    db = connect(app_server.db_path)
    saved = suggestion_store.by_ref(db, ref)
    db.close()
    assert (saved.lat, saved.lon) == (round(expected.lat, 6), round(expected.lon, 6))
    assert saved.location_precise and saved.address_text == expected.label
    assert saved.municipality_ags == BORSDORF


def test_ortsteil_only_report_lands_at_the_ortsteil_without_duplicate_offers(browser, app_server):
    alliance = config.load("partheland")
    db = connect(app_server.db_path)
    places = {p.ortsteil: p for p in addresses.localities(db, alliance)}
    zweenfurth, panitzsch = places["Zweenfurth"], places["Panitzsch"]
    # an earlier approximate report of the same category, at the very same Ortsteil point
    earlier = suggestions.submit(
        db, alliance, municipalities.areas(db),
        suggestions.Submission("lighting", "Schon gemeldet", "Ungefähr in Zweenfurth",
                               zweenfurth.lat, zweenfurth.lon, "Ortsteil Zweenfurth",
                               location_precise=False),
    )  # fmt: skip
    db.close()

    page = browser.page
    _open_address_tab(page, app_server.url)
    page.get_by_label("Adresse suchen", exact=True).focus()
    page.keyboard.type("Zweenfurth am Dorfteich hinten", delay=30)
    expect(page.get_by_text("Keine passende Adresse gefunden.")).to_be_visible()
    wait_idle(page)
    ortsteil = page.get_by_label("Ohne genaue Adresse: Ortsteil", exact=True)
    expect(ortsteil).to_have_value("Zweenfurth (Ortsteil von Borsdorf)")  # named in the text
    page.get_by_role("button", name="Beim Ortsteil einordnen").focus()
    page.keyboard.press("Enter")
    chosen = page.get_by_text(re.compile(r"Gewählter Ort: .* – ungefähr, Ortsangabe: "))
    expect(chosen).to_contain_text("Ortsteil Zweenfurth: Zweenfurth am Dorfteich hinten")
    wait_idle(page)

    ref = _fill_and_send(page, "Lampe irgendwo im Ort")
    expect(page.get_by_text("schon Hinweise dieser Kategorie")).to_have_count(0)
    db = connect(app_server.db_path)
    saved = suggestion_store.by_ref(db, ref)
    assert suggestion_store.get(db, earlier.id).supports == 0
    db.close()
    assert not saved.location_precise and saved.municipality_ags == BORSDORF
    assert (saved.lat, saved.lon) == (round(zweenfurth.lat, 6), round(zweenfurth.lon, 6))
    seat = alliance.municipality(BORSDORF)
    assert (saved.lat, saved.lon) != (seat.seat_lat, seat.seat_lon)  # not the seat
    assert (saved.lat, saved.lon) != (round(panitzsch.lat, 6), round(panitzsch.lon, 6))
