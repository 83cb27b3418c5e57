"""Open311 for any client: a GeoReport v2 POST exactly as the spec shows it, from a client that
knows nothing of our extra attributes, over raw HTTP against a running server.

The spec's sample request sends `api_key`, `device_id`, `account_id`, `email`, `first_name`,
`last_name`, `phone`, `address_string`, `media_url`; sending `email` means the reporter asked for
news. The personal fields are kept privately and no GET (JSON or XML) returns them.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import quote_plus, urlsplit

import pytest
from defusedxml import ElementTree as ET

from allianz import config
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.suggestions import service, store
from db.connection import connect
from tests.e2e.conftest import prepare_database, start_app

PERSONAL = ("Johanna", "Schmidt", "johanna.schmidt@example.org", "0341 111111", "fotos.example")

# The spec's sample, field for field and in its order, with a place in Naunhof.
SAMPLE = (
    "api_key=xyz&service_code=lighting&lat=51.2778&long=12.5883"
    "&address_string=Markt+1%2C+Naunhof&email=johanna.schmidt%40example.org"
    "&device_id=tt222111&account_id=123456&first_name=Johanna&last_name=Schmidt"
    "&phone=0341+111111&description=Die+Laterne+am+Markt+ist+seit+Tagen+dunkel."
    "&media_url=https%3A%2F%2Ffotos.example%2Fimage.jpg"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("open311-any-client")
    prepare_database(tmp / "e2e.sqlite3")
    running = start_app(tmp)
    yield running
    running.stop()


def raw(server, method: str, path: str, body: str | None = None) -> tuple[int, str, bytes]:
    """One request as a client library would write it: no cookies, no session, no XSRF."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Host": parts.netloc, "Accept": "*/*"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, "/open311/v2" + path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("content-type") or "", response.read()
    finally:
        conn.close()


def _no_personal_data(body: bytes) -> None:
    text = body.decode()
    for value in PERSONAL:
        assert value not in text, value


def test_spec_sample_is_accepted_routed_and_kept_private(server):
    status, kind, body = raw(server, "POST", "/requests.json", SAMPLE)
    assert status == 201, body
    assert kind.startswith("application/json")
    (created,) = json.loads(body)
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    ref = created["service_request_id"]
    assert created["service_notice"] == "Weitergeleitet an Stadt Naunhof."
    _no_personal_data(body)

    db = connect(server.db_path)
    suggestion = store.by_ref(db, ref)
    assert suggestion.municipality_ags == "14729300" and suggestion.source == "open311"
    assert suggestion.address_text == "Markt 1, Naunhof"
    contact = dict(
        next(db.query("SELECT * FROM suggestion_contacts WHERE suggestion_id = ?", [suggestion.id]))
    )
    assert contact["email"] == "johanna.schmidt@example.org"
    assert (contact["first_name"], contact["last_name"]) == ("Johanna", "Schmidt")
    assert contact["phone"] == "0341 111111"
    assert contact["media_url"] == "https://fotos.example/image.jpg"

    # sending `email` asked for news: a status change writes to the reporter
    staff = User("x", "X", Role.STAFF, "14729300", id=99)
    service.set_status(
        db, config.load("partheland"), staff, suggestion.id, "planned", "Wird repariert."
    )
    recipients = [r[0] for r in db.execute("SELECT recipient FROM mail_outbox")]
    assert recipients == ["johanna.schmidt@example.org"]
    db.close()

    for path in (
        "/requests.json",
        "/requests.xml",
        f"/requests/{ref}.json",
        f"/requests/{ref}.xml",
        f"/requests.json?service_request_id={quote_plus(ref)}",
        f"/requests.xml?service_request_id={quote_plus(ref)}",
        "/requests.json?status=open&service_code=lighting",
        "/requests.xml?status=open&service_code=lighting",
    ):
        status, _, body = raw(server, "GET", path)
        assert status == 200, path
        assert ref in body.decode(), path
        _no_personal_data(body)
    item = json.loads(raw(server, "GET", f"/requests/{ref}.json")[2])[0]
    assert item["media_url"] is None  # only our own photos, never the client's link
    assert item["status_notes"] == "Wird repariert."
    node = ET.fromstring(raw(server, "GET", f"/requests/{ref}.xml")[2]).find("request")
    assert node.find("service_request_id").text == ref
    assert {child.tag for child in node} == set(item)


def test_xml_post_with_only_standard_fields(server):
    body = (
        "service_code=waste&lat=51.2778&long=12.5883&first_name=Johanna&last_name=Schmidt"
        "&email=johanna.schmidt%40example.org&description=Sperrm%C3%BCll+am+Weg"
    )
    status, kind, answer = raw(server, "POST", "/requests.xml", body)
    assert status == 201 and "xml" in kind
    ref = ET.fromstring(answer).find("request/service_request_id").text
    _no_personal_data(raw(server, "GET", f"/requests/{ref}.xml")[2])


def test_an_explicit_no_keeps_the_address_out(server):
    body = SAMPLE + "&attribute%5Bemail_consent%5D=false"
    status, _, answer = raw(server, "POST", "/requests.json", body)
    assert status == 201
    ref = json.loads(answer)[0]["service_request_id"]
    db = connect(server.db_path)
    suggestion_id = store.by_ref(db, ref).id
    email, name = db.execute(
        "SELECT email, last_name FROM suggestion_contacts WHERE suggestion_id = ?",
        [suggestion_id],
    ).fetchone()
    db.close()
    assert email is None and name == "Schmidt"


def test_a_bad_address_is_still_refused(server):
    status, _, answer = raw(server, "POST", "/requests.json", SAMPLE.replace("%40example.org", ""))
    assert status == 400
    assert "E-Mail-Adresse ist ungültig" in json.loads(answer)[0]["description"]
