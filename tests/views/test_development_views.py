"""Bauvorhaben pages in AppTest: the report with a file and its preview, the answer of an asked
member, the office's board with the proposed meeting, what citizens see before and after the
release."""

from __future__ import annotations

import json
import re

import pytest
from shapely.geometry import mapping

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.developments import demo, service
from allianz.municipalities import service as municipalities
from tests.conftest import TEST_ACTOR
from tests.unit.test_developments import BRANDIS, near_brandis
from tests.views.conftest import open_page

PAGE = "allianz/developments/pages/developments.py"
REPORT = "allianz/developments/pages/developments_report.py"
OFFICE = "allianz/developments/pages/developments_office.py"
MANAGER = User("leitung", "Leitung", Role.MANAGER)
STATEMENT = "Die Zufahrt belastet unsere Ortsdurchfahrt."


def _texts(at) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "info", "success", "error", "warning")
    shown = [e.value for kind in kinds for e in getattr(at, kind)]
    tables = [str(d.value.to_dict()) for d in at.dataframe]
    return re.sub(r"\\(.)", r"\1", " ".join(str(s) for s in [*shown, *tables]))


def test_citizen_sees_nothing_until_released_and_never_a_statement(
    run_page, db, alliance, development
):
    mayor = User("bm", "BM", Role.MAYOR, BRANDIS)
    service.answer(db, alliance, mayor, development, "objection", STATEMENT)
    at = open_page(run_page, Role.CITIZEN, PAGE)
    assert "Gewerbegebiet Nord" not in _texts(at) and "Zurzeit keine Bauvorhaben" in _texts(at)
    at = open_page(run_page, Role.CITIZEN, PAGE, vorhaben=str(development))
    assert "gibt es nicht" in _texts(at) and "Gewerbegebiet Nord" not in _texts(at)
    service.release(db, alliance, MANAGER, development, True)
    at = open_page(run_page, Role.CITIZEN, PAGE, vorhaben=str(development))
    text = _texts(at)
    assert "Gewerbegebiet Nord" in text
    assert STATEMENT not in text and "Bedenken" not in text and "Frau Plan" not in text


def test_asked_mayor_answers_with_concerns(run_page, db, alliance, development):
    at = open_page(run_page, Role.MAYOR, PAGE, vorhaben=str(development))
    assert "Rückmeldung von Stadt Brandis" in _texts(at)
    at.radio[0].set_value("objection")
    at.text_area[0].input(STATEMENT)
    at.button(key=next(b.key for b in at.button if "Rückmeldung senden" in b.label)).click()
    at.run()
    assert not at.exception
    assert "Rückmeldung ist gespeichert" in _texts(at)
    answer = next(
        a for a in service.get(db, alliance, MANAGER, development).answers if a.ags == BRANDIS
    )
    assert answer.answer == "objection" and answer.statement == STATEMENT
    assert STATEMENT in _texts(at)


def test_office_board_shows_concerns_and_creates_the_meeting(run_page, db, alliance, development):
    mayor = User("bm", "BM", Role.MAYOR, BRANDIS)
    service.answer(db, alliance, mayor, development, "objection", STATEMENT)
    at = open_page(run_page, Role.MANAGER, OFFICE, vorhaben=str(development))
    text = _texts(at)
    assert "Stadt Brandis: Bedenken" in text and "Abstimmungsgespräch vorgeschlagen" in text
    at.button(key=next(b.key for b in at.button if "Abstimmungsgespräch" in b.label)).click()
    at.run()
    assert not at.exception
    assert "Abstimmungsgespräch S-" in _texts(at)
    assert service.get(db, alliance, MANAGER, development).meeting_id


def test_staff_report_a_development_from_a_file(run_page, db, alliance):
    areas = municipalities.areas(db)
    geometry = near_brandis(areas)
    at = open_page(run_page, Role.STAFF, REPORT)
    at.selectbox[0].set_value("housing").run()
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": mapping(geometry)}]}  # fmt: skip
    at.file_uploader[0].upload(
        "vorhaben.geojson", json.dumps(collection).encode(), "application/geo+json"
    ).run()
    assert not at.exception
    assert "Vorschau" in " ".join(s.value for s in at.subheader)
    assert "Stadt Brandis" in _texts(at)
    at.text_input[0].input("Wohnen am Park")
    at.selectbox[1].set_value("aufstellung")
    at.button(key=next(b.key for b in at.button if "Bauvorhaben melden" in b.label)).click()
    at.run()
    assert not at.exception
    assert "gemeldet" in _texts(at), _texts(at)
    made = service.listing(db, alliance, MANAGER)[0]
    assert made.title == "Wohnen am Park" and made.municipality_ags == "14729060"


def test_a_file_outside_the_alliance_is_refused_in_german(run_page):
    at = open_page(run_page, Role.STAFF, REPORT)
    at.selectbox[0].set_value("wind").run()
    far = {"type": "Polygon", "coordinates": [[[13.38, 52.5], [13.4, 52.5], [13.4, 52.52],
                                               [13.38, 52.5]]]}  # fmt: skip
    at.file_uploader[0].upload("weit.geojson", json.dumps(far).encode(), "application/json").run()
    assert "außerhalb des Allianzgebiets" in _texts(at)


@pytest.mark.parametrize("role", [Role.STAFF, Role.MAYOR, Role.MANAGER, Role.CITIZEN])
def test_the_overview_lists_the_demo_developments(run_page, db, alliance, users, role):
    demo.load(db, alliance, TEST_ACTOR)
    at = open_page(run_page, role, PAGE)
    assert not at.exception
    shown = at.dataframe[0].value["Vorhaben"].tolist()
    if role is Role.CITIZEN:
        assert shown == ["Wohngebiet Am Kirchberg"]
        assert "Antworten" not in at.dataframe[0].value.columns
    else:
        assert len(shown) == 3
