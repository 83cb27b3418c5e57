"""Vacancy register: validation, scope, history and as-of, statistics, files, owner-data rule."""

from __future__ import annotations

import csv
import io
import json
import statistics
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from allianz import audit, limits, mail, visitors
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import NotFound, PermissionDenied
from allianz.municipalities import service as municipalities
from allianz.vacancies import analysis, files, service, store
from allianz.vacancies.model import TYPES, Owner
from tests.conftest import TEST_ACTOR

MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
STAFF = User("borsdorf", "Verwaltung Borsdorf", Role.STAFF, "14729060")
MAYOR = User("bm", "Bürgermeister", Role.MAYOR, "14729060")
CITIZEN = User("anonym", "Gast", Role.CITIZEN)
TODAY = date(2026, 11, 22)
OWNER = Owner("Erika Eigentümerin", "0341 123456", "will verkaufen")


@pytest.fixture
def areas(db):
    return municipalities.areas(db)


def point_in(alliance, ags: str) -> tuple[float, float]:
    seat = alliance.municipality(ags)
    return seat.seat_lat, seat.seat_lon


def site_data(alliance, ags="14729060", **extra) -> dict:
    lat, lon = point_in(alliance, ags)
    return {"type": "baulücke", "lat": lat, "lon": lon, "area_m2": 800} | extra


def make(db, alliance, areas, user=MANAGER, owner=None, **extra) -> int:
    return service.create(
        db, alliance, areas, user, site_data(alliance, **extra), owner, today=TODAY
    )


# --- validation -----------------------------------------------------------------------------


def test_check_accepts_labels_german_dates_and_commas(alliance, areas):
    row, errors = service.check(
        alliance,
        areas,
        site_data(
            alliance,
            type="Leerstand (Gebäude)",
            usage="WOHNEN",
            vacant_since="01.03.2019",
            owner_contacted_on="2024",
            area_m2="1.234,5".replace(".", ""),
            publication_consent="ja",
            ortsteil="Panitzsch",
        ),
        TODAY,
    )
    assert errors == []
    assert (row["type"], row["usage"]) == ("leerstand", "wohnen")
    assert (row["vacant_since"], row["owner_contacted_on"]) == ("2019-03-01", "2024-01-01")
    assert row["area_m2"] == 1234.5 and row["publication_consent"] == 1
    assert row["municipality_ags"] == "14729060" and row["status"] == "active"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"type": None}, "Art: bitte angeben"),
        ({"type": "Schloss"}, "nicht erlaubt"),
        ({"vacant_since": "2030-01-01"}, "leer seit: liegt in der Zukunft"),
        ({"next_review": "31.02.2027"}, "kein Datum"),
        ({"area_m2": "-5"}, "größer als 0"),
        ({"area_m2": "viel"}, "keine Zahl"),
        ({"publication_consent": "vielleicht"}, "ja oder nein"),
        ({"lat": 52.52, "lon": 13.40}, "außerhalb der Allianz"),
        ({"municipality_ags": "14729070"}, "liegt in Borsdorf"),
        ({"ortsteil": "Naunhof"}, "gehört nicht zu Borsdorf"),
        ({"address": "x" * 201}, "höchstens 200"),
    ],
)
def test_check_names_each_problem(alliance, areas, extra, message):
    _, errors = service.check(alliance, areas, site_data(alliance, **extra), TODAY)
    assert any(message in e for e in errors), errors


def test_address_without_coordinates_is_placed_at_the_seat(alliance, areas):
    row, errors = service.check(
        alliance,
        areas,
        {"type": "hofstelle", "municipality_ags": "14729300", "address": "Hauptstraße 3"},
        TODAY,
    )
    assert errors == []
    seat = alliance.municipality("14729300")
    assert (row["lat"], row["lon"], row["location_precise"]) == (seat.seat_lat, seat.seat_lon, 0)
    _, errors = service.check(alliance, areas, {"type": "hofstelle"}, TODAY)
    assert any("Karte" in e for e in errors)


# --- writes, scope, history -----------------------------------------------------------------


