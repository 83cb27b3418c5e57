"""Steering group summary and council report: every figure against an independent count on
the raw rows (plain loops and geopandas overlays, not the summary's own queries)."""

from __future__ import annotations

import io
import json
import re
import statistics
from datetime import date, datetime, timedelta

import geopandas as gpd
import pandas as pd
import pypdf
import pytest
from shapely.geometry import shape

from allianz import demo_geodata, geo
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.measures import service as measures
from allianz.municipalities import service as municipalities
from allianz.networks import service as networks
from allianz.suggestions import service as suggestions
from allianz.suggestions.model import Status
from allianz.summary import report
from allianz.summary import service as figures
from allianz.vacancies import service as vacancies
from allianz.workshops import service as workshops
from tests.conftest import TEST_ACTOR

MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
TODAY = date(2026, 11, 22)
PERIOD = figures.Period(date(2026, 1, 1), date(2026, 10, 31))


@pytest.fixture
def data(db, alliance):
    areas = municipalities.areas(db)
    seats = {m.ags: (m.seat_lat, m.seat_lon) for m in alliance.municipalities}
    plan = [
        # ags, created, status, answer after days, category
        ("14729060", "2026-02-01", Status.DONE, 3, "lighting"),
        ("14729060", "2026-03-01", Status.NEW, None, "waste"),
        ("14729060", "2026-10-20", Status.IN_REVIEW, 1, "waste"),
        ("14729070", "2026-05-05", Status.DECLINED, 10, "lighting"),
        ("14729070", "2025-12-31", Status.NEW, None, "waste"),  # before the period
        ("14729300", "2026-11-05", Status.NEW, None, "waste"),  # after the period
        ("14729300", "2026-06-01", Status.PLANNED, 6, "cycle-path"),
    ]
    for ags, created, status, answer_days, category in plan:
        lat, lon = seats[ags]
        made = suggestions.submit(
            db,
            alliance,
            areas,
            suggestions.Submission(category, "Ein Titel", "Beschreibung", lat, lon, chosen_ags=ags),
        )
        if status is not Status.NEW:
            suggestions.set_status(db, alliance, MANAGER, made.id, status, "Antwort")
        answered = (
            (
                datetime.fromisoformat(f"{created}T10:00:00") + timedelta(days=answer_days)
            ).isoformat()
            if answer_days is not None
            else None
        )
        db.execute(
            "UPDATE suggestions SET created_at = ?, first_answer_at = ? WHERE id = ?",
            [f"{created}T10:00:00+00:00", answered and answered + "+00:00", made.id],
        )
    hidden = suggestions.submit(
        db,
        alliance,
        areas,
        suggestions.Submission("waste", "Spam", "Spam", *seats["14729060"], chosen_ags="14729060"),
    )
    suggestions.hide(db, MANAGER, hidden.id, "Spam")
    db.execute("UPDATE suggestions SET created_at = '2026-04-01T10:00:00+00:00' WHERE id = ?",
               [hidden.id])  # fmt: skip

    tables = workshops.default_tables(alliance)
    for title, scope, day, participants in (
        ("Dorfwerkstatt Borsdorf", "14729060", datetime(2026, 4, 2, 18), 25),
        ("Allianzwerkstatt", None, datetime(2026, 9, 9, 18), 40),
        ("Zu früh", None, datetime(2025, 9, 9, 18), 99),
    ):
        wid = workshops.create(
            db, alliance, MANAGER,
            workshops.WorkshopDraft(title, day, scope_ags=scope, participants=participants,
                                    tables=tables),
        )  # fmt: skip
        workshops.set_phase(db, MANAGER, wid, "live")
        w = workshops.store.get(db, wid)
        ids = [
            workshops.add_card(db, alliance, areas, MANAGER, wid,
                               workshops.CardDraft(w.tables[i % 2].id, f"{title} Idee {i}"))
            for i in range(3)
        ]  # fmt: skip
        workshops.set_host_dots(db, MANAGER, wid, {ids[0]: 5, ids[1]: 2})
    planned = workshops.create(
        db, alliance, MANAGER,
        workshops.WorkshopDraft("Nur geplant", datetime(2026, 5, 1), tables=tables),
    )  # fmt: skip
    assert planned

    networks.load_demo(db, demo_geodata.load_networks(alliance), TEST_ACTOR)
    for ags, kind, status in (
        ("14729060", "baulücke", "active"),
        ("14729060", "leerstand", "reused"),
        ("14729070", "hofstelle", "active"),
    ):
        lat, lon = seats[ags]
        vacancies.create(db, alliance, areas, MANAGER,
                         {"type": kind, "lat": lat, "lon": lon, "status": status})  # fmt: skip

    measures.create(
        db, alliance, MANAGER,
        {"handlungsfeld": 1, "priority": "A", "title": "Gemeinsamer Bauhof", "status": "planned",
         "municipalities": ["14729060", "14729070"]},
        [measures.StepDraft("Workshop", TODAY - timedelta(days=5), "AG Bauhof"),
         measures.StepDraft("Erledigt", TODAY - timedelta(days=50), "AG", TODAY)],
    )  # fmt: skip
    measures.create(
        db, alliance, MANAGER,
        {"handlungsfeld": 4, "priority": "B", "title": "Radwegekonzept", "status": "idea"},
        [measures.StepDraft("Bedarf klären", TODAY + timedelta(days=5), "Allianz")],
    )  # fmt: skip
    measures.create(
        db, alliance, MANAGER,
        {"handlungsfeld": 2, "priority": "C", "title": "Kita in Naunhof", "status": "done",
         "municipalities": ["14729300"]},
        [measures.StepDraft("Abschluss", TODAY - timedelta(days=1), "Naunhof")],
    )  # fmt: skip
    return figures.build(db, alliance, areas, PERIOD, TODAY)


