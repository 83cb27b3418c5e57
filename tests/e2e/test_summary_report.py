"""A mayor opens the steering group's summary, changes the period and downloads the report."""

import io

import pypdf
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import MAP_FRAME, PASSWORD, login, nav, wait_idle

pytestmark = pytest.mark.e2e


def test_summary_period_and_pdf(browser, app_server):
    page = browser.page
    login(page, app_server.url, "e2e-mayor", PASSWORD, "Bernd Bürgermeister")
    nav(page, "Lenkungsgruppe")
    wait_idle(page)
    workshops = page.get_by_test_id("stMetric").filter(has_text="Werkstätten")
    expect(workshops).to_contain_text("0")  # the demo workshop was in 2020
    # The period is typed segment by segment (day, month, year), as with the keyboard.
    for part, value in (
        ("Tag, Zeitraum (Beginn)", "01"),
        ("Monat, Zeitraum (Beginn)", "01"),
        ("Jahr, Zeitraum (Beginn)", "2020"),
        ("Tag, Zeitraum (Ende)", "31"),
        ("Monat, Zeitraum (Ende)", "12"),
        ("Jahr, Zeitraum (Ende)", "2020"),
    ):
        page.get_by_role("spinbutton", name=part).click()
        page.keyboard.type(value)
    page.keyboard.press("Tab")
    page.get_by_role("heading", name="Lenkungsgruppe").click()
    wait_idle(page)
    expect(workshops).to_contain_text("1")
    expect(page.get_by_test_id("stMetric").filter(has_text="Hinweise im Zeitraum")).to_contain_text(
        "0"
    )
    button = page.get_by_role("button", name="Bericht als PDF (Borsdorf, 01.01.2020 – 31.12.2020)")
    with page.expect_download() as download_info:
        button.click()
    data = download_info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Bericht an die Räte: Borsdorf" in text
    assert "01.01.2020 – 31.12.2020" in text
    assert "Gemeinsames Beteiligungsportal" in text or "Beteiligungsportal" in text


def test_every_summary_tab_opens_with_its_source_link(browser, app_server):
    """Each slice's section is a tab: reached by clicking, it shows its note and the link to
    its page (only where the role may open that page)."""
    page = browser.page
    login(page, app_server.url, "e2e-mayor", PASSWORD, "Bernd Bürgermeister")
    nav(page, "Lenkungsgruppe")
    wait_idle(page)
    for tab, note, link in (
        ("Netze", "Längen an den Gemeindegrenzen geteilt", "Zu Radwegen & Kernwegen"),
        ("Werkstätten", "im Zeitraum begonnene Werkstätten", "Zur Bürgerwerkstatt"),
        ("Leerstand", "Veränderung gegenüber dem Stand vor 91 Tagen", "Zur Leerstandsauswertung"),
        ("Maßnahmen", "keine Gemeinde nennen", "Zu den Maßnahmen"),
        ("Hinweise", "Status von heute", "Zu den Hinweisen"),
    ):
        page.get_by_role("tab", name=tab, exact=True).click()
        wait_idle(page)
        panel = page.get_by_role("tabpanel")
        expect(panel.get_by_text(note)).to_be_visible()
        expect(panel.get_by_role("link", name=link)).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
    page.get_by_role("tab", name="Maßnahmen", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Überfällige nächste Schritte (Borsdorf)")).to_be_visible()
    page.get_by_role("tab", name="Karte", exact=True).click()
    wait_idle(page)
    expect(page.locator(MAP_FRAME)).to_be_visible()
