"""Leerstandsrisiko pages in AppTest: staff import, work list, contact with consent, the
register entry; the mayor and the office see aggregates only, never an address."""

from datetime import date

import pytest

from allianz import audit
from allianz.accounts.model import User
from allianz.addresses import service as addresses
from allianz.addresses.model import AddressRow
from allianz.auth import Role
from allianz.municipalities import service as municipalities
from allianz.vacancies import risk_import, risk_service
from allianz.vacancies import service as vacancies
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS
from tests.views.conftest import folium_maps, open_page

AGS = "14729060"  # Borsdorf: the staff account of the page tests works here
RISK = "allianz/vacancies/pages/vacancy_risk.py"
OVERVIEW = "allianz/vacancies/pages/vacancy_risk_overview.py"
STAFF = User("verwaltung", "Verwaltung", Role.STAFF, AGS)
EXTRACT = (
    "Straße;Hausnummer;Name;Geburtsjahre\n"
    'Lindenweg;1;Anna Alt;"1931;1936"\n'
    "Lindenweg;2;Bernd Bunt;1952\n"
    'Lindenweg;3;Carla Clever;"1947;1988"\n'
    "Lindenweg;4;;\n"
    "Lindenweg;5;Emil Ems;1999\n"
    "Lindenweg;6;Fritz Fuchs;1941\n"
    "Lindenweg;77;Dora Duck;1943\n"
)


@pytest.fixture
def index(db, alliance):
    seat = alliance.municipality(AGS)
    rows = [
        AddressRow(AGS, "Lindenweg", str(n), str(n), n, "04451", "Borsdorf", "Borsdorf",
                   seat.seat_lat + n * 0.0002, seat.seat_lon)
        for n in range(1, 7)
    ]  # fmt: skip
    addresses.replace(db, alliance, rows, "Test", TEST_ACTOR)


@pytest.fixture
def imported(db, alliance, index, tmp_path):
    path = tmp_path / "auszug.csv"
    path.write_text(EXTRACT, encoding="utf-8")
    extract = risk_import.read(path, date(2026, 12, 5))
    risk_service.import_extract(db, alliance, municipalities.areas(db), STAFF, extract)
    return {b.house_number: b for b in risk_service.buildings(db, STAFF, "Test", risk_only=False)}


def _everything(at) -> str:
    parts = [str(at.main), str(at.sidebar)]
    parts += [str(d.value) for d in at.dataframe]
    parts += [m.proto.json_args for m in folium_maps(at)]
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def test_staff_import_an_extract_through_the_page(run_page, db, index):
    at = open_page(run_page, Role.STAFF, RISK)
    at.session_state["risk-tab"] = "Auszug einlesen"
    at.run()
    at.file_uploader[0].upload("auszug.csv", EXTRACT.encode(), "text/csv").run()
    next(b for b in at.button if b.label == "Auszug übernehmen").click().run()
    assert not at.exception, at.exception
    message = " ".join(s.value for s in at.success)
    assert "6 Gebäude übernommen, davon 4 Risikogebäude" in message, message
    assert "„Name“" in message and "Lindenweg 77" in message
    assert "1931" not in _everything(at)


def test_a_refused_extract_shows_german_errors_and_stores_nothing(run_page, db, index):
    at = open_page(run_page, Role.STAFF, RISK)
    at.session_state["risk-tab"] = "Auszug einlesen"
    at.run()
    bad = "Straße;Hausnummer;Geburtsjahre\nLindenweg;1;2091\nLindenweg;2;1950\n"
    at.file_uploader[0].upload("auszug.csv", bad.encode(), "text/csv").run()
    next(b for b in at.button if b.label == "Auszug übernehmen").click().run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Zeile 2: ein Geburtsjahr liegt in der Zukunft." in errors.replace("\\", "")
    assert "2091" not in errors
    assert risk_service.buildings(db, STAFF, "Test", risk_only=False) == []