def _rows(db, sql):
    return [dict(r) for r in db.query(sql)]


def test_suggestion_figures_match_a_count_of_the_raw_rows(db, alliance, data):
    rows = [
        r
        for r in _rows(db, "SELECT * FROM suggestions")
        if not r["hidden"]
        and r["merged_into"] is None
        and "2026-01-01" <= r["created_at"][:10] <= "2026-10-31"
    ]
    for ags, name in [(None, "Allianz"), *((m.ags, m.name) for m in alliance.municipalities)]:
        mine = [r for r in rows if ags is None or r["municipality_ags"] == ags]
        column = data.table("suggestions")[name]
        assert column["neu im Zeitraum"] == len(mine)
        assert column["offen"] == sum(r["status"] in ("new", "in_review", "planned") for r in mine)
        assert column["erledigt"] == sum(r["status"] == "done" for r in mine)
        assert column["abgelehnt"] == sum(r["status"] == "declined" for r in mine)
        stale = [r for r in mine if r["status"] in ("new", "in_review", "planned")
                 and r["created_at"][:10] < "2026-10-01"]  # fmt: skip
        assert column["offen > 30 Tage"] == len(stale)
        waits = [
            (datetime.fromisoformat(r["first_answer_at"]) - datetime.fromisoformat(r["created_at"]))
            .total_seconds() / 86400
            for r in mine if r["first_answer_at"]
        ]  # fmt: skip
        expected = round(statistics.median(waits), 1) if waits else None
        median = column["Median Tage bis zur ersten Antwort"]
        assert median == expected or (expected is None and pd.isna(median))
    assert data.table("suggestions")["Borsdorf"].tolist() == [3, 2, 1, 0, 1, 2.0]  # by hand
    assert data.table("suggestions")["Allianz"]["Median Tage bis zur ersten Antwort"] == 4.5
    title, frame = data.section("suggestions").matrices[0]
    categories = frame.rename(columns=dict(data.names))
    assert title == "Hinweise nach Kategorie"
    assert categories.loc["Müll und Verschmutzung", "Borsdorf"] == 2
    assert categories.loc["Straßenbeleuchtung", "Allianz"] == 2


def test_workshop_figures_and_top_ideas(data):
    borsdorf, alliance_col = data.table("workshops")["Borsdorf"], data.table("workshops")["Allianz"]
    assert borsdorf.tolist() == [1, 25, 3, 0, 7]
    assert alliance_col.tolist() == [2, 65, 6, 0, 14]  # the 2025 and the planned one are out
    assert data.table("workshops")["Stadt Brandis"].tolist() == [0, 0, 0, 0, 0]
    ideas = data.section("workshops").listing("top_ideas").rows
    best = [(i["workshop"], i["text"], i["dots"]) for i in ideas if i["dots"] == 5]
    assert sorted(best) == [
        ("Allianzwerkstatt", "Allianzwerkstatt Idee 0", 5),
        ("Dorfwerkstatt Borsdorf", "Dorfwerkstatt Borsdorf Idee 0", 5),
    ]


