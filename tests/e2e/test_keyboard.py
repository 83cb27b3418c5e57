"""Keyboard only: the report form can be filled and sent without a mouse, and the map does not
trap the focus (Tab moves through it and on)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose, map_frame, wait_idle

pytestmark = pytest.mark.e2e


def _active(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; return e ? (e.tagName + ':' + "
        "(e.getAttribute('aria-label') || e.innerText || '').slice(0, 40)) : '' }"
    )


def test_report_by_keyboard_and_map_does_not_trap_focus(browser, app_server):
    page = browser.page
    page.goto(app_server.url + "/suggest")
    wait_idle(page)
    map_frame(page)  # the map is loaded, so it can take (and must give back) the focus
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen, in_map_run, longest_map_run = [], 0, 0
    for _ in range(120):
        page.keyboard.press("Tab")
        active = _active(page)
        seen.append(active)
        in_map_run = in_map_run + 1 if active.startswith("IFRAME") else 0
        longest_map_run = max(longest_map_run, in_map_run)
        if active.startswith("INPUT:Koordinaten"):
            break
    assert any(a.startswith("INPUT:Koordinaten") for a in seen), seen[-10:]
    assert longest_map_run <= 15  # Tab always leaves the map again
    page.keyboard.type("51.2778, 12.5883")
    page.keyboard.press("Enter")  # submits the coordinates form
    expect(page.get_by_text(re.compile(r"Gewählter Ort: 51\.27780, 12\.58830"))).to_be_visible()
    wait_idle(page)  # the coordinates' rerun must end before the box takes a choice
    # no preselection: typed and confirmed with Enter (checked, and retried if a rerun redrew it)
    choose(page, "Kategorie", "Straßenbel", "Straßenbeleuchtung", keyboard_only=True)
    page.get_by_label("Titel").focus()
    page.keyboard.type("Per Tastatur gemeldet")
    page.keyboard.press("Tab")
    page.keyboard.type("Ohne Maus ausgefüllt und gesendet.")
    page.wait_for_timeout(3200)
    for _ in range(15):
        page.keyboard.press("Tab")
        if _active(page).startswith("BUTTON:Hinweis senden"):
            break
    assert _active(page).startswith("BUTTON:Hinweis senden")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Ihre Nummer: H-\d{4}-\d{5}"))).to_be_visible()
