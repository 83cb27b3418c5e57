"""OParl 1.1 at /oparl/v1.1/ against a running server: a client walks from the System object
through the body, its lists and every object, validates each one against the published OParl
schemas (vendored in tests/fixtures/oparl/), follows every URL once, and never meets anything
non-public: the demo's non-public meetings and agenda items, internal minutes, results and
minutes before their release, documents of non-public items."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import jsonschema
import pytest

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.formatting import BERLIN
from allianz.meetings import demo, service
from allianz.meetings.service import MeetingDraft
from tests.e2e.conftest import prepare_database, start_app
from tests.hostile import CORPUS, expected_stored

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "oparl"
ENTRY = "/oparl/v1.1/system"
SECRET = "GEHEIM"  # in every non-public text this test adds
UNRELEASED = "NOCH-NICHT-FREI"  # results and minutes of a meeting whose minutes are not released
DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")  # the spec's only form
HOSTILE_TITLES = [t for t in CORPUS if 3 <= len(expected_stored(t)) <= 200]


def pdf(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\n%%EOF\n".encode()


def _add_cases(db_path: Path) -> dict[str, int]:
    """What the demo lacks: documents (public and non-public), internal minutes, a meeting held
    but not released, a cancelled one, an online one, a non-public one, hostile titles."""
    alliance = config.load("partheland")
    db = database.open_for(alliance, db_path)
    office, now = COMMAND_LINE, datetime.now(UTC)
    past = (now - timedelta(days=5)).astimezone(BERLIN).date()
    future = (now + timedelta(days=20)).astimezone(BERLIN).date()

    def create(**fields) -> int:
        draft = MeetingDraft(
            start_time="10:00", end_time="12:00", organiser="Geschäftsstelle", **fields
        )
        return service.create(db, alliance, office, draft)

    cases = {}
    released = cases["released"] = create(
        kind="steering_group",
        title="Allianzsitzung mit Anlagen",
        day=past,
        place="Rathaus Borsdorf, Ratssaal",
        lat=51.3502,
        lon=12.5346,
        municipality_ags="14729060",
    )
    public_item = cases["public_item"] = service.add_item(db, office, released, "Haushalt 2027")
    secret_item = cases["secret_item"] = service.add_item(
        db, office, released, f"{SECRET}-TOP Grundstücksankauf", public=False
    )
    cases["invitation"] = service.attach(
        db, office, released, None, "Einladung Ratssaal.pdf", pdf("Einladung")
    )
    cases["item_document"] = service.attach(
        db, office, released, public_item, "Vorlage Haushalt.pdf", pdf("Vorlage")
    )
    cases["secret_document"] = service.attach(
        db, office, released, secret_item, f"{SECRET}-Anlage.pdf", pdf(f"{SECRET}-INHALT")
    )
    cases["hostile_document"] = service.attach(db, office, released, None, CORPUS[0], pdf("x"))
    service.transition(db, office, released, "held", now=now)
    service.decide(
        db,
        alliance,
        office,
        public_item,
        "einstimmig beschlossen",
        "Der Haushalt 2027 wird beschlossen.",
    )
    service.decide(
        db, alliance, office, secret_item, f"{SECRET}-Ergebnis", f"{SECRET}-BESCHLUSS Kaufpreis"
    )
    service.save_minutes(
        db,
        office,
        released,
        "Öffentliches Protokoll: Haushalt beschlossen.",
        f"{SECRET}-PROTOKOLL intern: Kaufpreis.",
    )
    service.transition(db, office, released, "released", now=now)

    held = cases["held"] = create(
        kind="assembly",
        title="Mitgliederversammlung (Protokoll offen)",
        day=past,
        place="Bürgerhaus Machern",
    )
    held_item = service.add_item(db, office, held, "Offener Punkt")
    service.transition(db, office, held, "held", now=now)
    service.decide(
        db, alliance, office, held_item, f"{UNRELEASED} Ergebnis", f"{UNRELEASED} Beschluss"
    )
    service.save_minutes(db, office, held, f"{UNRELEASED} Entwurf", f"{SECRET} Entwurf intern")

    hidden = cases["hidden"] = create(
        kind="working_group",
        working_group=f"{SECRET}-Kreis",
        title=f"{SECRET}-SITZUNG",
        day=future,
        place="Vereinsheim",
    )
    service.add_item(db, office, hidden, f"{SECRET}-PUNKT")
    cases["hidden_document"] = service.attach(
        db, office, hidden, None, f"{SECRET}-Mappe.pdf", pdf(SECRET)
    )

    cancelled = cases["cancelled"] = create(
        kind="public_event",
        title="Abgesagter Infoabend",
        day=future,
        place="Mehrzweckhalle Brandis",
    )
    service.add_item(db, office, cancelled, "Vortrag")
    service.transition(db, office, cancelled, "cancelled", reason="Der Referent ist erkrankt.")

    online = cases["online"] = create(
        kind="network_decision",
        title="Online-Netzwerktreffen",
        day=future,
        online_url="https://meet.example.org/netz",
    )
    for title in HOSTILE_TITLES:
        service.add_item(db, office, online, title)
    db.close()
    return cases


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("oparl")
    db_path = tmp / "e2e.sqlite3"
    prepare_database(db_path)
    cases = _add_cases(db_path)
    running = start_app(tmp)
    yield running.url, cases, db_path
    running.stop()


@pytest.fixture(scope="module")
def walked(site) -> dict[str, tuple[int, dict, bytes]]:
    return walk(site[0])


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def get(url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url)  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, _lower(exc.headers), exc.read()


def get_json(url: str) -> tuple[int, dict]:
    status, headers, body = get(url)
    assert headers["content-type"].startswith("application/json"), (url, headers)
    assert headers.get("access-control-allow-origin") == "*", url  # spec: CORS on every JSON
    return status, json.loads(body)


# --- validation against the vendored schemas ------------------------------------------------------

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("url")
def _is_url(value) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


@FORMATS.checks("date-time")
def _is_date_time(value) -> bool:
    return not isinstance(value, str) or bool(DATE_TIME.fullmatch(value))


@FORMATS.checks("date")
def _is_date(value) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"\d{4}-\d\d-\d\d", value))


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def validate(obj: dict, name: str | None = None, seen: set[str] | None = None) -> None:
    """The object against its schema (draft 7, the schemas declare none), then every object it
    embeds (`"schema": "X.json"`) against X.json; plus the spec's rules the schemas cannot
    say: created and modified on every object (1.1), no null, no empty string."""
    name = name or obj["type"].rsplit("/", 1)[1]
    definition = schema(name)
    jsonschema.Draft7Validator(definition, format_checker=FORMATS).validate(obj)
    assert "created" in obj and "modified" in obj, obj["id"]
    for key, value in obj.items():
        assert value is not None and value != "", (obj["id"], key)
    if seen is not None:
        seen.add(name)
    for key, spec in definition["properties"].items():
        value = obj.get(key)
        nested = spec.get("schema") or spec.get("items", {}).get("schema")
        embedded = spec.get("type") in ("object", "array")  # not an external list's URL
        if not embedded or not str(nested).endswith(".json") or value is None:
            continue
        for inner in value if isinstance(value, list) else [value]:
            assert isinstance(inner, dict), (obj["id"], key)
            validate(inner, nested.removesuffix(".json"), seen)


def validate_page(page: dict, url: str) -> None:
    """An external list page per "Objektlisten und Paginierung"."""
    assert set(page) == {"data", "pagination", "links"}, url
    assert isinstance(page["data"], list)
    pagination, links = page["pagination"], page["links"]
    assert set(pagination) <= {"totalElements", "elementsPerPage", "currentPage", "totalPages"}
    assert all(isinstance(v, int) for v in pagination.values())
    assert set(links) <= {"first", "prev", "self", "next", "last", "web"}
    assert all(_is_url(v) for v in links.values())
    if pagination["currentPage"] < pagination["totalPages"]:
        assert "next" in links, url  # the only link the spec requires on all but the last page
    else:
        assert "next" not in links, url
    ids = [o["id"] for o in page["data"]]
    assert len(ids) == len(set(ids)), url


def urls_in(value) -> list[str]:
    if isinstance(value, dict):
        return [u for v in value.values() for u in urls_in(v)]
    if isinstance(value, list):
        return [u for v in value for u in urls_in(v)]
    return [value] if isinstance(value, str) and value.startswith(("http://", "https://")) else []


def forbidden_texts() -> list[str]:
    """The demo's non-public agenda items and non-public meetings (working groups meet
    internally), where their words are nowhere public; and this test's markers."""
    public_words, hidden = set(), set()
    for _days, kind, _group, title, _place, agenda in demo.MEETINGS:
        internal = not service.PUBLIC_BY_DEFAULT[kind]
        (hidden if internal else public_words).add(title)
        for entry in agenda:
            (hidden if internal or entry.startswith("!") else public_words).add(entry.lstrip("!"))
    assert {"Personalangelegenheit Geschäftsstelle", "Vertragsangelegenheiten"} <= hidden
    return sorted(hidden - public_words) + [SECRET, UNRELEASED]


