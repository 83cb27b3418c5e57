"""A second click on "Speichern" stores nothing twice and says what happened (network import
by the working group, as in the report: 72 → 74 segments)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from allianz import config
from db.connection import connect
from tests.e2e.conftest import PASSWORD, login, nav, wait_idle

pytestmark = pytest.mark.e2e


def _segments(db_path) -> int:
    db = connect(db_path)
    count = db.execute("SELECT count(*) FROM segments").fetchone()[0]
    db.close()
    return count


def test_network_import_saved_twice_lands_once(browser, app_server, tmp_path):
    seat = config.load("partheland").municipality("14729060")
    line = [[seat.seat_lon, seat.seat_lat], [seat.seat_lon + 0.004, seat.seat_lat + 0.002]]
    upload = tmp_path / "neuer-radweg.geojson"
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Neuer Radweg"},
         "geometry": {"type": "LineString", "coordinates": line}}]}))  # fmt: skip
    before = _segments(app_server.db_path)
    page = browser.page
    login(page, app_server.url, "e2e-ak", PASSWORD, "Rita Radlerin")
    nav(page, "Netz importieren")
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(upload))
    save = page.get_by_role("button", name="Speichern")
    expect(save).to_be_enabled()
    save.dblclick()  # two clicks in quick succession
    outcome = re.compile(r"Abschnitte? \(.*\) gespeichert|schon gespeichert")
    expect(page.get_by_text(outcome).first).to_be_visible()
    wait_idle(page)
    assert _segments(app_server.db_path) == before + 1
    page.get_by_role("button", name="Speichern").click()  # and once more, later
    wait_idle(page)
    expect(page.get_by_text("schon gespeichert")).to_be_visible()
    assert _segments(app_server.db_path) == before + 1