def test_staff_write_only_their_municipality(db, alliance, areas):
    with pytest.raises(PermissionDenied, match="eigenen Gemeinde"):
        make(db, alliance, areas, STAFF, ags="14729070")
    site_id = make(db, alliance, areas, STAFF)
    other = make(db, alliance, areas, MANAGER, ags="14729070")
    with pytest.raises(PermissionDenied, match="eigenen Gemeinde"):
        service.update(db, alliance, areas, STAFF, other, {"status": "reused"}, today=TODAY)
    lat, lon = point_in(alliance, "14729070")
    with pytest.raises(PermissionDenied, match="fremde Gemeinde"):
        service.update(db, alliance, areas, STAFF, site_id, {"lat": lat, "lon": lon}, today=TODAY)
    for user in (MAYOR, CITIZEN):
        with pytest.raises(PermissionDenied):
            make(db, alliance, areas, user)
    assert db["vacancy_sites"].count == 2


def test_every_edit_is_versioned_with_old_and_new_values(db, alliance, areas):
    site_id = make(db, alliance, areas, STAFF, owner=OWNER)
    assert service.update(
        db, alliance, areas, STAFF, site_id, {"status": "in_progress", "area_m2": 900}, today=TODAY
    )
    assert not service.update(db, alliance, areas, STAFF, site_id, {"area_m2": 900}, today=TODAY)
    history = store.history(db, site_id)
    assert [h["version"] for h in history] == [2, 1]
    assert history[0]["changes"] == {"status": ["active", "in_progress"], "area_m2": [800, 900]}
    assert history[0]["actor"] == "borsdorf" and history[1]["action"] == "create"
    assert store.get(db, site_id).version == 2


def test_owner_data_stays_in_its_own_table(db, alliance, areas):
    site_id = make(db, alliance, areas, STAFF, owner=OWNER, publication_consent=True)
    service.update(
        db, alliance, areas, STAFF, site_id, {}, owner=Owner("Neuer Eigentümer"), today=TODAY
    )
    dump = "\n".join(
        str(dict(row))
        for table in ("vacancy_sites", "vacancy_history", "audit")
        for row in db.query(f"SELECT * FROM {table}")
    )
    assert "Erika" not in dump and "Neuer Eigentümer" not in dump and "0341" not in dump
    assert store.history(db, site_id)[0]["changes"] == {"owner": "geändert"}
    assert service.owner_of(db, STAFF, site_id).name == "Neuer Eigentümer"
    for user in (MAYOR, CITIZEN, User("nachbar", "N", Role.STAFF, "14729070")):
        with pytest.raises(PermissionDenied, match="Eigentümerdaten"):
            service.owner_of(db, user, site_id)


def test_register_as_of_a_past_date(db, alliance, areas, monkeypatch):
    clock = {"now": "2026-01-10T09:00:00+00:00"}
    monkeypatch.setattr(audit, "now_iso", lambda: clock["now"])
    a = make(db, alliance, areas)
    clock["now"] = "2026-03-05T09:00:00+00:00"
    b = make(db, alliance, areas, type="hofstelle")
    clock["now"] = "2026-06-01T09:00:00+00:00"
    service.update(db, alliance, areas, MANAGER, a, {"status": "reused"}, today=TODAY)

    def state(day):
        return {r["id"]: r["status"] for r in store.snapshots_as_of(db, day)}

    assert state("2026-01-09") == {}
    assert state("2026-01-10") == {a: "active"}
    assert state("2026-03-31") == {a: "active", b: "active"}
    assert state("2026-06-01") == {a: "reused", b: "active"}
    assert store.snapshots_as_of(db, "2026-02-01")[0]["type"] == "baulücke"


# --- statistics against hand-computed figures -----------------------------------------------


def rec(rid, ags, kind, area, since=None, status="active", consent=False) -> dict:
    return {
        "id": rid,
        "municipality_ags": ags,
        "type": kind,
        "area_m2": area,
        "vacant_since": since,
        "status": status,
        "publication_consent": consent,
        "lat": 51.30,
        "lon": 12.55,
    }


FIXTURE = [
    rec(1, "14729060", "baulücke", 1000, "2020-11-22", consent=True),
    rec(2, "14729060", "baulücke", 3000, "2024-11-22"),
    rec(3, "14729060", "leerstand", 500, None),
    rec(4, "14729070", "hofstelle", 4000, "2016-11-22"),
    rec(5, "14729070", "baulücke", 2000, "2010-01-01", status="reused"),
]


