"""Open311 under abuse: forged X-Forwarded-For, odd formats and dates, oversized or broken
bodies, invisible text and retried POSTs. Against running servers, with raw HTTP; answers are
parsed back with json and defusedxml."""

from __future__ import annotations

import asyncio
import http.client
import itertools
import json
import re
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest
from defusedxml import ElementTree as ET

from allianz import config, forwarded
from allianz.errors import ValidationError
from allianz.suggestions.api import MAX_BODY_BYTES, MAX_FIELD_CHARS, MAX_FIELDS
from db.connection import connect
from tests.e2e.conftest import prepare_database, start_app

LIMIT = 3  # POSTs per client in the servers below, so that a flood is short
REPORT = {
    "service_code": "lighting",
    "lat": "51.2778",
    "long": "12.5883",
    "description": "Laterne am Markt ist dunkel",
}
_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


def _server(tmp_path_factory, name: str, **env: str):
    tmp = tmp_path_factory.mktemp(name)
    prepare_database(tmp / "e2e.sqlite3")
    return start_app(tmp, env={"ALLIANZ_API_POST_LIMIT": str(LIMIT), **env})


@pytest.fixture(scope="module")
def direct(tmp_path_factory):
    """No proxy configured: every client is its TCP peer."""
    running = _server(tmp_path_factory, "open311-direct")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """Behind a reverse proxy on 127.0.0.1 (the test client plays the proxy)."""
    running = _server(tmp_path_factory, "open311-proxied", ALLIANZ_TRUSTED_PROXIES="127.0.0.1")
    yield running
    running.stop()


def send(server, method: str, path: str, body=None, headers: dict | None = None):
    """(status, content type, body) of one request on a fresh connection."""
    netloc = urlparse(server.url).netloc
    conn = http.client.HTTPConnection(netloc, timeout=30)
    try:
        headers = headers or {}
        chunked = headers.get("Transfer-Encoding") == "chunked"
        conn.request(method, "/open311/v2" + path, body, headers, encode_chunked=chunked)
        response = conn.getresponse()
        return response.status, response.getheader("content-type") or "", response.read()
    finally:
        conn.close()


