"""Address index: German normalisation, ranking, import formats and refusals, idempotence,
scope, hostile input, the demo index and the Ortsteil points."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point

from allianz import geo, submissions
from allianz.accounts.model import User
from allianz.addresses import demo, files, normalise, service
from allianz.addresses.model import AddressRow
from allianz.auth import Role
from allianz.errors import PermissionDenied, ValidationError
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from tests.conftest import TEST_ACTOR
from tests.gis_bombs import gpkg_with_trigger
from tests.hostile import CORPUS

BORSDORF, BRANDIS, NAUNHOF = "14729060", "14729070", "14729300"
MANAGER = User("leitung", "Leitung", Role.MANAGER)
STAFF_BORSDORF = User("b", "Borsdorf", Role.STAFF, BORSDORF)
STAFF_NAUNHOF = User("n", "Naunhof", Role.STAFF, NAUNHOF)


# --- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Hauptstraße", "Hauptstr."),
        ("Hauptstraße", "HAUPTSTRASSE"),
        ("Hauptstraße", "Haupt Straße"),
        ("Leipziger Straße", "Leipzigerstr"),
        ("Leipziger Straße", "leipziger str."),
        ("Weißer Weg", "Weisser Weg"),
        ("Großpösna", "Grosspoesna"),
        ("Störmthal", "STOERMTHAL"),
        ("Karl-Marx-Straße", "Karl Marx Str."),
        ("Rue de l'Église", "rue de l eglise"),
    ],
)
def test_spellings_of_one_name_share_the_key(one, other):
    assert normalise.name_key(one) == normalise.name_key(other)


def test_umlauts_are_found_both_ways_and_without_dots():
    terms = normalise.name_terms("Großpösna")
    assert {"grosspoesna", "grossposna"} <= terms
    assert normalise.parse_query("Grosspösna").groups == ((("grosspoesna",),),)
    assert normalise.parse_query("Grossposna").groups == ((("grossposna",),),)
    assert "karlmarxstr" in normalise.name_terms("Karl-Marx-Straße")


@pytest.mark.parametrize(
    ("raw", "suffix", "expected"),
    [
        ("12", "a", ("12a", "12a", 12)),
        ("12 a", "", ("12a", "12a", 12)),
        ("12A", "", ("12a", "12a", 12)),
        ("012-a", "", ("12a", "12a", 12)),
        ("5", "", ("5", "5", 5)),
        ("12-14", "", ("12-14", "12-14", 12)),
        ("3/1", "", ("3/1", "3/1", 3)),
        ("", "", None),
        ("abc", "", None),
        ("1" * 13, "", None),
    ],
)
def test_house_numbers(raw, suffix, expected):
    assert normalise.house_number(raw, suffix) == expected


def test_query_parts():
    query = normalise.parse_query("Hauptstr. 5a Beucha")
    assert query.groups == ((("hauptstr",),), (("beucha",),))
    assert (query.number, query.number_partial) == ("5a", False)
    assert normalise.parse_query("beucha hauptstraße 12 a").number == "12a"
    typing = normalise.parse_query("Hauptstraße 1")
    assert (typing.number, typing.number_partial) == ("1", True)
    # "Leipziger St" while "Straße" is being typed: both readings
    assert normalise.parse_query("Leipziger St").groups == (
        (("leipziger", "st"), ("leipzigerst",)),
    )
    # an ordinal belongs to the name, the postcode is a word, not a house number
    juni = normalise.parse_query("Straße des 17. Juni 4 ")
    assert juni.number == "4" and ("17",) in [g[0] for g in juni.groups]
    assert normalise.parse_query("04451 Borsdorf").number is None
    assert normalise.parse_query("12").empty  # a number alone finds nothing


# --- a small index --------------------------------------------------------------------------


def _row(ags, street, number, ortsteil, lat, lon, postcode="04451", place=None) -> AddressRow:
    shown, key, value = normalise.house_number(number)
    return AddressRow(ags, street, shown, key, value, postcode, place or ortsteil, ortsteil,
                      lat, lon)  # fmt: skip


def _seat(alliance, ags) -> tuple[float, float]:
    seat = alliance.municipality(ags)
    return seat.seat_lat, seat.seat_lon


@pytest.fixture
def small(db, alliance):
    lat, lon = _seat(alliance, BORSDORF)
    blat, blon = _seat(alliance, BRANDIS)
    rows = [
        _row(BORSDORF, "Hauptstraße", n, "Panitzsch", lat + 0.001 * i, lon, place="Borsdorf")
        for i, n in enumerate(["1", "2", "5", "5a", "12", "15", "50"])
    ]
    rows += [
        _row(BORSDORF, "Hauptstraße", "5", "Zweenfurth", lat - 0.004, lon + 0.004, "04451",
             "Borsdorf"),
        _row(BORSDORF, "Am Anger", "3", "Zweenfurth", lat - 0.0045, lon + 0.0045, "04451",
             "Borsdorf"),
        _row(BORSDORF, "Hauptmannsweg", "5", "Borsdorf", lat + 0.002, lon - 0.002),
        _row(BRANDIS, "Hauptstraße", "5", "Beucha", blat + 0.001, blon, "04824", "Brandis"),
        _row(BRANDIS, "Weißer Weg", "7", "Beucha", blat + 0.002, blon, "04824", "Brandis"),
    ]  # fmt: skip
    service.replace(db, alliance, rows, "Test", TEST_ACTOR)
    return rows


def _labels(db, text):
    return [hit.label for hit in service.search(db, text)]


def test_search_ranks_by_street_number_and_ortsteil(db, small):
    assert _labels(db, "Hauptstr 5 Beucha")[0] == "Hauptstraße 5, 04824 Brandis OT Beucha"
    assert _labels(db, "zweenfurth hauptstraße 5") == [
        "Hauptstraße 5, 04451 Borsdorf OT Zweenfurth"
    ]
    # the number itself before longer ones, the whole street word before "Hauptmannsweg"
    found = _labels(db, "Hauptstraße 5 ")
    assert found[0].startswith("Hauptstraße 5,") and "5a" not in found[0]
    assert "Hauptmannsweg 5, 04451 Borsdorf" not in found
    typing = _labels(db, "Panitzsch Hauptstraße 5")  # still typing: 5, 5a, 50
    assert typing == [
        "Hauptstraße 5, 04451 Borsdorf OT Panitzsch",
        "Hauptstraße 5a, 04451 Borsdorf OT Panitzsch",
        "Hauptstraße 50, 04451 Borsdorf OT Panitzsch",
    ]
    assert _labels(db, "Panitzsch Hauptstraße 5 a") == [
        "Hauptstraße 5a, 04451 Borsdorf OT Panitzsch"
    ]
    assert _labels(db, "haupt")[0].startswith("Hauptstraße")  # shorter, whole street first


def test_search_finds_every_spelling(db, small):
    for text in ("Weisser Weg 7", "weißer weg 7", "WEISSER WEG 7", "Weißer Weg 7 Beucha"):
        assert _labels(db, text) == ["Weißer Weg 7, 04824 Brandis OT Beucha"], text
    assert _labels(db, "Am Anger 3") == ["Am Anger 3, 04451 Borsdorf OT Zweenfurth"]
    assert _labels(db, "04824 Haupt")[0] == "Hauptstraße 5, 04824 Brandis OT Beucha"
    assert _labels(db, "Zweenfurth")[:1] == ["Am Anger 3, 04451 Borsdorf OT Zweenfurth"]


def test_no_match_is_empty(db, small):
    assert service.search(db, "Hauptstraße 999") == []
    assert service.search(db, "Nirgendwo 1") == []
    assert service.search(db, "") == [] and service.search(db, "   ") == []


@pytest.mark.parametrize("text", [*CORPUS, '"', "*", "AND OR NOT", "NEAR(x y)", "^x", "x:y", "-"])
def test_hostile_text_as_search_input(db, alliance, small, text):
    """Nothing typed reaches the full-text query as syntax; none of it names an address."""
    assert service.search(db, text) == []
    assert service.guess_locality(service.localities(db, alliance), text) is None


def test_localities_and_the_ortsteil_named_in_a_text(db, alliance, small):
    places = service.localities(db, alliance)
    by_name = {p.ortsteil: p for p in places}
    assert {"Panitzsch", "Zweenfurth", "Beucha"} <= set(by_name)
    assert by_name["Zweenfurth"].entries == 2 and not by_name["Zweenfurth"].is_seat
    # the point is one of the Ortsteil's addresses, not the seat
    assert (by_name["Zweenfurth"].lat, by_name["Zweenfurth"].lon) in {
        (r.lat, r.lon) for r in small if r.ortsteil == "Zweenfurth"
    }
    # municipalities without index offer their seat only
    naunhof = [p for p in places if p.municipality_ags == NAUNHOF]
    assert len(naunhof) == 1 and naunhof[0].is_seat
    guess = service.guess_locality(places, "Zweenfurth, Am Anger 99")
    assert guess.ortsteil == "Zweenfurth"
    assert service.guess_locality(places, "irgendwo") is None


# --- import ---------------------------------------------------------------------------------


def _csv(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def _lines(alliance, ags, count, sep=";", decimal=",") -> list[str]:
    lat, lon = _seat(alliance, ags)
    rows = []
    for n in range(1, count + 1):
        la, lo = f"{lat + n * 0.0002:.6f}", f"{lon:.6f}"
        if decimal == ",":
            la, lo = la.replace(".", ","), lo.replace(".", ",")
        rows.append(sep.join(["Lindenstraße", str(n), "04451", "Borsdorf", "Panitzsch", la, lo]))
    return rows


def test_csv_with_semicolons_and_decimal_commas(db, alliance, tmp_path):
    head = "Straße;Hausnummer;PLZ;Ort;Ortsteil;Breite;Länge"
    path = _csv(tmp_path / "a.csv", "\n".join([head, *_lines(alliance, BORSDORF, 5)]))
    summary = service.import_file(db, alliance, MANAGER, path)
    assert summary.stored == {BORSDORF: 5} and summary.skipped == {}
    assert "5 Adressen (Borsdorf 5)" in summary.message({BORSDORF: "Borsdorf"})
    assert _labels(db, "Lindenstr 3")[0] == "Lindenstraße 3, 04451 Borsdorf OT Panitzsch"


def test_csv_with_commas_windows_encoding_and_suffix_column(db, alliance, tmp_path):
    lat, lon = _seat(alliance, BORSDORF)
    text = (
        "strasse,hnr,adz,plz,ort,lat,lon\n"
        f"Mühlgasse,4,b,04451,Borsdorf,{lat},{lon}\n"
        f'"Straße des 17. Juni",1,,04451,Borsdorf,{lat + 0.001},{lon}\n'
    )
    path = _csv(tmp_path / "b.csv", text, encoding="cp1252")
    service.import_file(db, alliance, MANAGER, path)
    assert _labels(db, "Muehlgasse 4b") == ["Mühlgasse 4b, 04451 Borsdorf"]
    assert _labels(db, "Str. des 17. Juni 1") == ["Straße des 17. Juni 1, 04451 Borsdorf"]


def test_csv_in_utm_33_is_recognised_and_hk_de_columns_give_the_ags(db, alliance, tmp_path):
    lat, lon = _seat(alliance, BRANDIS)
    point = gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs("EPSG:25833").iloc[0]
    text = (
        "LAN;RBZ;KRS;GMD;STN;HNR;ADZ;PLZ;ONM;OTT;OST;NORD\n"
        f"14;7;29;070;Beuchaer Straße;9;;04821;Brandis;Brandis;{point.x:.2f};{point.y:.2f}\n"
    )
    summary = service.import_file(db, alliance, MANAGER, _csv(tmp_path / "hk.csv", text))
    assert summary.stored == {BRANDIS: 1} and summary.crs == "EPSG:25833"
    hit = service.search(db, "Beuchaer Str 9")[0]
    assert hit.municipality_ags == BRANDIS
    assert abs(hit.lat - lat) < 1e-5 and abs(hit.lon - lon) < 1e-5


def test_geojson_from_openstreetmap_with_building_outlines(db, alliance, tmp_path):
    lat, lon = _seat(alliance, NAUNHOF)
    square = shapely.box(lon, lat, lon + 0.0002, lat + 0.0001)
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
         "properties": {"addr:street": "Markt", "addr:housenumber": "1", "addr:postcode": "04683",
                        "addr:city": "Naunhof"}},
        {"type": "Feature", "geometry": shapely.geometry.mapping(square),
         "properties": {"addr:street": "Markt", "addr:housenumber": "2", "addr:postcode": "04683",
                        "addr:city": "Naunhof", "building": "yes"}},
        {"type": "Feature", "geometry": None,
         "properties": {"addr:street": "Markt", "addr:housenumber": "3"}},
    ]  # fmt: skip
    path = tmp_path / "osm.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    summary = service.import_file(db, alliance, MANAGER, path)
    assert summary.stored == {NAUNHOF: 2} and summary.skipped == {"no_coordinates": 1}
    two = service.search(db, "Markt 2")[0]
    assert square.contains(Point(two.lon, two.lat))


def test_geopackage_in_utm_32(db, alliance, tmp_path):
    lat, lon = _seat(alliance, NAUNHOF)
    frame = gpd.GeoDataFrame(
        {"Straße": ["Parkstraße", "Parkstraße"], "Hausnummer": ["1", "1"], "PLZ": ["04683"] * 2,
         "Ort": ["Naunhof"] * 2},
        geometry=[Point(lon, lat), Point(lon, lat)],
        crs="EPSG:4326",
    ).to_crs("EPSG:25832")  # fmt: skip
    path = tmp_path / "adressen.gpkg"
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    summary = service.import_file(db, alliance, MANAGER, path)
    assert summary.stored == {NAUNHOF: 1} and summary.skipped == {"duplicate": 1}
    assert "1 doppelt" in summary.message({})


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", "Hausnummer;lat;lon\n1;51.3;12.5\n", "keine Spalte für die Straße"),
        ("a.csv", "Straße;lat;lon\nA;51.3;12.5\n", "keine Spalte für die Hausnummer"),
        ("a.csv", "Straße;Hausnummer\nA;1\n", "keine Koordinaten"),
        ("a.csv", "", "leer"),
        ("a.csv", "Straße;Hausnummer;lat;lon\n", "keine Zeilen"),
        ("a.csv", "Straße;Hausnummer;lat;lon\nA;1;48.1;11.5\n", "Gebiet der Allianz"),
        ("a.csv", "Straße;Hausnummer;lat;lon\nA;;51.3;12.5\nA;x;51.3;12.5\n", "verwendbare"),
        ("a.csv", "Straße;Hausnummer;x;y\nA;1;5000000;9000000\n", "Koordinatensystem angeben"),
        ("a.xlsx", "x", "nicht unterstützt"),
        ("a.csv", "Straße;Hausnummer;lat;lon\nA;1;2;3;4;5\n", "beschädigt"),
    ],
)
def test_refusals_are_german_and_change_nothing(db, alliance, tmp_path, name, content, message):
    old = _row(BORSDORF, "Alt", "1", "Borsdorf", *_seat(alliance, BORSDORF))
    service.replace(db, alliance, [old], "Test", TEST_ACTOR)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        service.import_file(db, alliance, MANAGER, path)
    assert [h.street for h in service.search(db, "Alt 1")] == ["Alt"]


def test_binary_and_oversized_files_are_refused(db, alliance, tmp_path, monkeypatch):
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"Stra\x00e;1\n" * 10)
    with pytest.raises(ValidationError, match="keine Textdatei"):
        service.import_file(db, alliance, MANAGER, binary)
    monkeypatch.setattr(files, "MAX_ROWS", 3)
    head = "Straße;Hausnummer;PLZ;Ort;Ortsteil;Breite;Länge"
    path = _csv(tmp_path / "many.csv", "\n".join([head, *_lines(alliance, BORSDORF, 5)]))
    with pytest.raises(ValidationError, match="mehr als 3 Adressen"):
        service.import_file(db, alliance, MANAGER, path)


def test_geopackages_go_through_the_safe_reader(db, alliance, tmp_path):
    with pytest.raises(ValidationError, match="Triggern"):
        service.import_file(db, alliance, MANAGER, gpkg_with_trigger(tmp_path / "t.gpkg"))


def test_reimport_replaces_per_municipality_and_is_idempotent(db, alliance, tmp_path):
    head = "Straße;Hausnummer;PLZ;Ort;Ortsteil;Breite;Länge"
    path = _csv(tmp_path / "a.csv", "\n".join([head, *_lines(alliance, BORSDORF, 6)]))
    lat, lon = _seat(alliance, BRANDIS)
    service.replace(db, alliance, [_row(BRANDIS, "Bleibt", "1", "Brandis", lat, lon)], "Test",
                    TEST_ACTOR)  # fmt: skip
    service.import_file(db, alliance, MANAGER, path)
    first = [(h.label, h.lat, h.lon) for h in service.search(db, "Lindenstraße")]
    service.import_file(db, alliance, MANAGER, path)
    assert [(h.label, h.lat, h.lon) for h in service.search(db, "Lindenstraße")] == first
    assert service.total(db) == 7
    fewer = _csv(tmp_path / "b.csv", "\n".join([head, *_lines(alliance, BORSDORF, 2)]))
    service.import_file(db, alliance, MANAGER, fewer, allow_shrink=True)  # confirmed
    assert service.total(db) == 3  # Borsdorf replaced, Brandis kept
    assert service.search(db, "Lindenstraße 5 ") == []
    assert [h.label for h in service.search(db, "Bleibt 1")] == ["Bleibt 1, 04451 Brandis"]
    overview = {r["Gemeinde"]: r["Adressen"] for r in service.overview(db, alliance)}
    assert overview["Borsdorf"] == 2 and overview["Stadt Brandis"] == 1


def test_a_second_click_imports_nothing_twice(db, alliance, tmp_path):
    head = "Straße;Hausnummer;PLZ;Ort;Ortsteil;Breite;Länge"
    path = _csv(tmp_path / "a.csv", "\n".join([head, *_lines(alliance, BORSDORF, 2)]))
    service.import_file(db, alliance, MANAGER, path, token="t-1")
    with pytest.raises(submissions.AlreadySubmitted):
        service.import_file(db, alliance, MANAGER, path, token="t-1")


def test_who_may_import_what(db, alliance, tmp_path):
    head = "Straße;Hausnummer;PLZ;Ort;Ortsteil;Breite;Länge"
    lines = _lines(alliance, BORSDORF, 3) + [
        line.replace("Lindenstraße", "Brandiser Weg") for line in _lines(alliance, BRANDIS, 2)
    ]
    path = _csv(tmp_path / "a.csv", "\n".join([head, *lines]))
    for role in (Role.CITIZEN, Role.WORKING_GROUP, Role.HOST, Role.MAYOR):
        with pytest.raises(PermissionDenied):
            service.import_file(db, alliance, User("x", "x", role, BORSDORF), path)
    with pytest.raises(PermissionDenied, match="keiner Mitgliedsgemeinde"):
        service.import_file(db, alliance, User("s", "s", Role.STAFF), path)
    with pytest.raises(PermissionDenied, match="keine Adressen Ihrer Gemeinde"):
        service.import_file(db, alliance, STAFF_NAUNHOF, path)
    assert service.total(db) == 0
    summary = service.import_file(db, alliance, STAFF_BORSDORF, path)
    assert summary.stored == {BORSDORF: 3} and summary.skipped == {"other_municipality": 2}
    assert "2 in einer anderen Gemeinde" in summary.message({})
    assert service.import_file(db, alliance, MANAGER, path).stored == {BORSDORF: 3, BRANDIS: 2}


def test_hostile_text_in_a_file_is_stored_as_text(db, alliance, tmp_path):
    lat, lon = _seat(alliance, BORSDORF)
    lines = ["Straße;Hausnummer;Ortsteil;lat;lon"]
    for n, text in enumerate(CORPUS, start=1):
        street = text.replace(";", ",").replace("\n", " ").replace("\r", " ").replace('"', "'")
        street = street.replace("\x00", "")  # a NUL makes it no text file (refused above)
        lines.append(f"{street};{n};{street[:80]};{lat};{lon}")
    path = _csv(tmp_path / "h.csv", "\n".join(lines))
    summary = service.import_file(db, alliance, MANAGER, path)
    assert summary.total + sum(summary.skipped.values()) == len(CORPUS)
    hit = service.search(db, "script window pwned 1")
    assert hit and hit[0].street == "<script>window.__pwned=1</script>"


# --- the demo index --------------------------------------------------------------------------


def test_demo_index_is_deterministic_and_lies_in_its_ortsteile(db, alliance):
    areas = municipalities.areas(db)
    first = demo.generate(alliance, areas)
    assert first == demo.generate(alliance, areas)
    assert 3_000 <= len(first) <= 12_000
    for municipality in alliance.municipalities:
        ortsteile = {r.ortsteil for r in first if r.municipality_ags == municipality.ags}
        assert ortsteile == set(municipality.ortsteile), municipality.name
    by_ags = {a.ags: a for a in areas}
    sample = first[::97]
    for row in sample:  # inside its own municipality, clear of the 50 m boundary zone
        location = municipalities.locate(areas, row.lat, row.lon)
        assert location.municipality is by_ags[row.municipality_ags] and not location.near


def test_demo_load_is_idempotent_and_ortsteile_get_their_own_points(db, alliance):
    added = service.load_demo(db, alliance, TEST_ACTOR)
    assert added == service.total(db) > 3_000
    assert service.load_demo(db, alliance, TEST_ACTOR) == 0
    places = {p.ortsteil: p for p in service.localities(db, alliance)}
    panitzsch, zweenfurth = places["Panitzsch"], places["Zweenfurth"]
    assert panitzsch.municipality_ags == zweenfurth.municipality_ags == BORSDORF
    seat = Point(alliance.municipality(BORSDORF).seat_lon, alliance.municipality(BORSDORF).seat_lat)

    assert (
        geo.distance_m(Point(panitzsch.lon, panitzsch.lat), Point(zweenfurth.lon, zweenfurth.lat))
        > 900
    )
    assert geo.distance_m(Point(zweenfurth.lon, zweenfurth.lat), seat) > 900


# --- reports at approximate places ---------------------------------------------------------


def test_approximate_reports_get_and_give_no_duplicate_offers(db, alliance):
    areas = municipalities.areas(db)
    lat, lon = _seat(alliance, NAUNHOF)
    approximate = suggestions.submit(
        db, alliance, areas,
        suggestions.Submission("lighting", "Lampe aus", "Dunkel", lat, lon,
                               address_text="Ortsteil Naunhof", location_precise=False),
    )  # fmt: skip
    assert suggestions.nearby_duplicates(db, "lighting", lat, lon) == []  # not offered
    assert suggestions.nearby_duplicates(db, "lighting", lat, lon, precise=False) == []
    exact = suggestions.submit(
        db, alliance, areas, suggestions.Submission("lighting", "Lampe", "Dunkel", lat, lon)
    )
    assert [s.id for s in suggestions.nearby_duplicates(db, "lighting", lat, lon)] == [exact.id]
    assert suggestions.nearby_duplicates(db, "lighting", lat, lon, precise=False) == []
    assert approximate.id != exact.id


# --- command line -----------------------------------------------------------------------------


def test_cli_imports_and_searches(db, alliance, tmp_path, capsys):
    from allianz import cli  # noqa: PLC0415

    head = "Straße;Hausnummer;PLZ;Ort;Ortsteil;Breite;Länge"
    path = _csv(tmp_path / "a.csv", "\n".join([head, *_lines(alliance, BORSDORF, 3)]))
    assert cli.main(["addresses", "import", str(path)]) == 0
    assert "3 Adressen (Borsdorf 3)" in capsys.readouterr().out
    assert cli.main(["addresses", "search", "Lindenstr 2 "]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Lindenstraße 2, 04451 Borsdorf OT Panitzsch\t(Breite 51,")
    assert cli.main(["addresses", "import", str(tmp_path / "fehlt.csv")]) == 2
    assert "Datei nicht gefunden" in capsys.readouterr().err
    assert cli.main(["addresses", "search", "Nirgendwo 1"]) == 0
    assert "Keine passende Adresse." in capsys.readouterr().out


def test_a_much_smaller_file_replaces_the_index_only_when_confirmed(db, alliance, tmp_path):
    head = "Straße;Hausnummer;PLZ;Ort;Ortsteil;Breite;Länge"
    full = _csv(tmp_path / "full.csv", "\n".join([head, *_lines(alliance, BORSDORF, 10)]))
    service.import_file(db, alliance, MANAGER, full)
    small = _csv(tmp_path / "small.csv", "\n".join([head, *_lines(alliance, BORSDORF, 2)]))
    with pytest.raises(service.ShrinkUnconfirmed, match="Borsdorf: 2 statt 10"):
        service.import_file(db, alliance, MANAGER, small, token="t-small")
    assert len(_labels(db, "Lindenstr")) >= 3  # nothing changed
    summary = service.import_file(db, alliance, MANAGER, small, token="t-small", allow_shrink=True)
    assert summary.stored == {BORSDORF: 2}