def walk(base: str) -> dict[str, tuple[int, dict, bytes]]:
    """Every URL reachable from the entry, fetched once."""
    answers: dict[str, tuple[int, dict, bytes]] = {}
    todo = [base + ENTRY]
    while todo:
        url = todo.pop(0)
        if url in answers:
            continue
        answers[url] = answer = get(url)
        status, headers, body = answer
        if status == 200 and headers["content-type"].startswith("application/json"):
            # every address of this server (`type` and `oparlVersion` name the schema's)
            todo.extend(u for u in urls_in(json.loads(body)) if u.startswith(base + "/"))
    return answers


# --- the tests ------------------------------------------------------------------------------


def test_walk_validates_every_object_and_follows_every_url(site, walked):
    base, cases, _ = site
    assert [u for u, (status, _, _) in walked.items() if status != 200] == []
    seen: set[str] = set()
    pages = 0
    for url, (_status, headers, body) in walked.items():
        if not headers["content-type"].startswith("application/json"):
            continue
        assert headers.get("access-control-allow-origin") == "*", url
        payload = json.loads(body)
        if "data" in payload:
            validate_page(payload, url)
            pages += 1
            for obj in payload["data"]:
                validate(obj, seen=seen)
        else:
            validate(payload, seen=seen)
            assert payload["id"] == url, "every object answers under its own id"
    assert seen == {"System", "Body", "Organization", "Meeting", "AgendaItem", "File", "Location"}
    assert pages >= 11  # bodies, the body's ten lists, the organizations' meeting lists
    system = json.loads(walked[base + ENTRY][2])
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    body = json.loads(walked[system["body"]][2])["data"][0]
    for key in (
        "organization",
        "person",
        "meeting",
        "paper",
        "agendaItem",
        "file",
        "locationList",
        "legislativeTermList",
        "membership",
        "consultation",
    ):
        assert body[key] in walked, key  # every list the body names was fetched
    assert "ags" not in body and body["shortName"] == "Region Partheland"
    # files were fetched too, inline and as download
    kinds = {h["content-type"].split(";")[0] for _s, h, _b in walked.values()}
    assert {"application/pdf", "text/markdown", "application/json"} <= kinds


