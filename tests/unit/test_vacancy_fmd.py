"""FMD exchange: the register with the FMD categories and UTM coordinates, risk only as grid
aggregates, and the import (known sites and aggregates skipped, all or nothing)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from allianz import clock
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import PermissionDenied, ValidationError
from allianz.municipalities import service as municipalities
from allianz.vacancies import fmd, risk_import, risk_service
from allianz.vacancies import service as vacancies
from allianz.vacancies.model import Owner

AGS = "14729060"
STAFF = User("bauamt", "Verwaltung Borsdorf", Role.STAFF, AGS)
NEIGHBOUR = User("brandis", "Verwaltung Brandis", Role.STAFF, "14729070")
MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
MAYOR = User("bm", "Bürgermeister", Role.MAYOR, AGS)


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(datetime(2026, 12, 5, 10, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def register(db, alliance):
    areas = municipalities.areas(db)
    seat = alliance.municipality(AGS)
    site = vacancies.create(
        db, alliance, areas, MANAGER,
        {"type": "brache_restnutzung", "lat": seat.seat_lat, "lon": seat.seat_lon,
         "area_m2": 1500, "address": "Am Anger 2", "description": "=HYPERLINK(\"x\")",
         "vacant_since": "2024-03-01"},
        Owner("Otto Eigner", "otto@example.org"),
    )  # fmt: skip
    rows = [
        {"Breite": seat.seat_lat + i * 0.0001, "Länge": seat.seat_lon, "Geburtsjahre": "1930"}
        for i in range(6)
    ]
    extract = risk_import.parse(rows, clock.today())
    risk_service.import_extract(db, alliance, areas, STAFF, extract)
    return site


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_export_has_fmd_categories_utm_and_risk_only_as_aggregates(db, alliance, register):
    rows = _rows(fmd.export_csv(db, alliance, STAFF))
    assert list(rows[0]) == list(fmd.COLUMNS)
    site = rows[0]
    assert site["Kategorie"] == "Brachfläche" and site["Restnutzung"] == "ja"
    assert site["Kennung"].startswith("L-") and site["Gemeindeschlüssel"] == AGS
    assert 700_000 < int(site["Rechtswert"]) < 800_000 and int(site["Hochwert"]) > 5_600_000
    assert site["leer seit"] == "01.03.2024" and site["Bemerkung"].startswith("'=")
    risk = [r for r in rows if r["Kategorie"] == fmd.RISK]
    assert len(risk) == 1 and risk[0]["Anzahl Gebäude"] == "6"
    assert risk[0]["Anzahl Risikogebäude"] == "6"
    text = fmd.export_csv(db, alliance, STAFF).decode("utf-8-sig")
    assert "Otto" not in text and "otto@example.org" not in text
    assert len(_rows(fmd.export_csv(db, alliance, NEIGHBOUR))) == 0  # Brandis: nothing
    with pytest.raises(PermissionDenied):
        fmd.export_csv(db, alliance, MAYOR)


def test_import_skips_known_sites_and_aggregates_and_stores_new_ones(
    db, alliance, register, tmp_path
):
    rows = _rows(fmd.export_csv(db, alliance, STAFF))
    new = dict(rows[0], Kennung="FMD-4711", Kategorie="Hofstelle", Restnutzung="nein",
               Lage="Dorfstraße 9")  # fmt: skip
    path = tmp_path / "fmd.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(fmd.COLUMNS), delimiter=";")
        writer.writeheader()
        writer.writerows([*rows, new])
    areas = municipalities.areas(db)
    result = fmd.import_file(db, alliance, areas, STAFF, path)
    assert (result.stored, result.known, result.risk_rows) == (1, [rows[0]["Kennung"]], 1)
    stored = max(vacancies.register(db, (AGS,)), key=lambda s: s.id)
    assert stored.type == "hofstelle" and stored.address == "Dorfstraße 9"
    assert stored.source == "FMD-Austausch" and stored.area_m2 == 1500
    assert abs(stored.lat - register_lat(db, register)) < 1e-4
    with pytest.raises(PermissionDenied):  # a Borsdorf site in Brandis' import: refused
        new["Kennung"] = "FMD-4712"
        path.write_text(";".join(fmd.COLUMNS) + "\n" + ";".join(
            str(new[c]) for c in fmd.COLUMNS) + "\n", encoding="utf-8")  # fmt: skip
        fmd.import_file(db, alliance, areas, NEIGHBOUR, path)


def register_lat(db, site_id: int) -> float:
    return vacancies.get(db, site_id).lat


def test_import_refuses_unknown_categories_and_stores_nothing(db, alliance, tmp_path):
    path = tmp_path / "fmd.csv"
    path.write_text("Kennung;Kategorie;Gemeindeschlüssel\nX1;Parkplatz;14729060\n", "utf-8")
    before = len(vacancies.register(db, ()))
    with pytest.raises(ValidationError, match="Zeile 2: Kategorie"):
        fmd.import_file(db, alliance, municipalities.areas(db), STAFF, path)
    assert len(vacancies.register(db, ())) == before
    with pytest.raises(PermissionDenied):
        fmd.import_file(db, alliance, municipalities.areas(db), MAYOR, path)
