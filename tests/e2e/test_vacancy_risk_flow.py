"""Leerstandsrisiko in the browser: staff import a register extract, see the risk map and the
work list of their municipality, record an owner contact with consent and move the building
into the vacancy register; the mayor sees aggregates only, never an address."""

import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from allianz.addresses import service as addresses
from allianz.vacancies import service as vacancies
from db.connection import connect
from tests.e2e.conftest import (
    PASSWORD,
    choose,
    click_button,
    login,
    map_frame,
    nav,
    open_tab,
    other_person,
    wait_idle,
)

pytestmark = pytest.mark.e2e
BORSDORF = "14729060"


def _extract(db_path, tmp_path):
    """Eight buildings of one Ortsteil of Borsdorf's demo address index (five where everyone
    is 80 or older), one address the index does not know, and a name column."""
    db = connect(db_path)
    found = [
        a for a in addresses.search(db, "Borsdorf", limit=200) if a.municipality_ags == BORSDORF
    ]
    db.close()
    ortsteil = Counter(a.ortsteil for a in found).most_common(1)[0][0]
    chosen = [a for a in found if a.ortsteil == ortsteil][:8]
    assert len(chosen) == 8
    lines = ["Straße;Hausnummer;Familienname;Geburtsjahre"]
    for i, a in enumerate(chosen):
        years = '"1935;1938"' if i < 5 else '"1961;1990"'
        lines.append(f"{a.street};{a.house_number};Mustermann;{years}")
    lines.append("Nirgendweg;99;Niemand;1950")
    path = tmp_path / "melderegister.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, chosen


def test_staff_work_the_risk_list_and_the_mayor_sees_aggregates_only(browser, app_server, tmp_path):
    path, chosen = _extract(app_server.db_path, tmp_path)
    first = f"{chosen[0].street} {chosen[0].house_number}"
    page = browser.page
    login(page, app_server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
    nav(page, "Leerstandsrisiko")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Leerstandsrisiko")).to_be_visible()
    open_tab(page, "Auszug einlesen")
    page.locator("input[type=file]").set_input_files(str(path))
    wait_idle(page)
    click_button(page, "Auszug übernehmen")
    expect(
        page.get_by_text(re.compile("8 Gebäude übernommen, davon 5 Risikogebäude"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile("Nirgendweg 99"))).to_be_visible()
    expect(page.get_by_text(re.compile("„Familienname“"))).to_be_visible()

    open_tab(page, "Karte")
    frame = map_frame(page)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached()
    assert first in frame.content()

    open_tab(page, "Arbeitsliste")
    option = f"{first} (alle Gemeldeten 80 oder älter)"
    # choosing opens the building (the list's box is gone then): not `choose`, which checks
    # that the box keeps the choice
    page.get_by_label("Gebäude öffnen (Kontakte erfassen)", exact=True).click()
    page.keyboard.type(first)
    expect(page.get_by_role("option", name=option, exact=True)).to_be_visible()
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_role("heading", name=first)).to_be_visible()
    assert "gebaeude=" in page.url  # the detail keeps its key in the address bar
    expect(page.get_by_role("button", name="Ins Leerstandskataster übernehmen")).to_be_disabled()
    choose(page, "Ergebnis", "Einwilligung", "Einwilligung zur Aufnahme ins Leerstandsregister")
    page.get_by_label("Notiz (intern)").fill("Eigentümer stimmt der Aufnahme zu")
    click_button(page, "Kontakt speichern")
    expect(page.get_by_text("Kontakt gespeichert.")).to_be_visible()
    click_button(page, "Ins Leerstandskataster übernehmen")
    expect(page.get_by_text(re.compile(r"übernommen als Fläche L-\d+"))).to_be_visible()
    db = connect(app_server.db_path)
    site = max(vacancies.register(db, (BORSDORF,)), key=lambda s: s.id)
    db.close()
    assert site.address == first and site.type == "leerstand"
    assert not site.publication_consent

    mayor = other_person(page)
    login(mayor, app_server.url, "e2e-mayor", PASSWORD, "Bernd Bürgermeister")
    sidebar = mayor.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name="Leerstandsrisiko auswerten")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Leerstandsrisiko", exact=True)).to_have_count(0)
    nav(mayor, "Leerstandsrisiko auswerten")
    wait_idle(mayor)
    expect(mayor.get_by_text("Gebäude im Auszug")).to_be_visible()
    open_tab(mayor, "Ausblick 5/10 Jahre")
    expect(mayor.get_by_text(re.compile("Einfache Annahme"))).to_be_visible()
    shown = mayor.content()
    open_tab(mayor, "Raster")
    shown += map_frame(mayor).content()
    for address in chosen:
        assert address.street not in shown
    mayor.goto(f"{app_server.url}/vacancy_risk")
    wait_idle(mayor)
    expect(mayor.get_by_text(re.compile("Kein Zugriff"))).to_be_visible()
    mayor.context.close()
