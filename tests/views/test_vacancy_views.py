"""Vacancy pages in AppTest: register, work list, share view, analysis, the owner-data rule."""

import re

import pytest

from allianz import features, limits, web_session
from allianz.accounts.model import User
from allianz.auth import Role, can
from allianz.municipalities import service as municipalities
from allianz.vacancies import analysis, service, store
from allianz.vacancies.model import Owner
from allianz.visitors import Visitor
from tests.views.conftest import folium_maps, open_page

MANAGER = User("manager", "Allianzmanagement", Role.MANAGER)
OWNER_NAME = "Olga Owner-Geheim"
OWNER_CONTACT = "olga@privat.example"


@pytest.fixture
def register(db, alliance):
    areas = municipalities.areas(db)
    ids = []
    for ags, kind, shared in (
        ("14729060", "baulücke", True),
        ("14729060", "leerstand", False),
        ("14729070", "hofstelle", True),
    ):
        seat = alliance.municipality(ags)
        ids.append(
            service.create(
                db,
                alliance,
                areas,
                MANAGER,
                {
                    "type": kind,
                    "lat": seat.seat_lat,
                    "lon": seat.seat_lon,
                    "area_m2": 1200,
                    "publication_consent": shared,
                    "description": "<b>Altes Haus</b> am Markt",
                    "next_review": "2020-01-01" if kind == "leerstand" else None,
                },
                Owner(OWNER_NAME, OWNER_CONTACT, "Erbengemeinschaft"),
            )
        )
    return ids


def _everything(at) -> str:
    parts = [str(at.main), str(at.sidebar)]
    parts += [str(d.value) for d in at.dataframe]
    parts += [m.proto.json_args for m in folium_maps(at)]
    return "\n".join(parts)


@pytest.mark.parametrize("role", list(Role))
def test_owner_data_never_reaches_a_role_that_may_not_see_it(run_page, register, role):
    """Every page a role can open, rendered: the owner's name and contact appear only in the
    register of staff (own municipality) and the alliance manager."""
    for page in features.pages():
        if not can(role, page.permission):
            continue
        at = open_page(run_page, role, page.path)
        shown = _everything(at)
        if can(role, "vacancies.owner") and page.path == "allianz/vacancies/pages/vacancies.py":
            continue
        assert OWNER_NAME not in shown and OWNER_CONTACT not in shown, page.path


def test_staff_see_owner_only_in_the_site_form(run_page, register):
    at = open_page(run_page, Role.STAFF, "allianz/vacancies/pages/vacancies.py")
    assert any(t.value == OWNER_NAME for t in at.text_input)
    assert OWNER_NAME not in "\n".join(str(d.value) for d in at.dataframe)
    assert not any("Interner Export" in b.label for b in at.get("download_button"))


def test_staff_work_list_is_scoped_and_filters_due_sites(run_page, register):
    at = open_page(run_page, Role.STAFF, "allianz/vacancies/pages/vacancies.py")
    table = at.dataframe[0].value
    assert "Gemeinde" in at.dataframe[0].proto.columns  # labelled only at display
    assert set(table["municipality"]) == {"Borsdorf"} and len(table) == 2
    next(c for c in at.checkbox if c.label == "nur zur Prüfung fällig").check().run()
    assert list(at.dataframe[0].value["type"]) == ["leerstand"]