def test_summary_matches_hand_counts(alliance):
    frame = analysis.summary(FIXTURE, alliance, TODAY, dwellings_per_ha=15).set_index("Gemeinde")
    borsdorf, brandis, total = (
        frame.loc["Borsdorf"],
        frame.loc["Stadt Brandis"],
        frame.loc["Allianz"],
    )
    assert borsdorf["Flächen"] == 3 and borsdorf["Fläche m²"] == 4500
    assert borsdorf["je 1.000 Einw."] == round(3 / 8195 * 1000, 2)
    # 6.0 and 2.0 years (leap days included): median 4.0
    assert borsdorf["Median Jahre leer"] == 4.0
    assert borsdorf["Baulücken"] == 2 and borsdorf["Baulücken ha"] == 0.4
    assert borsdorf["Wohnungen (Schätzung)"] == 6  # 0.4 ha × 15
    assert brandis["Flächen"] == 1 and brandis["Baulücken"] == 0  # the reused one is gone
    assert total["Flächen"] == 4 and total["veröffentlicht"] == 1
    years = [
        (TODAY - date.fromisoformat(d)).days / 365.25
        for d in ("2020-11-22", "2024-11-22", "2016-11-22")
    ]
    assert total["Median Jahre leer"] == round(statistics.median(years), 1)
    assert total["je 1.000 Einw."] == round(4 / alliance.inhabitants * 1000, 2)


def test_by_type_and_change(alliance):
    frame = analysis.by_type(FIXTURE, alliance)
    row = frame[(frame["Gemeinde"] == "Borsdorf") & (frame["Art"] == "Baulücke")].iloc[0]
    assert (row["Anzahl"], row["Fläche m²"]) == (2, 4000)
    total = frame[frame["Gemeinde"] == analysis.ALLIANCE]["Anzahl"].sum()
    assert total == 4
    before = [rec(1, "14729060", "baulücke", 1, status="active"), FIXTURE[4] | {"status": "active"}]
    delta = analysis.change(before, FIXTURE, alliance).set_index("Gemeinde")
    assert delta.loc["Borsdorf"].tolist() == [1, 3, 2, 0, 2]
    assert delta.loc["Stadt Brandis"].tolist() == [1, 1, 1, 1, 0]
    assert delta.loc["Allianz"].tolist() == [2, 4, 3, 1, 2]


def test_hexbins_count_every_active_site_once(alliance):
    items = [rec(i, "14729060", "baulücke", 1) | {"lat": 51.30 + i * 1e-4} for i in range(5)]
    items.append(rec(9, "14729060", "baulücke", 1) | {"lat": 51.40, "lon": 12.70})
    items.append(rec(10, "14729060", "baulücke", 1, status="removed"))
    cells = analysis.hexbins(items, size_m=1000)
    assert sorted(cells["count"]) == [1, 5]
    assert cells.crs.to_epsg() == 4326


# --- files and import -----------------------------------------------------------------------


def test_export_never_has_owner_data_unless_internal(db, alliance, areas):
    make(db, alliance, areas, owner=OWNER, description='=HYPERLINK("http://x")')
    sites = store.search(db)
    for fmt in ("csv", "xlsx", "gpkg"):
        assert b"Erika" not in files.write(sites, alliance, fmt)
    text = files.write(sites, alliance, "csv").decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert row["Beschreibung"].startswith("'=") and "Eigentümer (Name)" not in row
    internal = files.write(sites, alliance, "xlsx", store.owners(db))
    sheet = load_workbook(io.BytesIO(internal)).active
    values = [c.value for c in sheet[2]]
    assert "Erika Eigentümerin" in values and '\'=HYPERLINK("http://x")' in values


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "gpkg"])
def test_export_reimports_to_the_same_register(db, alliance, areas, tmp_path, fmt):
    make(db, alliance, areas, owner=OWNER, ortsteil="Zweenfurth", vacant_since="2021-05-01")
    make(db, alliance, areas, ags="14729300", type="hofstelle", publication_consent=True)
    path = tmp_path / f"register.{fmt}"
    path.write_bytes(files.write(store.search(db), alliance, fmt, store.owners(db)))
    rows = files.read_rows(path, alliance)
    result = service.import_rows(db, alliance, areas, MANAGER, rows, today=TODAY)
    assert result.count == 2 and result.municipalities == {"14729060": 1, "14729300": 1}
    sites = store.search(db)
    first, copy = sites[0], next(s for s in sites if s.id == 3)
    assert {k: v for k, v in first.values().items()} == copy.values()
    assert store.owner(db, 3).name == "Erika Eigentümerin"