def test_nothing_non_public_anywhere(site, walked):
    base, cases, db_path = site
    words = forbidden_texts()
    for url, (_status, headers, body) in walked.items():
        if headers["content-type"].startswith("application/json"):
            text = json.dumps(json.loads(body), ensure_ascii=False)
        else:
            text = body.decode("utf-8", errors="replace")
        found = [w for w in words if w in unquote(url) + text]
        assert not found, (url, found)
    # what was kept out is really there for the office, and answers 404 to the public
    db = database.open_for(config.load("partheland"), db_path)
    try:
        everything = service.listing(db, COMMAND_LINE)
    finally:
        db.close()
    internal = [m for m in everything if not m.public]
    secret_items = [i for m in everything for i in m.items if not i.public]
    assert len(internal) >= 3 and len(secret_items) >= 3
    assert any(i.title == "Personalangelegenheit Geschäftsstelle" for i in secret_items)
    assert any(m.minutes_internal.startswith(SECRET) for m in everything)
    paths = [f"/meeting/{m.id}" for m in internal] + [f"/location/{m.id}" for m in internal]
    paths += [f"/agendaitem/{i.id}" for i in secret_items]
    paths += [
        f"/file/{cases['secret_document']}",
        f"/file/{cases['hidden_document']}",
        f"/file/{cases['secret_document']}/access",
        f"/file/{cases['hidden_document']}/download",
        f"/file/protokoll-{cases['held']}",
        f"/file/protokoll-{cases['held']}/download",
        f"/organization/working-group-{SECRET.lower()}-kreis",
    ]
    for path in paths:
        status, error = get_json(f"{base}/oparl/v1.1{path}")
        assert status == 404, path
        assert error["type"] == "https://schema.oparl.org/1.1/Error" and error["message"]
        assert not any(w in json.dumps(error, ensure_ascii=False) for w in words), path
    assert f"{base}/oparl/v1.1/meeting/{cases['released']}" in walked


