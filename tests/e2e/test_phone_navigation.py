"""The navigation on a phone (390 × 844): Streamlit hides the sidebar behind an icon-only "»"
button. It must have a German accessible name, say "Menü", open the navigation by touch and
by keyboard, and close it again once a page was chosen, so the page is seen (issue 19, items
5 and 10; assets/js/german-ui.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from allianz import navigation
from allianz.auth import Role
from tests.e2e.conftest import ACCOUNTS, PASSWORD, PHONE, wait_idle

pytestmark = pytest.mark.e2e

OPEN = "Navigation öffnen"
CLOSE = "Navigation schließen"


def sidebar_state(page) -> str | None:
    return page.get_by_test_id("stSidebar").get_attribute("data-collapsed")


def inside_screen(box: dict | None) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= PHONE["width"]
        and box["y"] + box["height"] <= PHONE["height"]
    )


def menu_button(page):
    button = page.get_by_role("button", name=OPEN, exact=True)
    expect(button).to_be_visible()
    assert inside_screen(button.bounding_box())
    # the icon alone ("»") says nothing: the word stands beside it
    after = button.evaluate("(b) => getComputedStyle(b, '::after').content")
    assert after == '"Menü"', after
    return button


def not_covered(page, locator) -> bool:
    """Within 5 s (the navigation slides away), the element is what a tap on its centre
    reaches: no navigation lying over it."""
    handle = locator.element_handle()
    try:
        page.wait_for_function(
            "(e) => { const r = e.getBoundingClientRect();"
            " const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
            " return e.contains(hit); }",
            arg=handle,
            timeout=5_000,
        )
    except PlaywrightError:
        return False
    return True


def test_citizen_opens_the_menu_and_reaches_a_page(phone, app_server, tmp_path):
    page = phone
    page.goto(app_server.url + "/")
    wait_idle(page)
    assert sidebar_state(page) == "true"  # collapsed on a phone
    button = menu_button(page)
    page.screenshot(path=tmp_path / "phone-start.png")

    button.tap()
    sidebar = page.get_by_role("region", name="Navigation")
    expect(sidebar.get_by_role("link", name="Hinweise", exact=True)).to_be_visible()
    assert sidebar_state(page) == "false"
    expect(page.get_by_role("button", name=CLOSE, exact=True)).to_be_visible()
    for spec in navigation.pages_for(Role.CITIZEN):
        link = sidebar.get_by_role("link", name=spec.title, exact=True)
        link.scroll_into_view_if_needed()
        assert inside_screen(link.bounding_box()), spec.title
    page.screenshot(path=tmp_path / "phone-menu.png")

    sidebar.get_by_role("link", name="Bürgerwerkstatt", exact=True).tap()
    wait_idle(page)
    heading = page.get_by_role("heading", name="Bürgerwerkstatt", exact=True)
    expect(heading).to_be_visible()
    assert page.url.endswith("/workshops")
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    assert not_covered(page, heading)  # the navigation closed over the chosen page
    menu_button(page)  # and can be opened again
    page.screenshot(path=tmp_path / "phone-page.png")


def test_signed_in_by_keyboard_on_a_phone(phone, app_server):
    """Keyboard only (a phone with a keyboard, or switch access): sign in, open the menu with
    Tab and Enter, follow a link the role may use."""
    page = phone
    username, display_name = ACCOUNTS[Role.MANAGER]
    page.goto(app_server.url + "/login")
    wait_idle(page)
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    wait_idle(page)
    menu_button(page)

    # Tab from the top: the skip link, then the menu button (not the links of the closed
    # navigation, which are out of sight)
    page.locator("body").focus()
    seen = []
    for _ in range(3):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("() => document.activeElement.outerHTML.slice(0, 160)"))
        if page.evaluate("() => document.activeElement.getAttribute('aria-label')") == OPEN:
            break
    else:
        pytest.fail(f"the menu button cannot be reached with Tab: {seen}")
    page.keyboard.press("Enter")
    sidebar = page.get_by_role("region", name="Navigation")
    expect(sidebar.get_by_text(f"Angemeldet: {display_name}")).to_be_visible()
    for spec in navigation.pages_for(Role.MANAGER):
        expect(sidebar.get_by_role("link", name=spec.title, exact=True)).to_have_count(1)
    link = sidebar.get_by_role("link", name="Allianzverwaltung", exact=True)
    link.focus()
    page.keyboard.press("Enter")
    wait_idle(page)
    heading = page.get_by_role("heading", name="Allianzverwaltung", exact=True)
    expect(heading).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    assert not_covered(page, heading)


def test_long_links_in_a_list_wrap_instead_of_being_cut(phone, app_server):
    """The consultation hours' list (demo data): every link shows its whole text on a phone."""
    phone.goto(app_server.url + "/mayor_hours")
    wait_idle(phone)
    links = phone.get_by_test_id("stMain").get_by_test_id("stPageLink")
    expect(links.first).to_be_visible()
    assert links.count() >= 3
    for index in range(links.count()):
        link = links.nth(index)
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        cut = link.evaluate(
            "(e) => [...e.querySelectorAll('*')].some((c) => c.scrollWidth > c.clientWidth + 1)"
        )
        assert not cut, link.inner_text()


def test_tabs_wrap_instead_of_hiding_behind_a_scroll_arrow(phone, app_server):
    """The pool's tabs for a Bauhof's staff (four of them): each one visible on a phone."""
    username, display_name = ACCOUNTS[Role.STAFF]
    phone.goto(app_server.url + "/login")
    wait_idle(phone)
    phone.get_by_label("Benutzername").fill(username)
    phone.get_by_label("Passwort").fill(PASSWORD)
    phone.get_by_role("button", name="Anmelden").click()
    wait_idle(phone)
    phone.goto(app_server.url + "/pool")
    wait_idle(phone)
    tabs = phone.get_by_test_id("stMain").get_by_role("tab")
    expect(tabs.first).to_be_visible()
    assert tabs.count() >= 4
    for index in range(tabs.count()):
        box = tabs.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], tabs.nth(index)
