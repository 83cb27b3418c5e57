"""Bauvorhaben pages, second step: an area drawn by map clicks and typed corner points, a
statement with a map point (typed or clicked), the points on the office board's map and never
on the public one, the open answers on "Meine Gemeinde"."""

from __future__ import annotations

import re

import pytest

from allianz import maps
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.developments import service
from allianz.municipalities import service as municipalities
from tests.unit.test_developments import BRANDIS, near_brandis
from tests.views.conftest import folium_maps, open_page
from tests.views.test_development_views import _texts

PAGE = "allianz/developments/pages/developments.py"
REPORT = "allianz/developments/pages/developments_report.py"
OFFICE = "allianz/developments/pages/developments_office.py"
DESK = "allianz/municipalities/pages/municipality_desk.py"
MANAGER = User("leitung", "Leitung", Role.MANAGER)
STATEMENT = "Die Zufahrt belastet unsere Ortsdurchfahrt."


def _click(at, label: str) -> None:
    at.button(key=next(b.key for b in at.button if label in b.label)).click()
    at.run()
    assert not at.exception, at.exception


def _brandis_point(db):
    inside = next(a for a in municipalities.areas(db) if a.ags == BRANDIS).geometry
    point = inside.representative_point()
    return point.x, point.y


def test_staff_draw_an_area_by_clicks_and_typed_corners(run_page, db, alliance, monkeypatch):
    areas = municipalities.areas(db)
    x0, y0, x1, y1 = near_brandis(areas).bounds
    click = {"lat": y0, "lng": x0}
    monkeypatch.setattr(maps, "st_folium", lambda *a, **k: {"last_clicked": click})
    at = open_page(run_page, Role.STAFF, REPORT)
    at.radio[0].set_value("draw").run()
    assert not at.exception
    corners = at.text_area(key="bv-corners")
    assert corners.value == service.point_line(x0, y0)  # the click became the first corner
    at.run()  # the same click again adds nothing
    assert at.text_area(key="bv-corners").value == service.point_line(x0, y0)
    typed = "\n".join(service.point_line(*p) for p in [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    at.text_area(key="bv-corners").input(typed)
    at.selectbox[0].set_value("commercial").run()
    assert not at.exception
    assert "Vorschau" in " ".join(s.value for s in at.subheader)
    assert "Stadt Brandis" in _texts(at)
    _click(at, "Letzten Eckpunkt entfernen")
    assert at.text_area(key="bv-corners").value.count("\n") == 2
    at.text_area(key="bv-corners").input(typed).run()
    at.text_input[0].input("Gewerbe gezeichnet")
    at.selectbox[1].set_value("aufstellung")
    _click(at, "Bauvorhaben melden")
    assert "gemeldet" in _texts(at), _texts(at)
    made = service.listing(db, alliance, MANAGER)[0]
    assert made.title == "Gewerbe gezeichnet" and made.geometry_source.startswith("gezeichnet")


def test_typed_corners_that_cannot_be_read_are_refused_in_german(run_page, db):
    at = open_page(run_page, Role.STAFF, REPORT)
    at.radio[0].set_value("draw").run()
    at.text_area(key="bv-corners").input("51,2; 12,6\nNord; Ost\n51,3; 12,7").run()
    assert "Zeile 2: Das ist kein Punkt" in _texts(at) and "Breite; Länge" in _texts(at)
    at.text_area(key="bv-corners").input("52,50; 13,38\n52,52; 13,38\n52,52; 13,40").run()
    at.selectbox[0].set_value("housing").run()
    assert "außerhalb des Allianzgebiets" in _texts(at)


def test_mayor_answers_with_a_clicked_map_point(run_page, db, alliance, development, monkeypatch):
    lon, lat = _brandis_point(db)
    monkeypatch.setattr(
        maps, "st_folium", lambda *a, **k: {"last_clicked": {"lat": lat, "lng": lon}}
    )
    at = open_page(run_page, Role.MAYOR, PAGE, vorhaben=str(development))
    field = next(t for t in at.text_input if "Kartenpunkt" in t.label)
    assert field.value == service.point_line(lon, lat)
    at.radio[0].set_value("objection")
    at.text_area[0].input(STATEMENT)
    _click(at, "Rückmeldung senden")
    assert "Rückmeldung ist gespeichert" in _texts(at)
    answer = next(
        a for a in service.get(db, alliance, MANAGER, development).answers if a.ags == BRANDIS
    )
    assert answer.point == pytest.approx((round(lon, 6), round(lat, 6)))


def test_a_typed_point_outside_the_alliance_is_refused(run_page, db, alliance, development):
    at = open_page(run_page, Role.MAYOR, PAGE, vorhaben=str(development))
    next(t for t in at.text_input if "Kartenpunkt" in t.label).input("52,51; 13,39")
    at.radio[0].set_value("remarks")
    at.text_area[0].input(STATEMENT)
    _click(at, "Rückmeldung senden")
    assert "außerhalb des Allianzgebiets" in _texts(at)
    assert all(a.answer is None for a in service.get(db, alliance, MANAGER, development).answers)


def test_statement_points_on_the_office_map_never_on_the_public_one(
    run_page, db, alliance, development
):
    mayor = User("bm", "BM", Role.MAYOR, BRANDIS)
    service.answer(db, alliance, mayor, development, "objection", STATEMENT,
                   point=_brandis_point(db))  # fmt: skip
    office = open_page(run_page, Role.MANAGER, OFFICE)
    board = " ".join(str(m.proto.json_args) for m in folium_maps(office))
    assert "Stellungnahmen" in board and "Ortsdurchfahrt" in board
    service.release(db, alliance, MANAGER, development, True)
    public = open_page(run_page, Role.CITIZEN, PAGE, vorhaben=str(development))
    shown = " ".join(str(m.proto.json_args) for m in folium_maps(public))
    assert "Gewerbegebiet Nord" in shown
    assert "Stellungnahmen" not in shown and "Ortsdurchfahrt" not in shown


def test_my_municipality_lists_the_open_answers_with_their_deadline(
    run_page, db, alliance, development
):
    deadline = service.get(db, alliance, MANAGER, development).deadline
    day = ".".join(reversed(deadline.split("-")))
    at = open_page(run_page, Role.MAYOR, DESK)
    links = [re.sub(r"\\(.)", r"\1", link.proto.label) for link in at.get("page_link")]
    assert f"BV-0001 · Gewerbegebiet Nord · Rückmeldung bis {day}" in links
    assert "Bauvorhaben: offene Rückmeldungen (1)" in _texts(at)
    service.answer(db, alliance, User("bm", "BM", Role.MAYOR, BRANDIS), development, "noted")
    at = open_page(run_page, Role.MAYOR, DESK)
    assert not any("BV-0001" in link.proto.label for link in at.get("page_link"))


def test_a_given_answer_is_shown_as_given_with_its_statement(run_page, db, alliance, development):
    mayor = User("bm", "BM", Role.MAYOR, BRANDIS)
    at = open_page(run_page, Role.MAYOR, PAGE, vorhaben=str(development))
    assert "Bitte bis" in _texts(at)
    service.answer(db, alliance, mayor, development, "objection", "Zu viel Verkehr im Ort.")
    at = open_page(run_page, Role.MAYOR, PAGE, vorhaben=str(development))
    text = _texts(at)
    assert "Ihre Rückmeldung vom" in text and "Bedenken" in text
    assert "Zu viel Verkehr im Ort." in text and "Bitte bis" not in text
    assert any(e.label == "Rückmeldung ändern" for e in at.expander)
