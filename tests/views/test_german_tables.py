"""Tables on pages are German (issue 19, item 9): no cell reads "None", "nan", "True" or
an ISO date; numbers carry a decimal comma. One test per page fixed through
`ui.german_table`."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest

from allianz import demo_geodata
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.measures import service as measures
from allianz.municipalities import service as municipalities
from allianz.networks import service as networks
from allianz.networks import store as network_store
from allianz.suggestions import service as suggestions
from allianz.suggestions.model import STATUS_LABELS, Status
from allianz.vacancies import service as vacancies
from allianz.vacancies.model import Owner
from allianz.workshops import service as workshops
from allianz.workshops import store as workshop_store
from allianz.workshops.model import Phase
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


# --- Start page, vacancies, workshops, administration (issue 19, items 7–9) -----------------

ENGLISH_CHART_LOCALE = ('"decimal": "."', '"thousands": ","')


def chart_specs(at) -> list[dict]:
    """The Vega-Lite specifications of the page's charts."""
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def assert_german_charts(at, expected: int) -> None:
    specs = chart_specs(at)
    assert len(specs) == expected, specs
    for spec in specs:
        locale = spec["config"]["locale"]
        assert locale["number"]["decimal"] == "," and locale["number"]["thousands"] == "."
        assert locale["time"]["date"] == "%d.%m.%Y"


def tables(at) -> list:
    """st.dataframe / st.table elements, without st.data_editor (raw values to edit)."""
    return [e for e in [*at.dataframe, *at.table] if not e.proto.editing_mode]


def test_start_page_figures(run_page):
    at = open_page(run_page, Role.CITIZEN, "allianz/portal/pages/home.py")
    found = assert_german(at)
    # one decimal for km², digits without separator for the AGS, thousands with a dot
    frame = at.dataframe[0].value
    assert all(re.fullmatch(r"\d+,\d", c) for c in frame["Fläche km²"]), frame["Fläche km²"]
    assert all(re.fullmatch(r"\d{8}", c) for c in frame["AGS"])
    assert any(re.fullmatch(r"\d{1,3}\.\d{3}", c) for c in frame["Einwohner"])
    assert "Fläche km²" in found
    metrics = {m.label: m.value for m in at.metric}
    assert re.fullmatch(r"\d{1,3}(\.\d{3})+", metrics["Einwohner"])
    assert re.fullmatch(r"\d+(\.\d{3})*,\d", metrics["Fläche (km²)"])


@pytest.fixture
def register(db, alliance):
    """Three sites: one with a fractional area, one without area or dates."""
    areas = municipalities.areas(db)
    for ags, kind, area, since in (
        ("14729060", "baulücke", 1234.5, "2019-05-01"),
        ("14729060", "leerstand", None, None),
        ("14729070", "hofstelle", 812.25, "2022-03-01"),
    ):
        seat = alliance.municipality(ags)
        vacancies.create(
            db,
            alliance,
            areas,
            MANAGER,
            {
                "type": kind,
                "lat": seat.seat_lat,
                "lon": seat.seat_lon,
                "area_m2": area,
                "vacant_since": since,
                "publication_consent": True,
            },
            Owner("Olga", "olga@example.org", ""),
        )
    return db


def test_vacancy_analysis_tables_and_charts(run_page, register):
    at = open_page(run_page, Role.MANAGER, "allianz/vacancies/pages/vacancy_analysis.py")
    found = assert_german(at)
    assert any(re.fullmatch(r"\d+,\d{2}", c) for c in found)  # je 1.000 Einw.
    assert any(re.fullmatch(r"\d{1,3}\.\d{3},\d", c) for c in found)  # 2.046,8 m² (sum)
    metrics = {m.label: m.value for m in at.metric}
    assert "." not in metrics["je 1.000 Einwohner"] and "," in metrics["je 1.000 Einwohner"]
    assert_german_charts(at, 1)
    for tab, charts in (("Nach Art", 1), ("Veränderung", 1)):
        at.session_state["vacancy-tab"] = tab
        at.run()
        assert not at.exception, tab
        found = assert_german(at)  # the pivot tables had "nan" where a type is missing
        assert_german_charts(at, charts)
    slider = at.select_slider[0]
    assert list(slider.options) == ["0,5", "1", "2"]  # the options as shown