def test_network_figures_match_a_geopandas_overlay(db, alliance, data):
    segments = _rows(db, "SELECT * FROM segments")
    lines = gpd.GeoDataFrame(
        segments, geometry=[shape(json.loads(s["geometry"])) for s in segments],
        crs=geo.STORAGE_CRS,
    ).to_crs(geo.METRIC_CRS)  # fmt: skip
    areas = municipalities.areas_frame(db).to_crs(geo.METRIC_CRS)[["ags", "name", "geometry"]]
    pieces = gpd.overlay(lines, areas, how="intersection", keep_geom_type=True)
    pieces["km"] = pieces.geometry.length / 1000
    for _, area in areas.iterrows():
        mine = pieces[pieces["ags"] == area["ags"]]
        column = data.table("networks")[area["name"]]
        assert column["Radwegenetz km"] == pytest.approx(
            mine[mine["in_rad"] == 1]["km"].sum(), abs=0.01
        )
        assert column["Kernwegenetz km"] == pytest.approx(
            mine[mine["in_kern"] == 1]["km"].sum(), abs=0.01
        )
        assert column["Lücken km"] == pytest.approx(mine[mine["gap"] == 1]["km"].sum(), abs=0.01)
        poor = mine[mine["condition"].isin([4, 5])]["km"].sum()
        assert column["Zustand 4–5 km"] == pytest.approx(poor, abs=0.01)
        prio = mine[mine["priority"] == "A"]["km"].sum()
        assert column["Priorität A km"] == pytest.approx(prio, abs=0.01)
    total_rad = sum(s["length_m"] for s in segments if s["in_rad"]) / 1000
    assert data.table("networks")["Allianz"]["Radwegenetz km"] == pytest.approx(
        total_rad, abs=0.001
    )


def test_vacancy_and_measure_figures(alliance, data):
    assert data.table("vacancy")["Borsdorf"]["Flächen"] == 1  # the reused one is not vacant
    assert data.table("vacancy")["Allianz"]["Flächen"] == 2
    assert data.table("vacancy")["Allianz"]["je 1.000 Einw."] == round(
        2 / alliance.inhabitants * 1000, 2
    )
    assert data.table("vacancy")["Stadt Brandis"]["Hofstelle"] == 1
    assert data.table("vacancy")["Allianz"]["Veränderung seit Vorquartal"] == 2
    assert data.table("measures")["Allianz"]["Priorität A"] == 1
    assert data.table("measures")["Borsdorf"].loc[
        ["Priorität A", "Priorität B", "Priorität C"]
    ].tolist() == [1, 1, 0]
    assert data.table("measures")["Stadt Naunhof"]["umgesetzt"] == 1
    assert data.table("measures")["Allianz"]["überfällige Schritte"] == 2
    assert data.table("measures")["Borsdorf"]["überfällige Schritte"] == 1
    overdue = data.section("measures").listing("overdue").rows
    assert {(o["measure"], o["step"]) for o in overdue} == {
        ("Gemeinsamer Bauhof", "Workshop"),
        ("Kita in Naunhof", "Abschluss"),
    }


def test_report_pdf_contains_the_figures(alliance, data):
    pdf = report.pdf(alliance, data)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Bericht an die Räte: Region Partheland" in text
    assert "01.01.2026 – 31.10.2026" in text
    assert "Borsdorf 3 2 1 0 1 2" in text  # the suggestions row, as in the table
    assert "Allianz 2 65 6 0 14" in text  # the workshops row
    rad = f"{data.section('networks').value('rad'):.2f}".replace(".", ",")
    assert rad in text
    assert "Gemeinsamer Bauhof" in text and "Workshop" in text
    assert "Seite 1 von" in text and "Datengrundlage" in text


def test_report_for_one_municipality(alliance, data):
    pdf = report.pdf(alliance, data, "14729060")  # Borsdorf
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Bericht an die Räte: Borsdorf" in text
    assert "Stadt Naunhof 1" not in text  # only the alliance and Borsdorf rows in the tables
    assert "Kita in Naunhof" not in text  # overdue steps of other municipalities are left out
    assert "Gemeinsamer Bauhof" in text


def test_figures_are_keyed_by_stable_ids_and_labelled_only_for_display(alliance, data):
    scopes = ["alliance", *(m.ags for m in alliance.municipalities)]
    for section in data.sections:
        assert list(section.frame.columns) == scopes, section.key
        assert list(section.frame.index) == list(section.labels), section.key
    assert data.section("suggestions").value("new", "14729060") == 3
    assert data.table("suggestions").loc["neu im Zeitraum", "Borsdorf"] == 3
    keys = [s.key for s in data.sections]  # registry order
    assert keys[:6] == ["suggestions", "networks", "workshops", "vacancy", "measures", "meetings"]
    assert "developments" in keys


def test_report_breaks_headings_at_syllables_and_writes_german_dates(alliance, data):
    pdf = report.pdf(alliance, data, "14729060")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Kernwege-\nnetz km" in text or "Kernwegenetz km" in text
    assert "Kernwegenet\n" not in text and "Brachfläc\n" not in text
    overdue = data.section("measures").listing("overdue").rows
    assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", row["due_on"]) for row in overdue)
    assert overdue[0]["due_on"] in text


def test_stored_utc_times_show_in_berlin_time():
    from allianz.formatting import de_datetime

    assert de_datetime("2026-12-04T23:41:04+00:00") == "05.12.2026 00:41"
    assert de_datetime("2026-07-01T10:00:00+00:00") == "01.07.2026 12:00"  # summer time
    assert de_datetime(None) == "–"
