"""Stadtplan & Ansprechpartner in AppTest: layers switched by checkbox, the list per layer,
the search for "Bauhof Naunhof" and for a responsibility, a place by deep link with its
opening hours and the town hall's contacts with vCards, the staff's form with a German
error for unreadable opening hours, hostile text shown as text."""

import re

import pytest

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.places import demo, service
from allianz.places.model import CATEGORIES, PlaceDraft
from allianz.ui import plain
from tests.hostile import CORPUS
from tests.views.conftest import folium_maps, open_page

PAGE = "allianz/places/pages/places.py"
OFFICE = "allianz/places/pages/places_office.py"
BORSDORF = "14729060"
NAUNHOF = "14729300"


@pytest.fixture
def places(db, alliance, users):
    demo.load(db, alliance, None)
    return service.places(db)


def _texts(at) -> str:
    shown = [e.value for kind in ("markdown", "caption", "info", "success", "error", "warning",
                                  "title", "subheader")
             for e in getattr(at, kind)]  # fmt: skip
    return re.sub(r"\\(.)", r"\1", " ".join(str(s) for s in shown))


def _links(at) -> list:
    return [link.proto for link in at.get("page_link")]


def test_layers_are_switched_with_checkboxes(run_page, places, alliance):
    at = open_page(run_page, Role.CITIZEN, PAGE)
    total = len(alliance.municipalities) * len(demo.PLACES)
    assert f"{total} Orte in 16 Ebenen" in _texts(at)
    assert len(folium_maps(at)) == 1
    assert sorted(c.label for c in at.checkbox) == sorted(CATEGORIES.values())
    at.checkbox(key="layer-bauhof").uncheck().run()
    at.checkbox(key="layer-schule").uncheck().run()
    assert not at.exception, at.exception
    assert f"{total - 2 * len(alliance.municipalities)} Orte in 14 Ebenen" in _texts(at)
    assert "Bauhof Naunhof" not in folium_maps(at)[0].proto.json_args


def test_the_list_shows_every_layer_as_a_table(run_page, places):
    at = open_page(run_page, Role.CITIZEN, PAGE)
    at.checkbox(key="layer-bauhof").uncheck()
    at.session_state["places-tab"] = "Liste"
    at.run()
    assert not at.exception, at.exception
    assert not folium_maps(at)
    headings = [h.value for h in at.subheader]
    assert "Rathaus & Bürgerbüro (7)" in headings and not any("Bauhof" in h for h in headings)
    frames = at.dataframe
    assert len(frames) == len(CATEGORIES) - 1
    assert "Rathaus Naunhof" in set(frames[0].value["Name"])
    assert {"Name", "Gemeinde", "Adresse", "Jetzt", "Öffnungszeiten", "Rollstuhl"} == set(
        frames[0].value.columns
    )


def test_search_finds_the_bauhof_and_who_is_responsible(run_page, places):
    at = open_page(run_page, Role.CITIZEN, PAGE)
    at.text_input(key="places-search").input("Bauhof Naunhof").run()
    assert not at.exception, at.exception
    bauhof = next(p for p in places if p.name == "Bauhof Naunhof")
    assert any(link.query_string == f"ort={bauhof.id}" for link in _links(at))
    at.text_input(key="places-search").input("Wer ist zuständig für Hundesteuer?").run()
    assert "Ordnungsamt" in _texts(at) and "Hundesteuer" in _texts(at)
    assert len(at.get("download_button")) == len(places) // len(demo.PLACES)


def test_a_place_by_deep_link_with_hours_and_contacts(run_page, places):
    hall = next(p for p in places if p.name == "Rathaus Naunhof")
    at = open_page(run_page, Role.CITIZEN, PAGE, ort=str(hall.id))
    text = _texts(at)
    assert "Rathaus Naunhof" in text and "Rathaus & Bürgerbüro · Stadt Naunhof" in text
    assert "Öffnungszeiten der nächsten sieben Tage" in text
    assert "Ansprechpartner" in text and "Bürgerbüro" in text
    buttons = at.get("download_button")
    assert len(buttons) == 5  # four function addresses and one person with consent
    assert at.query_params["ort"] == [str(hall.id)] or at.query_params["ort"] == str(hall.id)


def test_an_unknown_place_is_a_german_message(run_page, places):
    at = open_page(run_page, Role.CITIZEN, PAGE, ort="999999")
    assert "Einen Ort mit der Nummer 999999 gibt es nicht." in _texts(at)


