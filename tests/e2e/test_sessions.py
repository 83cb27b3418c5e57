"""Sign-in that lasts: reload, a second tab and a server restart keep it; signing out ends it
in every tab; tampered cookies, disabled accounts and wrong passwords are handled without an
error page (issue: server-side sessions)."""

import re

import pytest
from playwright.sync_api import expect

from allianz.accounts import service as accounts
from allianz.accounts import sessions
from db.connection import connect
from tests.conftest import TEST_ACTOR
from tests.e2e.conftest import (
    PASSWORD,
    choose,
    free_port,
    login,
    nav,
    prepare_database,
    start_app,
    wait_idle,
)

pytestmark = pytest.mark.e2e
SIGNED_IN = "Angemeldet: Erika Verwaltung"


def _signed_out(page) -> None:
    wait_idle(page)
    expect(page.get_by_text("Nicht angemeldet")).to_be_visible()
    assert page.get_by_text(SIGNED_IN).count() == 0
    assert page.get_by_test_id("stException").count() == 0


def _session_cookie(context) -> dict:
    return next(c for c in context.cookies() if c["name"] == sessions.COOKIE)


def test_sign_in_survives_reload_new_tab_and_restart_and_sign_out_ends_it_everywhere(
    browser, tmp_path
):
    prepare_database(tmp_path / "e2e.sqlite3")
    port = free_port()
    server = start_app(tmp_path, port=port)
    try:
        page = browser.page
        login(page, server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
        cookie = _session_cookie(page.context)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
        page.reload()
        wait_idle(page)
        expect(page.get_by_text(SIGNED_IN)).to_be_visible()
        second = page.context.new_page()
        second.goto(server.url + "/municipality_desk")
        wait_idle(second)
        expect(second.get_by_text(SIGNED_IN)).to_be_visible()
        expect(second.get_by_role("heading", name="Borsdorf")).to_be_visible()

        server.stop()
        server = start_app(tmp_path, port=port)
        page.reload()
        wait_idle(page)
        expect(page.get_by_text(SIGNED_IN)).to_be_visible()

        nav(page, "Mein Konto")
        expect(page.get_by_text("(dieses Gerät)")).to_be_visible()
        page.get_by_role("button", name="Abmelden", exact=True).click()
        _signed_out(page)
        assert all(c["name"] != sessions.COOKIE for c in page.context.cookies())
        second.reload()
        _signed_out(second)
        second.goto(server.url + "/municipality_desk")
        wait_idle(second)
        expect(second.get_by_text("Kein Zugriff")).to_be_visible()
    finally:
        server.stop()


def test_tampered_huge_or_stale_cookies_mean_signed_out_without_an_error(browser, app_server):
    page = browser.page
    login(page, app_server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
    real = _session_cookie(page.context)
    for value in (real["value"][:-1] + ("A" if real["value"][-1] != "A" else "B"), "x" * 3800):
        page.context.add_cookies([{**real, "value": value}])
        page.goto(app_server.url + "/account")
        _signed_out(page)
        expect(page.get_by_text("Kein Zugriff")).to_be_visible()


def test_disabling_an_account_ends_its_open_sessions(browser, app_server):
    page = browser.page
    login(page, app_server.url, "e2e-mayor", PASSWORD, "Bernd Bürgermeister")
    db = connect(app_server.db_path)
    try:
        accounts.set_active(db, TEST_ACTOR, "e2e-mayor", False)
        page.reload()
        _signed_out(page)
    finally:
        accounts.set_active(db, TEST_ACTOR, "e2e-mayor", True)
        db.close()


def test_six_wrong_passwords_across_two_browsers_lock_the_account(browser, app_server):
    page = browser.page
    other = page.context.browser.new_context(locale="de-DE").new_page()

    def attempt(tab, password: str) -> None:
        tab.goto(app_server.url + "/login")
        wait_idle(tab)
        tab.get_by_label("Benutzername").fill("e2e-host")
        tab.get_by_label("Passwort").fill(password)
        tab.get_by_role("button", name="Anmelden").click()
        wait_idle(tab)

    try:
        for n in range(5):
            attempt(page if n % 2 else other, "falsch-falsch-falsch")
            expect(
                (page if n % 2 else other).get_by_text("Benutzername oder Passwort ist falsch.")
            ).to_be_visible()
        attempt(other, PASSWORD)  # the right one, too late: locked for this account
        expect(
            other.get_by_text(re.compile(r"Zu viele Fehlversuche.*nach \d\d:\d\d Uhr"))
        ).to_be_visible()
        attempt(page, PASSWORD)
        expect(page.get_by_text(re.compile("Zu viele Fehlversuche"))).to_be_visible()
        expect(page.get_by_text("Nicht angemeldet")).to_be_visible()
    finally:
        other.context.close()


def test_a_post_without_the_form_token_changes_nothing(browser, app_server):
    page = browser.page
    answer = page.request.post(
        app_server.url + "/konto/anmelden",
        form={"benutzername": "e2e-staff", "passwort": PASSWORD},
        max_redirects=0,
    )
    assert answer.status == 303 and answer.headers["location"].endswith("anmeldung=formular")
    assert "set-cookie" not in answer.headers
    big = page.request.post(
        app_server.url + "/konto/anmelden",
        form={"benutzername": "e2e-staff", "passwort": "x" * 20_000},
        max_redirects=0,
    )
    assert big.status == 303 and "set-cookie" not in big.headers


def test_manager_creates_an_account_and_its_owner_sets_the_password_by_link(browser, app_server):
    page = browser.page
    login(page, app_server.url, "e2e-leitung", PASSWORD, "Lena Leitung")
    nav(page, "Allianzverwaltung")
    wait_idle(page)
    page.get_by_text("Neues Konto anlegen").click()
    page.get_by_label("Benutzername (für die Anmeldung)").fill("nora")
    page.get_by_label("Name", exact=True).first.fill("Nora Neu")
    choose(page, "Rolle", "Verwaltung einer", "Verwaltung einer Mitgliedsgemeinde")
    choose(page, "Gemeinde (nur Verwaltung und Bürgermeister)", "Borsd", "Borsdorf")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_text("Konto nora angelegt.")).to_be_visible()
    link = page.get_by_test_id("stCode").inner_text().strip()
    assert re.fullmatch(re.escape(app_server.url) + r"/login\?code=[\w-]+", link)
    page.reload()
    wait_idle(page)
    assert page.get_by_test_id("stCode").count() == 0  # shown once

    newcomer = page.context.browser.new_context(locale="de-DE").new_page()
    try:
        newcomer.goto(link)
        wait_idle(newcomer)
        newcomer.get_by_label("Neues Passwort", exact=True).fill("noras-eigenes-passwort")
        newcomer.get_by_label("Neues Passwort wiederholen").fill("noras-eigenes-passwort")
        newcomer.get_by_role("button", name="Passwort speichern").click()
        expect(newcomer.get_by_text("Passwort gespeichert.")).to_be_visible()
        wait_idle(newcomer)
        assert "code=" not in newcomer.url
        expect(newcomer.get_by_role("button", name="Anmelden")).to_have_count(1)
        newcomer.get_by_label("Benutzername").fill("nora")
        newcomer.get_by_label("Passwort", exact=True).fill("noras-eigenes-passwort")
        newcomer.get_by_role("button", name="Anmelden").click()
        expect(newcomer.get_by_text("Angemeldet: Nora Neu")).to_be_visible()
        newcomer.goto(link)  # the link is used up
        wait_idle(newcomer)
        expect(newcomer.get_by_text("Kein Zugriff")).to_be_visible()  # signed in: no login page
    finally:
        newcomer.context.close()
