"""Staff log a vacant site by clicking the map, mark it shareable, and the public share view
shows it, without any owner data."""

import re

import pytest
from playwright.sync_api import expect

from allianz.vacancies import store
from db.connection import connect
from tests.e2e.conftest import PASSWORD, click_map, inner_point, login, map_frame, nav, wait_idle

pytestmark = pytest.mark.e2e
OWNER = "Gudrun Geheim-Eigentümerin"


def test_staff_share_a_site_and_citizens_see_it_without_owner(browser, app_server):
    lat, lon = inner_point(app_server.db_path, "14729060")
    page = browser.page
    login(page, app_server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
    nav(page, "Leerstand erfassen")
    wait_idle(page)
    page.get_by_role("tab", name="Neue Fläche").click()
    panel = page.get_by_role("tabpanel", name="Neue Fläche")
    frame = map_frame(page)
    click_map(page, frame, lat, lon)
    coordinates = panel.get_by_label("Koordinaten (Breite, Länge)")
    expect(coordinates).to_have_value(re.compile(r"^\d+\.\d+, \d+\.\d+$"))
    got_lat, got_lon = (float(v) for v in coordinates.input_value().split(","))
    assert abs(got_lat - lat) < 0.002 and abs(got_lon - lon) < 0.002
    panel.get_by_label("Adresse").fill("Am Anger 4")
    panel.get_by_label("Name", exact=True).fill(OWNER)
    panel.get_by_label("Kontakt", exact=True).fill("0341 999999")
    panel.get_by_text("Eigentümer hat der Veröffentlichung zugestimmt").click()
    panel.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text(re.compile(r"Fläche L-\d+ gespeichert"))).to_be_visible()

    db = connect(app_server.db_path)
    site = max(store.search(db), key=lambda s: s.id)
    owner = store.owner(db, site.id)
    db.close()
    assert site.address == "Am Anger 4" and site.publication_consent
    assert site.municipality_ags == "14729060" and owner.name == OWNER
    assert abs(site.lat - got_lat) < 1e-5 and abs(site.lon - got_lon) < 1e-5

    citizen = page.context.browser.new_context(locale="de-DE").new_page()
    citizen.set_default_timeout(30_000)
    citizen.goto(f"{app_server.url}/vacancy_share")
    wait_idle(citizen)
    expect(citizen.get_by_role("heading", name="Leerstand teilen")).to_be_visible()
    shared_map = map_frame(citizen)
    map_html = shared_map.content()
    rows_url = re.search(r"/app/static/data/vacancies_\w+\.\w+\.json", map_html).group(0)
    rows = citizen.request.get(app_server.url + rows_url).text()
    assert site.ref in rows  # the map's points come as a file of refs and numbers
    map_html += rows
    citizen.get_by_role("tab", name="Liste").click()
    expect(citizen.get_by_text(f"{site.ref} · Baulücke")).to_be_visible()
    html = citizen.content() + map_html
    assert OWNER not in html and "0341 999999" not in html

    # the owner withdraws consent: the file the citizen's browser holds stops at once
    wait_idle(page)
    page.get_by_role("tab", name="Fläche bearbeiten").click()
    panel = page.get_by_role("tabpanel", name="Fläche bearbeiten")
    search = panel.get_by_label("Fläche suchen (Nummer oder Adresse)")
    search.fill(site.ref)
    search.press("Enter")
    wait_idle(page)
    expect(panel.get_by_role("combobox", name=re.compile("^Fläche"))).to_have_value(
        re.compile(site.ref)
    )
    wait_idle(page)  # the chosen site's form is drawn once, not a stale copy beside it
    panel.get_by_text("Eigentümer hat der Veröffentlichung zugestimmt").click()
    panel.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text(f"Fläche {site.ref} gespeichert.")).to_be_visible()
    assert citizen.request.get(app_server.url + rows_url).status == 404
    citizen.reload()
    wait_idle(citizen)
    citizen.get_by_role("tab", name="Liste").click()
    expect(citizen.get_by_text(f"{site.ref} · Baulücke")).to_have_count(0)
    citizen.context.close()