def test_staff_add_a_place_and_get_a_german_error_for_bad_hours(run_page, db, alliance, users):
    at = open_page(run_page, Role.STAFF, OFFICE)
    seat = alliance.municipality(BORSDORF)
    at.selectbox[1].select("bauhof")  # [0]: the member filter of the list
    fields = {w.label: w for w in at.text_input}
    fields["Name"].input("Bauhof Borsdorf")
    fields["Breite (WGS84)"].input(str(seat.seat_lat))
    fields["Länge (WGS84)"].input(str(seat.seat_lon))
    fields["Öffnungszeiten (OpenStreetMap-Format)"].input("werktags morgens")
    at = _submit(at, "Ort speichern")
    assert "nicht im OpenStreetMap-Format lesbar" in _texts(at)
    assert service.places(db) == []
    fields = {w.label: w for w in at.text_input}
    fields["Öffnungszeiten (OpenStreetMap-Format)"].input("Mo-Fr 07:00-15:00; PH off")
    at = _submit(at, "Ort speichern")
    assert not at.exception, at.exception
    assert "„Bauhof Borsdorf“ ist gespeichert." in _texts(at)
    [made] = service.places(db)
    assert (
        made.municipality_ags == BORSDORF and made.opening_hours == "Mo-Fr 07:00-15:00; PH closed"
    )


def _submit(at, label: str):
    return next(b for b in at.button if b.label == label).click().run()


@pytest.mark.parametrize("text", CORPUS[:6])
def test_hostile_names_are_shown_as_text(run_page, db, alliance, users, text):
    seat = alliance.municipality(NAUNHOF)
    made = service.save_place(
        db, alliance, User("m", "M", Role.MANAGER),
        PlaceDraft(None, "kultur", text, seat.seat_lat, seat.seat_lon, note=text),
    )  # fmt: skip
    at = open_page(run_page, Role.CITIZEN, PAGE, ort=str(made.id))
    assert not at.exception, at.exception
    assert at.title[0].value == plain(text)


EMBED = "allianz/places/pages/places_embed.py"


def test_the_embedded_map_shows_only_its_member_and_layers(run_page, places):
    at = open_page(run_page, Role.CITIZEN, EMBED, gemeinde=NAUNHOF, ebenen="rathaus,bauhof")
    assert [c.label for c in at.checkbox] == ["Rathaus & Bürgerbüro", "Bauhof"]
    assert "2 Orte" in _texts(at)
    args = folium_maps(at)[0].proto.json_args
    assert "Bauhof Naunhof" in args and "Rathaus Naunhof" in args
    assert "Bauhof Borsdorf" not in args and "Rathaus Brandis" not in args
    assert "Spielplatz" not in args
    at.checkbox[1].uncheck().run()
    assert re.search(r"\b1 Ort\b", _texts(at))


def test_without_a_member_the_page_explains_the_embedding(run_page, places):
    at = open_page(run_page, Role.CITIZEN, EMBED)
    assert "Stadtplan zum Einbetten" in _texts(at)
    at.selectbox[0].select(NAUNHOF).run()
    assert "places_embed?gemeinde=14729300" in at.code[0].value
    assert "noch keine Webseite" in _texts(at)


def test_start_page_leads_to_the_city_map(run_page, places):
    at = run_page("main.py")
    labels = [link.proto.label for link in at.get("page_link")]
    assert any("Orte aller Gemeinden auf einer Karte" in label for label in labels)
    assert any("Wer ist zuständig?" in label for label in labels)


def test_hostile_names_reach_the_map_escaped(run_page, db, alliance, users):
    seat = alliance.municipality(NAUNHOF)
    for text in CORPUS[:5]:
        service.save_place(
            db, alliance, User("m", "M", Role.MANAGER),
            PlaceDraft(None, "kultur", text, seat.seat_lat, seat.seat_lon),
        )  # fmt: skip
    at = open_page(run_page, Role.CITIZEN, PAGE)
    args = folium_maps(at)[0].proto.json_args
    assert "&lt;script&gt;" in args or "\\u0026lt;script" in args
    for raw in ("<script>window", "<img src=x", "<svg/onload", "`${window"):
        assert raw not in args


def test_staff_import_a_csv_twice_and_see_the_refused_lines(run_page, db, alliance, users):
    seat = alliance.municipality(BORSDORF)
    data = (
        "id;name;kategorie;lat;lon\n"
        f"s1;Spielplatz am Anger;spielplatz;{seat.seat_lat};{seat.seat_lon}\n"
        "s2;Irgendwo;parken;52.52;13.40\n"
    ).encode()
    at = open_page(run_page, Role.STAFF, OFFICE)
    at.session_state["places-office-tab"] = "Einlesen & Ausgeben"
    at.run()
    for round_ in range(2):
        at.file_uploader[0].upload("orte.csv", data, "text/csv").run()
        at = _submit(at, "Einlesen")
        assert not at.exception, at.exception
        text = _texts(at)
        expected = "1 Ort neu angelegt, 0 Orte" if round_ == 0 else "0 Orte neu angelegt, 1 Ort"
        assert expected in text
        assert "Zeile 3: Lage: der Punkt liegt außerhalb" in " ".join(
            str(v) for v in at.dataframe[0].value["Meldung"]
        )
    assert [p.name for p in service.places(db)] == ["Spielplatz am Anger"]
