"""A club's event as the people involved do it in the browser: the club submits it without an
account; Borsdorf's staff approve it; a visitor finds it in the list of events, opens it from
the list's link, reloads it, and finds it in the calendar feed (read back with icalendar); a
resident orders the newsletter, confirms it by the link in the mail, and the week's newsletter
(sent by the command cron runs) carries the event."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
from playwright.sync_api import expect

from allianz.auth import Role
from allianz.devserver import wait_http, wait_idle
from db.connection import connect
from tests.e2e.conftest import ACCOUNTS, PASSWORD, choose, click_button, login, nav, other_person

pytestmark = pytest.mark.e2e

TITLE = "Kürbisfest des Heimatvereins"


def _event_id(db_path) -> int:
    db = connect(db_path)
    try:
        row = db.execute("SELECT id FROM events WHERE title = ?", [TITLE]).fetchone()
        return row[0]
    finally:
        db.close()


def _mails_to(db_path, address: str) -> list[str]:
    db = connect(db_path)
    try:
        sql = "SELECT body FROM mail_outbox WHERE recipient = ? ORDER BY id"
        return [r[0] for r in db.execute(sql, [address]).fetchall()]
    finally:
        db.close()


def _newsletter_carries_it(page, app_server) -> None:
    address = "kuerbis-leserin@example.org"
    nav(page, "Newsletter")
    wait_idle(page)
    page.get_by_label("Ihre E-Mail-Adresse").fill(address)
    page.get_by_text("Ich willige ein, dass meine E-Mail-Adresse").click()
    page.wait_for_timeout(3200)  # people take longer than the form's minimum time
    click_button(page, "Newsletter bestellen")
    expect(page.get_by_text("Fast geschafft")).to_be_visible()
    [confirmation] = _mails_to(app_server.db_path, address)
    link = next(w for w in confirmation.split() if "bestaetigen=" in w)
    page.goto(app_server.url + "/newsletter?" + urlsplit(link).query)
    wait_idle(page)
    expect(page.get_by_text("bestätigt").first).to_be_visible()
    sent = subprocess.run(
        [sys.executable, "-m", "allianz.cli", "digest", "send", "--base-url", app_server.url],
        env=os.environ | {"ALLIANZ_DB": str(app_server.db_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert sent.returncode == 0, sent.stderr
    digest = _mails_to(app_server.db_path, address)[-1]
    assert TITLE in digest
    assert "kuerbis@example.org" not in digest  # the club's contact stays out


def test_club_submits_staff_approve_it_appears_in_list_and_feed(browser, app_server):
    club = browser.page
    club.goto(app_server.url)
    wait_idle(club)
    nav(club, "Veranstaltung melden")
    wait_idle(club)
    day = date.today() + timedelta(days=9)
    club.get_by_label("Titel", exact=True).fill(TITLE)
    choose(club, "Kategorie", "Feste", "Feste & Märkte")
    choose(club, "Gemeinde, in der die Veranstaltung stattfindet", "Borsd", "Borsdorf")
    club.get_by_label("Datum (TT.MM.JJJJ)", exact=True).fill(day.strftime("%d.%m.%Y"))
    club.get_by_label("Beginn (SS:MM)", exact=True).fill("15:00")
    club.get_by_label("Ende (SS:MM)", exact=True).fill("19:00")
    club.get_by_label("Veranstaltungsort (z. B. Bürgerhaus)", exact=True).fill("Festwiese")
    club.get_by_label("Veranstalter (Verein, Gemeinde …)", exact=True).fill(
        "Heimatverein Panitzsch"
    )
    club.get_by_label("E-Mail für die Nachricht über die Freigabe", exact=True).fill(
        "kuerbis@example.org"
    )
    club.get_by_text("Ich willige ein, dass meine E-Mail-Adresse").click()
    club.wait_for_timeout(3_000)  # a person takes longer than 3 s; a robot is refused sooner
    click_button(club, "Veranstaltung melden")
    errors = club.get_by_test_id("stAlertContentError")
    assert errors.count() == 0, errors.all_inner_texts()
    expect(club.get_by_text("ist eingegangen")).to_be_visible()
    event_id = _event_id(app_server.db_path)

    staff = other_person(club)
    name, display = ACCOUNTS[Role.STAFF]
    login(staff, app_server.url, name, PASSWORD, display)
    nav(staff, "Veranstaltungen verwalten")
    wait_idle(staff)
    expect(staff.get_by_text(TITLE).first).to_be_visible()
    staff.locator(f".st-key-approve-{event_id} button").click()
    wait_idle(staff)
    expect(
        staff.get_by_text(f"Die Veranstaltung Nr. {event_id} ist veröffentlicht.")
    ).to_be_visible()

    visitor = other_person(club)
    visitor.goto(app_server.url)
    wait_idle(visitor)
    nav(visitor, "Veranstaltungen")
    wait_idle(visitor)
    link = visitor.get_by_role("link", name=TITLE, exact=False).first
    expect(link).to_be_visible()
    link.click()
    wait_idle(visitor)
    expect(visitor.get_by_role("heading", name=TITLE)).to_be_visible()
    assert f"veranstaltung={event_id}" in visitor.url
    visitor.reload()
    wait_idle(visitor)
    expect(visitor.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(visitor.get_by_text("Heimatverein Panitzsch").first).to_be_visible()
    expect(visitor.get_by_text("kuerbis@example.org")).to_have_count(0)

    body = wait_http(f"{app_server.url}/feeds/veranstaltungen.ics?gemeinde=14729060")
    assert b"kuerbis@example.org" not in body
    entries = {str(e["summary"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert TITLE in entries
    assert str(entries[TITLE]["url"]).endswith(f"/events?veranstaltung={event_id}")
    assert entries[TITLE].decoded("dtstart").date() == day

    _newsletter_carries_it(visitor, app_server)
