"""Detail views reached the way users reach them, by an in-app link: the key goes into the
address bar, so the buttons act on it, a reload keeps the view, and nothing is lost."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from allianz import config, database
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.workshops import service as workshops
from db.connection import connect
from tests.e2e.conftest import nav, wait_idle

pytestmark = pytest.mark.e2e
MANAGER = User("leitung", "Leitung", Role.MANAGER)


def _open_suggestion(db_path) -> tuple[str, str]:
    db = connect(db_path)
    row = next(
        db.query(
            "SELECT ref, title FROM suggestions WHERE status IN ('new', 'in_review', 'planned') "
            "ORDER BY id DESC LIMIT 1"
        )
    )
    db.close()
    return row["ref"], row["title"]


def _supports(db_path, ref: str) -> int:
    db = connect(db_path)
    value = db.execute("SELECT supports FROM suggestions WHERE ref = ?", [ref]).fetchone()[0]
    db.close()
    return value


def test_support_from_the_list_link_lands_and_survives_a_reload(browser, app_server):
    page = browser.page
    ref, title = _open_suggestion(app_server.db_path)
    page.goto(app_server.url)
    wait_idle(page)
    nav(page, "Hinweise")
    wait_idle(page)
    page.get_by_role("tab", name="Liste").click()
    wait_idle(page)
    page.get_by_role("link", name=f"{ref} · {title}").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"Hinweis {ref}")).to_be_visible()
    expect(page).to_have_url(f"{app_server.url}/suggestions?ref={ref}")
    page.get_by_role("button", name="Diesen Hinweis unterstützen (+1)").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"Hinweis {ref}")).to_be_visible()
    expect(page.get_by_test_id("stMetric").filter(has_text="Unterstützungen")).to_contain_text("1")
    assert _supports(app_server.db_path, ref) == 1
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"Hinweis {ref}")).to_be_visible()


def test_online_idea_from_the_workshop_list_lands(browser, app_server):
    alliance = config.load("partheland")
    db = database.open_for(alliance, app_server.db_path)
    workshop_id = workshops.create(
        db, alliance, MANAGER,
        workshops.WorkshopDraft("Online-Werkstatt Radwege", datetime.now() - timedelta(days=1),
                                tables=workshops.default_tables(alliance)),
    )  # fmt: skip
    workshops.set_phase(db, MANAGER, workshop_id, "live")
    workshops.set_phase(db, MANAGER, workshop_id, "online", date.today() + timedelta(days=7))
    db.close()
    page = browser.page
    page.goto(app_server.url)
    wait_idle(page)
    nav(page, "Bürgerwerkstatt")
    wait_idle(page)
    page.get_by_role("link", name="Online-Werkstatt Radwege").click()
    wait_idle(page)
    expect(page).to_have_url(f"{app_server.url}/workshops?workshop={workshop_id}")
    page.get_by_label("Ihre Idee").fill("Radweg entlang der Parthe beleuchten")
    page.get_by_role("button", name="Idee hinzufügen").click()
    wait_idle(page)
    expect(page.get_by_text("Danke! Ihre Idee steht jetzt am Thementisch.")).to_be_visible()
    db = connect(app_server.db_path)
    texts = [r["text"] for r in db.query("SELECT text FROM workshop_cards WHERE workshop_id = ?",
                                         [workshop_id])]  # fmt: skip
    db.close()
    assert texts == ["Radweg entlang der Parthe beleuchten"]


def test_a_page_the_role_may_not_open_refuses_in_german_by_url(browser, app_server):
    page = browser.page
    page.goto(f"{app_server.url}/summary")
    wait_idle(page)
    expect(
        page.get_by_text("Kein Zugriff: Diese Seite ist für Ihre Rolle nicht freigegeben.")
    ).to_be_visible()
    expect(page.get_by_text("Bitte melden Sie sich über „Anmelden“")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name="Lenkungsgruppe")).to_have_count(0)


def test_the_sidebar_link_of_the_page_shown_leaves_the_detail_for_good(browser, app_server):
    """On a suggestion's page, its list's sidebar entry shows the list, the address bar loses
    the key, and the next click stays on the list (it used to reopen the detail)."""
    page = browser.page
    ref, _ = _open_suggestion(app_server.db_path)
    page.goto(f"{app_server.url}/suggestions?ref={ref}")
    wait_idle(page)
    detail = page.get_by_role("heading", name=f"Hinweis {ref}")
    expect(detail).to_be_visible()
    nav(page, "Hinweise")
    wait_idle(page)
    expect(page).to_have_url(f"{app_server.url}/suggestions")
    page.get_by_role("tab", name="Liste").click()
    wait_idle(page)
    expect(page.get_by_role("tab", name="Liste")).to_have_attribute("aria-selected", "true")
    expect(detail).to_have_count(0)
    page.reload()
    wait_idle(page)
    expect(page).to_have_url(f"{app_server.url}/suggestions")
    expect(detail).to_have_count(0)


def test_an_unknown_address_says_so_in_german(browser, app_server):
    page = browser.page
    page.goto(f"{app_server.url}/gibt-es-nicht")
    wait_idle(page)
    expect(page.get_by_text("Seite nicht gefunden")).to_be_visible()
    expect(page.get_by_text("Diese Seite gibt es nicht. Sie sehen die Startseite.")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
