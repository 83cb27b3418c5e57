"""AppTest helpers: run a page (or the entry script) as a given role on a fresh database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from allianz import apptest_sessions
from allianz.accounts import service as accounts
from allianz.auth import Role
from tests.conftest import AREAS, TEST_ACTOR
from tests.template_db import Recipe

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "test-passwort-123"

ACCOUNTS = {
    Role.WORKING_GROUP: ("ak", None),
    Role.STAFF: ("verwaltung", "14729060"),
    Role.MAYOR: ("bm", "14729070"),
    Role.MANAGER: ("manager", None),
    Role.HOST: ("tisch", None),
}


def _create_users(db, alliance) -> dict[Role, int | None]:
    ids: dict[Role, int | None] = {Role.CITIZEN: None}
    for role, (name, ags) in ACCOUNTS.items():
        ids[role] = accounts.create_user(
            db,
            alliance,
            TEST_ACTOR,
            username=name,
            role=role,
            password=PASSWORD,
            municipality_ags=ags,
        ).id
    return ids


USERS = Recipe("users", _create_users, base=AREAS)


@pytest.fixture
def db_recipes(db_recipes):
    """Page tests mostly need the accounts too: a template with them saves five scrypt hashes."""
    return (USERS, *db_recipes)


@pytest.fixture
def users(db, alliance, db_template) -> dict[Role, int | None]:
    """One account per role with PASSWORD; returns {Role: id} (citizen: None)."""
    if USERS.name in db_template:
        return db_template[USERS.name]
    return _create_users(db, alliance)


@pytest.fixture(autouse=True)
def session_cookie_from_state(monkeypatch):
    apptest_sessions.install(monkeypatch)


@pytest.fixture
def run_page(users, db):
    def run(path: str, role: Role = Role.CITIZEN) -> AppTest:
        at = AppTest.from_file(str(ROOT / path), default_timeout=60)
        if users[role] is not None:
            apptest_sessions.sign_in(at, db, users[role])
        return at.run()

    return run


def folium_maps(at: AppTest) -> list:
    """The st_folium maps a page rendered (AppTest shows them as component instances)."""
    return [
        e
        for e in at.get("component_instance")
        if e.proto.component_name == "streamlit_folium.st_folium"
    ]


def open_page(run_page, role: Role, page: str, **query: str) -> AppTest:
    """Through the real navigation, as that role, with query parameters (as from a link)."""
    at = run_page("main.py", role)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def development(db, alliance, users):
    """Naunhof reports a commercial area near Brandis (the development pages' tests)."""
    from shapely.geometry import mapping  # noqa: PLC0415 - only these tests need them

    from allianz.accounts.model import User  # noqa: PLC0415
    from allianz.developments import service  # noqa: PLC0415
    from allianz.developments.model import Draft  # noqa: PLC0415
    from allianz.municipalities import service as municipalities  # noqa: PLC0415
    from tests.unit.test_developments import NAUNHOF, near_brandis  # noqa: PLC0415

    areas = municipalities.areas(db)
    staff = User("bau-naunhof", "Bauamt Naunhof", Role.STAFF, NAUNHOF)
    return service.report(
        db, alliance, areas, staff,
        Draft("Gewerbegebiet Nord", "commercial", "entwurf", mapping(near_brandis(areas)),
              contact_name="Frau Plan"),
    )  # fmt: skip
