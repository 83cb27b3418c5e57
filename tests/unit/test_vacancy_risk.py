"""Leerstandsrisiko: flags from a register extract, no birth year anywhere, who sees what,
k-anonymous aggregates, expiry, owner contacts and the step into the vacancy register."""

from __future__ import annotations

import io
import logging
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import Workbook

from allianz import audit, clock, config, privacy
from allianz.accounts.model import User
from allianz.addresses import service as addresses
from allianz.addresses.model import AddressRow
from allianz.auth import Role
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.municipalities import service as municipalities
from allianz.vacancies import risk_import, risk_service, risk_store
from allianz.vacancies import service as vacancies
from allianz.vacancies.risk_model import AgeCounts, derive
from allianz.vacancies.risk_service import ContactDraft, Tally, merge_cells
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS, expected_stored

AGS = "14729060"  # Borsdorf
OTHER = "14729070"  # Brandis
STAFF = User("bauamt", "Verwaltung Borsdorf", Role.STAFF, AGS)
NEIGHBOUR = User("brandis", "Verwaltung Brandis", Role.STAFF, OTHER)
MAYOR = User("bm", "Bürgermeister Borsdorf", Role.MAYOR, AGS)
MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
CITIZEN = User("gast", "Gast", Role.CITIZEN)
TODAY = date(2026, 12, 5)

# Birth years of the test extract: chosen so that no other text of the database holds them
# (asserted before the import, so the search below can fail).
YEARS = ("1931", "1936", "1943", "1947", "1952", "1988", "1999")
EXTRACT = (
    "Straße;Hausnummer;Vorname;Familienname;Geburtsjahre\n"
    "Hauptstraße;1;Anna;Alt;1931;1936\n"  # quoted below: one cell with two years
    "Hauptstraße;2;Bernd;Bunt;1952\n"
    "Hauptstraße;3;Carla;Clever;1947;1988\n"
    "Hauptstraße;4;;;\n"
    "Hauptstraße;99;Dora;Duck;1943\n"
    "Hauptstr.;5 a;Emil;Ems;1999\n"
)