def test_import_is_all_or_nothing_with_row_numbers(db, alliance, areas, tmp_path):
    lat, lon = point_in(alliance, "14729060")
    path = tmp_path / "liste.csv"
    path.write_text(
        "Art;Breite;Länge;leer seit\n"
        f"Baulücke;{lat};{lon};2020\n"
        f"Burg;{lat};{lon};2020\n"
        f"Hofstelle;{lat};{lon};morgen\n",
        encoding="utf-8",
    )
    with pytest.raises(service.VacancyError) as caught:
        service.import_rows(db, alliance, areas, MANAGER, files.read_rows(path, alliance))
    assert [e.split(":")[0] for e in caught.value.errors] == ["Zeile 3", "Zeile 4"]
    assert db["vacancy_sites"].count == 0 and db["vacancy_history"].count == 0


def test_staff_import_refuses_rows_of_other_municipalities(db, alliance, areas):
    rows = [site_data(alliance), site_data(alliance, ags="14729070")]
    with pytest.raises(PermissionDenied, match="Zeile 3: liegt nicht in Ihrer Gemeinde"):
        service.import_rows(db, alliance, areas, STAFF, rows, today=TODAY)
    with pytest.raises(PermissionDenied, match="Berechtigung"):
        service.import_rows(db, alliance, areas, MAYOR, rows[:1], today=TODAY)
    assert db["vacancy_sites"].count == 0


def test_xlsx_reader_takes_names_and_short_ags(alliance, tmp_path):
    book = Workbook()
    book.active.append(["AGS", "Gemeinde", "Typ", "x", "y"])
    book.active.append([14729060, None, "Baulücke", 12.5383, 51.3469])
    book.active.append([None, "stadt naunhof", "Hofstelle", None, None])
    path = tmp_path / "liste.xlsx"
    book.save(path)
    rows = files.read_rows(path, alliance)
    assert rows[0]["municipality_ags"] == 14729060 and rows[0]["lon"] == 12.5383
    assert rows[1]["municipality_ags"] == "14729300"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("liste.xlsx", b"Art;Breite\n", "keine Excel-Datei"),
        ("liste.gpkg", b"not sqlite at all", "kein GeoPackage"),
        ("liste.csv", b"Art\x00\x00\x00", "keine Textdatei"),
        ("liste.txt", b"Art\n", "Erlaubt sind"),
        ("liste.csv", b"", "leer"),
    ],
)
def test_wrong_files_are_refused(alliance, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(files.VacancyFileError, match=message):
        files.read_rows(path, alliance)


def test_xlsx_zip_bomb_is_refused(alliance, tmp_path):
    path = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (files.MAX_XLSX_UNZIPPED + 1))
    with pytest.raises(files.VacancyFileError, match="ZIP-Bombe"):
        files.read_rows(path, alliance)


def test_oversized_file_is_refused(alliance, tmp_path):
    path = tmp_path / "gross.csv"
    path.write_bytes(b"a" * (files.MAX_BYTES + 1))
    with pytest.raises(files.VacancyFileError, match="größer"):
        files.read_rows(path, alliance)


# --- interest requests ----------------------------------------------------------------------


def test_interest_reaches_staff_by_mail_only_for_shared_sites(db, alliance, areas):
    accounts.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="bauamt",
        role="staff",
        password="sehr-geheim-123",
        municipality_ags="14729060",
        email="bauamt@borsdorf.example",
    )
    hidden = make(db, alliance, areas)
    shared = make(db, alliance, areas, publication_consent=True)
    with pytest.raises(NotFound, match="nicht \\(mehr\\) veröffentlicht"):
        service.express_interest(db, alliance, hidden, "", "a@b.de", "Ich hätte Interesse", True)
    with pytest.raises(service.VacancyError) as caught:
        service.express_interest(db, alliance, shared, "", "kaputt", "kurz", False)
    assert len(caught.value.errors) == 3
    service.express_interest(
        db, alliance, shared, "Max", "max@example.org", "Wir suchen Bauland für uns", True
    )
    [queued] = list(db.query("SELECT * FROM mail_outbox"))
    assert queued["recipient"] == "bauamt@borsdorf.example"
    assert "max@example.org" in queued["body"] and "Wir suchen Bauland" in queued["body"]
    assert store.interests(db, "14729070") == []
    assert [r["email"] for r in store.interests(db, "14729060")] == ["max@example.org"]
    assert mail.pending_count(db) == 1


