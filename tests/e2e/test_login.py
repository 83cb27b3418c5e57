"""Signing in for real: a local account, and OIDC against a local oidc-provider-mock."""

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    PASSWORD,
    free_port,
    login,
    nav,
    prepare_database,
    start_app,
    wait_http,
    wait_idle,
)

pytestmark = pytest.mark.e2e
COOKIE_SECRET = "e2e-cookie-secret-" + "x" * 32


def test_local_login_shows_staff_pages(browser, app_server):
    page = browser.page
    login(page, app_server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
    nav(page, "Meine Gemeinde")
    expect(page.get_by_role("heading", name="Borsdorf")).to_be_visible()
    expect(page.get_by_text("Protokoll der Änderungen")).to_be_visible()


def test_forbidden_page_by_url_shows_no_admin_data(browser, app_server):
    page = browser.page
    page.goto(app_server.url + "/admin")
    wait_idle(page)
    expect(page.get_by_text("Kein Zugriff: Diese Seite ist für Ihre Rolle")).to_be_visible()
    assert page.get_by_text("Allianzverwaltung").count() == 0
    assert page.get_by_text("e2e-staff").count() == 0
    # the role's navigation, never Streamlit's automatic list of every page file
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("link", name="Anmelden")).to_be_visible()
    assert sidebar.get_by_role("link", name="admin").count() == 0


@pytest.fixture
def oidc_provider(tmp_path):
    port = free_port()
    claims = {"sub": "anna", "email": "anna@grosspoesna.example", "name": "Anna (SSO)"}
    log = tmp_path / "oidc.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "oidc_provider_mock",
            "--port",
            str(port),
            "--user-claims",
            json.dumps(claims),
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://localhost:{port}"
    try:
        wait_http(url + "/.well-known/openid-configuration", proc=proc)
    except (RuntimeError, TimeoutError):
        proc.kill()
        raise RuntimeError(log.read_text(errors="replace")) from None
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def _secrets(app_port_url: str, provider: str, cookie_secret: str) -> str:
    return (
        "[auth]\n"
        f'redirect_uri = "{app_port_url}/oauth2callback"\n'
        f'cookie_secret = "{cookie_secret}"\n'
        'client_id = "allianz-werkstatt"\n'
        'client_secret = "e2e-client-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )


def test_oidc_login_shows_staff_pages(browser, oidc_provider, tmp_path):
    prepare_database(tmp_path / "e2e.sqlite3")
    port = free_port()
    secrets = _secrets(f"http://127.0.0.1:{port}", oidc_provider, COOKIE_SECRET)
    server = start_app(tmp_path, secrets=secrets, port=port)
    try:
        page = browser.page
        page.goto(server.url + "/login")
        wait_idle(page)
        page.get_by_role("button", name="Mit Single Sign-on anmelden").click()
        page.get_by_role("button", name="anna").click()  # the mock provider's consent page
        page.wait_for_url(f"{server.url}/**")
        wait_idle(page)
        expect(page.get_by_text("Angemeldet: Anna (SSO)")).to_be_visible()
        nav(page, "Meine Gemeinde")
        expect(page.get_by_role("heading", name="Großpösna")).to_be_visible()
    finally:
        server.stop()


def test_app_refuses_to_start_with_short_cookie_secret(oidc_provider, tmp_path):
    prepare_database(tmp_path / "e2e.sqlite3")
    secrets = _secrets("http://127.0.0.1:1", oidc_provider, "kurz")
    with pytest.raises(RuntimeError, match="Unsichere Anmelde-Konfiguration.*cookie_secret"):
        start_app(tmp_path, secrets=secrets)
