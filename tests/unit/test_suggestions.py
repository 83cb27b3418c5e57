import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from PIL import Image

from allianz import assets, audit, limits, mail, visitors
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import PermissionDenied
from allianz.municipalities import service as municipalities
from allianz.suggestions import service, store
from allianz.suggestions.model import Status
from tests.e2e.conftest import free_port
from tests.geo_helpers import point_near_border
from tests.smtp_server import LocalSmtp

NAUNHOF = (51.2778, 12.5883)
STAFF_NAUNHOF = User("s1", "Naunhof Verwaltung", Role.STAFF, "14729300", id=1)
STAFF_BORSDORF = User("s2", "Borsdorf Verwaltung", Role.STAFF, "14729060", id=2)
MANAGER = User("m", "Allianz", Role.MANAGER, id=3)
HOSTILE = '<img src=x onerror=alert(1)> `${x}` =HYPERLINK("http://evil")'


def jpeg(size=(40, 30), exif=True) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    extra = {}
    if exif:
        info = Image.Exif()
        info[0x010F] = "SecretCam"  # Make
        extra["exif"] = info.tobytes()
    image.save(out, format="JPEG", **extra)
    return out.getvalue()


def make(**kwargs) -> service.Submission:
    base = {
        "category": "lighting",
        "title": "Lampe defekt",
        "description": "Die Straßenlampe flackert.",
        "lat": NAUNHOF[0],
        "lon": NAUNHOF[1],
    }
    return service.Submission(**{**base, **kwargs})


@pytest.fixture
def areas(db):
    return municipalities.areas(db)


def test_submit_routes_to_municipality_and_gets_reference(db, alliance, areas):
    created = service.submit(db, alliance, areas, make())
    assert created.municipality_ags == "14729300"
    assert created.ref == f"H-{datetime.now(UTC).year}-00001"
    assert created.status is Status.NEW and created.supports == 0
    assert audit.recent(db)[0]["action"] == "suggestion.create"
    assert db.execute("SELECT count(*) FROM suggestion_contacts").fetchone()[0] == 0