def test_staff_see_the_work_list_and_the_map_and_each_view_is_audited(run_page, db, imported):
    at = open_page(run_page, Role.STAFF, RISK)
    table = at.dataframe[0].value
    assert set(table["Adresse"]) == {"Lindenweg 1", "Lindenweg 2", "Lindenweg 4", "Lindenweg 6"}
    assert audit.recent(db, municipality_ags=AGS)[0]["action"] == "vacancy_risk.view"
    at.session_state["risk-tab"] = "Karte"
    at.run()
    assert not at.exception and len(folium_maps(at)) == 1
    assert "Lindenweg 4" in folium_maps(at)[0].proto.json_args
    views = [
        e for e in audit.recent(db, municipality_ags=AGS) if e["action"] == "vacancy_risk.view"
    ]
    assert any("Karte" in e["details"] for e in views)


def test_staff_record_consent_and_move_the_building_into_the_register(run_page, db, imported):
    four = imported["4"]
    at = open_page(run_page, Role.STAFF, RISK, gebaeude=str(four.id))
    assert at.subheader[0].value == "Lindenweg 4"
    register = next(b for b in at.button if b.label == "Ins Leerstandskataster übernehmen")
    assert register.disabled
    next(s for s in at.selectbox if s.label == "Ergebnis").set_value("einwilligung")
    next(t for t in at.text_area if t.label == "Notiz (intern)").input("Tochter stimmt zu")
    next(b for b in at.button if b.label == "Kontakt speichern").click().run()
    assert not at.exception, at.exception
    assert any("Kontakt gespeichert." in s.value for s in at.success)
    next(b for b in at.button if b.label == "Ins Leerstandskataster übernehmen").click().run()
    assert not at.exception, at.exception
    assert any("Ins Leerstandskataster übernommen als Fläche L-" in s.value for s in at.success)
    site = vacancies.register(db, (AGS,))[-1]
    assert site.address == "Lindenweg 4" and site.type == "leerstand"


def test_hostile_notes_are_shown_as_text(run_page, db, imported):
    one = imported["1"]
    for text in CORPUS:
        risk_service.record_contact(
            db, STAFF, one.id, risk_service.ContactDraft(date(2026, 12, 1), "gespraech", text)
        )
    at = open_page(run_page, Role.STAFF, RISK, gebaeude=str(one.id))
    assert not at.exception
    notes = "\n".join(m.value for m in at.markdown)
    assert r"\<script\>window" in notes  # escaped: shown as text, never as markup
    assert "<script>" not in notes


@pytest.mark.parametrize("role", [Role.MAYOR, Role.MANAGER])
def test_mayor_and_office_see_aggregates_only(run_page, db, alliance, imported, role):
    bm = User("bm-borsdorf", "BM", Role.MAYOR, AGS)
    assert risk_service.ortsteile(db, bm)  # the data is there
    at = open_page(run_page, role, OVERVIEW)
    if role is Role.MANAGER:
        assert any(m.value == "6" for m in at.metric)
        shown = _everything(at)
    else:  # the page tests' mayor works in Brandis, which has no extract
        assert any("Noch kein Melderegister-Auszug" in i.value for i in at.info)
        shown = _everything(at)
    for tab in ("Je Ortsteil", "Raster", "Ausblick 5/10 Jahre"):
        at.session_state["risk-overview-tab"] = tab
        at.run()
        assert not at.exception, (tab, at.exception)
        shown += _everything(at)
    assert "Lindenweg" not in shown and "Einfache Annahme" in shown


def test_staff_export_and_import_the_fmd_file(run_page, db, imported):
    at = open_page(run_page, Role.STAFF, "allianz/vacancies/pages/vacancy_fmd.py")
    assert at.title[0].value == "FMD-Austausch"
    assert any(b.label == "FMD-Datei exportieren (CSV)" for b in at.get("download_button"))
    table = at.dataframe[0].value
    assert "Leerstandsrisiko" in set(table["FMD-Kategorie"])
    seat_row = (
        "Kennung;Kategorie;Restnutzung;Gemeindeschlüssel;Lage\n"
        "F1;Baulücke;nein;14729060;Am Markt 3\n"
    )
    at.file_uploader[0].upload("fmd.csv", seat_row.encode(), "text/csv").run()
    next(b for b in at.button if b.label == "Importieren").click().run()
    assert not at.exception, at.exception
    assert any("1 Fläche importiert." in s.value for s in at.success), _everything(at)
    assert vacancies.register(db, (AGS,))[-1].address == "Am Markt 3"
