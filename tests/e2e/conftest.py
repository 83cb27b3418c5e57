"""Browser tests: a real server on 127.0.0.1 and Debian's headless Chromium via Playwright.

In CI (ALLIANZ_REQUIRE_BROWSER=1 or CI set) a missing browser fails the run; elsewhere the
browser tests are skipped with a reason.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from shapely.geometry import Point

from allianz import config, database, demo, geo
from allianz.accounts import service as accounts
from allianz.municipalities import service as municipalities
from db.connection import connect
from tests.conftest import TEST_ACTOR

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "e2e-passwort-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60, proc: subprocess.Popen | None = None) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise TimeoutError(url)


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    db_path: Path
    log: Path

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_app(
    tmp: Path,
    *,
    secrets: str | None = None,
    wait: bool = True,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> Server:
    port = port or free_port()
    db_path = tmp / "e2e.sqlite3"
    env = {
        **os.environ,
        "ALLIANZ_DB": str(db_path),
        "ALLIANZ_CONFIG": "partheland",
        **(env or {}),
    }
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    if secrets is not None:
        secrets_file = tmp / "secrets.toml"
        secrets_file.write_text(secrets, encoding="utf-8")
        cmd += ["--secrets.files", str(secrets_file)]
    else:
        cmd += ["--secrets.files", str(tmp / "no-secrets.toml")]
    log = tmp / f"server-{port}.log"
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", proc, db_path, log)
    if wait:
        try:
            wait_http(server.url + "/healthz", proc=proc)
        except (RuntimeError, TimeoutError):
            server.stop()
            raise RuntimeError(log.read_text(errors="replace")) from None
    return server


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


@pytest.fixture
def browser(playwright_instance, chromium_path) -> Iterator[Browser]:
    instance = playwright_instance.chromium.launch(
        executable_path=chromium_path, args=CHROMIUM_ARGS
    )
    context = instance.new_context(viewport={"width": 1280, "height": 1100}, locale="de-DE")
    page = context.new_page()
    seen = Browser(page=page)
    context.on("request", lambda request: seen.hosts.add(urlparse(request.url).hostname or ""))
    page.set_default_timeout(30_000)
    yield seen
    context.close()
    instance.close()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("e2e")
    prepare_database(tmp / "e2e.sqlite3")
    server = start_app(tmp)
    yield server
    server.stop()


def wait_idle(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")


MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


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
