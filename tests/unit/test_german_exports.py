"""CSV files for people are German (issue 19, items 7–9): `;`, decimal comma, 04.12.2026,
German headings, labels instead of codes, empty cells empty. Each file is parsed back with
the csv module. The vacancy CSV is also our own import format: export → import round trip."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest

from allianz import demo_geodata, formatting
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.municipalities import service as municipalities
from allianz.networks import service as networks
from allianz.networks import store as network_store
from allianz.suggestions import service as suggestions
from allianz.suggestions import store as suggestion_store
from allianz.vacancies import files, service, store
from allianz.vacancies.model import Owner
from tests.conftest import TEST_ACTOR

MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
AK = User("ak", "Arbeitskreis", Role.WORKING_GROUP, id=1)
TODAY = date(2026, 11, 22)
GERMAN_DATE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")
GERMAN_DATETIME = re.compile(r"^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def areas(db):
    return municipalities.areas(db)


def parse(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def no_dot_decimals_or_iso(rows: list[dict], *text_columns: str) -> None:
    for row in rows:
        for heading, cell in row.items():
            if heading in text_columns:
                continue
            assert cell != "None" and not ISO.search(cell), (heading, cell)
            assert not re.fullmatch(r"-?\d+\.\d+", cell), (heading, cell)


def test_csv_cells_are_german():
    cell = formatting.csv_cell
    assert [cell(None), cell(float("nan")), cell(True), cell(False)] == ["", "", "ja", "nein"]
    assert [cell(1234), cell(1234.5), cell(2.0), cell(-0.25)] == ["1234", "1234,5", "2", "-0,25"]
    assert cell(date(2026, 12, 4)) == "04.12.2026"
    assert cell("=SUM(A1)") == "'=SUM(A1)"
    assert formatting.de_date(None, empty="") == "" and formatting.de_date(None) == "–"
    text = formatting.de_csv(["Fläche m²", "leer seit"], [[812.5, None]])
    assert parse(text) == [{"Fläche m²": "812,5", "leer seit": ""}]


@pytest.fixture
def net(db, alliance):
    networks.load_demo(db, demo_geodata.load_networks(alliance), TEST_ACTOR)
    return db


def test_network_gaps_and_priority_csv(net):
    segment = network_store.all_segments(net)[0]
    networks.record_review(
        net,
        AK,
        segment.id,
        networks.ReviewInput(condition=4, comment="Wurzelaufbrüche", gap=True),
    )
    rows = parse(networks.gaps_and_priority_csv(net))
    assert list(rows[0]) == list(networks.GAPS_CSV_HEADINGS)
    assert rows and all(r["Lücke"] == "ja" or r["Priorität"] == "A" for r in rows)
    reviewed = next(r for r in rows if r["Nr."] == str(segment.id))
    assert reviewed["Zustand"] == "4 – schlecht" and reviewed["Bemerkung"] == "Wurzelaufbrüche"
    assert GERMAN_DATE.match(reviewed["zuletzt geprüft"])
    statuses = {"Idee", "Planung", "Umsetzung", "fertig", "verworfen"}
    assert {r["Status"] for r in rows} <= statuses
    assert {r["Radwegenetz"] for r in rows} <= {"ja", "nein"}
    assert all("," in r["Länge km"] or r["Länge km"].isdigit() for r in rows)
    assert any(r["Gemeinden"] for r in rows)
    no_dot_decimals_or_iso(rows, "Name", "Bemerkung")


def test_suggestions_csv_is_german_and_geojson_keeps_codes(db, alliance, areas):
    created = suggestions.submit(
        db,
        alliance,
        areas,
        suggestions.Submission(
            category="lighting",
            title="Lampe defekt",
            description="Die Straßenlampe flackert.",
            lat=51.2778,
            lon=12.5883,
        ),
    )
    items = suggestion_store.search(db, suggestion_store.Filters())
    rows = parse(suggestions.export_csv(items, alliance))
    assert list(rows[0]) == list(suggestions.CSV_HEADINGS)
    row = rows[0]
    category = next(c.label for c in alliance.categories if c.code == "lighting")
    assert row["Nummer"] == created.ref and row["Kategorie"] == category
    assert row["Status"] == "neu" and row["Gemeinde"] == "Stadt Naunhof"
    assert row["Breite"] == "51,2778" and row["Länge"] == "12,5883"
    assert row["Antwort"] == "" and row["Adresse"] == ""  # empty, never "None"
    assert GERMAN_DATETIME.match(row["gemeldet am"]) and GERMAN_DATETIME.match(row["geändert am"])
    no_dot_decimals_or_iso(rows, "Titel", "Beschreibung")
    properties = json.loads(suggestions.export_geojson(items, alliance))["features"][0][
        "properties"
    ]
    assert properties["status"] == "new" and properties["category"] == "lighting"
    assert properties["status_label"] == "neu" and properties["category_label"] == category
    assert properties["created_at"] == created.created_at  # ISO 8601 for machines


def test_vacancy_csv_is_german_and_reimports_to_the_same_register(db, alliance, areas, tmp_path):
    seat = alliance.municipality("14729060")
    service.create(
        db,
        alliance,
        areas,
        MANAGER,
        {
            "type": "leerstand",
            "status": "in_progress",
            "lat": seat.seat_lat + 0.001,
            "lon": seat.seat_lon + 0.001,
            "area_m2": 812.5,
            "vacant_since": "2021-05-01",
            "next_review": "2027-03-04",
            "publication_consent": True,
        },
        Owner("Erika Eigentümerin", "0341 123456", "will verkaufen"),
        today=TODAY,
    )
    service.create(
        db,
        alliance,
        areas,
        MANAGER,
        {"type": "baulücke", "municipality_ags": "14729300", "address": "Markt 1"},
        today=TODAY,
    )
    before = store.search(db)
    data = files.write(before, alliance, "csv", store.owners(db))
    rows = parse(data.decode("utf-8-sig"))
    first = next(r for r in rows if r["Art"] == "Leerstand (Gebäude)")
    assert first["Gemeinde"] == seat.name and first["Stand"] == "in Vermittlung"
    assert first["Fläche m²"] == "812,5" and "," in first["Breite"] and "," in first["Länge"]
    assert first["leer seit"] == "01.05.2021" and first["nächste Prüfung"] == "04.03.2027"
    assert first["Veröffentlichung erlaubt"] == "ja" and first["Lage genau"] == "ja"
    seat_only = next(r for r in rows if r["Art"] == "Baulücke")
    assert seat_only["Lage genau"] == "nein"
    assert seat_only["Fläche m²"] == "" and seat_only["leer seit"] == ""  # empty, not "None"
    no_dot_decimals_or_iso(rows, "Adresse", "Beschreibung")

    # … and our importer takes exactly what the exporter wrote
    path = tmp_path / "leerstand.csv"
    path.write_bytes(data)
    path_rows = files.read_rows(path, alliance)
    result = service.import_rows(db, alliance, areas, MANAGER, path_rows, today=TODAY)
    assert result.count == 2
    after = store.search(db)
    originals = {s.id: s.values() for s in before}
    copies = [s for s in after if s.id not in originals]
    assert sorted(map(_key, originals.values())) == sorted(_key(c.values()) for c in copies)
    copy = next(c for c in copies if c.type == "leerstand")
    assert store.owner(db, copy.id).name == "Erika Eigentümerin"


def test_importer_reads_a_comma_decimal_csv_with_few_rows(alliance, tmp_path):
    """One data row full of decimal commas must not make the reader split at commas."""
    path = tmp_path / "liste.csv"
    path.write_text("Art;Breite;Länge;Fläche m²\nBaulücke;51,3469;12,5383;812,5\n", "utf-8")
    assert files.read_rows(path, alliance) == [
        {"type": "Baulücke", "lat": "51,3469", "lon": "12,5383", "area_m2": "812,5"}
    ]


def _key(values: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in values.items()))


def test_vacancy_xlsx_has_excel_dates_and_reimports_to_the_same_register(
    db, alliance, areas, tmp_path
):
    """Dates are Excel dates shown as 04.12.2026 (never ISO text), numbers are numbers, and
    our importer reads the file back to the same register."""
    from openpyxl import load_workbook

    seat = alliance.municipality("14729060")
    service.create(
        db,
        alliance,
        areas,
        MANAGER,
        {
            "type": "leerstand",
            "status": "in_progress",
            "lat": seat.seat_lat + 0.001,
            "lon": seat.seat_lon + 0.001,
            "area_m2": 812.5,
            "vacant_since": "2021-05-01",
            "owner_contacted_on": "2026-11-04",
            "next_review": "2027-03-04",
            "publication_consent": True,
        },
        Owner("Erika Eigentümerin", "0341 123456", "will verkaufen"),
        today=TODAY,
    )
    service.create(
        db,
        alliance,
        areas,
        MANAGER,
        {"type": "baulücke", "municipality_ags": "14729300", "address": "Markt 1"},
        today=TODAY,
    )
    before = store.search(db)
    data = files.write(before, alliance, "xlsx", store.owners(db))
    path = tmp_path / "leerstand.xlsx"
    path.write_bytes(data)

    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows())
    headings = [c.value for c in rows[0]]
    by_heading = [dict(zip(headings, row, strict=True)) for row in rows[1:]]
    first = next(r for r in by_heading if r["Art"].value == "Leerstand (Gebäude)")
    for heading, day in (
        ("leer seit", date(2021, 5, 1)),
        ("Eigentümer angesprochen am", date(2026, 11, 4)),
        ("nächste Prüfung", date(2027, 3, 4)),
    ):
        cell = first[heading]
        assert cell.is_date and cell.value.date() == day, (heading, cell.value)
        assert cell.number_format == "DD.MM.YYYY"
    assert first["Fläche m²"].value == 812.5 and isinstance(first["Breite"].value, float)
    assert first["Veröffentlichung erlaubt"].value == "ja"
    assert first["Gemeinde"].value == seat.name and first["Stand"].value == "in Vermittlung"
    seat_only = next(r for r in by_heading if r["Art"].value == "Baulücke")
    assert seat_only["leer seit"].value is None and seat_only["Fläche m²"].value is None
    texts = [c.value for row in rows for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if ISO.search(t) or t in ("None", "nan")], texts

    path_rows = files.read_rows(path, alliance)
    result = service.import_rows(db, alliance, areas, MANAGER, path_rows, today=TODAY)
    assert result.count == 2
    after = store.search(db)
    originals = {s.id: s.values() for s in before}
    copies = [s for s in after if s.id not in originals]
    assert sorted(map(_key, originals.values())) == sorted(_key(c.values()) for c in copies)
    copy = next(c for c in copies if c.type == "leerstand")
    assert copy.owner_contacted_on == "2026-11-04" and copy.vacant_since == "2021-05-01"
    assert store.owner(db, copy.id).name == "Erika Eigentümerin"
