"""Shared fixtures: a fresh database per test, bound to the demo alliance."""

from __future__ import annotations

import pytest

from allianz import audit, config, database, demo
from allianz.municipalities import service as municipalities

TEST_ACTOR = audit.Actor("pytest", "manager")


@pytest.fixture
def alliance() -> config.Alliance:
    return config.load("partheland")


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "allianz.sqlite3"
    monkeypatch.setenv("ALLIANZ_DB", str(path))
    monkeypatch.setenv("ALLIANZ_CONFIG", "partheland")
    return path


@pytest.fixture
def empty_db(db_path, alliance):
    db = database.initialise(alliance, db_path)
    yield db
    db.close()


@pytest.fixture
def db(empty_db, alliance):
    municipalities.load_demo_areas(empty_db, alliance, TEST_ACTOR)
    return empty_db


@pytest.fixture
def demo_db(empty_db, alliance):
    """Demo areas plus the four demo accounts; returns (db, {username: password})."""
    accounts = demo.load(empty_db, alliance, TEST_ACTOR)
    return empty_db, {a.username: a.password for a in accounts}
