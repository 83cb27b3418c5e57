"""Address lookup in AppTest: the report page's search places a report at the house, the
Ortsteil fallback gets no duplicate offers, the staff page imports and tries the search."""

from datetime import UTC, datetime, timedelta

import pytest

from allianz import config
from allianz.addresses import service as addresses
from allianz.auth import Role
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from allianz.suggestions import store
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS

SUGGEST = "allianz/suggestions/pages/suggest.py"
INDEX = "allianz/addresses/pages/address_index.py"
FIRST_CATEGORY = config.load("partheland").categories[0].code


def _texts(at) -> str:
    kinds = ("markdown", "success", "info", "warning", "error", "caption")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def _open(run_page, page=SUGGEST, role=Role.CITIZEN):
    at = run_page("main.py", role)
    at.switch_page(page).run()
    return at


def _send(at):
    at.session_state["suggest_started_at"] = datetime.now(UTC) - timedelta(seconds=30)
    next(s for s in at.selectbox if s.label == "Kategorie").select(FIRST_CATEGORY)
    next(t for t in at.text_input if t.label == "Titel").input("Lampe defekt")
    next(t for t in at.text_area if t.label == "Beschreibung").input("Flackert seit Tagen.")
    next(b for b in at.button if b.label == "Hinweis senden").click().run()
    return at


@pytest.fixture
def index(db, alliance):
    addresses.load_demo(db, alliance, TEST_ACTOR)


def test_a_chosen_address_places_the_report_at_that_house(run_page, db, index):
    hit = addresses.search(db, "Zweenfurth Dorfstraße 3 ")[0]
    at = _open(run_page)
    next(t for t in at.text_input if t.label == "Adresse suchen").input(
        "zweenfurth dorfstr 3 "
    ).run()
    box = next(s for s in at.selectbox if s.label == "Passende Adressen")
    assert box.options[0] == hit.label and box.value is None  # nothing chosen by itself
    box.select(hit.id).run()
    chosen = [e.value.replace("\\", "") for e in at.success if "Gewählter Ort" in e.value]
    assert len(chosen) == 1 and f"Adresse: {hit.label}" in chosen[0]
    assert "ungefähr" not in chosen[0]
    _send(at)
    assert "Ihre Nummer: H-" in _texts(at)
    saved = store.search(db, store.Filters())[0]
    assert (saved.lat, saved.lon) == (round(hit.lat, 6), round(hit.lon, 6))
    assert saved.location_precise and saved.address_text == hit.label
    assert saved.municipality_ags == "14729060"


def test_an_ortsteil_report_is_placed_there_and_offered_no_duplicates(
    run_page, db, alliance, index
):
    panitzsch = next(p for p in addresses.localities(db, alliance) if p.ortsteil == "Panitzsch")
    earlier = suggestions.submit(
        db, alliance, municipalities.areas(db),
        suggestions.Submission(FIRST_CATEGORY, "Früher gemeldet", "Auch ungefähr", panitzsch.lat,
                               panitzsch.lon, "Ortsteil Panitzsch", location_precise=False),
    )  # fmt: skip
    at = _open(run_page)
    next(t for t in at.text_input if t.label == "Adresse suchen").input("Panitzsch Feldrand").run()
    assert "Keine passende Adresse" in _texts(at)
    next(b for b in at.button if b.label == "Beim Ortsteil einordnen").click().run()
    assert "ungefähr, Ortsangabe: Ortsteil Panitzsch: Panitzsch Feldrand" in _texts(at).replace(
        "\\", ""
    )
    _send(at)
    assert "schon Hinweise dieser Kategorie" not in _texts(at)
    assert "Ihre Nummer: H-" in _texts(at)
    new = [s for s in store.search(db, store.Filters()) if s.id != earlier.id]
    assert len(new) == 1 and not new[0].location_precise
    assert (new[0].lat, new[0].lon) == (earlier.lat, earlier.lon)  # the same Ortsteil point
    assert store.get(db, earlier.id).supports == 0


def test_without_a_choice_the_ortsteil_button_asks_for_one(run_page, index):
    at = _open(run_page)
    next(b for b in at.button if b.label == "Beim Ortsteil einordnen").click().run()
    assert any("Ortsteil wählen" in e.value for e in at.error)
    assert "Gewählter Ort" not in _texts(at)


