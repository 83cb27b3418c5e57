"""The Bürgermelder flow in a real browser: click on the map, submit, see it listed; staff
answers, the public page shows the answer, and the e-mail reaches a local SMTP server."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    PASSWORD,
    choose,
    click_map,
    free_port,
    inner_point,
    login,
    map_frame,
    nav,
    prepare_database,
    start_app,
    wait_idle,
)
from tests.smtp_server import LocalSmtp

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def smtp():
    with LocalSmtp(free_port()) as server:
        yield server


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory, smtp):
    tmp = tmp_path_factory.mktemp("e2e-mail")
    prepare_database(tmp / "e2e.sqlite3")
    secrets = f'[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\nsender = "allianz@example.org"\n'
    server = start_app(tmp, secrets=secrets)
    yield server
    server.stop()


def test_report_answer_and_notify(browser, mail_server, smtp):
    page = browser.page
    page.goto(mail_server.url + "/suggest")
    wait_idle(page)
    frame = map_frame(page)
    lat, lon = inner_point(mail_server.db_path, "14729060")
    click_map(page, frame, lat, lon)
    expect(page.get_by_text(re.compile(r"Gewählter Ort: .*\(Borsdorf\)"))).to_be_visible()

    choose(page, "Kategorie", "Straßenbel", "Straßenbeleuchtung")
    page.get_by_label("Titel").fill("Laterne <b>kaputt</b>")
    page.get_by_label("Beschreibung").fill("Seit Tagen dunkel. <img src=x onerror=alert(1)>")
    page.get_by_label("E-Mail für Nachrichten zum Stand (optional)").fill("anwohner@example.org")
    page.get_by_text("Ich willige ein").click()
    page.wait_for_timeout(3200)  # the form's minimum fill time
    page.get_by_role("button", name="Hinweis senden").click()
    notice = page.get_by_text(re.compile(r"Ihre Nummer: H-\d{4}-\d{5}"))
    expect(notice).to_be_visible()
    ref = re.search(r"H-\d{4}-\d{5}", notice.inner_text()).group(0)

    page.goto(mail_server.url + "/suggestions")
    wait_idle(page)
    overview_map = map_frame(page)
    overview_map.wait_for_function(
        "() => document.querySelectorAll('path.leaflet-interactive').length >= 8"
    )
    page.get_by_role("tab", name="Liste").click()
    entry = page.get_by_role("link", name=f"{ref} · Laterne <b>kaputt</b>")
    expect(entry).to_be_visible()
    entry.click()
    wait_idle(page)  # the list's elements go once the detail's run has ended

    expect(page.get_by_role("heading", name=f"Hinweis {ref}")).to_be_visible()
    expect(page.get_by_text("Laterne <b>kaputt</b>", exact=True)).to_be_visible()  # as typed
    expect(page.get_by_text("Noch keine Antwort.")).to_be_visible()

    login(page, mail_server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
    nav(page, "Hinweise bearbeiten")
    expect(page.get_by_role("heading", name="Hinweise bearbeiten")).to_be_visible()
    page.get_by_label("Öffentliche Antwort").fill("Danke, die Laterne wird repariert.")
    page.get_by_role("button", name="Speichern").click()
    expect(
        page.get_by_text("Status und Antwort gespeichert. Die meldende Person erhält eine E-Mail.")
    ).to_be_visible()

    page.goto(f"{mail_server.url}/suggestions?ref={ref}")
    wait_idle(page)
    expect(page.get_by_text("Danke, die Laterne wird repariert.")).to_be_visible()
    for _ in range(100):  # the app's background delivery sends it, within about a second
        if smtp.messages:
            break
        page.wait_for_timeout(100)
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == "anwohner@example.org"
    assert ref in smtp.messages[0]["Subject"]

    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.wait_for_timeout(500)
    assert dialogs == []