def test_hostile_text_is_stored_as_typed(db, alliance, areas):
    created = service.submit(db, alliance, areas, make(title=HOSTILE[:100], description=HOSTILE))
    assert store.get(db, created.id).description == HOSTILE


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"category": "unknown"}, "Kategorie"),
        ({"category": ""}, "Kategorie"),
        ({"title": "ab"}, "Titel"),
        ({"title": "x" * 121}, "Titel"),
        ({"description": "   "}, "beschreiben"),
        ({"description": "x" * 2001}, "höchstens 2000"),
        ({"lat": "abc"}, "keine Zahl"),
        ({"lat": None}, "keine Zahl"),
        ({"lat": 95}, "außerhalb des gültigen"),
        ({"lon": float("nan")}, "außerhalb des gültigen"),
        ({"lat": 48.137, "lon": 11.575}, "außerhalb des Gebiets"),
        ({"email": "nope"}, "E-Mail-Adresse ist ungültig"),
        ({"email": "a@b.de"}, "Einwilligung"),
        ({"photo": b"GIF89a....."}, "JPEG oder PNG"),
        ({"photo": b"\xff\xd8\xff" + b"0" * 100}, "kein lesbares Foto"),
        ({"honeypot": "http://spam"}, "automatisiert"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(db, alliance, areas, kwargs, message):
    with pytest.raises(service.SubmissionError, match=message):
        service.submit(db, alliance, areas, make(**kwargs))
    assert db["suggestions"].count == 0


def test_minimum_fill_time(db, alliance, areas):
    now = datetime.now(UTC)
    with pytest.raises(service.SubmissionError, match="Moment Zeit"):
        service.submit(db, alliance, areas, make(started_at=now - timedelta(seconds=1)), now)
    service.submit(db, alliance, areas, make(started_at=now - timedelta(seconds=10)), now)
    assert db["suggestions"].count == 1


def test_web_form_limit_holds_for_the_visitor_across_sessions(db, alliance, areas):
    """5 per 15 minutes, kept in the database: a reload (a new session, the same cookie and
    address) or a new browser (same address) is refused; refused or invalid sends count not."""
    first = visitors.Visitor(address="198.51.100.7", cookie="c" * 32, session="tab-1")
    with pytest.raises(service.SubmissionError):
        service.submit(db, alliance, areas, make(title="x", visitor=first))
    for n in range(5):
        service.submit(db, alliance, areas, make(title=f"Lampe {n}", visitor=first))
    reloaded = visitors.Visitor(address="198.51.100.7", cookie="c" * 32, session="tab-2")
    other_browser = visitors.Visitor(address="198.51.100.7", cookie="d" * 32)
    for visitor in (reloaded, other_browser):
        with pytest.raises(limits.LimitReached, match=r"viele Hinweise.* ab \d\d:\d\d Uhr"):
            service.submit(db, alliance, areas, make(title="Noch eine", visitor=visitor))
    elsewhere = visitors.Visitor(address="203.0.113.9", cookie="e" * 32)
    service.submit(db, alliance, areas, make(title="Anderswo", visitor=elsewhere))
    assert db["suggestions"].count == 6
    service.submit(db, alliance, areas, make(title="Ohne Seite"))  # Open311, CLI: no visitor
    assert db["suggestions"].count == 7


def test_photo_is_reencoded_without_exif(db, alliance, areas):
    created = service.submit(db, alliance, areas, make(photo=jpeg()))
    stored = store.photo(db, created.id)
    assert created.has_photo and b"SecretCam" not in stored
    assert Image.open(io.BytesIO(stored)).getexif() == {}


def test_decompression_bomb_is_refused(db, alliance, areas):
    big = io.BytesIO()
    Image.new("1", (9000, 9000)).save(big, format="PNG")  # tiny file, 81 megapixels
    assert len(big.getvalue()) < 5 * 1024 * 1024
    with pytest.raises(service.SubmissionError, match="Bildpunkte|kein lesbares"):
        service.submit(db, alliance, areas, make(photo=big.getvalue()))


def test_oversized_photo_is_refused(db, alliance, areas):
    with pytest.raises(service.SubmissionError, match="5 MB"):
        service.submit(db, alliance, areas, make(photo=b"\xff\xd8\xff" + b"0" * (5 * 2**20)))


def test_pin_near_boundary_asks_for_municipality(db, alliance, areas):
    lat, lon = point_near_border(areas, "14729060", "14729070", 20)
    with pytest.raises(service.NeedsMunicipalityChoice) as info:
        service.submit(db, alliance, areas, make(lat=lat, lon=lon))
    assert {o.ags for o in info.value.options} == {"14729060", "14729070"}
    created = service.submit(db, alliance, areas, make(lat=lat, lon=lon, chosen_ags="14729070"))
    assert created.municipality_ags == "14729070"
    far_lat, far_lon = point_near_border(areas, "14729060", "14729070", 300)
    assert (
        service.submit(db, alliance, areas, make(lat=far_lat, lon=far_lon)).municipality_ags
        == "14729060"
    )


def test_duplicates_within_50m_and_support(db, alliance, areas):
    first = service.submit(db, alliance, areas, make())
    service.submit(db, alliance, areas, make(category="waste"))
    near = service.nearby_duplicates(db, "lighting", NAUNHOF[0] + 0.0002, NAUNHOF[1])  # ~22 m
    assert [s.id for s in near] == [first.id]
    assert service.nearby_duplicates(db, "lighting", NAUNHOF[0] + 0.0006, NAUNHOF[1]) == []  # ~67 m
    assert service.support(db, first.id).supports == 1
    assert [e["action"] for e in audit.recent(db)][0] == "suggestion.support"


def test_a_visitor_supports_a_suggestion_once_a_day(db, alliance, areas):
    first = service.submit(db, alliance, areas, make())
    second = service.submit(db, alliance, areas, make(category="waste"))
    browser = visitors.Visitor(address="198.51.100.7", cookie="c" * 32)
    assert service.support(db, first.id, browser).supports == 1
    new_context = visitors.Visitor(address="198.51.100.7", cookie="d" * 32)
    with pytest.raises(limits.LimitReached, match="schon unterstützt.* Uhr"):
        service.support(db, first.id, new_context)
    assert service.support(db, second.id, new_context).supports == 1  # another suggestion
    neighbour = visitors.Visitor(address="203.0.113.9", cookie="e" * 32)
    assert service.support(db, first.id, neighbour).supports == 2
    assert store.get(db, first.id).supports == 2


def test_status_workflow_with_public_answer_and_mail(db, alliance, areas):
    created = service.submit(
        db, alliance, areas, make(email="buerger@example.org", email_consent=True)
    )
    with pytest.raises(PermissionDenied, match="nicht zu Ihrer Gemeinde"):
        service.set_status(db, alliance, STAFF_BORSDORF, created.id, "in_review", "Wir prüfen.")
    with pytest.raises(service.WorkflowError, match="öffentliche Antwort"):
        service.set_status(db, alliance, STAFF_NAUNHOF, created.id, "in_review", " ")
    updated = service.set_status(
        db, alliance, STAFF_NAUNHOF, created.id, "in_review", "Wir prüfen das."
    )
    assert updated.status is Status.IN_REVIEW and updated.first_answer_at
    done = service.set_status(db, alliance, MANAGER, created.id, "done", "Lampe ersetzt.")
    assert done.public_answer == "Lampe ersetzt."
    with pytest.raises(service.WorkflowError, match="geht es nicht"):
        service.set_status(db, alliance, MANAGER, created.id, "planned", "zurück?")
    assert mail.pending_count(db) == 2
    port = free_port()
    with LocalSmtp(port) as smtp:
        sent = mail.deliver_pending(db, mail.SmtpSettings("127.0.0.1", port, "allianz@example.org"))
        assert sent == 2
        assert smtp.messages[1]["To"] == "buerger@example.org"
        assert "erledigt" in smtp.messages[1]["Subject"]
        assert "Lampe ersetzt." in smtp.messages[1].get_payload(decode=True).decode()
    assert mail.pending_count(db) == 0


def test_mail_failure_keeps_message_queued(db, alliance, areas):
    created = service.submit(db, alliance, areas, make(email="x@example.org", email_consent=True))
    service.set_status(db, alliance, STAFF_NAUNHOF, created.id, "planned", "Ist geplant.")
    dead = mail.SmtpSettings("127.0.0.1", free_port(), "a@example.org")
    assert mail.deliver_pending(db, dead) == 0
    row = db.execute("SELECT attempts, last_error, sent_at FROM mail_outbox").fetchone()
    assert row[0] == 1 and row[1] and row[2] is None


def test_reassign_merge_hide(db, alliance, areas):
    a = service.submit(db, alliance, areas, make())
    b = service.submit(db, alliance, areas, make(title="Lampe aus"))
    service.support(db, b.id)
    service.support(db, b.id)
    merged = service.merge(db, alliance, STAFF_NAUNHOF, b.id, a.id)
    assert merged.supports == 3  # two supporters of b plus b's reporter
    assert store.get(db, b.id).merged_into == a.id
    assert [s.id for s in store.search(db, store.Filters())] == [a.id]
    with pytest.raises(service.WorkflowError, match="Grund"):
        service.reassign(db, alliance, STAFF_NAUNHOF, a.id, "14729070", "")
    moved = service.reassign(db, alliance, STAFF_NAUNHOF, a.id, "14729070", "Straße gehört Brandis")
    assert moved.municipality_ags == "14729070"
    with pytest.raises(PermissionDenied, match="nicht zu Ihrer Gemeinde"):
        service.hide(db, STAFF_NAUNHOF, a.id, "Beleidigung")
    with pytest.raises(service.WorkflowError, match="Grund"):
        service.hide(db, MANAGER, a.id, "")
    service.hide(db, MANAGER, a.id, "Beleidigung")
    assert store.search(db, store.Filters()) == []
    actions = [e["action"] for e in audit.recent(db)]
    for action in (
        "suggestion.merge",
        "suggestion.reassign",
        "suggestion.received",
        "suggestion.hide",
    ):
        assert action in actions
    brandis_log = audit.recent(db, municipality_ags="14729070")
    assert brandis_log[0]["action"] in ("suggestion.hide", "suggestion.received")


def test_review_queue_is_scoped(db, alliance, areas):
    service.submit(db, alliance, areas, make())
    borsdorf = alliance.municipality("14729060")
    service.submit(db, alliance, areas, make(lat=borsdorf.seat_lat, lon=borsdorf.seat_lon))
    assert {
        s.municipality_ags for s in service.review_queue(db, STAFF_NAUNHOF, store.Filters())
    } == {"14729300"}
    assert len(service.review_queue(db, MANAGER, store.Filters())) == 2
    mayor = User("bm", "BM", Role.MAYOR, "14729300")
    assert service.review_queue(db, mayor, store.Filters()) == []


def test_filters(db, alliance, areas):
    service.submit(db, alliance, areas, make())
    service.submit(db, alliance, areas, make(category="waste"))
    assert len(store.search(db, store.Filters(categories=("waste",)))) == 1
    assert len(store.search(db, store.Filters(statuses=(Status.DONE,)))) == 0
    today = datetime.now(UTC).date().isoformat()
    assert len(store.search(db, store.Filters(since=today, until=today))) == 2
    assert len(store.search(db, store.Filters(until="2000-01-01"))) == 0
    assert len(store.search(db, store.Filters(municipality_ags=("14729060",)))) == 0


def test_exports_neutralise_formulas_and_contain_no_email(db, alliance, areas):
    service.submit(
        db,
        alliance,
        areas,
        make(
            title="=SUM(A1:A9)", description=HOSTILE, email="geheim@example.org", email_consent=True
        ),
    )
    items = store.search(db, store.Filters())
    text = service.export_csv(items, alliance)
    assert "geheim@example.org" not in text
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["Titel"] == "'=SUM(A1:A9)"
    assert rows[0]["Beschreibung"] == HOSTILE  # starts with '<': left as typed
    assert rows[0]["Gemeinde"] == "Stadt Naunhof"
    geojson = json.loads(service.export_geojson(items, alliance))
    assert geojson["features"][0]["geometry"]["coordinates"] == [NAUNHOF[1], NAUNHOF[0]]
    assert "geheim" not in json.dumps(geojson)


def test_overview_layer_is_kept_until_a_suggestion_changes(db, alliance, areas):
    from allianz.suggestions import overview_map

    first = service.submit(db, alliance, areas, make())
    filters = store.Filters()
    layer = overview_map.current(db, filters, alliance)
    assert layer.count == 1 == store.count(db, filters)
    assert overview_map.current(db, filters, alliance) is layer
    service.set_status(db, alliance, MANAGER, first.id, "in_review", "Wir prüfen das.")
    changed = overview_map.current(db, filters, alliance)
    assert changed is not layer and list(changed.points["status"]) == ["in Prüfung"]
    service.submit(db, alliance, areas, make(title="Zweite Lampe", lat=NAUNHOF[0] + 0.01))
    assert overview_map.current(db, filters, alliance).count == 2
    only_done = store.Filters(statuses=(Status.DONE,))
    assert overview_map.current(db, only_done, alliance).count == 0


def test_overview_above_the_threshold_sends_numbers_only(alliance):
    from allianz import maps
    from allianz.suggestions import overview_map

    count = overview_map.DETAILED_UP_TO + 1
    rows = [
        (51.3 + i / 1e5, 12.6, f"H-2026-{i:05d}", "done" if i % 2 else "new", HOSTILE, "lighting")
        for i in range(count)
    ]
    layer = overview_map.prepare(rows, alliance, "suggestions_test")
    assert layer.count == count and layer.points is None
    decoded = json.loads(layer.cluster_rows)
    order = list(Status)
    assert decoded[1] == [51.30001, 12.6, "H-2026-00001", order.index(Status.DONE)]
    fmap = maps.base_map(alliance)
    overview_map.add(fmap, layer)
    page = fmap.get_root().render()
    url = re.search(r"/app/static/data/suggestions_test\.\w+\.json", page).group(0)
    published = (assets.STATIC_DIR / url.removeprefix("/app/static/")).read_text()
    assert json.loads(published) == decoded  # the rows travel as a file, not in the page
    # fetched before Leaflet loads: the map's first script is an inline fetch of that file
    _, first = fmap.default_js[0]
    assert first.startswith("data:text/javascript,") and url in unquote(first)
    assert fmap.default_js[1:] == maps.base_map(alliance).default_js
    assert "window.allianzRows" in page
    assert "H-2026-01500" not in page and "onerror" not in page and "HYPERLINK" not in page


def test_hiding_takes_the_suggestion_off_every_served_map_file(
    db, alliance, areas, tmp_path, monkeypatch
):
    from allianz import assets
    from allianz.suggestions import overview_map

    monkeypatch.setattr(assets, "STATIC_DIR", tmp_path)
    monkeypatch.setattr(overview_map, "DETAILED_UP_TO", 0)  # the cluster layer from 1 point
    shown = service.submit(db, alliance, areas, make())
    layer = overview_map.current(db, store.Filters(), alliance)
    served = tmp_path / "data"
    [file] = [f for f in served.glob("*.json") if shown.ref in f.read_text()]
    assert layer.published_as == service.public_layer(db)
    service.hide(db, MANAGER, shown.id, "Beleidigung")
    assert not file.exists() and list(served.glob("*.json")) == []


def test_a_support_leaves_the_map_version_but_a_status_change_moves_it(db, alliance, areas):
    first = service.submit(db, alliance, areas, make())
    before, map_before = store.version(db), store.map_version(db)
    service.support(db, first.id)
    assert store.version(db) != before  # counts and lists show supports
    assert store.map_version(db) == map_before  # the map does not: its layer is kept
    manager = User("m", "Leitung", Role.MANAGER)
    service.set_status(db, alliance, manager, first.id, "in_review", "Wir prüfen.")
    after_status = store.map_version(db)
    assert after_status != map_before
    service.submit(db, alliance, areas, make(category="waste"))
    assert store.map_version(db) != after_status  # a new suggestion is a new point


def test_only_open_shown_unmerged_suggestions_can_be_supported(db, alliance, areas):
    kept = service.submit(db, alliance, areas, make())
    done = service.submit(db, alliance, areas, make(category="waste"))
    hidden = service.submit(db, alliance, areas, make(category="waste", lat=NAUNHOF[0] + 0.01))
    db["suggestions"].update(done.id, {"status": "done"})
    db["suggestions"].update(hidden.id, {"hidden": 1})
    assert store.supportable_refs(db) == [kept.ref]
