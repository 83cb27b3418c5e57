"""Summary, measures and 'you said, we did' in AppTest, per role."""

from datetime import date, timedelta

import pytest

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.measures import service as measures
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from tests.views.conftest import folium_maps, open_page

MANAGER = User("manager", "Allianzmanagement", Role.MANAGER)


@pytest.fixture
def reported(db, alliance):
    areas = municipalities.areas(db)
    made = []
    for ags in ("14729060", "14729060", "14729070"):
        seat = alliance.municipality(ags)
        made.append(
            suggestions.submit(
                db,
                alliance,
                areas,
                suggestions.Submission(
                    "waste", "Müll am Weg", "Viel Müll", seat.seat_lat, seat.seat_lon
                ),
            )
        )
    measures.create(
        db, alliance, MANAGER,
        {"handlungsfeld": 1, "priority": "A", "title": "Bauhof", "municipalities": ["14729070"]},
        [measures.StepDraft("Treffen", date.today() - timedelta(days=3), "AG Bauhof")],
    )  # fmt: skip
    return made


def test_mayor_sees_alliance_and_own_detail(run_page, reported):
    at = open_page(
        run_page, Role.MAYOR, "allianz/summary/pages/summary.py"
    )  # mayor of Stadt Brandis
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hinweise im Zeitraum"] == "3"
    assert metrics["überfällige Schritte"] == "1"
    assert any("Einzelheiten für Stadt Brandis" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert table.loc["neu im Zeitraum", "Allianz"] == "3"
    assert table.loc["neu im Zeitraum", "Borsdorf"] == "2"
    assert table.loc["neu im Zeitraum", "Stadt Brandis"] == "1"
    assert not at.selectbox or all(s.label != "Einzelheiten für" for s in at.selectbox)
    assert not folium_maps(at)  # only the open tab is built
    at.session_state["summary-tab"] = "Karte"
    at.run()
    assert len(folium_maps(at)) == 1
    at.session_state["summary-tab"] = "Leerstand"
    at.run()
    assert "je 1.000 Einw." in at.dataframe[0].value.index
    assert any(
        b.label.startswith("Bericht als PDF (Stadt Brandis") for b in at.get("download_button")
    )


def test_period_filter_changes_the_figures(run_page, reported):
    at = open_page(run_page, Role.MANAGER, "allianz/summary/pages/summary.py")
    at.date_input(key="summary-period").set_value(
        (date.today() - timedelta(days=30), date.today() - timedelta(days=10))
    ).run()
    assert {m.label: m.value for m in at.metric}["Hinweise im Zeitraum"] == "0"


def test_staff_see_summary_read_only(run_page, reported):
    at = open_page(run_page, Role.STAFF, "allianz/summary/pages/summary.py")
    assert any("Einzelheiten für Borsdorf" in c.value for c in at.caption)
    assert not any(b.label in ("Speichern", "Anlegen") for b in at.button)


def test_citizens_read_measures_but_cannot_edit(run_page, reported):
    at = open_page(run_page, Role.CITIZEN, "allianz/measures/pages/measures.py")
    assert list(at.dataframe[0].value["Maßnahme"]) == ["Bauhof"]
    assert any("überfällig" in w.value for w in at.warning)
    assert not any(b.label in ("Speichern", "Anlegen") for b in at.button)


def test_manager_creates_a_measure(run_page, db, reported):
    at = open_page(run_page, Role.MANAGER, "allianz/measures/pages/measures.py")
    next(t for t in at.text_input if t.label == "Maßnahme").input("Gemeinsamer Kulturkalender")
    next(b for b in at.button if b.label == "Anlegen").click().run()
    assert not at.exception
    assert any("M-002" in s.value for s in at.success)
    assert [m.title for m in measures.all_measures(db)] == ["Bauhof", "Gemeinsamer Kulturkalender"]


def test_suggestion_page_says_it_became_part_of_a_measure(run_page, db, reported):
    measure = measures.all_measures(db)[0]
    measures.link(db, MANAGER, measure.id, "suggestion", reported[0].id)
    at = open_page(
        run_page, Role.CITIZEN, "allianz/suggestions/pages/suggestions.py", ref=reported[0].ref
    )
    assert any("wurde Teil der Maßnahme M\\-001" in s.value for s in at.success)
    other = open_page(
        run_page, Role.CITIZEN, "allianz/suggestions/pages/suggestions.py", ref=reported[1].ref
    )
    assert not any("Maßnahme" in s.value for s in other.success)
