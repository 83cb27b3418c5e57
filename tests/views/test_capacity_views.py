"""Betrieb: the management sees every process that reported, the silent ones marked; every
other role is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from allianz.auth import Role
from allianz.capacity import store
from allianz.capacity.model import ProcessReport
from tests.views.conftest import open_page

PAGE = "allianz/capacity/pages/operations.py"


def _report(name: str, seen: datetime, sessions: int) -> ProcessReport:
    started = seen - timedelta(hours=2)
    return ProcessReport(name, "app-host", 4711, 40001, started, seen, sessions, 300 * 2**20, 75.0)


def test_the_management_sees_running_and_silent_processes(run_page, db):
    now = datetime.now(UTC)
    store.report(db, _report("p1", now, 12))
    store.report(db, _report("p2", now - timedelta(minutes=5), 40))
    at = open_page(run_page, Role.MANAGER, PAGE)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Laufende Prozesse"] == "1"
    assert metrics["Offene Sitzungen"] == "12"  # the silent process's sessions are gone
    table = at.dataframe[0].value
    rows = {row["Prozess"]: row for row in table.to_dict("records")}
    assert rows["p1"]["Zustand"] == "meldet sich"
    assert rows["p2"]["Zustand"] == "keine Meldung"
    assert any("mehr als 30 Sekunden" in c.value for c in at.caption)


def test_other_roles_are_refused(run_page, db):
    store.report(db, _report("p1", datetime.now(UTC), 3))
    for role in (Role.CITIZEN, Role.STAFF, Role.MAYOR, Role.WORKING_GROUP, Role.HOST):
        at = open_page(run_page, role, PAGE)
        assert any("Kein Zugriff" in e.value for e in at.error), role
        assert not at.dataframe
