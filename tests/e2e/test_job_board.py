"""The job board in the browser: staff of Borsdorf publish a posting with tomorrow's deadline;
a citizen finds it in the Stellenbörse, opens it from the list's link, and a reload keeps the
posting; on a second server whose clock runs two days ahead (same database; allianz/clock.py)
the posting has left the list and is in the archive."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from allianz import clock
from allianz.devserver import start_app, wait_idle
from tests.e2e.conftest import PASSWORD, choose, click_button, login, nav, open_tab, type_date

pytestmark = pytest.mark.e2e

TITLE = "Mitarbeiterin / Mitarbeiter Bauhof (m/w/d) im Browser"


def test_a_posting_with_tomorrows_deadline_moves_to_the_archive(app_server, browser):
    page = browser.page
    login(page, app_server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
    nav(page, "Stellen ausschreiben")
    wait_idle(page)
    page.get_by_role("textbox", name="Titel der Anzeige").fill(TITLE)
    choose(page, "Art", "Stel", "Stelle")
    page.get_by_role("textbox", name="Entgeltgruppe oder Besoldung").fill("e5")
    type_date(page, "Bewerbungsfrist (letzter Tag)", clock.today() + timedelta(days=1))
    page.get_by_role("textbox", name="Beschreibung").fill(
        "Grünpflege, Winterdienst und **Reparaturen**."
    )
    page.get_by_role("textbox", name="E-Mail für Bewerbungen").fill("bewerbung@borsdorf.example")
    click_button(page, "Anzeige veröffentlichen")
    expect(page.get_by_text("ist veröffentlicht.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    citizen = page.context.browser.new_context(locale="de-DE").new_page()
    citizen.goto(app_server.url)
    wait_idle(citizen)
    nav(citizen, "Stellenbörse")
    wait_idle(citizen)
    citizen.get_by_role("link", name=TITLE).click()
    wait_idle(citizen)
    expect(citizen.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(citizen.get_by_text("Entgeltgruppe E 5 TVöD")).to_be_visible()
    assert "stelle=" in citizen.url
    citizen.reload()
    wait_idle(citizen)
    expect(citizen.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(
        citizen.get_by_text("Bewerbung per E-Mail an: bewerbung@borsdorf.example")
    ).to_be_visible()

    later = start_app(app_server.db_path.parent, env=clock.shifted_env(timedelta(days=2)))
    try:
        citizen.goto(later.url + "/jobs")
        wait_idle(citizen)
        expect(citizen.get_by_role("heading", name="Stellenbörse")).to_be_visible()
        open_list = citizen.get_by_role("tabpanel", name="Offene Stellen")
        expect(open_list.get_by_role("link").first).to_be_visible()  # the demo postings
        expect(open_list.get_by_role("link", name=TITLE)).to_have_count(0)
        open_tab(citizen, "Archiv")
        archive = citizen.get_by_role("tabpanel", name="Archiv")
        archive.get_by_role("link", name=TITLE).click()
        wait_idle(citizen)
        expect(citizen.get_by_role("heading", name=TITLE)).to_be_visible()
        expect(citizen.get_by_text("Bewerbungsfrist abgelaufen (Archiv)")).to_be_visible()
    finally:
        later.stop()
    # the server with today's clock still lists it
    citizen.goto(app_server.url + "/jobs")
    wait_idle(citizen)
    expect(citizen.get_by_role("link", name=TITLE)).to_be_visible()
    citizen.context.close()


def test_hostile_text_in_a_posting_is_shown_as_text(app_server, browser):
    """The corpus in every text field of postings (seeded through the service): the list, the
    posting's page and its JSON-LD run no script and open no dialog."""
    from allianz import config  # noqa: PLC0415
    from allianz.accounts.model import User  # noqa: PLC0415
    from allianz.auth import Role  # noqa: PLC0415
    from allianz.jobs import service  # noqa: PLC0415
    from db.connection import connect  # noqa: PLC0415
    from tests.hostile import CORPUS  # noqa: PLC0415

    db = connect(app_server.db_path)
    alliance = config.load("partheland")
    office = User("e2e-office", "E2E", Role.MANAGER)
    ids = []
    for number, text in enumerate(CORPUS[:6]):
        draft = service.PostingDraft(
            municipality_ags="14729060", title=f"{number} {text}"[:150], kind="job",
            valid_through=clock.today() + timedelta(days=3), description="\n\n".join(CORPUS),
            pay_grade="E 5", workplace=text[:300], apply_text=text, contact_name=text[:120],
            contact_consent=True, apply_email="bewerbung@borsdorf.example",
        )  # fmt: skip
        ids.append(service.create(db, alliance, office, draft))
    db.close()
    page = browser.page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_server.url + "/jobs")
    wait_idle(page)
    expect(page.get_by_role("link", name=f"0 {CORPUS[0]}")).to_be_visible()
    for posting_id, text in zip(ids, CORPUS[:6], strict=True):
        page.goto(f"{app_server.url}/jobs?stelle={posting_id}")
        wait_idle(page)
        expect(
            page.get_by_role("heading", name=f"{ids.index(posting_id)} {text}"[:150])
        ).to_be_visible()
        assert page.evaluate("() => window.__pwned") is None
        payload = page.locator('script[type="application/ld+json"]').first.text_content()
        assert json.loads(payload)["title"] == f"{ids.index(posting_id)} {text}"[:150].strip()
    assert page.locator("a[href^='javascript']").count() == 0
    assert dialogs == []
