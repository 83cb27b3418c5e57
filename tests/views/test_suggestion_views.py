"""Bürgermelder views in AppTest: report, duplicates, boundary choice, public pages, review."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from allianz import config, limits, maps, web_session
from allianz.addresses import service as addresses
from allianz.auth import Role
from allianz.municipalities import service as municipalities
from allianz.suggestions import service, store
from allianz.suggestions.model import Status
from allianz.visitors import Visitor
from tests.conftest import TEST_ACTOR
from tests.geo_helpers import point_near_border
from tests.views.conftest import folium_maps

NAUNHOF = "51.2778, 12.5883"


def _texts(at) -> str:
    kinds = ("markdown", "success", "info", "warning", "error", "caption")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def _open(run_page, role=Role.CITIZEN, page="allianz/suggestions/pages/suggest.py"):
    at = run_page("main.py", role)
    at.switch_page(page).run()
    return at


def _pin(at, coords: str):
    field = next(t for t in at.text_input if t.label == "Koordinaten (Breite, Länge)")
    field.input(coords)
    next(b for b in at.button if b.label == "Ort übernehmen").click().run()
    return at


FIRST_CATEGORY = config.load("partheland").categories[0].code


def _fill_and_send(at, title="Lampe defekt", description="Flackert seit Tagen."):
    at.session_state["suggest_started_at"] = datetime.now(UTC) - timedelta(seconds=30)
    next(s for s in at.selectbox if s.label == "Kategorie").select(FIRST_CATEGORY)
    next(t for t in at.text_input if t.label == "Titel").input(title)
    next(t for t in at.text_area if t.label == "Beschreibung").input(description)
    next(b for b in at.button if b.label == "Hinweis senden").click().run()
    return at


def test_report_by_coordinates(run_page, db):
    at = _pin(_open(run_page), NAUNHOF)
    assert "Gewählter Ort: 51" in _texts(at).replace("\\", "") and "Stadt Naunhof" in _texts(at)
    _fill_and_send(at)
    assert "Ihre Nummer: H-" in _texts(at)
    saved = store.search(db, store.Filters())
    assert len(saved) == 1 and saved[0].municipality_ags == "14729300"
    link = next(p for p in at.get("page_link") if "ansehen" in p.proto.label)
    assert link.proto.query_string == f"ref={saved[0].ref}"


def test_report_by_map_click(run_page, db, monkeypatch):
    monkeypatch.setattr(
        maps, "st_folium", lambda *a, **k: {"last_clicked": {"lat": 51.3347, "lng": 12.6089}}
    )
    at = _open(run_page)
    assert "Stadt Brandis" in _texts(at)
    _fill_and_send(at)
    assert store.search(db, store.Filters())[0].municipality_ags == "14729070"


def test_report_by_ortsteil_without_an_address(run_page, db, alliance):
    """No address matches: the report goes to the Ortsteil's point (not the seat), approximate,
    with the typed text for the staff."""
    addresses.load_demo(db, alliance, TEST_ACTOR)
    at = _open(run_page)
    search = next(t for t in at.text_input if t.label == "Adresse suchen")
    search.input("Beucha, hinter der Kirche").run()
    assert "Keine passende Adresse" in _texts(at)
    box = next(s for s in at.selectbox if s.label == "Ohne genaue Adresse: Ortsteil")
    assert box.value == "14729070:Beucha"  # the Ortsteil named in the text is preselected
    next(b for b in at.button if b.label == "Beim Ortsteil einordnen").click().run()
    assert "ungefähr" in _texts(at)
    _fill_and_send(at)
    saved = store.search(db, store.Filters())[0]
    beucha = next(p for p in addresses.localities(db, alliance) if p.ortsteil == "Beucha")
    seat = alliance.municipality("14729070")
    assert not saved.location_precise and saved.municipality_ags == "14729070"
    assert (saved.lat, saved.lon) == (round(beucha.lat, 6), round(beucha.lon, 6))
    assert (saved.lat, saved.lon) != (seat.seat_lat, seat.seat_lon)
    assert saved.address_text == "Ortsteil Beucha: Beucha, hinter der Kirche"


def test_refusals_are_clear_and_store_nothing(run_page, db):
    at = _fill_and_send(_open(run_page))
    assert any("zuerst den Ort" in e.value for e in at.error)
    at = _pin(at, "48.137, 11.575")
    assert "außerhalb der Allianz" in _texts(at)
    _fill_and_send(at)
    assert any("außerhalb des Gebiets" in e.value for e in at.error)
    at = _pin(at, "abc")
    assert any("Zahlen" in e.value for e in at.error)
    at = _pin(at, NAUNHOF)
    _fill_and_send(at, title="x")
    assert any("Titel" in e.value for e in at.error)
    assert db["suggestions"].count == 0


def test_too_fast_and_flood(run_page, db, monkeypatch):
    visitor = Visitor(address="198.51.100.7", cookie="c" * 32)
    monkeypatch.setattr(web_session, "visitor", lambda: visitor)
    at = _pin(_open(run_page), NAUNHOF)
    next(s for s in at.selectbox if s.label == "Kategorie").select(FIRST_CATEGORY)
    next(t for t in at.text_input if t.label == "Titel").input("Schnell")
    next(t for t in at.text_area if t.label == "Beschreibung").input("Bot?")
    next(b for b in at.button if b.label == "Hinweis senden").click().run()
    assert any("Moment Zeit" in e.value for e in at.error)
    for _ in range(service.SUBMIT_LIMIT.count):  # five sent before, in another session
        limits.admit(db, service.SUBMIT_LIMIT, visitor.identities())
    _fill_and_send(at)
    assert any(re.search(r"viele Hinweise.* ab \d\d:\d\d Uhr", e.value) for e in at.error)
    assert db["suggestions"].count == 0


def test_duplicate_offers_support_instead(run_page, db, alliance):
    areas = municipalities.areas(db)
    existing = service.submit(
        db, alliance, areas, service.Submission("lighting", "Lampe aus", "Dunkel", 51.2778, 12.5883)
    )
    at = _fill_and_send(_pin(_open(run_page), "51.27785, 12.5883"))
    assert "schon Hinweise dieser Kategorie" in _texts(at)
    next(b for b in at.button if b.label == "Unterstützen (+1)").click().run()
    assert f"Unterstützung von Hinweis {existing.ref}" in _texts(at)
    assert store.get(db, existing.id).supports == 1
    assert db["suggestions"].count == 1


def test_duplicate_can_still_be_filed(run_page, db, alliance):
    areas = municipalities.areas(db)
    service.submit(
        db, alliance, areas, service.Submission("lighting", "Lampe aus", "Dunkel", 51.2778, 12.5883)
    )
    at = _fill_and_send(_pin(_open(run_page), "51.27785, 12.5883"))
    next(b for b in at.button if b.label == "Trotzdem als neuen Hinweis senden").click().run()
    assert "Ihre Nummer" in _texts(at)
    assert db["suggestions"].count == 2


def test_boundary_choice(run_page, db):
    lat, lon = point_near_border(municipalities.areas(db), "14729060", "14729070", 20)
    at = _fill_and_send(_pin(_open(run_page), f"{lat}, {lon}"))
    assert at.radio[0].options == ["Borsdorf", "Stadt Brandis"]
    at.radio[0].set_value("14729070")
    next(b for b in at.button if b.label.startswith("Gemeinde bestätigen")).click().run()
    assert store.search(db, store.Filters())[0].municipality_ags == "14729070"


@pytest.fixture
def two(db, alliance):
    areas = municipalities.areas(db)
    a = service.submit(
        db,
        alliance,
        areas,
        service.Submission(
            "lighting",
            "<script>alert(1)</script>",
            "**fett** [link](javascript:alert(1))",
            51.2778,
            12.5883,
            email="geheim@example.org",
            email_consent=True,
        ),
    )
    b = service.submit(
        db,
        alliance,
        areas,
        service.Submission("waste", "Müll am Weg", "Sperrmüll", 51.3469, 12.5383),
    )
    return a, b


def _listed(at) -> list[str]:
    return [p.proto.label.replace("\\", "") for p in at.get("page_link")]


def test_public_overview_lists_and_maps_same_items(run_page, two):
    at = _open(run_page, page="allianz/suggestions/pages/suggestions.py")
    args = folium_maps(at)[0].proto.json_args
    assert "ll am Weg" in args  # ü is JSON-escaped inside the map script
    assert "<script>alert(1)</script>" not in args and "geheim@example.org" not in args
    assert not any(two[0].ref in label for label in _listed(at))  # list built when opened
    at.session_state["suggestions-tab"] = "Liste"
    at.run()
    assert not folium_maps(at)
    links = _listed(at)
    assert any(two[0].ref in label for label in links)
    assert any(two[1].ref in label for label in links)
    at.multiselect[1].select("waste").run()
    links = [p.proto.label.replace("\\", "") for p in at.get("page_link")]
    assert not any(two[0].ref in label for label in links)
    assert "1 Hinweise" in _texts(at)


def test_public_detail_shows_text_as_typed_and_supports(run_page, two, db):
    at = run_page("main.py")
    at.query_params["ref"] = two[0].ref
    at.switch_page("allianz/suggestions/pages/suggestions.py").run()
    assert at.title[0].value == f"Hinweis {two[0].ref}"
    text = _texts(at)
    assert "geheim@example.org" not in text
    assert r"\*\*fett\*\*" in text  # markdown escaped: shown literally
    next(b for b in at.button if "unterstützen" in b.label).click().run()
    assert store.get(db, two[0].id).supports == 1
    assert not any("unterstützen" in b.label for b in at.button)  # once per session


def test_unknown_reference(run_page):
    at = run_page("main.py")
    at.query_params["ref"] = "H-1999-99999"
    at.switch_page("allianz/suggestions/pages/suggestions.py").run()
    assert any("gibt es nicht" in e.value for e in at.error)


def test_review_is_scoped_and_answers(run_page, two, db):
    at = _open(run_page, Role.STAFF, "allianz/suggestions/pages/review.py")  # staff of Borsdorf
    queue = at.dataframe[0].value
    assert list(queue["Nummer"]) == [two[1].ref]
    next(t for t in at.text_area if t.label == "Öffentliche Antwort").input("Wird abgeholt.")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert any("gespeichert" in s.value for s in at.success)
    updated = store.get(db, two[1].id)
    assert updated.status is Status.NEW and updated.public_answer == "Wird abgeholt."
    csv_button = next(b for b in at.get("download_button") if "CSV" in b.proto.label)
    assert csv_button is not None


def test_manager_sees_all_and_hides(run_page, two, db):
    at = _open(run_page, Role.MANAGER, "allianz/suggestions/pages/review.py")
    assert len(at.dataframe[0].value) == 2
    next(s for s in at.selectbox if s.label == "Hinweis bearbeiten").select(two[0].id).run()
    next(t for t in at.text_input if t.label.startswith("Grund (intern")).input("Beleidigung")
    next(b for b in at.button if b.label == "Ausblenden").click().run()
    assert store.get(db, two[0].id).hidden


def test_category_is_chosen_not_preselected_and_the_form_clears_after_sending(run_page, db):
    at = _pin(_open(run_page), NAUNHOF)
    category = next(s for s in at.selectbox if s.label == "Kategorie")
    assert category.value is None
    at.session_state["suggest_started_at"] = datetime.now(UTC) - timedelta(seconds=30)
    next(t for t in at.text_input if t.label == "Titel").input("Lampe defekt")
    next(t for t in at.text_area if t.label == "Beschreibung").input("Flackert seit Tagen.")
    next(b for b in at.button if b.label == "Hinweis senden").click().run()
    assert "Bitte eine Kategorie wählen." in _texts(at)
    assert next(t for t in at.text_input if t.label == "Titel").value == "Lampe defekt"  # kept
    assert store.count(db, store.Filters()) == 0
    _pin(at, NAUNHOF)
    _fill_and_send(at)
    assert "Ihre Nummer: H-" in _texts(at)
    assert next(t for t in at.text_input if t.label == "Titel").value == ""  # cleared