def _csv(text: str) -> str:
    """The extract with its year cells quoted (a semicolon CSV with lists inside cells)."""
    lines = text.strip().split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        parts = line.split(";")
        out.append(";".join(parts[:4]) + ';"' + ";".join(parts[4:]) + '"')
    return "\n".join(out) + "\n"


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(datetime(2026, 12, 5, 10, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def areas(db):
    return municipalities.areas(db)


@pytest.fixture
def index(db, alliance):
    """Borsdorf's address index: Hauptstraße 1-6 and 5a in Panitzsch, near the seat."""
    seat = alliance.municipality(AGS)
    rows = []
    for n, (number, key) in enumerate(
        [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5a", "5a"), ("6", "6")]
    ):
        rows.append(
            AddressRow(AGS, "Hauptstraße", number, key, int(key[0]), "04451", "Borsdorf",
                       "Panitzsch", seat.seat_lat + n * 0.0003, seat.seat_lon)
        )  # fmt: skip
    addresses.replace(db, alliance, rows, "Test", TEST_ACTOR)
    return rows


def _import(db, alliance, areas, text: str, user=STAFF, suffix=".csv", tmp_path=None):
    path = tmp_path / f"auszug{suffix}"
    path.write_text(text, encoding="utf-8")
    with clock.frozen(datetime(2026, 12, 5, 9, 0, tzinfo=UTC)):
        return risk_service.import_file(db, alliance, areas, user, path)


def _count(db) -> int:
    return db.execute("SELECT count(*) FROM vacancy_risk_buildings").fetchone()[0]


# --- flags -------------------------------------------------------------------------------


def test_flags_are_derived_from_ages_groups_and_counts():
    old = AgeCounts()
    for age in (84, 81):
        old.add_age(age)
    assert derive(old) == derive(old) and derive(old).all_80 and derive(old).all_70
    assert derive(old).band == "2"
    mixed = AgeCounts()
    mixed.add_age(75)
    mixed.add_age(38)
    assert not derive(mixed).all_70 and not derive(mixed).risk
    seventies = AgeCounts()
    seventies.add_age(70)
    assert derive(seventies).all_70 and not derive(seventies).all_80
    groups = AgeCounts()
    groups.add_band(70, 1)
    groups.add_band(80, 2)
    assert derive(groups).all_70 and not derive(groups).all_80 and derive(groups).band == "3-5"
    straddling = AgeCounts()
    straddling.add_band(65, 1)  # "65-74": not known to be 70+
    assert not derive(straddling).all_70
    counted = AgeCounts()
    counted.add_unknown(7)
    assert not derive(counted).risk and derive(counted).band == "6+"
    empty = derive(AgeCounts())
    assert empty.no_resident and empty.risk and not empty.all_70 and empty.band == "0"


def test_age_group_headings_and_name_columns_are_recognised():
    rows = [
        {"Straße": "Weg", "Hausnummer": "1", "Name": "X", "Geburtsname": "Y",
         "Geschlecht": "w", "0-17": "0", "18-64": 0, "65-69": "", "70 bis 79": 1, "80+": 2,
         "unter 18": None}
    ]  # fmt: skip
    extract = risk_import.parse(rows, TODAY)
    assert extract.names_ignored == ["Name", "Geburtsname"]
    assert "Geschlecht" in extract.ignored
    flags = derive(extract.rows[0].counts)
    assert flags.all_70 and not flags.all_80 and flags.band == "3-5"


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"Geburtsjahre": "2031"}, "in der Zukunft"),
        ({"Geburtsjahre": "1937;neunzehn"}, "vierstellige Jahreszahlen"),
        ({"Geburtsjahre": ";".join(["1950"] * 10_000)}, "mehr als 1.000 Gemeldete"),
        ({"80+": "10000"}, "mehr als 1.000 Gemeldete"),
        ({"Alter": "84;-3"}, "ganze Zahlen"),
        ({"Alter": "184"}, "über 125"),
        ({"80+": "zwei"}, "keine ganze Zahl"),
    ],
)
def test_bad_cells_refuse_the_file_in_german_without_repeating_the_value(cells, message):
    row = {"Straße": "Weg", "Hausnummer": "1", **cells}
    with pytest.raises(risk_import.RiskFileError) as refused:
        risk_import.parse([row], TODAY)
    text = " ".join(refused.value.errors)
    assert message in text and "Zeile 2" in text and "Nichts wurde gespeichert." in text
    assert "2031" not in text and "1937" not in text


def test_a_file_without_residents_or_location_is_refused():
    with pytest.raises(risk_import.RiskFileError, match="Gemeldeten"):
        risk_import.parse([{"Straße": "Weg", "Hausnummer": "1", "Name": "X"}], TODAY)
    with pytest.raises(risk_import.RiskFileError, match="Lage"):
        risk_import.parse([{"Name": "X", "Geburtsjahre": "1940"}], TODAY)


# --- import --------------------------------------------------------------------------------


def test_import_stores_flags_only_and_lists_unknown_addresses(db, alliance, areas, index, tmp_path):
    result = _import(db, alliance, areas, _csv(EXTRACT), tmp_path=tmp_path)
    assert result.buildings == 5 and result.risk == 3
    assert result.unknown == ["Zeile 6: Hauptstraße 99"]  # listed, not guessed (not 9, not 1)
    assert result.names_ignored == ["Vorname", "Familienname"]
    now = "2026-12-05T09:00:00+00:00"
    stored = {b.house_number: b for b in risk_store.buildings(db, (AGS,), now)}
    assert set(stored) == {"1", "2", "3", "4", "5a"}  # "Hauptstr. 5 a" is Hauptstraße 5a
    assert stored["1"].all_80 and stored["1"].resident_band == "2"
    assert stored["2"].all_70 and not stored["2"].all_80
    assert not stored["3"].risk and stored["3"].resident_band == "2"
    assert stored["4"].no_resident and stored["4"].resident_band == "0"
    assert stored["5a"].ortsteil == "Panitzsch" and not stored["5a"].risk
    assert stored["1"].expires_at.startswith("2028-12-0")  # two years by default
    columns = {c.name for c in db["vacancy_risk_buildings"].columns}
    assert not {c for c in columns if "birth" in c or "age" in c or "year" in c}


