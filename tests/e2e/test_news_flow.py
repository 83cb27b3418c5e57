"""A member's news item from the desk to the feed, as its users do it in the browser: the staff
of Borsdorf write an item and send it for review; the office approves it from its queue; a
citizen finds it on the list, opens it from the list's link (the address keeps the item, a
reload shows it again), and the item is in the RSS feed."""

from __future__ import annotations

import urllib.request

import feedparser
import pytest
from playwright.sync_api import expect

from allianz import config
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.devserver import wait_idle
from allianz.news import service
from allianz.news.model import Draft
from db.connection import connect
from tests.e2e.conftest import PASSWORD, click_button, login, nav, other_person
from tests.hostile import CORPUS

pytestmark = pytest.mark.e2e

TITLE = "Neue Sitzbänke am Parthe-Radweg"


def test_staff_writes_office_approves_citizen_reads_and_subscribes(browser, app_server):
    staff = browser.page
    login(staff, app_server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
    nav(staff, "Neuigkeiten schreiben")
    wait_idle(staff)
    staff.get_by_label("Titel (3 bis 150 Zeichen)").fill(TITLE)
    staff.get_by_label("Vorspann", exact=False).fill("Sechs neue Bänke laden zur Rast ein.")
    staff.get_by_label("Text (Markdown", exact=False).fill("Aufgestellt vom **Bauhof**.")
    click_button(staff, "Zur Freigabe senden")
    expect(staff.get_by_text("gespeichert: wartet auf Freigabe")).to_be_visible()
    assert "meldung=" in staff.url
    db = connect(app_server.db_path)
    item_id = db.execute("SELECT id FROM news_items WHERE title = ?", [TITLE]).fetchone()[0]
    db.close()

    office = other_person(staff)
    login(office, app_server.url, "e2e-leitung", PASSWORD, "Lena Leitung")
    nav(office, "Neuigkeiten schreiben")
    wait_idle(office)
    expect(office.get_by_text(TITLE, exact=True).first).to_be_visible()
    office.locator(f".st-key-approve-{item_id}").get_by_role("button", name="Freigeben").click()
    wait_idle(office)
    expect(office.get_by_text(f"Meldung Nr. {item_id} ist freigegeben")).to_be_visible()

    citizen = other_person(staff)
    citizen.goto(app_server.url)
    wait_idle(citizen)
    nav(citizen, "Neuigkeiten")
    wait_idle(citizen)
    citizen.get_by_test_id("stMain").get_by_role("link", name=TITLE).click()
    wait_idle(citizen)
    expect(citizen.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(citizen.get_by_text("Aufgestellt vom")).to_be_visible()
    assert f"meldung={item_id}" in citizen.url
    citizen.reload()
    wait_idle(citizen)
    expect(citizen.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(citizen.get_by_text("Borsdorf").first).to_be_visible()

    with urllib.request.urlopen(f"{app_server.url}/feeds/neuigkeiten.xml") as answer:  # noqa: S310
        feed = feedparser.parse(answer.read())
    entry = next(e for e in feed.entries if e.title == TITLE)
    assert entry.link.endswith(f"/news?meldung={item_id}")


def test_hostile_news_run_no_script_in_the_browser(browser, app_server):
    """The hostile corpus as title, teaser and text of published items: the list, each item's
    page (Markdown and JSON-LD) run none of it, and the typed tags are shown as text."""
    alliance = config.load("partheland")
    db = connect(app_server.db_path)
    office = User("e2e-office", "Geschäftsstelle", Role.MANAGER)
    ids = [
        service.create(
            db, alliance, office, Draft(f"Meldung {text}"[:150], text[:400], text, None),
            submit=True,
        ).id
        for text in CORPUS
    ]  # fmt: skip
    db.close()
    page = browser.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in ["news", *(f"news?meldung={i}" for i in ids[:5])]:
        page.goto(f"{app_server.url}/{path}")
        wait_idle(page)
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.__pwned") is None, path
        assert dialogs == [], (path, dialogs)
    page.goto(f"{app_server.url}/news?meldung={ids[0]}")
    wait_idle(page)
    expect(page.get_by_text("<script>window.__pwned=1</script>").first).to_be_visible()