CSV = (
    "Straße;Hausnummer;PLZ;Ort;Ortsteil;Breite;Länge\n"
    "Testweg;1;04451;Borsdorf;Panitzsch;{lat};{lon}\n"
    "Testweg;2;04451;Borsdorf;Panitzsch;{lat2};{lon}\n"
    "Anderswo;1;04821;Brandis;Brandis;{blat};{blon}\n"
)


def _csv(alliance) -> bytes:
    borsdorf, brandis = alliance.municipality("14729060"), alliance.municipality("14729070")
    return CSV.format(
        lat=borsdorf.seat_lat, lat2=borsdorf.seat_lat + 0.0003, lon=borsdorf.seat_lon,
        blat=brandis.seat_lat, blon=brandis.seat_lon,
    ).encode()  # fmt: skip


def test_staff_import_their_own_addresses_and_try_the_search(run_page, db, alliance, index):
    before = {r["Gemeinde"]: r["Adressen"] for r in addresses.overview(db, alliance)}
    at = _open(run_page, INDEX, Role.STAFF)  # staff of Borsdorf
    assert at.title[0].value == "Adressverzeichnis"
    at.file_uploader[0].upload("adressen.csv", _csv(alliance), "text/csv").run()
    next(b for b in at.button if b.label == "Übernehmen").click().run()
    # two addresses instead of the demo's hundreds: taken only once confirmed
    assert any("viel weniger Adressen" in w.value for w in at.warning), _texts(at)
    assert {r["Gemeinde"]: r["Adressen"] for r in addresses.overview(db, alliance)} == before
    at.checkbox(key=next(c.key for c in at.checkbox if c.key.startswith("shrink-"))).check().run()
    next(b for b in at.button if b.label == "Übernehmen").click().run()
    assert not at.exception
    assert any(
        "Adressverzeichnis übernommen: 2 Adressen (Borsdorf 2)" in s.value
        and "1 in einer anderen Gemeinde" in s.value
        for s in at.success
    ), _texts(at)
    table = at.dataframe[0].value
    counts = dict(zip(table["Gemeinde"], table["Adressen"], strict=True))
    assert counts["Borsdorf"] == "2" and counts["Stadt Brandis"] == str(before["Stadt Brandis"])
    next(t for t in at.text_input if t.label == "Adresse suchen").input("testweg 2").run()
    assert at.dataframe[1].value["Adresse"].tolist() == ["Testweg 2, 04451 Borsdorf OT Panitzsch"]
    next(t for t in at.text_input if t.label == "Adresse suchen").input("Zweenfurth 999x").run()
    assert "Keine passende Adresse" in _texts(at)


def test_a_bad_file_is_refused_on_the_page_and_changes_nothing(run_page, db, alliance, index):
    total = addresses.total(db)
    at = _open(run_page, INDEX, Role.MANAGER)
    at.file_uploader[0].upload("adressen.csv", b"Name;Ort\nA;B\n", "text/csv").run()
    next(b for b in at.button if b.label == "Übernehmen").click().run()
    assert any("keine Spalte für die Straße" in e.value for e in at.error)
    assert addresses.total(db) == total


def test_hostile_text_in_the_search_box_stays_text(run_page, index):
    at = _open(run_page)
    for text in CORPUS:
        next(t for t in at.text_input if t.label == "Adresse suchen").input(text[:200]).run()
        assert not at.exception, text
        assert not [s for s in at.selectbox if s.label == "Passende Adressen"], text
        box = next(s for s in at.selectbox if s.label == "Ohne genaue Adresse: Ortsteil")
        box.select("14729070:Beucha")  # committed with the form's button
        next(b for b in at.button if b.label == "Beim Ortsteil einordnen").click().run()
        pin = at.session_state["pin"]
        note = " ".join(text[:200].split())[:160]
        assert pin["address"] == f"Ortsteil Beucha: {note}" and not pin["precise"], text
        chosen = next(e for e in at.success if "Gewählter Ort" in e.value)
        assert note.replace("\\", "") in chosen.value.replace("\\", ""), text