def test_no_birth_year_survives_in_database_wal_logs_or_audit(
    db, alliance, areas, index, tmp_path, db_path, caplog
):
    caplog.set_level(logging.DEBUG)
    files = [db_path, db_path.with_name(db_path.name + "-wal")]

    def raw() -> bytes:
        return b"".join(f.read_bytes() for f in files if f.exists())

    # the years must be absent before the import, or the test could not fail: a database
    # holds timestamps and random digits, so shift them (ages change by a year or two)
    before = raw()
    shifts = [d for n in range(20) for d in (-n, n)]  # none in the future (1999 + 19)
    shift = next(d for d in shifts if not any(str(int(y) + d).encode() in before for y in YEARS))
    years = {y: str(int(y) + shift) for y in YEARS}
    extract = re.sub(r"\b(19\d\d)\b", lambda m: years.get(m.group(1), m.group(1)), EXTRACT)
    _import(db, alliance, areas, _csv(extract), tmp_path=tmp_path)
    staff_view = risk_service.buildings(db, STAFF, "Arbeitsliste", risk_only=False)
    assert len(staff_view) == 5
    after = raw()
    assert files[1].exists() or files[0].exists()
    for year in years.values():
        assert year.encode() not in after, year
        assert year.encode("utf-16-le") not in after, year
        assert year not in caplog.text, year
    assert b"Anna" not in after and b"Clever" not in after  # names were not read either
    entries = audit.recent(db, municipality_ags=AGS)
    assert not [y for y in years.values() for e in entries if y in str(e)]


def test_xlsx_extract_with_ages_and_coordinates(db, alliance, areas, tmp_path):
    seat = alliance.municipality(AGS)
    book = Workbook()
    sheet = book.active
    sheet.append(["Breite", "Länge", "Alter", "Name"])
    sheet.append([seat.seat_lat, seat.seat_lon, "82;85", "Frieda Fuchs"])
    sheet.append([seat.seat_lat + 0.001, seat.seat_lon, 77, "Gustav Gans"])
    path = tmp_path / "auszug.xlsx"
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    with clock.frozen(datetime(2026, 12, 5, tzinfo=UTC)):
        result = risk_service.import_file(db, alliance, areas, STAFF, path)
    assert result.buildings == 2 and result.risk == 2 and result.names_ignored == ["Name"]


def test_utm_coordinates_outside_the_own_municipality_are_refused(db, alliance, areas, tmp_path):
    brandis = alliance.municipality(OTHER)
    from shapely.geometry import Point  # noqa: PLC0415

    from allianz import geo  # noqa: PLC0415

    metric = geo.to_metric(Point(brandis.seat_lon, brandis.seat_lat))
    text = f"Rechtswert;Hochwert;Geburtsjahre\n{metric.x:.1f};{metric.y:.1f};1940\n"
    with pytest.raises(PermissionDenied, match="nicht in Borsdorf"):
        _import(db, alliance, areas, text, tmp_path=tmp_path)
    assert _count(db) == 0
    _import(db, alliance, areas, text, user=NEIGHBOUR, tmp_path=tmp_path)
    assert _count(db) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Straße;Hausnummer;Geburtsjahre\nHauptstraße;1;1950\nHauptstraße;2;2031\n",
        "Straße;Hausnummer;Geburtsjahre;Gemeinde\nHauptstraße;1;1950;Borsdorf\n"
        "Hauptstraße;2;1950;Stadt Brandis\n",
        "Straße;Hausnummer;80+\nHauptstraße;1;600\nHauptstraße;1;600\n",  # 1.200 at one address
    ],
)
def test_bad_input_stores_nothing(db, alliance, areas, index, tmp_path, text):
    with pytest.raises((ValidationError, PermissionDenied)) as refused:
        _import(db, alliance, areas, text, tmp_path=tmp_path)
    assert "Nichts wurde gespeichert." in refused.value.errors
    assert _count(db) == 0
    assert not [e for e in audit.recent(db) if e["action"] == "vacancy_risk.import"]


@pytest.mark.parametrize("user", [MAYOR, MANAGER, CITIZEN, User("x", "S", Role.STAFF)])
def test_only_staff_of_a_municipality_import(db, alliance, areas, index, tmp_path, user):
    with pytest.raises(PermissionDenied):
        _import(db, alliance, areas, _csv(EXTRACT), user=user, tmp_path=tmp_path)
    assert _count(db) == 0