def test_work_list_edit_in_place_is_saved_and_versioned(run_page, db, register):
    at = open_page(run_page, Role.STAFF, "allianz/vacancies/pages/vacancies.py")
    at.session_state["vacancy-work-list"] = {
        "edited_rows": {0: {"status": "reused"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    next(b for b in at.button if b.label == "Änderungen speichern").click().run()
    assert not at.exception
    assert any("1 Fläche gespeichert." in s.value for s in at.success)
    site = store.get(db, register[0])
    assert site.status == "reused" and site.version == 2


def test_staff_record_a_site_by_coordinates(run_page, db, alliance, register):
    at = open_page(run_page, Role.STAFF, "allianz/vacancies/pages/vacancies.py")
    seat = alliance.municipality("14729060")
    form_inputs = [t for t in at.text_input if t.label == "Koordinaten (Breite, Länge)"]
    form_inputs[0].input(f"{seat.seat_lat}, {seat.seat_lon}")
    addresses = [t for t in at.text_input if t.label == "Adresse"]
    addresses[0].input("Bahnhofstraße 7")
    names = [t for t in at.text_input if t.label == "Name"]
    names[0].input("Neue Eigentümerin")
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert not at.exception, at.exception
    assert any("gespeichert" in s.value for s in at.success), [e.value for e in at.error]
    newest = max(store.search(db), key=lambda s: s.id)
    assert newest.address == "Bahnhofstraße 7" and newest.municipality_ags == "14729060"
    assert store.owner(db, newest.id).name == "Neue Eigentümerin"


def test_staff_cannot_record_outside_their_municipality(run_page, db, alliance, register):
    at = open_page(run_page, Role.STAFF, "allianz/vacancies/pages/vacancies.py")
    seat = alliance.municipality("14729070")
    next(t for t in at.text_input if t.label.startswith("Koordinaten")).input(
        f"{seat.seat_lat}, {seat.seat_lon}"
    )
    next(b for b in at.button if b.label == "Speichern").click().run()
    assert any("eigenen Gemeinde" in e.value for e in at.error)
    assert db["vacancy_sites"].count == 3


def test_share_view_lists_only_consenting_sites_as_text(run_page, register):
    at = open_page(run_page, Role.CITIZEN, "allianz/vacancies/pages/vacancy_share.py")
    texts = "\n".join(m.value for m in at.markdown)
    assert "L-00001" in texts and "L-00003" in texts and "L-00002" not in texts
    assert "\\<b\\>Altes Haus\\</b\\>" in texts
    assert len(folium_maps(at)) == 1


def test_share_view_interest_form(run_page, db, register):
    at = open_page(run_page, Role.CITIZEN, "allianz/vacancies/pages/vacancy_share.py")
    next(t for t in at.text_input if t.label.startswith("Ihre E-Mail")).input("a@example.org")
    next(t for t in at.text_area if t.label == "Ihre Nachricht").input("Wir suchen ein Haus.")
    next(b for b in at.button if b.label == "Anfrage senden").click().run()
    assert any("Einwilligung" in e.value for e in at.error)
    assert store.interests(db, None) == []
    next(t for t in at.text_input if t.label.startswith("Ihre E-Mail")).input("a@example.org")
    next(t for t in at.text_area if t.label == "Ihre Nachricht").input("Wir suchen ein Haus.")
    next(c for c in at.checkbox if c.label.startswith("Ich willige ein")).check()
    next(b for b in at.button if b.label == "Anfrage senden").click().run()
    assert any("eingegangen" in s.value for s in at.success)
    assert [r["email"] for r in store.interests(db, None)] == ["a@example.org"]


def test_share_view_interest_limit_outlasts_the_session(run_page, db, register, monkeypatch):
    visitor = Visitor(address="198.51.100.7", cookie="c" * 32)
    monkeypatch.setattr(web_session, "visitor", lambda: visitor)
    for _ in range(service.INTEREST_LIMIT.count):  # sent before a reload
        limits.admit(db, service.INTEREST_LIMIT, visitor.identities())
    at = open_page(run_page, Role.CITIZEN, "allianz/vacancies/pages/vacancy_share.py")
    next(t for t in at.text_input if t.label.startswith("Ihre E-Mail")).input("a@example.org")
    next(t for t in at.text_area if t.label == "Ihre Nachricht").input("Wir suchen ein Haus.")
    next(c for c in at.checkbox if c.label.startswith("Ich willige ein")).check()
    next(b for b in at.button if b.label == "Anfrage senden").click().run()
    assert any(re.search(r"mehrere Anfragen.* ab \d\d:\d\d Uhr", e.value) for e in at.error)
    assert store.interests(db, None) == []


def test_analysis_figures_for_a_mayor(run_page, db, alliance, register):
    at = open_page(run_page, Role.MAYOR, "allianz/vacancies/pages/vacancy_analysis.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Flächen (leer / in Vermittlung)"] == "3"
    expected = f"{3 / alliance.inhabitants * 1000:.2f}".replace(".", ",")
    assert metrics["je 1.000 Einwohner"] == expected
    summary = at.dataframe[0].value.set_index("Gemeinde")
    assert summary.loc["Borsdorf", "Flächen"] == "2"  # German cells (ui.german_table)
    assert analysis.ALLIANCE in summary.index
    assert not folium_maps(at)  # only the open tab is built
    for tab, check in (
        ("Dichtekarte", lambda: len(folium_maps(at)) == 1),
        (
            "Nach Art",
            lambda: sum(int(n or 0) for n in at.dataframe[0].value.loc["Borsdorf"]) == 2,
        ),
        ("Veränderung", lambda: at.dataframe[0].value.iloc[-1]["heute"] == "3"),
    ):
        at.session_state["vacancy-tab"] = tab
        at.run()
        assert not at.exception and check(), tab


def test_manager_may_ask_for_the_internal_export(run_page, register):
    at = open_page(run_page, Role.MANAGER, "allianz/vacancies/pages/vacancies.py")
    assert not any("Interner Export" in b.label for b in at.get("download_button"))
    next(c for c in at.checkbox if c.label.startswith("Ich brauche die Eigentümerdaten")).check()
    at.run()
    assert any("Interner Export" in b.label for b in at.get("download_button"))
