"""Browser tests: a real server on 127.0.0.1 and Debian's headless Chromium via Playwright.

In CI (ALLIANZ_REQUIRE_BROWSER=1 or CI set) a missing browser fails the run; elsewhere the
browser tests are skipped with a reason. Starting the server and waiting for it live in
`allianz.devserver`, which the benchmark (bench/browser.py) uses too.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import FrameLocator, expect
from shapely.geometry import Point

from allianz import config, database, demo, geo
from allianz.accounts import service as accounts
from allianz.auth import Role
from allianz.devserver import CHROMIUM, CHROMIUM_ARGS, Server, start_app, wait_http, wait_idle
from allianz.devserver import free_port as free_port  # re-exported for the tests that import it
from allianz.municipalities import service as municipalities
from db.connection import connect
from tests.conftest import TEST_ACTOR

# CI shares two cores between the server, Chromium and pytest: a rerun may take several seconds,
# so assertions wait up to 15 s (a failing test only fails later; a passing one is not slowed)
expect.set_options(timeout=15_000)

PASSWORD = "e2e-passwort-123"
# (user name, display name) of the account prepare_database creates per role
ACCOUNTS: dict[Role, tuple[str, str] | None] = {
    Role.CITIZEN: None,
    Role.STAFF: ("e2e-staff", "Erika Verwaltung"),
    Role.WORKING_GROUP: ("e2e-ak", "Rita Radlerin"),
    Role.HOST: ("e2e-host", "Tom Tisch"),
    Role.MAYOR: ("e2e-mayor", "Bernd Bürgermeister"),
    Role.MANAGER: ("e2e-leitung", "Lena Leitung"),
}


def prepare_database(db_path: Path) -> None:
    alliance = config.load("partheland")
    db = database.initialise(alliance, db_path)
    demo.load(db, alliance, TEST_ACTOR)
    accounts.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="e2e-staff",
        role="staff",
        password=PASSWORD,
        municipality_ags="14729060",
        display_name="Erika Verwaltung",
    )
    accounts.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="oidc-staff",
        role="staff",
        password=None,
        municipality_ags="14729190",
        email="anna@grosspoesna.example",
        display_name="Anna (SSO)",
    )
    accounts.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="e2e-ak",
        role="working_group",
        password=PASSWORD,
        display_name="Rita Radlerin",
    )
    accounts.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="e2e-host",
        role="host",
        password=PASSWORD,
        display_name="Tom Tisch",
    )
    accounts.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="e2e-mayor",
        role="mayor",
        password=PASSWORD,
        municipality_ags="14729060",
        display_name="Bernd Bürgermeister",
    )
    accounts.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="e2e-leitung",
        role="manager",
        password=PASSWORD,
        display_name="Lena Leitung",
    )
    db.close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        message = "Debian chromium is not installed (/usr/bin/chromium)"
        if os.environ.get("ALLIANZ_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(message + ": required in CI")
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@dataclass
class Browser:
    page: object
    hosts: set[str] = field(default_factory=set)
    csp_violations: list[str] = field(default_factory=list)


def _csp_violation(text: str) -> bool:
    """Chromium reports a blocked load or inline script in the console, naming the policy."""
    return "Content Security Policy" in text or "Content-Security-Policy" in text


@pytest.fixture
def browser(playwright_instance, chromium_path) -> Iterator[Browser]:
    instance = playwright_instance.chromium.launch(
        executable_path=chromium_path, args=CHROMIUM_ARGS
    )
    context = instance.new_context(viewport={"width": 1280, "height": 1100}, locale="de-DE")
    page = context.new_page()
    seen = Browser(page=page)
    context.on("request", lambda request: seen.hosts.add(urlparse(request.url).hostname or ""))
    context.on(
        "console",
        lambda message: (
            seen.csp_violations.append(message.text) if _csp_violation(message.text) else None
        ),
    )
    page.set_default_timeout(30_000)
    yield seen
    context.close()
    instance.close()
    # Every browser test checks that the app works under its Content-Security-Policy
    # (allianz/security_headers.py): anything the policy blocked was reported here.
    assert seen.csp_violations == [], seen.csp_violations


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(playwright_instance, chromium_path) -> Iterator:
    """A phone-sized page (390×844, touch) that fails the test on a blocked load (CSP)."""
    instance = playwright_instance.chromium.launch(
        executable_path=chromium_path, args=CHROMIUM_ARGS
    )
    context = instance.new_context(
        viewport=PHONE, locale="de-DE", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    blocked = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()
    instance.close()
    assert blocked == [], blocked


@pytest.fixture(scope="module")
def app_server(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("e2e")
    prepare_database(tmp / "e2e.sqlite3")
    server = start_app(tmp)
    yield server
    server.stop()


# By its source, not its title: assets/js/german-ui.js names the frame "Kartenansicht".
MAP_FRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'


def map_frame(page, index: int = 0):
    """The n-th st_folium iframe, once Leaflet has loaded in it.

    A rerun can replace the iframe (e.g. a new map key): a frame that gets detached while
    we wait is looked up again.
    """
    last_error = None
    for _ in range(5):
        page.wait_for_selector(MAP_FRAME)
        frames = [
            f for f in page.frames if "streamlit_folium" in (f.url or "") and not f.is_detached()
        ]
        if len(frames) <= index:
            page.wait_for_timeout(500)
            continue
        try:
            frames[index].wait_for_function("() => window.map && window.L")
        except PlaywrightError as exc:
            last_error = exc
            page.wait_for_timeout(500)
            continue
        return frames[index]
    raise AssertionError(f"map frame {index} did not settle: {last_error}")


def map_locator(page, index: int = 0) -> FrameLocator:
    """The n-th st_folium map as a frame locator, looked up afresh on every use.

    streamlit-folium keys its iframe by the map's content, so a rerun that changes the map
    replaces the iframe; a stored Frame handle then fails with "Frame was detached", while
    assertions through this locator simply go on waiting for the new map.
    """
    return page.locator(MAP_FRAME).nth(index).content_frame


# Resolves once the map's centre, size and zoom have not changed for ten animation frames: a
# map in a tab that was just shown refits itself once it has a size, and a click aimed before
# that lands where the point was before the refit.
SETTLED = """() => new Promise((resolve) => {
    let last = null;
    let stable = 0;
    function tick() {
        const c = window.map.getCenter();
        const s = window.map.getSize();
        const key = [c.lat.toFixed(7), c.lng.toFixed(7), s.x, s.y, window.map.getZoom()].join();
        stable = key === last ? stable + 1 : 0;
        last = key;
        if (stable >= 10) { resolve(true); } else { requestAnimationFrame(tick); }
    }
    tick();
})"""


def click_map_at(page, lat: float, lon: float, index: int = 0) -> None:
    """Click the map where (lat, lon) is drawn, as a person would with the mouse.

    Call it once the app is idle and the map drawn; panning and the click both go to the
    iframe that is on the page at that moment. The iframe is scrolled into view first: when
    the click itself has to scroll the page, it lands where the point was before scrolling.
    """
    iframe = page.locator(MAP_FRAME).nth(index)
    iframe.scroll_into_view_if_needed()
    container = iframe.content_frame.locator(".leaflet-container")
    container.evaluate(f"(element) => ({SETTLED})()")
    point = container.evaluate(
        "(element, [lat, lon]) => { window.map.panTo([lat, lon], {animate: false});"
        " const p = window.map.latLngToContainerPoint([lat, lon]); return {x: p.x, y: p.y}; }",
        [lat, lon],
    )
    container.click(position=point)


def inner_point(db_path: Path, ags: str) -> tuple[float, float]:
    """A point inside the area, away from the seat marker (which has its own tooltip)."""
    db = connect(db_path)
    area = next(a for a in municipalities.areas(db) if a.ags == ags)
    db.close()
    metric = geo.to_metric(area.geometry)
    seat = geo.to_metric(Point(area.seat_lon, area.seat_lat))
    inner = metric.buffer(-400).difference(seat.buffer(1200)).representative_point()
    wgs = geo.to_storage(inner)
    return wgs.y, wgs.x


def click_map(page, frame, lat: float, lon: float, index: int = 0) -> None:
    """Click the map where (lat, lon) is drawn, as a person would with the mouse.

    A rerun may replace the map's iframe while we aim; then aim again in the new one.
    """
    for attempt in range(3):
        try:
            element = page.locator(MAP_FRAME).nth(index)
            element.scroll_into_view_if_needed()
            frame.evaluate(SETTLED)
            frame.evaluate(
                "([lat, lon]) => window.map.panTo([lat, lon], {animate: false})", [lat, lon]
            )
            x, y = frame.evaluate(
                "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                " const r = window.map.getContainer().getBoundingClientRect();"
                " return [p.x + r.left, p.y + r.top]; }",
                [lat, lon],
            )
            box = element.bounding_box()
            page.mouse.click(box["x"] + x, box["y"] + y)
            return
        except PlaywrightError as exc:
            if "detached" not in str(exc) or attempt == 2:
                raise
            page.wait_for_timeout(500)
            frame = map_frame(page, index)


def login(page, base_url: str, username: str, password: str, display_name: str) -> None:
    """Sign in through the login form and wait until the sidebar names the user."""
    page.goto(base_url + "/login")
    wait_idle(page)
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text(f"Angemeldet: {display_name}")).to_be_visible()


def json_get(url: str) -> dict:
    return json.loads(wait_http(url))


def nav(page, title: str) -> None:
    """Follow a link of the sidebar navigation (pages may link to each other, too)."""
    page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()


def choose(page, label: str, typed: str, option: str, *, keyboard_only: bool = False) -> None:
    """Pick an option of a Streamlit selectbox by typing, and make sure the choice stuck.

    Under load a rerun that was still running may re-render the box: the list may not open, or
    a choice made by keyboard may be dropped. The helper checks each step, retrying twice.
    `keyboard_only` focuses the box instead of clicking it (the keyboard test uses no mouse).
    """
    box = page.get_by_label(label, exact=True)
    for attempt in range(3):
        try:
            _type_into_list(page, box, typed, option, keyboard_only=keyboard_only)
            expect(box).to_have_value(option, timeout=5_000)
            return
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def pick(page, label: str, option: str) -> None:
    """Add an option to a Streamlit multiselect by typing it, and make sure its chip shows."""
    box = page.get_by_label(label, exact=True)
    widget = page.get_by_test_id("stMultiSelect").filter(has=box)
    for attempt in range(3):
        try:
            _type_into_list(page, box, option, option)
            page.keyboard.press("Escape")
            expect(widget.get_by_text(option, exact=True)).to_be_visible(timeout=5_000)
            return
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def _type_into_list(page, box, typed: str, option: str, *, keyboard_only: bool = False) -> None:
    """Open a list box, type a filter and take the option with Enter (a click may hit an option
    the list's animation has detached)."""
    wait_idle(page)
    if keyboard_only:
        box.focus()
    else:
        box.click()
    page.keyboard.press("ControlOrMeta+A")  # a failed attempt may have left typed text
    page.keyboard.type(typed)
    # under load (the reliability test runs 20 clients beside the browser) the list is slow
    expect(page.get_by_role("option", name=option, exact=True)).to_be_visible(timeout=15_000)
    page.keyboard.press("Enter")
    wait_idle(page)


def other_person(page):
    """Another person's browser: its own cookies, the same size and language."""
    context = page.context.browser.new_context(
        viewport={"width": 1280, "height": 1100}, locale="de-DE"
    )
    new = context.new_page()
    new.set_default_timeout(30_000)
    return new


def click_button(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    wait_idle(page)


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_idle(page)


def type_date(page, label: str, day) -> None:
    """Date fields are typed segment by segment, as with the keyboard."""
    for part, value in (("Tag", f"{day:%d}"), ("Monat", f"{day:%m}"), ("Jahr", f"{day:%Y}")):
        page.get_by_role("spinbutton", name=f"{part}, {label}").click()
        page.keyboard.type(value)
    page.keyboard.press("Tab")