def post(server, fields: dict, fmt: str = "json", client: str | None = None, **headers):
    """A form-encoded POST; `client` is the address our pretend proxy forwards."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    if client:
        headers["X-Forwarded-For"] = client
    body = urllib.parse.urlencode(fields).encode()
    return send(server, "POST", f"/requests.{fmt}", body, headers)


def errors_of(kind: str, body: bytes) -> list[tuple[int, str]]:
    """GeoReport error list as (code, description), from JSON or XML."""
    if "json" in kind:
        return [(e["code"], e["description"]) for e in json.loads(body)]
    assert "xml" in kind
    root = ET.fromstring(body)
    assert root.tag == "errors"
    return [(int(e.findtext("code")), e.findtext("description")) for e in root.iter("error")]


def count(server) -> int:
    db = connect(server.db_path)
    try:
        return db["suggestions"].count
    finally:
        db.close()


# --- item 4: the client's address -------------------------------------------------------


def test_forwarded_header_from_an_unconfigured_peer_does_not_open_new_buckets(direct):
    statuses = [post(direct, REPORT, client=f"203.0.113.{n}")[0] for n in range(LIMIT + 2)]
    assert statuses == [201] * LIMIT + [429, 429]


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(proxied):
    citizen = next(_addresses)
    assert [post(proxied, REPORT, client=citizen)[0] for _ in range(LIMIT)] == [201] * LIMIT
    # what the citizen wrote into the header stays left of what the proxy saw
    status, kind, body = post(proxied, REPORT, client=f"192.0.2.77, {citizen}")
    assert status == 429 and errors_of(kind, body)[0][0] == 429
    # other citizens behind the same proxy have their own bucket
    assert post(proxied, REPORT, client=next(_addresses))[0] == 201


def test_the_post_limit_outlasts_a_server_restart(tmp_path_factory):
    """Counted in the database, not in the process: a restart opens no new bucket, and the
    refusal says when to try again."""
    tmp = tmp_path_factory.mktemp("open311-restart")
    prepare_database(tmp / "e2e.sqlite3")
    env = {"ALLIANZ_API_POST_LIMIT": str(LIMIT)}
    first = start_app(tmp, env=env)
    before = count(first)
    try:
        assert [post(first, REPORT)[0] for _ in range(LIMIT)] == [201] * LIMIT
    finally:
        first.stop()
    second = start_app(tmp, env=env)
    try:
        status, kind, body = post(second, REPORT)
        [(code, text)] = errors_of(kind, body)
        assert status == code == 429 and re.search(r"ab \d\d:\d\d Uhr", text), text
    finally:
        second.stop()
    assert count(second) == before + LIMIT


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("203.0.113.5", ["198.51.100.1"], "203.0.113.5"),  # peer not a proxy: header ignored
        ("127.0.0.1", ["198.51.100.1"], "198.51.100.1"),
        ("127.0.0.1", ["1.1.1.1, 198.51.100.1"], "198.51.100.1"),  # forged left part
        ("127.0.0.1", ["1.1.1.1", "198.51.100.1, 10.0.0.2"], "198.51.100.1"),  # two proxies
        ("127.0.0.1", ["198.51.100.1:4711"], "198.51.100.1"),
        ("127.0.0.1", ["[2001:db8::1]:443"], "2001:db8::1"),
        ("127.0.0.1", [], "127.0.0.1"),
        ("::ffff:127.0.0.1", ["198.51.100.1"], "198.51.100.1"),
    ],
)
def test_client_address_rule(peer, header, expected):
    trusted = config.trusted_proxies("127.0.0.1, 10.0.0.0/8")
    assert forwarded.client_address(peer, header, trusted) == expected


def test_middleware_sets_client_and_scheme_only_for_a_trusted_peer():
    seen = {}

    async def app(scope, receive, send):
        seen.update(client=scope["client"][0], scheme=scope["scheme"])

    headers = [(b"x-forwarded-for", b"1.1.1.1, 198.51.100.1"), (b"x-forwarded-proto", b"https")]
    scope = {"type": "http", "scheme": "http", "headers": headers}
    for peer, trusted, expected in [
        ("127.0.0.1", "127.0.0.1", ("198.51.100.1", "https")),
        ("127.0.0.1", "", ("127.0.0.1", "http")),
        ("203.0.113.9", "127.0.0.1", ("203.0.113.9", "http")),
    ]:
        middleware = forwarded.ClientAddress(app, config.trusted_proxies(trusted))
        asyncio.run(middleware({**scope, "client": (peer, 5000)}, None, None))
        assert (seen["client"], seen["scheme"]) == expected


def test_trusted_proxies_setting_is_checked():
    assert config.trusted_proxies("") == ()
    with pytest.raises(ValidationError, match="ALLIANZ_TRUSTED_PROXIES: 'proxy.local'"):
        config.trusted_proxies("127.0.0.1 proxy.local")
    assert forwarded.uvicorn_trust_errors({"FORWARDED_ALLOW_IPS": ""}) == []
    assert forwarded.uvicorn_trust_errors({})  # uvicorn's default trusts 127.0.0.1


def test_app_refuses_to_start_when_uvicorn_would_trust_forwarded_headers(tmp_path):
    prepare_database(tmp_path / "e2e.sqlite3")
    with pytest.raises(RuntimeError, match="FORWARDED_ALLOW_IPS ist nicht leer"):
        start_app(tmp_path, env={"FORWARDED_ALLOW_IPS": "127.0.0.1"})


# --- item 5: correctness ------------------------------------------------------------------


def test_unknown_format_is_a_georeport_404_and_stores_nothing(proxied):
    status, kind, body = send(proxied, "GET", "/services/lighting.yaml")
    assert status == 404 and errors_of(kind, body)[0][0] == 404
    assert "Format" in errors_of(kind, body)[0][1]
    before = count(proxied)
    status, kind, body = post(proxied, REPORT, fmt="yaml", client=next(_addresses))
    assert status == 404 and errors_of(kind, body)[0][0] == 404
    assert count(proxied) == before
    # the supported formats agree on the service definition
    status, kind, body = send(proxied, "GET", "/services/lighting.xml")
    root = ET.fromstring(body)
    assert status == 200 and root.tag == "service_definition"
    assert root.findtext("service_code") == "lighting" and root.find("attributes") is not None
    definition = json.loads(send(proxied, "GET", "/services/lighting.json")[2])
    assert definition == {"service_code": "lighting", "attributes": []}
    status, kind, body = send(proxied, "GET", "/services/nope.xml")
    assert status == 404 and errors_of(kind, body)[0][0] == 404


def test_end_date_at_the_end_of_the_calendar_is_no_upper_bound(proxied):
    post(proxied, REPORT, client=next(_addresses))
    near = json.loads(send(proxied, "GET", "/requests.json?end_date=2030-12-31")[2])
    far = json.loads(send(proxied, "GET", "/requests.json?end_date=9999-12-31")[2])
    assert len(near) > 0 and len(far) == len(near)
    status, kind, body = send(proxied, "GET", "/requests.xml?end_date=9999-12-31")
    assert status == 200 and len(ET.fromstring(body).findall("request")) == len(near)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"attribute[note]": "x" * (MAX_FIELD_CHARS + 1)}, "zu lang"),
        ({f"attribute[extra{i}]": "1" for i in range(MAX_FIELDS)}, "Zu viele Felder"),
    ],
)
def test_oversized_and_too_many_fields_get_georeport_400(proxied, fmt, fields, fragment):
    before = count(proxied)
    status, kind, body = post(proxied, {**REPORT, **fields}, fmt=fmt, client=next(_addresses))
    assert status == 400
    errors = errors_of(kind, body)
    assert errors[0][0] == 400 and fragment in errors[0][1]
    assert count(proxied) == before


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"--x\r\nContent-Disposition: form-data\r\n\r\n1\r\n--x--\r\n"),
        ("multipart/form-data; boundary=x", b"--x\r\nkaputt ohne Ende"),
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Type: text/plain\r\n\r\na\r\n--x--"),
        ("application/json", json.dumps(REPORT).encode()),
    ],
)
def test_broken_bodies_get_georeport_400_in_german(proxied, fmt, content_type, body):
    headers = {"Content-Type": content_type, "X-Forwarded-For": next(_addresses)}
    status, kind, answer = send(proxied, "POST", f"/requests.{fmt}", body, headers)
    assert status == 400
    (code, description), *_ = errors_of(kind, answer)
    assert code == 400
    assert any(word in description for word in ("Formular", "senden", "Feld"))


def test_body_size_is_capped(proxied):
    before = count(proxied)
    # the reported case: 20 fields of 1 MB each, sent by an ordinary client
    fields = {f"attribute[f{i}]": "x" * (1024 * 1024) for i in range(20)}
    status, kind, answer = post(proxied, {**REPORT, **fields}, fmt="xml", client=next(_addresses))
    assert status == 413 and errors_of(kind, answer) == [
        (413, f"Die Anfrage ist zu groß (höchstens {MAX_BODY_BYTES // 1024} KB).")
    ]
    # far too large: answered from Content-Length alone, before any of the body is sent
    netloc = urlparse(proxied.url).netloc
    conn = http.client.HTTPConnection(netloc, timeout=30)
    try:
        conn.putrequest("POST", "/open311/v2/requests.json")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(1024**3))
        conn.putheader("X-Forwarded-For", next(_addresses))
        conn.endheaders()
        response = conn.getresponse()
        status, kind, answer = response.status, response.getheader("content-type"), response.read()
    finally:
        conn.close()
    assert status == 413 and errors_of(kind, answer)[0][0] == 413
    # a body without Content-Length is counted while it arrives
    over = urllib.parse.urlencode({**REPORT, "f": "x" * MAX_BODY_BYTES}).encode()
    chunks = (over[i : i + 8192] for i in range(0, len(over), 8192))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Transfer-Encoding": "chunked",
        "X-Forwarded-For": next(_addresses),
    }
    status, kind, answer = send(proxied, "POST", "/requests.json", chunks, headers)
    assert status == 413 and errors_of(kind, answer)[0][0] == 413
    assert count(proxied) == before


def test_xml_booleans_are_lower_case(proxied):
    status, _, body = send(proxied, "GET", "/services.xml")
    services = ET.fromstring(body).findall("service")
    assert status == 200 and services
    assert {s.findtext("metadata") for s in services} == {"false"}
    assert b">True<" not in body and b">False<" not in body


@pytest.mark.parametrize("invisible", ["\u200b\u200b\u200b", "\u200d\ufeff\u2060", "\u3164 \u200b"])
def test_description_of_invisible_characters_is_refused(proxied, invisible):
    before = count(proxied)
    status, kind, body = post(
        proxied, {**REPORT, "description": invisible}, client=next(_addresses)
    )
    assert status == 400
    assert any("beschreiben" in text for _, text in errors_of(kind, body))
    assert count(proxied) == before


def test_retry_with_idempotency_key_gets_the_first_answer(proxied):
    client, key = next(_addresses), {"Idempotency-Key": '"retry-1"'}
    before = count(proxied)
    first = post(proxied, REPORT, client=client, **key)
    again = post(proxied, REPORT, client=client, **key)
    assert first[0] == again[0] == 201
    assert json.loads(again[2]) == json.loads(first[2])
    assert count(proxied) == before + 1
    # a different report under a used key is refused, not silently dropped
    other = {**REPORT, "description": "Ganz anderer Hinweis am Markt"}
    status, kind, body = post(proxied, other, client=client, **key)
    assert status == 422 and "Idempotenzschlüssel" in errors_of(kind, body)[0][1]
    assert count(proxied) == before + 1
    # another client's key of the same name is its own
    status, _, body = post(proxied, REPORT, client=next(_addresses), **key)
    ref = json.loads(first[2])[0]["service_request_id"]
    assert status == 201 and json.loads(body)[0]["service_request_id"] != ref
    assert count(proxied) == before + 2


def test_idempotency_key_as_attribute(proxied):
    client = next(_addresses)
    fields = {**REPORT, "attribute[client_request_id]": "retry-2"}
    status, _, body = post(proxied, fields, client=client)
    assert status == 201
    ref = json.loads(body)[0]["service_request_id"]
    before = count(proxied)
    status, _, body = post(proxied, fields, fmt="xml", client=client)
    assert status == 201 and ET.fromstring(body).findtext("request/service_request_id") == ref
    assert count(proxied) == before


def test_simultaneous_retries_store_one_suggestion(proxied):
    """The database decides (the claim is in the write transaction), so this holds for
    retries that reach different server processes as well."""
    client, key = next(_addresses), {"Idempotency-Key": "gleichzeitig-1"}
    before = count(proxied)
    with ThreadPoolExecutor(LIMIT) as pool:
        answers = list(
            pool.map(lambda _: post(proxied, REPORT, client=client, **key), range(LIMIT))
        )
    assert [status for status, _, _ in answers] == [201] * LIMIT
    assert len({json.loads(body)[0]["service_request_id"] for _, _, body in answers}) == 1
    assert count(proxied) == before + 1
