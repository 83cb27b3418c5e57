"""Security headers on every HTTP response: the middleware on its own, and the running app
(pages, our routes, static files, component frames, errors). That the pages and maps work under
the policy is checked by every browser test (tests/e2e/conftest.py fails on a CSP report)."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from allianz.security_headers import SecurityHeaders, policy, tile_origin
from tests.e2e.conftest import prepare_database, start_app

TILES = "https://sgx.geodatenzentrum.de"


def _run(coroutine) -> None:
    """Own thread, own event loop: other tests (Playwright) may hold this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _call(scope: dict, headers=()) -> list[dict]:
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
        await send({"type": "http.response.body", "body": b"ok"})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    _run(SecurityHeaders(app, (TILES,))(scope, None, send))
    return sent


def _headers(sent) -> dict[bytes, list[bytes]]:
    found: dict[bytes, list[bytes]] = {}
    for key, value in sent[0]["headers"]:
        found.setdefault(key, []).append(value)
    return found


def _directives(csp: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in csp.split("; ")}


def test_every_response_gets_the_headers_once():
    sent = _call(
        {"type": "http", "headers": [(b"host", b"allianz.example")]},
        [(b"content-type", b"text/html"), (b"x-content-type-options", b"nosniff")],
    )
    headers = _headers(sent)
    assert headers[b"x-content-type-options"] == [b"nosniff"]
    assert headers[b"referrer-policy"] == [b"same-origin"]
    assert headers[b"content-type"] == [b"text/html"]
    (csp,) = headers[b"content-security-policy"]
    directives = _directives(csp.decode())
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert TILES in directives["img-src"]
    assert directives["connect-src"] == [
        "'self'",
        "ws://allianz.example",
        "wss://allianz.example",
    ]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert sent[1]["body"] == b"ok"


@pytest.mark.parametrize(
    "host",
    [b"evil.example; script-src *", b"a b", b"x\r\nset-cookie: y", b""],
)
def test_a_strange_host_header_adds_nothing_to_the_policy(host):
    csp = _headers(_call({"type": "http", "headers": [(b"host", host)]}))[
        b"content-security-policy"
    ][0].decode()
    assert _directives(csp)["connect-src"] == ["'self'"]
    assert "evil" not in csp and "script-src *" not in csp


def test_websocket_and_lifespan_pass_untouched():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    for kind in ("websocket", "lifespan"):
        _run(SecurityHeaders(app, ())({"type": kind}, None, None))
    assert seen == ["websocket", "lifespan"]


def test_tile_origin_and_a_policy_without_tiles():
    assert tile_origin(TILES + "/wmts/{z}/{y}/{x}.png") == TILES
    assert tile_origin("https://tiles.example:8443/{z}/{x}/{y}.png") == (
        "https://tiles.example:8443"
    )
    assert _directives(policy((), "h"))["img-src"] == ["'self'", "data:", "blob:"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("headers")
    prepare_database(tmp / "e2e.sqlite3")
    running = start_app(tmp)
    yield running
    running.stop()


def _fetch(url: str, method: str = "GET") -> tuple[int, dict]:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}


@pytest.mark.slow
def test_the_running_app_sends_them_on_every_kind_of_response(server):
    paths = [
        ("/", "GET", 200),  # Streamlit's page
        ("/suggestions", "GET", 200),
        ("/healthz", "GET", 200),
        ("/open311/v2/services.json", "GET", 200),
        ("/open311/v2/requests.yaml", "GET", 404),
        ("/app/static/js/prefetch-rows.js", "GET", 200),
        # registered by the first page run that draws a map: before that, a 404
        ("/component/streamlit_folium.st_folium/index.html", "GET", None),
        ("/_stcore/health", "GET", 200),
        ("/_stcore/metrics", "GET", 404),
        ("/konto/anmelden", "POST", None),  # refused (no XSRF token), as a German page
    ]
    for path, method, expected in paths:
        status, headers = _fetch(server.url + path, method)
        assert expected is None or status == expected, (path, status)
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        csp = _directives(headers["content-security-policy"])
        assert csp["frame-ancestors"] == ["'self'"], path
        assert TILES in csp["img-src"], path  # the alliance's tile server, from its config
