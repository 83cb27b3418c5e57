"""Forms keep what was typed when something is missing, and are empty after a successful send
(the interest form of "Leerstand teilen", reached from the navigation)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from db.connection import connect
from tests.e2e.conftest import nav, wait_idle

pytestmark = pytest.mark.e2e


def _requests(db_path) -> int:
    db = connect(db_path)
    count = db.execute("SELECT count(*) FROM vacancy_interests").fetchone()[0]
    db.close()
    return count


def test_interest_form_keeps_input_after_an_error_and_clears_after_sending(browser, app_server):
    page = browser.page
    page.goto(app_server.url)
    wait_idle(page)
    nav(page, "Leerstand teilen")
    wait_idle(page)
    name, email = (
        page.get_by_label("Ihr Name (optional)"),
        page.get_by_label("Ihre E-Mail-Adresse (für die Antwort der Gemeinde)"),
    )
    message = page.get_by_label("Ihre Nachricht")
    name.fill("Petra Person")
    email.fill("petra@example.org")
    message.fill("Wir suchen ein Haus für unsere Familie.")
    page.get_by_role("button", name="Anfrage senden").click()  # without consent
    wait_idle(page)
    expect(page.get_by_text("Einwilligung").first).to_be_visible()
    expect(name).to_have_value("Petra Person")
    expect(email).to_have_value("petra@example.org")
    expect(message).to_have_value("Wir suchen ein Haus für unsere Familie.")
    assert _requests(app_server.db_path) == 0
    page.get_by_text("Ich willige ein, dass die zuständige Gemeinde").click()
    page.get_by_role("button", name="Anfrage senden").click()
    wait_idle(page)
    expect(page.get_by_text("Danke! Ihre Anfrage ist bei der zuständigen Gemeinde")).to_be_visible()
    expect(page.get_by_label("Ihre Nachricht")).to_have_value("")
    expect(page.get_by_label("Ihr Name (optional)")).to_have_value("")
    assert _requests(app_server.db_path) == 1
