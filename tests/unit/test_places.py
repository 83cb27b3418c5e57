"""City map and contacts: opening hours against a frozen clock, places inside the alliance,
re-import without duplicates, vCard read back by an independent parser, OSM extracts, search,
export, privacy of contacts, hostile text in every field."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import vobject

from allianz import privacy
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import NotFound, PermissionDenied, ValidationError
from allianz.places import demo, hours, osm, service
from allianz.places.model import ContactDraft, PlaceDraft
from tests.hostile import CORPUS, expected_stored

NAUNHOF = "14729300"
BORSDORF = "14729060"
MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
STAFF = User("bauamt-naunhof", "Bauamt Naunhof", Role.STAFF, NAUNHOF)
CITIZEN = User("anonym", "Gast", Role.CITIZEN)
RULE = "Mo-Fr 08:00-12:00; Di 14:00-18:00; PH off"


def at(text: str) -> datetime:
    """A moment given in Berlin local time, as the clock (UTC) would hold it."""
    from allianz.formatting import BERLIN

    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).astimezone(UTC)


# --- opening hours ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "is_open", "text"),
    [
        ("2026-11-30 09:00", True, "jetzt geöffnet (bis 12:00 Uhr)"),  # Monday morning
        ("2026-11-30 12:30", False, "geschlossen (öffnet morgen 14:00 Uhr)"),
        ("2026-12-01 09:00", False, "geschlossen (öffnet 14:00 Uhr)"),  # Tuesday: own rule
        ("2026-12-01 15:00", True, "jetzt geöffnet (bis 18:00 Uhr)"),
        ("2026-12-05 10:00", False, "geschlossen (öffnet Mo 08:00 Uhr)"),  # Saturday
        ("2026-12-25 09:00", False, "geschlossen (öffnet Mo 08:00 Uhr)"),  # Christmas (PH)
        ("2026-12-24 09:00", True, "jetzt geöffnet (bis 12:00 Uhr)"),  # not a holiday
    ],
)
def test_opening_hours_against_a_frozen_clock(moment, is_open, text):
    state = hours.status(RULE, at(moment))
    assert (state.is_open, state.text) == (is_open, text)


def test_opening_hours_german_weekdays_are_stored_in_osm_syntax():
    assert hours.normalise(RULE) == "Mo-Fr 08:00-12:00; Tu 14:00-18:00; PH closed"
    assert hours.normalise("") == ""


def test_the_week_in_german_with_the_holiday():
    week = hours.week(RULE, date(2026, 12, 21))
    assert week[0] == ("Montag, 21.12.", "08:00–12:00 Uhr")
    assert week[1] == ("Dienstag, 22.12.", "14:00–18:00 Uhr")
    assert week[4] == ("Freitag, 25.12.", "geschlossen")
    assert hours.week("Mo 08:00-12:00,13:00-15:00", date(2026, 12, 21))[0][1] == (
        "08:00–12:00 und 13:00–15:00 Uhr"
    )
    assert hours.holidays_closed(RULE)


@pytest.mark.parametrize("bad", ["Mo-Fr 25:00-12:00", "montags früh", "Mo-Fr 08:00-", "<b>"])
def test_invalid_opening_hours_get_a_german_error(bad):
    with pytest.raises(hours.OpeningHoursError, match="nicht im OpenStreetMap-Format lesbar"):
        hours.normalise(bad)
    assert hours.status(bad, datetime.now(UTC)).is_open is None


# --- places -------------------------------------------------------------------------------


def draft(alliance, ags=NAUNHOF, **changes) -> PlaceDraft:
    seat = alliance.municipality(ags)
    values = dict(
        municipality_ags=None, category="bauhof", name="Bauhof Naunhof", lat=seat.seat_lat,
        lon=seat.seat_lon, address_text="Markt 1, Naunhof", opening_hours=RULE,
        phone="034293 42-0", web="https://www.naunhof.example", wheelchair="limited",
    )  # fmt: skip
    return PlaceDraft(**{**values, **changes})


def test_staff_create_a_place_of_their_municipality(db, alliance):
    place = service.save_place(db, alliance, STAFF, draft(alliance))
    assert (place.municipality_ags, place.category_label) == (NAUNHOF, "Bauhof")
    assert place.opening_hours == "Mo-Fr 08:00-12:00; Tu 14:00-18:00; PH closed"
    assert service.get_place(db, place.id).name == "Bauhof Naunhof"
    with pytest.raises(PermissionDenied, match="anderer Gemeinden"):
        service.save_place(db, alliance, STAFF, draft(alliance, BORSDORF, name="Bauhof Borsdorf"))
    with pytest.raises(PermissionDenied):
        service.save_place(db, alliance, CITIZEN, draft(alliance))
    borsdorf = service.save_place(db, alliance, MANAGER, draft(alliance, BORSDORF))
    assert borsdorf.municipality_ags == BORSDORF


def test_coordinates_outside_the_alliance_are_refused_in_german(db, alliance):
    with pytest.raises(ValidationError, match="außerhalb des Gebiets der Region Partheland"):
        service.save_place(db, alliance, MANAGER, draft(alliance, lat=52.52, lon=13.40))
    with pytest.raises(ValidationError, match="außerhalb des gültigen Bereichs"):
        service.save_place(db, alliance, MANAGER, draft(alliance, lat=95, lon=13.40))
    with pytest.raises(ValidationError, match="Zahlen"):
        service.save_place(db, alliance, MANAGER, draft(alliance, lat="Nord", lon=13.40))


def test_bad_fields_are_each_named(db, alliance):
    with pytest.raises(ValidationError) as refused:
        service.save_place(
            db, alliance, MANAGER,
            draft(alliance, category="kino", name="", opening_hours="immer", phone="ruf an",
                  web="javascript:alert(1)", wheelchair="vielleicht"),
        )  # fmt: skip
    text = " ".join(refused.value.errors)
    for part in ("Kategorie", "Name", "Öffnungszeiten", "Telefon", "Web", "Rollstuhl"):
        assert part in text


def test_search_finds_places_and_contacts(db, alliance):
    service.save_place(db, alliance, STAFF, draft(alliance))
    service.save_contact(
        db, alliance, STAFF,
        ContactDraft(NAUNHOF, "Ordnungsamt", "function", keywords="Hundesteuer, Gewerbe",
                     email="ordnungsamt@naunhof.example"),
    )  # fmt: skip
    places, contacts = service.search(db, "bauhof naunhof")
    assert [p.name for p in places] == ["Bauhof Naunhof"]
    places, contacts = service.search(db, "Wer ist zuständig für Hundesteuer?")
    assert [c.department for c in contacts] == ["Ordnungsamt"] and not places
    assert service.search(db, "  ") == ([], [])
    assert service.search(db, "100%_") == ([], [])


# --- contacts and vCard -------------------------------------------------------------------


def test_contacts_are_public_only_as_function_or_with_consent(db, alliance):
    function = service.save_contact(
        db, alliance, STAFF, ContactDraft(NAUNHOF, "Bürgerbüro", "function", phone="034293 1")
    )
    person = service.save_contact(
        db, alliance, STAFF,
        ContactDraft(NAUNHOF, "Hauptamt", "consent", person_name="Anne Berger",
                     email="anne.berger@naunhof.example"),
    )  # fmt: skip
    hidden = service.save_contact(
        db, alliance, STAFF, ContactDraft(NAUNHOF, "Hauptamt", "internal", person_name="Ines Ohne")
    )
    assert person.consent_at and hidden.consent_at is None
    shown = {c.id for c in service.public_contacts(db)}
    assert shown == {function.id, person.id}
    with pytest.raises(NotFound):
        service.contact_vcard(db, alliance, hidden.id)
    with pytest.raises(ValidationError, match="Funktionsadresse nennt keine Person"):
        service.save_contact(
            db, alliance, STAFF, ContactDraft(NAUNHOF, "Bauamt", "function", person_name="X Y")
        )
    with pytest.raises(PermissionDenied):
        service.save_contact(db, alliance, STAFF, ContactDraft(BORSDORF, "Bauamt", "function"))


def test_vcard_is_read_back_by_vobject(db, alliance):
    place = service.save_place(db, alliance, STAFF, draft(alliance, category="rathaus",
                                                         name="Rathaus Naunhof"))  # fmt: skip
    keywords = "Kita-Plätze, Elternbeiträge; Ferien\\programm"
    contact = service.save_contact(
        db, alliance, STAFF,
        ContactDraft(NAUNHOF, "Hauptamt", "consent", role="Sachbearbeitung, Kita",
                     person_name="Jürgen Großmann-Übel", phone="034293 42-30",
                     email="j.grossmann@naunhof.example", room="1.05",
                     office_hours="Di 09:00-12:00", keywords=keywords, place_id=place.id),
    )  # fmt: skip
    data = service.contact_vcard(db, alliance, contact.id)
    assert data.startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    card = vobject.readOne(data.decode("utf-8"))
    assert card.fn.value == "Jürgen Großmann-Übel"
    assert card.n.value.family == "Großmann-Übel" and card.n.value.given == "Jürgen"
    assert card.org.value == ["Stadt Naunhof", "Hauptamt"]
    assert card.title.value == "Sachbearbeitung, Kita"
    assert card.tel.value == "034293 42-30"
    assert card.email.value == "j.grossmann@naunhof.example"
    assert "Zimmer 1.05" in card.note.value and "Tu 09:00-12:00" in card.note.value
    assert card.categories.value == ["Kita-Plätze", "Elternbeiträge; Ferien\\programm"]


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_in_every_field_stays_text(db, alliance, text):
    place = service.save_place(
        db, alliance, MANAGER,
        draft(alliance, name=text[:120] or "x", address_text=text[:200], note=text[:1000]),
    )  # fmt: skip
    assert service.get_place(db, place.id).note == expected_stored(text[:1000])
    contact = service.save_contact(
        db, alliance, MANAGER,
        ContactDraft(NAUNHOF, text[:120] or "x", "consent", role=text[:120],
                     person_name=text[:120] or "x", room=text[:40], keywords=text[:500]),
    )  # fmt: skip
    card = vobject.readOne(service.contact_vcard(db, alliance, contact.id).decode("utf-8"))
    assert card.org.value[1] == service.get_contact(db, contact.id).department
    service.search(db, text)


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_in_formatted_fields_is_refused_in_german(db, alliance, text):
    for field in ("phone", "web", "opening_hours"):
        with pytest.raises(ValidationError) as refused:
            service.save_place(db, alliance, MANAGER, draft(alliance, **{field: text + "<"}))
        assert refused.value.errors and all(isinstance(e, str) for e in refused.value.errors)
    with pytest.raises(ValidationError, match="E-Mail"):
        service.save_contact(
            db, alliance, MANAGER,
            ContactDraft(NAUNHOF, "Bauamt", "function", email=text + " x@y"),
        )  # fmt: skip
    assert service.places(db) == []


def test_a_photo_is_stored_without_its_metadata(db, alliance):
    from tests.unit.test_suggestions import jpeg

    place = service.save_place(db, alliance, STAFF, draft(alliance))
    service.set_photo(db, STAFF, place.id, jpeg())
    stored = service.photo(db, place.id)
    assert stored.startswith(b"\xff\xd8") and b"Exif" not in stored
    assert service.get_place(db, place.id).has_photo
    with pytest.raises(ValidationError, match="JPEG oder PNG"):
        service.set_photo(db, STAFF, place.id, b"GIF89a....")
    service.set_photo(db, STAFF, place.id, None)
    assert not service.get_place(db, place.id).has_photo


# --- import and export --------------------------------------------------------------------


def _csv(tmp_path, lines: list[str]):
    path = tmp_path / "orte.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_reimport_updates_by_source_id_without_duplicates(db, alliance, tmp_path):
    seat = alliance.municipality(NAUNHOF)
    header = "id;name;kategorie;lat;lon;oeffnungszeiten;rollstuhl"
    first = _csv(tmp_path, [
        header,
        f"b1;Bauhof Naunhof;Bauhof;{seat.seat_lat};{seat.seat_lon};\"{RULE}\";ja",
        f"s1;Spielplatz;spielplatz;{seat.seat_lat + 0.001};{seat.seat_lon};;",
        "x1;Berlin;parken;52,52;13,40;;",
        f"x2;Kaputt;bauhof;{seat.seat_lat};{seat.seat_lon};jeden Tag;",
    ])  # fmt: skip
    report = service.import_file(db, alliance, STAFF, first)
    assert (report.created, report.updated) == (2, 0)
    assert report.errors[0].startswith("Zeile 4: Lage: der Punkt liegt außerhalb")
    assert report.errors[1].startswith("Zeile 5: Öffnungszeiten:")
    second = _csv(tmp_path, [
        header, f"b1;Bauhof der Stadt Naunhof;bauhof;{seat.seat_lat};{seat.seat_lon};;nein",
    ])  # fmt: skip
    report = service.import_file(db, alliance, STAFF, second)
    assert (report.created, report.updated, report.errors) == (1 - 1, 1, ())
    names = sorted(p.name for p in service.places(db))
    assert names == ["Bauhof der Stadt Naunhof", "Spielplatz"]


def test_import_outside_the_own_municipality_is_refused_per_line(db, alliance, tmp_path):
    seat = alliance.municipality(BORSDORF)
    path = _csv(
        tmp_path, ["name,kategorie,lat,lon", f"Markt,parken,{seat.seat_lat},{seat.seat_lon}"]
    )
    report = service.import_file(db, alliance, STAFF, path)
    assert report.created == 0 and "nicht in Ihrer Gemeinde" in report.errors[0]
    with pytest.raises(PermissionDenied):
        service.import_file(db, alliance, CITIZEN, path)


def test_geojson_and_geopackage_round_trip(db, alliance, tmp_path):
    service.save_place(db, alliance, STAFF, draft(alliance))
    for kind in ("geojson", "gpkg"):
        path = tmp_path / f"orte.{kind}"
        path.write_bytes(service.export(db, alliance, kind))
        report = service.import_file(db, alliance, MANAGER, path)
        assert (report.errors, report.created, report.updated) == ((), 0, 1), kind
    exported = json.loads(service.export(db, alliance, "geojson"))
    assert {f["properties"]["kategorie"] for f in exported["features"]} == {"Bauhof"}
    assert "photo" not in exported["features"][0]["properties"]
    assert len(service.places(db)) == 1  # the own export updates the place itself


def _pbf(path, nodes):
    import osmium

    with osmium.SimpleWriter(str(path)) as writer:
        for number, (lat, lon, tags) in enumerate(nodes, start=1):
            writer.add_node(
                osmium.osm.mutable.Node(id=number, location=(lon, lat), tags=tags, version=1)
            )


def test_osm_extract_import_maps_tags_to_categories(db, alliance, tmp_path):
    seat = alliance.municipality(NAUNHOF)
    path = tmp_path / "naunhof.osm.pbf"
    _pbf(path, [
        (seat.seat_lat, seat.seat_lon, {"amenity": "townhall", "name": "Rathaus Naunhof",
                                        "opening_hours": "Mo-Fr 09:00-12:00"}),
        (seat.seat_lat + 0.001, seat.seat_lon, {"amenity": "charging_station"}),
        (seat.seat_lat + 0.002, seat.seat_lon, {"shop": "bakery", "name": "Bäcker"}),
    ])  # fmt: skip
    report = service.import_file(db, alliance, STAFF, path)
    assert (report.created, report.errors) == (2, ())
    assert {p.category for p in service.places(db)} == {"rathaus", "ladestation"}
    again = service.import_file(db, alliance, STAFF, path)
    assert (again.created, again.updated) == (0, 2)
    mapping = {"shop=bakery": "kultur"}
    assert service.import_file(db, alliance, STAFF, path, mapping).created == 1
    with pytest.raises(ValidationError, match="Kategorie"):
        osm.check_mapping({"shop=bakery": "bäckerei"})


def test_a_broken_pbf_gets_a_german_error(db, alliance, tmp_path):
    path = tmp_path / "kaputt.osm.pbf"
    path.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all" * 10)
    with pytest.raises(ValidationError, match="nicht lesbar"):
        service.import_file(db, alliance, STAFF, path)


# --- demo and privacy ---------------------------------------------------------------------


def test_demo_has_places_and_contacts_for_every_member(db, alliance):
    demo.load(db, alliance, None)
    demo.load(db, alliance, None)  # a second load adds nothing
    for m in alliance.municipalities:
        mine = service.places(db, ags=[m.ags])
        assert len(mine) == len(demo.PLACES) and all(p.is_demo for p in mine)
        assert all(p.municipality_ags == m.ags for p in mine)
    found, _ = service.search(db, "Bauhof Naunhof")
    assert found[0].name == "Bauhof Naunhof"
    hall = next(p for p in service.places(db, ["rathaus"], [NAUNHOF]))
    assert len(service.public_contacts(db, place_id=hall.id)) == 5


def test_contacts_answer_for_their_personal_data(db, alliance):
    address = "anne.berger@naunhof.example"
    service.save_contact(
        db, alliance, STAFF,
        ContactDraft(NAUNHOF, "Hauptamt", "consent", person_name="Anne Berger", email=address),
    )  # fmt: skip
    assert "place_contacts.email" in privacy.claims()
    exported = privacy.export(db, address, MANAGER.actor)
    assert exported["ansprechpartner"][0]["person_name"] == "Anne Berger"
    privacy.erase(db, address, MANAGER.actor)
    assert service.public_contacts(db) == []


# --- command line -------------------------------------------------------------------------


def test_cli_imports_lists_and_exports(db, alliance, tmp_path, capsys):
    from allianz import cli

    seat = alliance.municipality(NAUNHOF)
    source = _csv(tmp_path, [
        "id;name;kategorie;lat;lon", f"b1;Bauhof Naunhof;bauhof;{seat.seat_lat};{seat.seat_lon}",
        "x;Berlin;parken;52.52;13.40",
    ])  # fmt: skip
    assert cli.main(["places", "import", str(source)]) == 0
    out = capsys.readouterr()
    assert "1 Ort neu angelegt, 0 Orte aktualisiert, 1 Zeile abgewiesen." in out.out
    assert "Zeile 3: Lage" in out.err
    assert cli.main(["places", "list", "--kategorie", "bauhof"]) == 0
    assert "Bauhof Naunhof" in capsys.readouterr().out
    target = tmp_path / "orte.gpkg"
    assert cli.main(["places", "export", str(target)]) == 0
    assert "1 Ort nach" in capsys.readouterr().out and target.stat().st_size > 0
    assert cli.main(["places", "export", str(tmp_path / "orte.txt")]) == 2


def test_the_alliance_file_may_replace_the_osm_mapping(db, alliance, tmp_path, monkeypatch):
    from allianz import config

    seat = alliance.municipality(NAUNHOF)
    path = tmp_path / "baecker.osm.pbf"
    _pbf(path, [(seat.seat_lat, seat.seat_lon, {"shop": "bakery", "name": "Bäcker"})])
    assert service.import_file(db, alliance, STAFF, path).created == 0
    monkeypatch.setattr(config, "section", lambda a, n: {"osm_mapping": {"shop=bakery": "kultur"}})
    assert service.import_file(db, alliance, STAFF, path).created == 1


def test_a_line_without_coordinates_is_placed_by_the_address_index(db, alliance, tmp_path):
    from allianz import audit
    from allianz.addresses import service as addresses

    addresses.load_demo(db, alliance, audit.SYSTEM)
    hit = addresses.search(db, "Feldweg 2 Naunhof")[0]
    path = _csv(tmp_path, ["name;kategorie;adresse", "Spielplatz;spielplatz;Feldweg 2 Naunhof",
                           "Nirgends;parken;Gibtsnichtweg 99 Nirgendwo"])  # fmt: skip
    report = service.import_file(db, alliance, STAFF, path)
    assert report.created == 1 and report.errors[0].startswith("Zeile 3: Lage: bitte")
    [place] = service.places(db)
    assert (place.lat, place.lon) == (round(hit.lat, 6), round(hit.lon, 6))
    assert place.address_text == hit.label


def test_figures_count_places_and_public_contacts_per_member(db, alliance):
    from datetime import timedelta

    from allianz.figures import ALLIANCE, FigureRequest, Period
    from allianz.municipalities import service as municipalities
    from allianz.places import figures

    demo.load(db, alliance, None)
    service.save_place(db, alliance, STAFF, draft(alliance, opening_hours="", wheelchair=""))
    service.save_contact(
        db, alliance, STAFF, ContactDraft(NAUNHOF, "Hauptamt", "internal", person_name="I. Nern")
    )
    today = date.today()
    request = FigureRequest(
        db, alliance, municipalities.areas(db), Period(today - timedelta(days=30), today), today
    )
    section = figures.sections(request)[0]
    members = len(alliance.municipalities)
    assert section.value("places", NAUNHOF) == len(demo.PLACES) + 1
    with_hours = sum(1 for p in demo.PLACES if p[2])
    assert section.value("with_hours", NAUNHOF) == with_hours
    assert section.value("with_wheelchair", NAUNHOF) == len(demo.PLACES)
    assert section.value("contacts", NAUNHOF) == 5  # the internal entry is not counted
    assert section.value("places", ALLIANCE) == members * len(demo.PLACES) + 1


def test_the_states_own_holidays_count_as_holidays():
    """Buß- und Bettag is a holiday in Sachsen only: a town hall closed on holidays is closed
    there, open elsewhere; rules that open on holidays open on it too."""
    wednesday = at("2026-11-18 09:00")  # Buß- und Bettag 2026
    assert hours.status(RULE, wednesday, "Sachsen").is_open is False
    assert hours.status(RULE, wednesday, "Bayern").is_open is True
    assert hours.status(RULE, wednesday).is_open is True
    week = hours.week(RULE, date(2026, 11, 16), "Sachsen")
    assert week[2] == ("Mittwoch, 18.11.", "geschlossen")
    assert week[3] == ("Donnerstag, 19.11.", "08:00–12:00 Uhr")
    special = "Mo-Fr 08:00-12:00; Sa,PH 10:00-11:00"
    assert hours.week(special, date(2026, 11, 16), "Sachsen")[2][1] == "10:00–11:00 Uhr"
    assert hours.status(RULE, at("2027-11-17 09:00"), "Sachsen").is_open is False  # next year
    assert hours._repentance_day(2025) == date(2025, 11, 19)
    # Fronleichnam (Easter + 60 days) in Bayern, not in Sachsen
    assert hours.status(RULE, at("2026-06-04 09:00"), "Bayern").is_open is False
    assert hours.status(RULE, at("2026-06-04 09:00"), "Sachsen").is_open is True