def office_view(db_path: Path, meeting_id: int):
    db = database.open_for(config.load("partheland"), db_path)
    try:
        return service.get(db, COMMAND_LINE, meeting_id)
    finally:
        db.close()


def object_at(base: str, path: str) -> dict:
    status, payload = get_json(f"{base}/oparl/v1.1{path}")
    assert status == 200, (path, payload)
    return payload


def test_meetings_as_the_public_sees_them(site):
    base, cases, _ = site
    released = object_at(base, f"/meeting/{cases['released']}")
    assert released["name"] == "Allianzsitzung mit Anlagen"
    assert (released["meetingState"], released["cancelled"]) == ("durchgeführt", False)
    assert DATE_TIME.fullmatch(released["start"]) and released["start"][10:19] == "T10:00:00"
    assert released["organization"] == [f"{base}/oparl/v1.1/organization/steering-group"]
    assert released["location"]["geojson"]["geometry"]["coordinates"] == [12.5346, 51.3502]
    assert released["location"]["locality"] == "Borsdorf"
    [item] = released["agendaItem"]  # the non-public TOP 2 is left out
    assert (item["number"], item["order"], item["name"], item["public"]) == (
        "TOP 1",
        0,
        "Haushalt 2027",
        True,
    )
    assert item["result"] == "einstimmig beschlossen"
    assert item["resolutionText"] == "Der Haushalt 2027 wird beschlossen."
    assert [f["fileName"] for f in item["auxiliaryFile"]] == ["Vorlage Haushalt.pdf"]
    names = [f["fileName"] for f in released["auxiliaryFile"]]
    assert names[0] == "Einladung Ratssaal.pdf" and len(names) == 2
    protocol = released["resultsProtocol"]
    assert protocol["text"] == "Öffentliches Protokoll: Haushalt beschlossen."
    assert protocol["mimeType"] == "text/markdown"

    held = object_at(base, f"/meeting/{cases['held']}")
    assert held["meetingState"] == "eingeladen" and "resultsProtocol" not in held
    assert [set(i) & {"result", "resolutionText"} for i in held["agendaItem"]] == [set()]

    cancelled = object_at(base, f"/meeting/{cases['cancelled']}")
    assert (cancelled["cancelled"], cancelled["meetingState"]) == (True, "abgesagt")

    online = object_at(base, f"/meeting/{cases['online']}")
    assert online["meetingState"] == "terminiert"
    assert online["location"]["description"] == "Online"
    stored = [i.title for i in office_view(site[2], cases["online"]).items]
    assert len(stored) == len(HOSTILE_TITLES) and stored[0] == expected_stored(CORPUS[0])
    assert [i["name"] for i in online["agendaItem"]] == stored  # unchanged, nothing escaped
    assert [i["order"] for i in online["agendaItem"]] == list(range(len(HOSTILE_TITLES)))
    status, _headers, raw = get(f"{base}/oparl/v1.1/meeting/{cases['online']}")
    assert status == 200 and b"&lt;" not in raw and b"\\u003c" not in raw  # no HTML escaping


def test_embedded_objects_equal_their_own_answer(site):
    base, cases, _ = site
    meeting = object_at(base, f"/meeting/{cases['released']}")
    item = meeting["agendaItem"][0]
    alone = object_at(base, urlsplit(item["id"]).path.removeprefix("/oparl/v1.1"))
    assert alone.pop("meeting") == meeting["id"]  # the back reference only when alone
    assert alone == item
    for embedded in (*meeting["auxiliaryFile"], meeting["resultsProtocol"]):
        alone = object_at(base, urlsplit(embedded["id"]).path.removeprefix("/oparl/v1.1"))
        assert alone.pop("meeting") == [meeting["id"]]
        assert alone == embedded
    location = object_at(base, f"/location/{cases['released']}")
    assert location.pop("meetings") == [meeting["id"]]
    assert location == meeting["location"]


