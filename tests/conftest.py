"""Shared fixtures: a fresh database per test, bound to the demo alliance.

Each test's database is a copy of a template built once per session (tests/template_db.py):
the richest one its fixtures need, so migrations and password hashing run once, not per test.
"""

from __future__ import annotations

from typing import Any

import pytest

from allianz import audit, config, database, demo
from allianz.municipalities import service as municipalities
from tests.template_db import Recipe, Templates

TEST_ACTOR = audit.Actor("pytest", "manager")


def _load_areas(db, alliance: config.Alliance) -> None:
    municipalities.load_demo_areas(db, alliance, TEST_ACTOR)


def _load_demo(db, alliance: config.Alliance) -> dict[str, str | None]:
    return {a.username: a.password for a in demo.load(db, alliance, TEST_ACTOR)}


EMPTY = Recipe("empty_db", lambda db, alliance: None)
AREAS = Recipe("db", _load_areas, base=EMPTY)
DEMO = Recipe("demo_db", _load_demo, base=AREAS)  # demo.load skips areas already loaded


@pytest.fixture
def alliance() -> config.Alliance:
    return config.load("partheland")


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "allianz.sqlite3"
    monkeypatch.setenv("ALLIANZ_DB", str(path))
    monkeypatch.setenv("ALLIANZ_CONFIG", "partheland")
    return path


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory) -> Templates:
    """Session-wide, so each (xdist) worker builds its own templates in its own tmp dir."""
    return Templates(tmp_path_factory.mktemp("db-templates"))


@pytest.fixture
def db_recipes() -> tuple[Recipe, ...]:
    """Templates a test may start from, richest first; a conftest below may add its own."""
    return (DEMO, AREAS, EMPTY)


@pytest.fixture
def db_template(request, db_path, alliance, db_templates, db_recipes) -> dict[str, Any]:
    """Copy the richest template whose fixture this test uses to db_path.

    Returns {fixture name: value} for the fixtures whose work the copy already holds; those
    fixtures then just return the value, the others do their work on the copy as before.
    """
    recipe = next((r for r in db_recipes if r.name in request.fixturenames), EMPTY)
    return db_templates.copy(recipe, alliance, db_path)


@pytest.fixture
def empty_db(db_template, db_path, alliance):
    db = database.initialise(alliance, db_path)
    yield db
    db.close()


@pytest.fixture
def db(empty_db, db_template, alliance):
    if AREAS.name not in db_template:
        _load_areas(empty_db, alliance)
    return empty_db


@pytest.fixture
def demo_db(empty_db, db_template, alliance):
    """Demo areas plus the demo accounts; returns (db, {username: password}).

    The passwords are the ones generated once for the template: the same in every test.
    """
    if DEMO.name in db_template:
        return empty_db, db_template[DEMO.name]
    return empty_db, _load_demo(empty_db, alliance)
