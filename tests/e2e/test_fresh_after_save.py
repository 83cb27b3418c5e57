"""After a write the page shows the new state at once: staff answer a suggestion and the
item's status line says "in Prüfung" without any further click."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from allianz import config, database
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from tests.e2e.conftest import PASSWORD, choose, login, nav, wait_idle

pytestmark = pytest.mark.e2e


def test_status_change_shows_at_once(browser, app_server):
    alliance = config.load("partheland")
    db = database.open_for(alliance, app_server.db_path)
    seat = alliance.municipality("14729060")
    made = suggestions.submit(
        db, alliance, municipalities.areas(db),
        suggestions.Submission("waste", "Sperrmüll am Bahnhof", "Seit Tagen", seat.seat_lat,
                               seat.seat_lon),
    )  # fmt: skip
    db.close()
    page = browser.page
    login(page, app_server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
    nav(page, "Hinweise bearbeiten")
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"{made.ref}: Sperrmüll am Bahnhof")).to_be_visible()
    status_line = page.get_by_text(re.compile(r"· Borsdorf · .* Unterstützungen"))
    expect(status_line).to_contain_text("· neu ·")
    choose(page, "Neuer Status", "in Pr", "in Prüfung")
    page.get_by_label("Öffentliche Antwort").fill("Der Bauhof schaut es sich an.")
    page.get_by_role("button", name="Speichern").click()
    wait_idle(page)
    expect(page.get_by_text("Status und Antwort gespeichert.")).to_be_visible()
    expect(status_line).to_contain_text("· in Prüfung ·")