def test_files_are_served_inline_and_as_download(site):
    base, cases, _ = site
    meeting = object_at(base, f"/meeting/{cases['released']}")
    protocol = meeting["resultsProtocol"]
    status, headers, body = get(protocol["accessUrl"])
    assert status == 200 and headers["content-type"] == "text/markdown; charset=utf-8"
    assert body.decode() == protocol["text"] and len(body) == protocol["size"]
    assert headers["content-disposition"].startswith("inline;")
    status, headers, body = get(protocol["downloadUrl"])
    assert headers["content-disposition"].startswith("attachment;")
    assert f'filename="protokoll-S-{cases["released"]:04d}.md"' in headers["content-disposition"]
    invitation = meeting["auxiliaryFile"][0]
    status, headers, body = get(invitation["downloadUrl"])
    assert status == 200 and headers["content-type"] == "application/pdf"
    assert body == pdf("Einladung") and len(body) == invitation["size"]
    assert hashlib.sha1(body, usedforsecurity=False).hexdigest() == invitation["sha1Checksum"]
    assert "Ratssaal.pdf" in headers["content-disposition"]
    request = urllib.request.Request(  # noqa: S310 - loopback
        invitation["accessUrl"], headers={"If-None-Match": headers["etag"]}
    )
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(request, timeout=30)  # noqa: S310
    assert not_modified.value.code == 304
    # a file name full of markup and quotes cannot break the header
    hostile = next(
        f for f in meeting["auxiliaryFile"] if f["id"].endswith(f"/{cases['hostile_document']}")
    )
    status, headers, _ = get(hostile["downloadUrl"])
    disposition = headers["content-disposition"]
    assert status == 200 and disposition.startswith('attachment; filename="')
    assert disposition.count('"') == 2 and "<" not in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == hostile["fileName"]


def test_lists_page_and_filter(site):
    base, _cases, _ = site
    url = f"{base}/oparl/v1.1/body/partheland/meetings"
    status, whole = get_json(url)
    every = [m["id"] for m in whole["data"]]
    assert status == 200 and len(every) == whole["pagination"]["totalElements"] >= 12
    assert every == sorted(every, key=lambda u: int(u.rsplit("/", 1)[1]))  # stable: by id
    since = quote("2000-01-01T00:00:00+01:00")
    collected, next_url, pages = [], f"{url}?limit=4&modified_since={since}", 0
    while next_url:
        status, page = get_json(next_url)
        validate_page(page, next_url)
        assert page["pagination"]["elementsPerPage"] == 4 and len(page["data"]) <= 4
        collected += [m["id"] for m in page["data"]]
        for link in page["links"].values():
            query = parse_qs(urlsplit(link).query)
            assert query["modified_since"] == ["2000-01-01T00:00:00+01:00"], link
            assert query["limit"] == ["4"], link
        next_url, pages = page["links"].get("next"), pages + 1
    assert collected == every and pages == -(-len(every) // 4)

    later = quote((datetime.now(UTC) + timedelta(days=1)).astimezone(BERLIN).isoformat())
    for name in ("created_since", "modified_since"):
        status, page = get_json(f"{url}?{name}={later}")
        assert status == 200 and page["data"] == [] and page["pagination"]["totalElements"] == 0
    status, page = get_json(f"{url}?created_until={later}")
    assert [m["id"] for m in page["data"]] == every
    status, page = get_json(f"{url}?omit_internal=true")
    assert all("agendaItem" not in m and "auxiliaryFile" not in m for m in page["data"])
    for bad in ("created_since=gestern", "modified_until=2026-01-01", "limit=0", "page=abc"):
        status, error = get_json(f"{url}?{bad}")
        assert status == 400 and error["type"] == "https://schema.oparl.org/1.1/Error", bad
        assert re.search(r"[äöüß]|muss|braucht", error["message"]), error  # German
    for empty in ("people", "papers", "consultations", "memberships", "legislative-terms"):
        status, page = get_json(f"{base}/oparl/v1.1/body/partheland/{empty}")
        assert status == 200 and page["data"] == []


def test_unknown_addresses_answer_a_json_404(site):
    base, _cases, _ = site
    for path in (
        "/meeting/999999",
        "/meeting/abc",
        "/meeting/007",
        "/agendaitem/0",
        "/file/999999",
        "/file/protokoll-999999/access",
        "/location/999999",
        "/body/nirgendwo",
        "/body/partheland/beschluesse",
        "/organization/rat",
        "/organization/rat/meetings",
        "/gibt-es-nicht",
        "",
    ):
        status, error = get_json(f"{base}/oparl/v1.1{path}")
        assert status == 404, path
        assert error["type"] == "https://schema.oparl.org/1.1/Error", path
        assert "gibt es" in error["message"], error