def test_a_new_extract_replaces_the_flags_and_keeps_contacts_of_kept_buildings(
    db, alliance, areas, index, tmp_path
):
    _import(db, alliance, areas, _csv(EXTRACT), tmp_path=tmp_path)
    one = next(b for b in risk_service.buildings(db, STAFF, "Liste") if b.house_number == "1")
    risk_service.record_contact(db, STAFF, one.id, ContactDraft(TODAY, "gespraech"))
    second = "Straße;Hausnummer;Geburtsjahre\nHauptstraße;1;1940\nHauptstraße;6;1990\n"
    result = _import(db, alliance, areas, second, tmp_path=tmp_path)
    assert result.removed == 4
    kept, contacts = risk_service.building(db, STAFF, one.id)
    assert kept.all_80 and len(contacts) == 1
    assert db.execute("SELECT count(*) FROM vacancy_risk_contacts").fetchone()[0] == 1


# --- who sees what ---------------------------------------------------------------------------


def test_building_level_data_only_for_the_own_municipalitys_staff_and_every_view_is_audited(
    db, alliance, areas, index, tmp_path
):
    _import(db, alliance, areas, _csv(EXTRACT), tmp_path=tmp_path)
    seen = risk_service.buildings(db, STAFF, "Karte", ortsteil="Panitzsch")
    assert {b.house_number for b in seen} == {"1", "2", "4"}
    row = audit.recent(db, municipality_ags=AGS)[0]
    assert row["action"] == "vacancy_risk.view" and row["actor"] == "bauamt"
    assert "Panitzsch" in row["details"] and "Karte" in row["details"]
    assert risk_service.buildings(db, NEIGHBOUR, "Liste") == []  # Brandis has none
    for user in (NEIGHBOUR,):
        with pytest.raises(PermissionDenied):
            risk_service.building(db, user, seen[0].id)
        with pytest.raises(PermissionDenied):
            risk_service.record_contact(db, user, seen[0].id, ContactDraft(TODAY, "gespraech"))
    for user in (MAYOR, MANAGER, CITIZEN):
        with pytest.raises(PermissionDenied):
            risk_service.buildings(db, user, "Liste")
        with pytest.raises(PermissionDenied):
            risk_service.building(db, user, seen[0].id)


def test_aggregates_for_the_desk_each_municipality_for_itself(db, alliance, areas, index, tmp_path):
    _import(db, alliance, areas, _csv(EXTRACT), tmp_path=tmp_path)
    rows = risk_service.ortsteile(db, MAYOR)
    assert [(r.label, r.tally.buildings, r.tally.risk) for r in rows] == [("Panitzsch", 5, 3)]
    assert len(risk_service.ortsteile(db, MANAGER)) == 1
    assert risk_service.ortsteile(db, User("bm2", "BM", Role.MAYOR, OTHER)) == []
    with pytest.raises(PermissionDenied):
        risk_service.ortsteile(db, User("bm2", "BM", Role.MAYOR, OTHER), AGS)
    for user in (CITIZEN, User("ak", "AK", Role.WORKING_GROUP), User("t", "T", Role.HOST)):
        with pytest.raises(PermissionDenied):
            risk_service.ortsteile(db, user)
        with pytest.raises(PermissionDenied):
            risk_service.grid(db, user)


# --- k-anonymity -----------------------------------------------------------------------------


def _tally(n: int, risk: int = 0) -> Tally:
    return Tally(buildings=n, risk=risk)


def test_a_cell_of_four_next_to_a_cell_of_six_is_never_shown_alone():
    groups = merge_cells({(0, 0): _tally(4, 4), (1, 0): _tally(6, 1)})
    assert len(groups) == 1
    assert groups[0].cells == {(0, 0), (1, 0)} and groups[0].tally.buildings == 10
    assert groups[0].tally.risk == 5  # the four risk buildings are not singled out


