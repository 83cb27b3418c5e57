"""Limits of the public actions hold across a reload and a new browser at the same address
(127.0.0.1 here): an online ballot counts once per workshop, and interest requests over the
limit are refused with a German message that says when to try again."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from allianz import config, database, visitors
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.workshops import service as workshops
from allianz.workshops import store as workshop_store
from db.connection import connect
from tests.e2e.conftest import nav, wait_idle

pytestmark = pytest.mark.e2e
MANAGER = User("leitung", "Leitung", Role.MANAGER)
IDEA = "Mitfahrbänke an jeder Bushaltestelle"
ALREADY = "schon online abgestimmt"
AGAIN = re.compile(r"ab \d\d:\d\d Uhr")


def _online_workshop(db_path) -> tuple[int, int]:
    alliance = config.load("partheland")
    db = database.open_for(alliance, db_path)
    workshop_id = workshops.create(
        db, alliance, MANAGER,
        workshops.WorkshopDraft("Online-Abstimmung Mobilität", datetime.now() - timedelta(days=1),
                                tables=workshops.default_tables(alliance), dots_per_person=3),
    )  # fmt: skip
    workshops.set_phase(db, MANAGER, workshop_id, "live")
    workshop = workshop_store.get(db, workshop_id)
    card_id = workshops.add_card(
        db, alliance, [], MANAGER, workshop_id,
        workshops.CardDraft(workshop.tables[0].id, IDEA),
    )  # fmt: skip
    workshops.set_phase(db, MANAGER, workshop_id, "online", date.today() + timedelta(days=7))
    db.close()
    return workshop_id, card_id


def _online_dots(db_path, card_id: int) -> int:
    db = connect(db_path)
    dots = workshop_store.card(db, card_id).online_dots
    db.close()
    return dots


def _open_workshop(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    nav(page, "Bürgerwerkstatt")
    wait_idle(page)
    page.get_by_role("link", name="Online-Abstimmung Mobilität").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Online mitmachen")).to_be_visible()


def test_an_online_ballot_counts_once_across_reload_and_new_browser(browser, app_server):
    workshop_id, card_id = _online_workshop(app_server.db_path)
    page = browser.page
    _open_workshop(page, app_server.url)
    page.get_by_label(IDEA).fill("2")
    page.get_by_role("button", name="Punkte abgeben").click()
    expect(page.get_by_text("Ihre Punkte sind gezählt. Danke!")).to_be_visible()
    assert _online_dots(app_server.db_path, card_id) == 2

    page.reload()  # a new Streamlit session: the old code forgot the ballot here
    wait_idle(page)
    expect(page.get_by_text(ALREADY)).to_be_visible()
    expect(page.get_by_role("button", name="Punkte abgeben")).to_have_count(0)
    [cookie] = [c for c in page.context.cookies() if c["name"] == visitors.COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    # a new browser context: no cookie, no session, the same address
    other = page.context.browser.new_context(locale="de-DE").new_page()
    other.set_default_timeout(30_000)
    other.goto(f"{app_server.url}/workshops?workshop={workshop_id}")
    wait_idle(other)
    expect(other.get_by_text(ALREADY)).to_be_visible()
    expect(other.get_by_role("button", name="Punkte abgeben")).to_have_count(0)
    [own] = [c for c in other.context.cookies() if c["name"] == visitors.COOKIE]
    assert own["value"] != cookie["value"]  # refused by the address, not by the cookie
    other.context.close()
    assert _online_dots(app_server.db_path, card_id) == 2


def _interests(db_path) -> int:
    db = connect(db_path)
    count = db.execute("SELECT count(*) FROM vacancy_interests").fetchone()[0]
    db.close()
    return count


def _send_interest(page, n: int) -> None:
    page.get_by_label("Ihre E-Mail-Adresse (für die Antwort der Gemeinde)").fill(
        f"familie{n}@example.org"
    )
    page.get_by_label("Ihre Nachricht").fill(f"Wir suchen ein Haus (Anfrage {n}).")
    page.get_by_text("Ich willige ein, dass die zuständige Gemeinde").click()
    page.get_by_role("button", name="Anfrage senden").click()
    wait_idle(page)


def test_interest_requests_over_the_limit_are_refused_after_a_reload(browser, app_server):
    before = _interests(app_server.db_path)
    page = browser.page
    page.goto(app_server.url)
    wait_idle(page)
    nav(page, "Leerstand teilen")
    wait_idle(page)
    for n in range(3):
        _send_interest(page, n)
        # sent: the form is drawn again, empty, under the thanks (under load the old form may
        # stand beside the new one until the run has ended)
        sent = page.get_by_text(f"Wir suchen ein Haus (Anfrage {n}).", exact=True)
        expect(sent).to_have_count(0, timeout=30_000)
        expect(page.get_by_text("Danke! Ihre Anfrage ist bei der zuständigen")).to_be_visible()
        expect(page.get_by_label("Ihre Nachricht")).to_have_value("")
    assert _interests(app_server.db_path) == before + 3

    page.reload()
    wait_idle(page)
    _send_interest(page, 3)
    refusal = page.get_by_text("Sie haben in kurzer Zeit mehrere Anfragen gesendet.")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(AGAIN)
    # what was typed stays, so it can be sent later
    expect(page.get_by_label("Ihre Nachricht")).to_have_value("Wir suchen ein Haus (Anfrage 3).")

    other = page.context.browser.new_context(locale="de-DE").new_page()  # same address
    other.set_default_timeout(30_000)
    other.goto(f"{app_server.url}/vacancy_share")
    wait_idle(other)
    _send_interest(other, 4)
    expect(other.get_by_text("Sie haben in kurzer Zeit mehrere Anfragen gesendet.")).to_be_visible()
    other.context.close()
    assert _interests(app_server.db_path) == before + 3