def test_interest_requests_are_limited_per_visitor_not_per_session(db, alliance, areas):
    shared = make(db, alliance, areas, publication_consent=True)
    browser = visitors.Visitor(address="2001:db8:1:2::17", cookie="c" * 32, session="tab-1")

    def ask(visitor, text="Wir suchen Bauland für uns"):
        service.express_interest(db, alliance, shared, "", "max@example.org", text, True,
                                 visitor=visitor)  # fmt: skip

    with pytest.raises(service.VacancyError):
        ask(browser, "kurz")  # refused for its content: not counted
    for n in range(service.INTEREST_LIMIT.count):
        ask(browser, f"Anfrage Nummer {n} zur Fläche")
    # a reload (new session), a new browser window, another privacy address of the network
    for again in (
        visitors.Visitor(address="2001:db8:1:2::17", cookie="c" * 32, session="tab-2"),
        visitors.Visitor(address="2001:db8:1:2::17", cookie="d" * 32),
        visitors.Visitor(address="2001:db8:1:2:aaaa::99", cookie="e" * 32),
        visitors.Visitor(address="203.0.113.9", cookie="c" * 32),
    ):
        with pytest.raises(limits.LimitReached, match=r"mehrere Anfragen.* ab \d\d:\d\d Uhr"):
            ask(again)
    ask(visitors.Visitor(address="203.0.113.9", cookie="f" * 32))
    assert len(store.interests(db, "14729060")) == service.INTEREST_LIMIT.count + 1


def test_register_cache_is_kept_until_a_site_changes(db, alliance, areas):
    from allianz.vacancies import register_cache

    shared_only = store.Filters(shareable_only=True)
    site_id = make(db, alliance, areas, owner=OWNER, publication_consent=True)
    make(db, alliance, areas, description="nicht freigegeben")
    first = register_cache.shared(db, shared_only)
    assert register_cache.shared(db, shared_only) is first
    assert [s.id for s in first.sites] == [s.id for s in store.search(db, shared_only)]
    ref = store.get(db, site_id).ref
    assert json.loads(first.map_rows)[0][2:] == [ref, list(TYPES).index("baulücke")]
    assert OWNER.name not in first.map_rows and "freigegeben" not in first.map_rows
    summary = register_cache.summary(db, alliance, TODAY, 40.0)
    assert summary.iloc[-1]["Flächen"] == 2
    service.update(db, alliance, areas, MANAGER, site_id, {"status": "reused"}, today=TODAY)
    assert register_cache.shared(db, shared_only).sites == []
    assert register_cache.summary(db, alliance, TODAY, 40.0).iloc[-1]["Flächen"] == 1


def test_matching_finds_sites_by_number_or_address_and_stops_at_the_limit(db, alliance, areas):
    from allianz.vacancies import presentation

    ids = [make(db, alliance, areas, address=f"Lindenweg {n}") for n in range(1, 6)]
    sites = store.search(db)
    assert list(presentation.matching(sites, "lindenweg 3", alliance)) == [ids[2]]
    ref = store.get(db, ids[4]).ref
    assert list(presentation.matching(sites, ref, alliance)) == [ids[4]]
    assert len(presentation.matching(sites, "", alliance, limit=3)) == 3


def test_withdrawn_consent_takes_the_site_off_every_served_map_file(
    db, alliance, areas, tmp_path, monkeypatch
):
    from allianz import assets

    monkeypatch.setattr(assets, "STATIC_DIR", tmp_path)
    site_id = make(db, alliance, areas, publication_consent=True)
    site = service.get(db, site_id)
    offers = service.shared(db, store.Filters())
    url = assets.publish(service.public_layer(db), offers.map_rows)
    served = tmp_path / url.removeprefix("/app/static/")
    assert site.ref in served.read_text()
    service.update(db, alliance, areas, MANAGER, site_id, {"publication_consent": False})
    assert not served.exists() and not served.with_name(served.name + ".gz").exists()
    assert site.ref not in service.shared(db, store.Filters()).map_rows