def test_small_cells_join_their_nearest_group_and_nothing_is_dropped_while_others_show():
    cells = {(0, 0): _tally(6), (1, 0): _tally(5), (3, 0): _tally(2), (9, 9): _tally(1)}
    groups = merge_cells(cells)
    assert all(g.tally.buildings >= 5 for g in groups)
    assert sum(g.tally.buildings for g in groups) == 14  # total minus shown reveals nothing
    assert any({(3, 0), (1, 0)} <= g.cells for g in groups)
    assert merge_cells({(0, 0): _tally(4)}) == []  # fewer than k in all: nothing shown


def test_grid_of_real_points_merges_the_adversarial_layout(db, alliance, areas, tmp_path):
    from shapely.geometry import Point  # noqa: PLC0415

    from allianz import geo  # noqa: PLC0415

    seat = alliance.municipality(AGS)
    base = geo.to_metric(Point(seat.seat_lon, seat.seat_lat))
    x0, y0 = (base.x // 500) * 500, (base.y // 500) * 500
    lines = ["Rechtswert;Hochwert;Geburtsjahre"]
    for i in range(4):  # four buildings, all 80+, in one cell
        lines.append(f"{x0 + 100 + i * 20};{y0 + 250};1930")
    for i in range(6):  # six younger households in the cell east of it
        lines.append(f"{x0 + 600 + i * 20};{y0 + 250};1990")
    _import(db, alliance, areas, "\n".join(lines) + "\n", tmp_path=tmp_path)
    groups = risk_service.grid(db, MAYOR)
    assert [(g.cells, g.tally.buildings, g.tally.all_80) for g in groups] == [(2, 10, 4)]
    assert groups[0].geometry.area > 0


def test_small_ortsteile_are_shown_together():
    from allianz.vacancies.risk_model import RiskBuilding  # noqa: PLC0415

    def b(i: int, ortsteil: str, old: bool) -> RiskBuilding:
        return RiskBuilding(i, AGS, str(i), "W", str(i), ortsteil, 51.0, 12.0, old, False,
                            False, "1", None, "", "")  # fmt: skip

    items = [b(i, "Groß", i % 2 == 0) for i in range(7)]
    items += [b(10 + i, "Klein", True) for i in range(3)]
    items += [b(20 + i, "Winzig", True) for i in range(1)]
    groups = dict(risk_service.ortsteil_groups(items))
    assert set(groups) == {"Groß und übrige Ortsteile"}
    assert groups["Groß und übrige Ortsteile"].buildings == 11
    items += [b(30 + i, "Mittel", False) for i in range(2)]
    groups = dict(risk_service.ortsteil_groups(items))
    assert set(groups) == {"Groß", "übrige Ortsteile"}
    assert groups["übrige Ortsteile"].buildings == 6


# --- expiry ------------------------------------------------------------------------------------


def test_flags_expire_after_the_configured_years_and_are_purged(
    db, alliance, areas, index, tmp_path, monkeypatch
):
    real = config.section
    monkeypatch.setattr(
        config,
        "section",
        lambda a, name: {"keep_years": 1} if name == "vacancy_risk" else real(a, name),
    )
    _import(db, alliance, areas, _csv(EXTRACT), tmp_path=tmp_path)
    one = next(b for b in risk_service.buildings(db, STAFF, "Liste"))
    assert one.expires_at.startswith("2027-12-0")
    risk_service.record_contact(db, STAFF, one.id, ContactDraft(TODAY, "kein_interesse", "x"))
    later = datetime(2027, 12, 7, tzinfo=UTC)
    with clock.frozen(later):
        assert risk_service.buildings(db, STAFF, "Liste") == []  # hidden once expired
        assert risk_service.ortsteile(db, MAYOR) == []
        with pytest.raises(NotFound):
            risk_service.building(db, STAFF, one.id)
        counts = privacy.purge(db, 24, TEST_ACTOR, now=later)
    assert counts["vacancy_risk_buildings"] == 5 and counts["vacancy_risk_contacts"] == 1
    assert _count(db) == 0


def test_keep_years_is_checked(alliance, monkeypatch):
    assert risk_service.keep_years(alliance) == 2
    monkeypatch.setattr(config, "section", lambda a, name: {"keep_years": "zwei"})
    with pytest.raises(ValidationError, match="keep_years"):
        risk_service.keep_years(alliance)


# --- contacts and the vacancy register ------------------------------------------------------


def test_a_building_enters_the_register_only_with_recorded_consent(
    db, alliance, areas, index, tmp_path
):
    _import(db, alliance, areas, _csv(EXTRACT), tmp_path=tmp_path)
    four = next(b for b in risk_service.buildings(db, STAFF, "Liste") if b.house_number == "4")
    with pytest.raises(ValidationError, match="Einwilligung"):
        risk_service.to_register(db, alliance, areas, STAFF, four.id)
    risk_service.record_contact(db, STAFF, four.id, ContactDraft(TODAY, "einwilligung"))
    with pytest.raises(PermissionDenied):
        risk_service.to_register(db, alliance, areas, NEIGHBOUR, four.id)
    later = TODAY + timedelta(days=0)
    risk_service.record_contact(db, STAFF, four.id, ContactDraft(later, "kein_interesse"))
    with pytest.raises(ValidationError, match="Einwilligung"):  # the newest step decides
        risk_service.to_register(db, alliance, areas, STAFF, four.id)
    risk_service.record_contact(db, STAFF, four.id, ContactDraft(later, "einwilligung"))
    site_id = risk_service.to_register(db, alliance, areas, STAFF, four.id)
    site = vacancies.get(db, site_id)
    assert site.type == "leerstand" and site.address == "Hauptstraße 4"
    assert site.municipality_ags == AGS and site.owner_contacted_on == TODAY.isoformat()
    assert not site.publication_consent  # consent to the register is not to publication
    assert risk_store.get(db, four.id, "2026-12-05").site_id == site_id
    with pytest.raises(Conflict):
        risk_service.to_register(db, alliance, areas, STAFF, four.id)
    projection = risk_service.projection(db, MAYOR)[0]
    assert projection.vacant_now == 1 and projection.unregistered_now == 0
    assert (projection.in_5_years, projection.in_10_years) == (2, 3)


def test_contact_input_is_checked(db, alliance, areas, index, tmp_path):
    _import(db, alliance, areas, _csv(EXTRACT), tmp_path=tmp_path)
    one = risk_service.buildings(db, STAFF, "Liste")[0]
    with pytest.raises(ValidationError) as refused:
        risk_service.record_contact(
            db, STAFF, one.id, ContactDraft(date(2099, 1, 1), "vielleicht", "x" * 1001)
        )
    assert len(refused.value.errors) == 3
    with pytest.raises(ValidationError, match="Datum"):
        risk_service.record_contact(db, STAFF, one.id, ContactDraft(None, "gespraech"))


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_notes_are_kept_as_text(db, alliance, areas, index, tmp_path, text):
    _import(db, alliance, areas, _csv(EXTRACT), tmp_path=tmp_path)
    one = risk_service.buildings(db, STAFF, "Liste")[0]
    risk_service.record_contact(db, STAFF, one.id, ContactDraft(TODAY, "gespraech", text))
    _, contacts = risk_service.building(db, STAFF, one.id)
    assert contacts[0].note == expected_stored(text)


def test_notes_answer_to_export_and_erasure(db, alliance, areas, index, tmp_path):
    _import(db, alliance, areas, _csv(EXTRACT), tmp_path=tmp_path)
    one = risk_service.buildings(db, STAFF, "Liste")[0]
    note = "Sohn erreichbar unter kai.kind@example.org"
    risk_service.record_contact(db, STAFF, one.id, ContactDraft(TODAY, "gespraech", note))
    found = privacy.export(db, "Kai.Kind@example.org", TEST_ACTOR)["vacancy_risk_contacts"]
    assert [r["note"] for r in found] == [note]
    privacy.erase(db, "kai.kind@example.org", TEST_ACTOR)
    assert risk_service.building(db, STAFF, one.id)[1][0].note == privacy.ERASED


# --- the steering group's figures --------------------------------------------------------------


def test_figures_per_member_only_and_only_from_five_buildings(db, alliance, areas, index, tmp_path):
    from allianz.figures import ALLIANCE, FigureRequest, Period  # noqa: PLC0415
    from allianz.vacancies import risk_figures  # noqa: PLC0415

    request = FigureRequest(db, alliance, areas, Period(TODAY, TODAY), TODAY)
    assert risk_figures.sections(request) == []  # no extract: no section
    _import(db, alliance, areas, _csv(EXTRACT), tmp_path=tmp_path)
    section = risk_figures.sections(request)[0]
    assert section.value("buildings", AGS) == 5 and section.value("risk", AGS) == 3
    assert section.value("share", AGS) == 60.0
    assert (section.value("in_5_years", AGS), section.value("in_10_years", AGS)) == (2, 3)
    assert section.value("risk", ALLIANCE) == 3
    assert list(section.frame.columns) == [ALLIANCE, AGS]
    from allianz.summary import service as summary  # noqa: PLC0415

    pdf = summary.report_for(db, alliance, areas, MAYOR, Period(TODAY, TODAY), AGS)
    assert pdf.startswith(b"%PDF")  # the council report takes the section as it is
    text = "Straße;Hausnummer;Geburtsjahre\nHauptstraße;1;1940\nHauptstraße;2;1941\n"
    _import(db, alliance, areas, text, tmp_path=tmp_path)  # two buildings: below k
    assert risk_figures.sections(request) == []


def test_an_address_in_two_ortsteile_needs_the_ortsteil(db, alliance, areas, tmp_path):
    seat = alliance.municipality(AGS)
    rows = [
        AddressRow(AGS, "Dorfstraße", "1", "1", 1, "04451", "Borsdorf", ortsteil,
                   seat.seat_lat + i * 0.001, seat.seat_lon)
        for i, ortsteil in enumerate(("Panitzsch", "Zweenfurth"))
    ]  # fmt: skip
    addresses.replace(db, alliance, rows, "Test", TEST_ACTOR)
    text = "Straße;Hausnummer;Geburtsjahre\nDorfstraße;1;1940\n"
    with pytest.raises(ValidationError) as refused:  # nothing placed: nothing stored
        _import(db, alliance, areas, text, tmp_path=tmp_path)
    assert any("in mehreren Ortsteilen" in e for e in refused.value.errors)
    text = "Straße;Hausnummer;Ortsteil;Geburtsjahre\nDorfstraße;1;Zweenfurth;1940\n"
    result = _import(db, alliance, areas, text, tmp_path=tmp_path)
    assert result.buildings == 1 and result.unknown == []
    assert risk_service.buildings(db, STAFF, "Liste")[0].ortsteil == "Zweenfurth"


def test_demo_flags_for_every_member_are_counts_only_and_load_once(db, alliance, areas):
    from allianz.vacancies import risk_demo  # noqa: PLC0415 - only this test

    assert risk_demo.load(db, alliance, areas, TEST_ACTOR) == 40 * len(areas)
    assert risk_demo.load(db, alliance, areas, TEST_ACTOR) == 0  # idempotent
    per = dict(
        db.execute(
            "SELECT municipality_ags, count(*) FROM vacancy_risk_buildings GROUP BY 1"
        ).fetchall()
    )
    assert set(per) == {a.ags for a in areas} and set(per.values()) == {40}
    risky = db.execute(
        "SELECT count(*) FROM vacancy_risk_buildings WHERE all_70 = 1 OR no_resident = 1"
    ).fetchone()[0]
    assert 0 < risky < 40 * len(areas)
    columns = {c.name for c in db["vacancy_risk_buildings"].columns}
    assert not {c for c in columns if "birth" in c or "age" in c} - {"resident_band"}
    tallies = risk_service.municipality_tallies(db)
    assert sum(t.buildings for t in tallies.values()) == 40 * len(areas)


def test_cli_imports_an_extract_for_a_member(db, alliance, areas, index, tmp_path, db_path):
    from click.testing import CliRunner  # noqa: PLC0415 - only this test

    from allianz import cli as root_cli  # noqa: PLC0415

    path = tmp_path / "auszug.csv"
    path.write_text(_csv(EXTRACT), encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(
        root_cli.command_tree(), ["vacancies", "risk-import", str(path), "--gemeinde", AGS]
    )
    assert done.exit_code == 0, done.output
    assert "Gebäude übernommen" in done.output
    assert _count(db) > 0
    foreign = runner.invoke(
        root_cli.command_tree(), ["vacancies", "risk-import", str(path), "--gemeinde", "0"]
    )
    assert foreign.exit_code == 2 and "keine Mitgliedsgemeinde" in foreign.output
