"""Tables on pages are German (issue 19, item 9): no cell reads "None", "nan", "True" or
an ISO date; numbers carry a decimal comma. One test per page fixed through
`ui.german_table`."""

from __future__ import annotations

import re
from datetime import date

import pytest

from allianz import demo_geodata
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.measures import service as measures
from allianz.municipalities import service as municipalities
from allianz.networks import service as networks
from allianz.networks import store as network_store
from allianz.suggestions import service as suggestions
from allianz.suggestions.model import STATUS_LABELS, Status
from tests.conftest import TEST_ACTOR
from tests.views.conftest import open_page

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
AK = User("ak", "Arbeitskreis", Role.WORKING_GROUP, id=1)
MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
DOT_DECIMAL = re.compile(r"^-?\d+\.\d{1,2}$")  # 13.31 (a German thousands dot has three digits)


def cells(at) -> list[str]:
    """Every cell (and column heading) of every st.dataframe and st.table on the page."""
    out = []
    for element in [*at.dataframe, *at.table]:
        frame = element.value
        out += [str(c) for c in frame.columns]
        out += [str(v) for v in frame.to_numpy().ravel()]
    return out


def assert_german(at) -> list[str]:
    found = cells(at)
    assert found, "no table on the page"
    bad = [
        c
        for c in found
        if c in ("None", "nan", "NaN", "NaT", "<NA>", "True", "False")
        or ISO.search(c)
        or DOT_DECIMAL.match(c)
    ]
    assert not bad, bad
    return found


@pytest.fixture
def net(db, alliance):
    networks.load_demo(db, demo_geodata.load_networks(alliance), TEST_ACTOR)
    return db


def test_network_table_and_figures(run_page, net):
    segment = network_store.all_segments(net)[0]
    networks.record_review(
        net,
        AK,
        segment.id,
        networks.ReviewInput(condition=3, comment="geprüft"),
    )
    at = open_page(run_page, Role.CITIZEN, "allianz/networks/pages/networks.py")
    at.session_state["network-tab"] = "Tabelle"
    at.run()
    found = assert_german(at)
    assert "ja" in found and "nein" in found  # the gap column
    assert any(re.fullmatch(r"\d+,\d+", c) for c in found)  # km with a decimal comma
    assert any(re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", c) for c in found)  # reviewed on
    at.session_state["network-tab"] = "Kennzahlen"
    at.run()
    assert_german(at)


def test_review_queue(run_page, db, alliance):
    seat = alliance.municipality("14729060")
    suggestions.submit(
        db,
        alliance,
        municipalities.areas(db),
        suggestions.Submission("waste", "Müll am Weg", "Viel Müll", seat.seat_lat, seat.seat_lon),
    )
    at = open_page(run_page, Role.MANAGER, "allianz/suggestions/pages/review.py")
    found = assert_german(at)
    assert any(re.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}", c) for c in found)  # reported


def test_review_status_options_in_workflow_order(run_page, db, alliance):
    seat = alliance.municipality("14729060")
    created = suggestions.submit(
        db,
        alliance,
        municipalities.areas(db),
        suggestions.Submission("waste", "Müll am Weg", "Viel Müll", seat.seat_lat, seat.seat_lon),
    )
    at = open_page(run_page, Role.MANAGER, "allianz/suggestions/pages/review.py")
    next(s for s in at.selectbox if s.label == "Hinweis bearbeiten").select(created.id).run()
    status = next(s for s in at.selectbox if s.label == "Neuer Status")
    # neu, in Prüfung, geplant / in Arbeit, erledigt, abgelehnt (was: alphabetical codes)
    assert list(status.options) == [STATUS_LABELS[s] for s in Status]


def test_measures_table(run_page, db, alliance):
    measures.create(
        db,
        alliance,
        MANAGER,
        {"handlungsfeld": 1, "priority": "B", "title": "Bauhof", "municipalities": ["14729070"]},
        [measures.StepDraft("Treffen", date(2026, 12, 4), None)],
    )
    at = open_page(run_page, Role.CITIZEN, "allianz/measures/pages/measures.py")
    found = assert_german(at)
    assert any("bis 04.12.2026" in c for c in found)