def test_vacancy_register_tables_and_work_list(run_page, db, alliance, register):
    site = vacancies.sites(db, vacancies.Filters())[0]
    vacancies.express_interest(
        db,
        alliance,
        site.id,
        "Ina Interessentin",
        "ina@example.org",
        "Ist das Haus noch frei?",
        True,
    )
    at = open_page(run_page, Role.MANAGER, "allianz/vacancies/pages/vacancies.py")
    shown = tables(at)
    assert shown, "no table on the page"
    bad = [
        c
        for element in shown
        for c in map(str, element.value.to_numpy().ravel())
        if c in ("None", "nan", "NaT", "True", "False") or ISO.search(c) or DOT_DECIMAL.match(c)
    ]
    assert not bad, bad
    [editor] = [e for e in at.dataframe if e.proto.editing_mode]
    assert editor.proto.placeholder == ""  # empty cells stay empty, not "None"
    config = json.loads(editor.proto.columns)
    assert config["area_m2"]["type_config"]["format"] == "%.0f"  # no decimal point
    assert all(
        config[f]["type_config"]["format"] == "DD.MM.YYYY"
        for f in ("vacant_since", "owner_contacted_on", "next_review")
    )
    captions = " ".join(c.value for c in at.caption)
    assert "3 Flächen" in captions


def test_workshop_tables_and_charts(run_page, db, alliance):
    workshop_id = workshops.create(
        db,
        alliance,
        MANAGER,
        workshops.WorkshopDraft(
            "Werkstatt Ortsmitte",
            datetime(2026, 11, 20, 18),
            "Rathaus",
            "14729060",
            tables=workshops.default_tables(alliance),
        ),
    )
    workshops.set_phase(db, MANAGER, workshop_id, Phase.LIVE)
    workshop = workshop_store.get(db, workshop_id)
    areas = municipalities.areas(db)
    cards = [
        workshops.add_card(
            db,
            alliance,
            areas,
            MANAGER,
            workshop_id,
            workshops.CardDraft(workshop.tables[0].id, text, tags=tags),
        )
        for text, tags in (("Mehr Bänke", "Sitzen"), ("Radweg zur Schule", ""))
    ]
    workshops.set_host_dots(db, MANAGER, workshop_id, {cards[0]: 3})  # a ranking, no round
    workshops.register_contact(db, workshop_id, "ina@example.org", consent=True)

    at = open_page(
        run_page, Role.CITIZEN, "allianz/workshops/pages/workshops.py", workshop=str(workshop_id)
    )
    assert r"20\.11\.2026 18\:00 Uhr" in " ".join(c.value for c in at.caption)  # escaped
    found = assert_german(at)  # every results tab is built: tables per table, tags, fields
    assert "sitzen" in found and "ohne Schlagwort" in found and "Mehr Bänke" in found
    assert_german_charts(at, 4)

    at = open_page(run_page, Role.MANAGER, "allianz/workshops/pages/workshop_admin.py")
    werkstatt = next(s for s in at.selectbox if s.label == "Werkstatt")
    assert "(20.11.2026, " in werkstatt.options[0]  # options as shown
    for tab in ("Karten moderieren", "E-Mails für das Protokoll"):
        at.session_state["workshop-tab"] = tab
        at.run()
        found = [c for e in tables(at) for c in map(str, e.value.to_numpy().ravel())]
        assert found, tab
        assert not [c for c in found if c in ("None", "nan") or ISO.search(c)], found
    assert any(re.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}", c) for c in found)  # consent


def test_account_list(run_page, db, alliance):
    accounts.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="ohne-mail",
        role="working_group",
        password=None,
        invite=True,  # no name, no e-mail, no municipality
    )
    at = open_page(run_page, Role.MANAGER, "allianz/accounts/pages/admin.py")
    found = assert_german(at)
    assert "ohne-mail" in found and "aktiv" in found
    row = at.dataframe[0].value.set_index("Benutzer").loc["ohne-mail"]
    assert row["E-Mail"] == "" and row["Gemeinde"] == ""
