"""Open311 GeoReport v2 against a running server, with a real HTTP client."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from defusedxml import ElementTree as ET

from allianz import config
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.municipalities import service as municipalities
from allianz.suggestions import service, store
from allianz.suggestions.api import API_POST_LIMIT
from db.connection import connect
from tests.e2e.conftest import prepare_database, start_app
from tests.unit.test_suggestions import HOSTILE, jpeg


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("open311")
    prepare_database(tmp / "e2e.sqlite3")
    running = start_app(tmp)
    yield running
    running.stop()


def call(server, method: str, path: str, data: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    url = server.url + "/open311/v2" + path  # always http://127.0.0.1
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers.get("content-type"), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("content-type"), exc.read()


def post(server, **fields):
    base = {
        "service_code": "lighting",
        "lat": "51.2778",
        "long": "12.5883",
        "description": "Laterne am Markt ist dunkel",
    }
    status, _, body = call(server, "POST", "/requests.json", {**base, **fields})
    return status, json.loads(body)


def test_services(server):
    status, kind, body = call(server, "GET", "/services.json")
    services = json.loads(body)
    assert status == 200 and kind.startswith("application/json")
    codes = [s["service_code"] for s in services]
    assert codes == [c.code for c in config.load("partheland").categories]
    status, _, body = call(server, "GET", "/services/lighting.json")
    assert status == 200 and json.loads(body)["service_code"] == "lighting"
    assert call(server, "GET", "/services/nope.json")[0] == 404
    status, kind, body = call(server, "GET", "/services.xml")
    assert status == 200 and "xml" in kind
    assert ET.fromstring(body).find("service/service_code").text == "lighting"


def test_post_and_read_back(server):
    status, created = post(
        server,
        address_string="Markt 1, Naunhof",
        first_name="Max",
        last_name="Muster",
        email="max@example.org",
        **{"attribute[email_consent]": "true"},
    )
    assert status == 201
    ref = created[0]["service_request_id"]
    assert created[0]["service_notice"] == "Weitergeleitet an Stadt Naunhof."
    status, _, body = call(server, "GET", f"/requests/{ref}.json")
    item = json.loads(body)[0]
    assert status == 200
    assert item["agency_responsible"] == "Stadt Naunhof" and item["status"] == "open"
    assert item["address"] == "Markt 1, Naunhof"
    raw = body.decode()
    assert "max@example.org" not in raw and "Muster" not in raw and "Max" not in raw
    # the same request in the list, filtered
    status, _, body = call(server, "GET", "/requests.json?status=open&service_code=lighting")
    assert ref in [r["service_request_id"] for r in json.loads(body)]
    status, _, body = call(server, "GET", "/requests.json?status=closed")
    assert ref not in [r["service_request_id"] for r in json.loads(body)]
    status, _, body = call(server, "GET", "/requests.xml?service_request_id=" + ref)
    assert ET.fromstring(body).find("request/service_request_id").text == ref


def test_status_and_answer_are_published(server):
    _, created = post(server, description="Schlagloch am Feldweg", service_code="road-damage")
    ref = created[0]["service_request_id"]
    db = connect(server.db_path)
    suggestion = store.by_ref(db, ref)
    staff = User("x", "X", Role.STAFF, suggestion.municipality_ags, id=99)
    alliance = config.load("partheland")
    service.set_status(db, alliance, staff, suggestion.id, "done", "Ausgebessert am Montag.")
    db.close()
    item = json.loads(call(server, "GET", f"/requests/{ref}.json")[2])[0]
    assert item["status"] == "closed" and item["status_notes"] == "Ausgebessert am Montag."


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"service_code": "unknown"}, "Kategorie"),
        ({"lat": "abc"}, "keine Zahl"),
        ({"long": "500"}, "außerhalb des gültigen"),
        ({"lat": "48.137", "long": "11.575"}, "außerhalb des Gebiets"),
        ({"description": ""}, "beschreiben"),
        ({"description": "x" * 2001}, "höchstens 2000"),
        ({"email": "keine-adresse"}, "ungültig"),
    ],
)
def test_bad_input_gets_400_error_list_and_stores_nothing(server, fields, fragment):
    db = connect(server.db_path)
    before = db["suggestions"].count
    status, errors = post(server, **fields)
    assert status == 400
    assert all(e["code"] == 400 for e in errors)
    assert any(fragment in e["description"] for e in errors)
    assert db["suggestions"].count == before
    db.close()


def test_hostile_text_is_returned_as_data(server):
    status, created = post(server, description=HOSTILE)
    assert status == 201
    item = json.loads(call(server, "GET", f"/requests/{created[0]['service_request_id']}.json")[2])
    assert item[0]["description"] == HOSTILE


def test_media_and_hidden(server):
    db = connect(server.db_path)
    alliance = config.load("partheland")
    made = service.submit(
        db,
        alliance,
        municipalities.areas(db),
        service.Submission("waste", "Müll", "Sperrmüll", 51.2778, 12.5883, photo=jpeg()),
    )
    status, kind, body = call(server, "GET", f"/media/{made.ref}.jpg")
    assert status == 200 and kind == "image/jpeg" and body.startswith(b"\xff\xd8")
    item = json.loads(call(server, "GET", f"/requests/{made.ref}.json")[2])[0]
    assert item["media_url"].endswith(f"/open311/v2/media/{made.ref}.jpg")
    service.hide(db, User("m", "M", Role.MANAGER, id=1), made.id, "Test")
    db.close()
    assert call(server, "GET", f"/requests/{made.ref}.json")[0] == 404
    assert call(server, "GET", f"/media/{made.ref}.jpg")[0] == 404


def test_bad_dates_and_formats(server):
    assert call(server, "GET", "/requests.json?start_date=gestern")[0] == 400
    assert call(server, "GET", "/requests.json?status=maybe")[0] == 400
    assert call(server, "GET", "/services.csv")[0] == 404


def test_post_flood_is_limited(server):
    db = connect(server.db_path)
    before = db["suggestions"].count
    statuses = [
        post(server, description=f"Flut {i} am Markt")[0] for i in range(API_POST_LIMIT + 5)
    ]
    assert statuses[-1] == 429
    assert db["suggestions"].count - before == statuses.count(201) < API_POST_LIMIT
    db.close()
