"""The pool and the Teilkultur as their users do it in the browser: Brandis' staff book
Naunhof's mulcher with its operator for two days; Naunhof approves; after the use Naunhof
enters the return with 9 hours; the quarter's statement shows Brandis owing Naunhof
9 h × 45 € + 9 h × 38 € = 747 €; on the way Brandis sees the loan in Naunhof's depot week.
A citizen offers a ladder, the office frees it, another citizen asks for it (without seeing
an e-mail address)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from allianz import config
from allianz.accounts import service as accounts
from allianz.devserver import wait_idle
from allianz.formatting import BERLIN
from db.connection import connect
from tests.conftest import TEST_ACTOR
from tests.e2e.conftest import (
    PASSWORD,
    choose,
    click_button,
    login,
    nav,
    open_tab,
    other_person,
    type_date,
)

pytestmark = pytest.mark.e2e


def _accounts(db_path) -> None:
    alliance = config.load("partheland")
    db = connect(db_path)
    for username, name, ags in (
        ("e2e-brandis", "Bruno Brandis", "14729070"),
        ("e2e-naunhof", "Nora Naunhof", "14729300"),
    ):
        accounts.create_user(
            db,
            alliance,
            TEST_ACTOR,
            username=username,
            role="staff",
            password=PASSWORD,
            municipality_ags=ags,
            display_name=name,
        )
    db.close()


def test_mulcher_with_operator_from_request_to_statement(browser, app_server):
    _accounts(app_server.db_path)
    brandis = browser.page
    login(brandis, app_server.url, "e2e-brandis", PASSWORD, "Bruno Brandis")
    nav(brandis, "Geräte-Pool")
    wait_idle(brandis)
    brandis.get_by_role(
        "link", name="Böschungsmulcher am Geräteträger · Bauhof Stadt Naunhof"
    ).click()
    wait_idle(brandis)
    expect(brandis.get_by_text("kommt immer mit (Pflicht), 38,00 € je Stunde")).to_be_visible()
    expect(brandis.get_by_role("checkbox", name="mit Bedienpersonal des Bauhofs")).to_be_checked()
    first = date.today() + timedelta(days=1)
    type_date(brandis, "Von (Tag)", first)
    type_date(brandis, "Bis (Tag)", first + timedelta(days=1))
    brandis.get_by_label("Wofür (Einsatzort, Arbeit)").fill("Grabenpflege Polenz")
    click_button(brandis, "Anfragen")
    expect(brandis.get_by_text("ist angefragt, reserviert bis")).to_be_visible()
    assert "geraet=" in brandis.url

    naunhof = other_person(brandis)
    login(naunhof, app_server.url, "e2e-naunhof", PASSWORD, "Nora Naunhof")
    nav(naunhof, "Geräte-Pool")
    wait_idle(naunhof)
    open_tab(naunhof, "Anfragen an unseren Bauhof")
    expect(naunhof.get_by_text("für Stadt Brandis")).to_be_visible()
    click_button(naunhof, "Zusagen")
    expect(naunhof.get_by_text("zugesagt.")).to_be_visible()

    # Brandis finds the loan in Naunhof's depot week, reached from the pool page
    nav(brandis, "Geräte-Pool")
    wait_idle(brandis)
    brandis.get_by_text("Belegung je Bauhof (Woche oder Monat)").click()
    brandis.get_by_role("link", name="Belegung Bauhof Stadt Naunhof").click()
    wait_idle(brandis)
    expect(brandis.get_by_role("heading", name="Belegung Bauhof Stadt Naunhof")).to_be_visible()
    type_date(brandis, "Zeitraum mit dem Tag", first)
    brandis.keyboard.press("Escape")  # close the date picker: it would take the next click
    wait_idle(brandis)
    row = brandis.get_by_role("row").filter(has_text="Böschungsmulcher am Geräteträger")
    expect(row.get_by_role("cell", name="zugesagt").first).to_be_visible()
    assert "depot=14729300" in brandis.url

    # Two days pass: the use lies behind us (moved in the database, as the clock would).
    db = connect(app_server.db_path)
    row = next(
        db.query("SELECT id, starts_at, ends_at FROM pool_bookings WHERE state = 'approved'")
    )
    shift = timedelta(days=3)
    ends = datetime.fromisoformat(row["ends_at"]) - shift
    db["pool_bookings"].update(
        row["id"],
        {
            "starts_at": (datetime.fromisoformat(row["starts_at"]) - shift).isoformat(),
            "ends_at": ends.isoformat(),
        },
    )
    db.close()
    naunhof.reload()
    wait_idle(naunhof)
    open_tab(naunhof, "Anfragen an unseren Bauhof")
    naunhof.get_by_label("Maschinenstunden").fill("9")
    naunhof.get_by_label("Zustand bei Rückgabe").fill("Messer stumpf, sonst gut")
    click_button(naunhof, "Rückgabe speichern")
    expect(naunhof.get_by_text("Rückgabe von B-")).to_be_visible()

    nav(brandis, "Abgeltung Geräte-Pool")
    wait_idle(brandis)
    local_end = ends.astimezone(BERLIN)
    quarter = (local_end.month - 1) // 3 + 1
    if local_end.year != date.today().year:
        brandis.get_by_label("Jahr").fill(str(local_end.year))
        brandis.keyboard.press("Enter")
        wait_idle(brandis)
    if quarter != (date.today().month - 1) // 3 + 1:
        choose(brandis, "Quartal", str(quarter), f"{quarter}. Quartal")
    net = "Stadt Brandis zahlt Stadt Naunhof 747,00 €"
    expect(brandis.get_by_test_id("stTableStyledTable").get_by_text(net)).to_be_visible()
    expect(brandis.get_by_text(f"Ausgleich: {net}")).to_be_visible()  # the one pair, opened
    expect(brandis.get_by_role("button", name="Abrechnung als PDF")).to_be_visible()


def test_a_ladder_offered_freed_and_requested(browser, app_server):
    offerer = browser.page
    offerer.goto(f"{app_server.url}/teilkultur")
    wait_idle(offerer)
    open_tab(offerer, "Eintrag einreichen")
    choose(offerer, "Ich möchte …", "verl", "etwas verleihen")
    offerer.get_by_label("Was", exact=True).fill("Leiter 3 m")
    offerer.get_by_label("Beschreibung").fill("Alu, dreiteilig")
    offerer.get_by_label("Ihre E-Mail-Adresse (bleibt verborgen)").fill("petra@example.org")
    offerer.get_by_text("Ich bin einverstanden, dass die Allianz").click()
    click_button(offerer, "Eintrag einreichen")
    expect(offerer.get_by_text("Ihr Eintrag ist eingereicht")).to_be_visible()

    office = other_person(offerer)
    login(office, app_server.url, "e2e-leitung", PASSWORD, "Lena Leitung")
    nav(office, "Teilkultur")
    wait_idle(office)
    open_tab(office, "Freigabe")
    expect(office.get_by_text("Leiter 3 m")).to_be_visible()
    click_button(office, "Freigeben")
    expect(office.get_by_text("Der Eintrag ist freigegeben.")).to_be_visible()

    seeker = other_person(offerer)
    seeker.goto(f"{app_server.url}/teilkultur")
    wait_idle(seeker)
    seeker.get_by_text("Leiter 3 m (zum Verleihen)").click()
    expect(seeker.get_by_text("petra@example.org")).to_have_count(0)
    entry = seeker.get_by_test_id("stExpanderDetails")
    entry.get_by_label("Ihre Nachricht (ohne E-Mail-Adresse)").fill("Brauche sie am Samstag.")
    entry.get_by_label("Ihre E-Mail-Adresse (bleibt verborgen)").fill("otto@example.org")
    click_button(seeker, "Anfrage senden")
    expect(seeker.get_by_text("Ihre Anfrage ist gesendet.")).to_be_visible()
