"""A building development between members, as its users do it in the browser: Naunhof's staff
draw a commercial area at the Brandis boundary (four clicks on the map, each a corner point in
the field below it) → Brandis (and every member within the configured 5 km) is notified →
Brandis' staff answer "Bedenken" with a statement and a typed map point → the office's board
shows it (the point on its map) and proposes a coordination meeting, which the office creates
→ a citizen sees nothing of it; after the release the citizen sees the area but no statement
and no statement point. The file import is covered by the page tests."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from allianz import config
from allianz.accounts import service as accounts
from allianz.devserver import Server, start_app, wait_idle
from allianz.municipalities import service as municipalities
from db.connection import connect
from tests.conftest import TEST_ACTOR
from tests.e2e.conftest import (
    PASSWORD,
    choose,
    click_map_at,
    inner_point,
    login,
    map_frame,
    map_locator,
    nav,
    other_person,
    prepare_database,
)
from tests.unit.test_developments import BRANDIS, NAUNHOF, near_brandis

pytestmark = pytest.mark.e2e

TITLE = "Gewerbegebiet An der Brandiser Grenze"
STATEMENT = "Der Lkw-Verkehr fährt durch unsere Ortsmitte."


@pytest.fixture(scope="module")
def bv_server(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("e2e-bv")
    prepare_database(tmp / "e2e.sqlite3")
    db = connect(tmp / "e2e.sqlite3")
    alliance = config.load("partheland")
    for username, ags, name in (("bv-naunhof", NAUNHOF, "Nora Naunhof"),
                                ("bv-brandis", BRANDIS, "Bruno Brandis")):  # fmt: skip
        accounts.create_user(
            db, alliance, TEST_ACTOR, username=username, role="staff", password=PASSWORD,
            municipality_ags=ags, display_name=name, email=f"{username}@example.org",
        )  # fmt: skip
    db.close()
    server = start_app(tmp)
    yield server
    server.stop()


def test_development_from_report_to_public_map(browser, bv_server):
    db = connect(bv_server.db_path)
    area = near_brandis(municipalities.areas(db))
    db.close()
    x0, y0, x1, y1 = area.bounds

    naunhof = browser.page
    login(naunhof, bv_server.url, "bv-naunhof", PASSWORD, "Nora Naunhof")
    wait_idle(naunhof)
    nav(naunhof, "Bauvorhaben melden")
    wait_idle(naunhof)
    choose(naunhof, "Art des Vorhabens", "Gewerbe", "Gewerbe-/Industriegebiet")
    naunhof.get_by_label("Titel des Vorhabens").fill(TITLE)
    choose(naunhof, "Verfahrensstand", "früh", "frühzeitige Beteiligung")
    naunhof.get_by_test_id("stRadio").get_by_text("auf der Karte zeichnen", exact=False).click()
    wait_idle(naunhof)
    corners = naunhof.get_by_label("Eckpunkte (eine Zeile je Punkt: Breite; Länge)")
    for number, (lon, lat) in enumerate([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], 1):
        map_frame(naunhof)  # the drawing map (new after every corner) has loaded
        wait_idle(naunhof)
        click_map_at(naunhof, lat, lon)
        wait_idle(naunhof)
        lines = r"[^\n]+\n" * (number - 1) + r"[^\n]+"
        expect(corners).to_have_value(re.compile(f"^{lines}$"))
    map_frame(naunhof, 1)  # the preview map has loaded (its first value reruns the page)
    wait_idle(naunhof)
    expect(naunhof.get_by_text("Vorschau")).to_be_visible()
    expect(naunhof.get_by_text("Stadt Brandis (", exact=False)).to_be_visible()
    naunhof.get_by_role("button", name="Bauvorhaben melden").click()
    wait_idle(naunhof)
    expect(
        naunhof.get_by_text("gemeldet; die betroffenen Gemeinden sind benachrichtigt")
    ).to_be_visible()

    db = connect(bv_server.db_path)
    development = next(db.query("SELECT id FROM developments WHERE title = ?", [TITLE]))["id"]
    asked = {r["ags"] for r in db.query(
        "SELECT ags FROM development_members WHERE development_id = ?", [development])}  # fmt: skip
    mails = [r["recipient"] for r in db.query("SELECT recipient FROM mail_outbox")]
    db.close()
    assert BRANDIS in asked and NAUNHOF not in asked
    assert "bv-brandis@example.org" in mails

    brandis = other_person(naunhof)
    login(brandis, bv_server.url, "bv-brandis", PASSWORD, "Bruno Brandis")
    wait_idle(brandis)
    ref = f"BV-{development:04d}"
    # the start page asks for the answer, with a link to the development
    expect(brandis.get_by_text("Bauvorhaben: Rückmeldung erbeten")).to_be_visible()
    brandis.get_by_role("link", name=f"{ref} · {TITLE}", exact=False).click()
    wait_idle(brandis)
    expect(brandis.get_by_text("Rückmeldung von Stadt Brandis")).to_be_visible()
    brandis.get_by_test_id("stRadio").get_by_text("Bedenken", exact=True).click()
    brandis.get_by_label("Stellungnahme (bei Hinweisen und Bedenken nötig)").fill(STATEMENT)
    lat, lon = inner_point(bv_server.db_path, BRANDIS)
    point = brandis.get_by_label("Kartenpunkt zur Stellungnahme", exact=False)
    point.fill(f"{lat:.5f}; {lon:.5f}".replace(".", ","))
    point.press("Enter")
    wait_idle(brandis)
    brandis.get_by_role("button", name="Rückmeldung senden").click()
    wait_idle(brandis)
    expect(brandis.get_by_text("Ihre Rückmeldung ist gespeichert.")).to_be_visible()

    office = other_person(naunhof)
    login(office, bv_server.url, "e2e-leitung", PASSWORD, "Lena Leitung")
    wait_idle(office)
    nav(office, "Bauvorhaben abstimmen")
    wait_idle(office)
    expect(office.get_by_text(f"{ref} „{TITLE}“: Bedenken von Stadt Brandis")).to_be_visible()
    map_frame(office)
    expect(map_locator(office).get_by_text("Stellungnahmen")).to_be_visible()  # layer control
    choose(office, "Bauvorhaben bearbeiten", ref, f"{ref}: {TITLE}")
    expect(office.get_by_text(STATEMENT)).to_be_visible()
    office.get_by_role("button", name="Abstimmungsgespräch anlegen").click()
    wait_idle(office)
    expect(office.get_by_text("Abstimmungsgespräch S-", exact=False).first).to_be_visible()

    citizen = other_person(naunhof)
    citizen.goto(f"{bv_server.url}/developments?vorhaben={development}")
    wait_idle(citizen)
    expect(citizen.get_by_text(f"Bauvorhaben Nr. {development} gibt es nicht.")).to_be_visible()
    assert TITLE not in citizen.get_by_test_id("stMain").inner_text()

    office.reload()
    wait_idle(office)
    office.get_by_role("button", name="Auf der öffentlichen Karte zeigen").click()
    wait_idle(office)
    expect(office.get_by_text("Das Vorhaben ist jetzt öffentlich")).to_be_visible()

    citizen.reload()
    wait_idle(citizen)
    expect(citizen.get_by_role("heading", name=f"{ref}: {TITLE}")).to_be_visible()
    body = citizen.get_by_test_id("stMain").inner_text()
    assert STATEMENT not in body and "Bedenken" not in body and "Rückmeldung" not in body
    map_frame(citizen)
    expect(map_locator(citizen).get_by_text("Vorhaben", exact=True)).to_be_visible()
    expect(map_locator(citizen).get_by_text("Stellungnahmen")).to_have_count(0)
