"""A new slice plugs in with one line: a throwaway slice (one table with an e-mail column, one
page, one permission, one figure) is registered by adding its package to `features.SLICES`
and nothing else; navigation, access, privacy rights and the summary pick it up."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pypdf
import pytest

from allianz import features, navigation, privacy
from allianz.auth import Role, can
from allianz.municipalities import service as municipalities
from allianz.summary import report
from allianz.summary import service as summary
from tests.conftest import TEST_ACTOR
from tests.throwaway_slice import service as sponsors
from tests.views.conftest import open_page

PAGE = "tests/throwaway_slice/page.py"
ADDRESS = "Paula.Patin@example.org"


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(features, "SLICES", (*features.SLICES, "tests.throwaway_slice"))
    features.reset()
    yield
    monkeypatch.undo()
    features.reset()


@pytest.fixture
def sponsored(db, registered):
    sponsors.migrations.apply(db)
    sponsors.add(db, "Parthe-Radweg", "14729060", ADDRESS, "2024-01-10T10:00:00+00:00")
    sponsors.add(db, "Kirchweg", "14729070", "andere@example.org", "2026-11-01T10:00:00+00:00")
    return db


def test_navigation_shows_the_page_to_the_right_roles_only(registered):
    assert can(Role.STAFF, "page.path_sponsors") and not can(Role.CITIZEN, "page.path_sponsors")
    for role in Role:
        shown = PAGE in [p.path for p in navigation.pages_for(role)]
        assert shown == (role in (Role.STAFF, Role.MANAGER)), role


def test_sidebar_links_the_page_for_staff_and_not_for_citizens(run_page, sponsored):
    staff = run_page("main.py", Role.STAFF)
    assert any(link.label == "Wegepaten" for link in staff.get("page_link"))
    citizen = run_page("main.py", Role.CITIZEN)
    assert not any(link.label == "Wegepaten" for link in citizen.get("page_link"))


def test_the_page_shows_for_staff_and_refuses_other_roles_by_url(run_page, sponsored):
    at = open_page(run_page, Role.MANAGER, PAGE)
    assert [t.value for t in at.title] == ["Wegepaten"]
    assert any("Parthe-Radweg" in m.value for m in at.markdown)
    for role in (Role.CITIZEN, Role.MAYOR, Role.WORKING_GROUP, Role.HOST):
        direct = run_page(PAGE, role)
        assert any("Kein Zugriff" in e.value for e in direct.error), role
        assert not any("Parthe-Radweg" in m.value for m in direct.markdown)


def test_privacy_rights_cover_the_new_e_mail_column(sponsored):
    db = sponsored
    assert privacy.unclaimed_columns(db) == []
    found = privacy.export(db, ADDRESS.upper(), TEST_ACTOR)
    assert [r["route"] for r in found["path_sponsors"]] == ["Parthe-Radweg"]
    assert privacy.erase(db, ADDRESS, TEST_ACTOR)["path_sponsors"] == 1
    assert ADDRESS.lower() not in str([dict(r) for r in db.query("SELECT * FROM path_sponsors")])
    purged = privacy.purge(db, 12, TEST_ACTOR, now=datetime(2026, 12, 1, tzinfo=UTC))
    assert purged["path_sponsors"] == 1  # the 2024 row; its address was already erased
    assert [r["sponsor_email"] for r in db.query("SELECT * FROM path_sponsors")] == [
        None,
        "andere@example.org",
    ]  # the 2026 row is within the period


def test_the_table_escapes_privacy_rights_when_the_slice_is_not_registered(db):
    sponsors.migrations.apply(db)
    assert privacy.unclaimed_columns(db) == ["path_sponsors.sponsor_email"]


def test_summary_and_report_show_the_figure(sponsored, alliance):
    data = summary.build(
        sponsored, alliance, municipalities.areas(sponsored), summary.Period(date(2026, 1, 1),
                                                                            date(2026, 12, 1))
    )  # fmt: skip
    table = data.table("path_sponsors")
    assert table.loc["Wege mit Paten", "Allianz"] == 2
    assert table.loc["Wege mit Paten", "Borsdorf"] == 1
    text = "\n".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(report.pdf(alliance, data))).pages
    )
    assert "Wegepatenschaften" in text and "Wegepaten: Liste der Patenschaften." in text


def test_summary_page_has_a_tab_for_the_new_slice(run_page, sponsored):
    at = open_page(run_page, Role.MANAGER, "allianz/summary/pages/summary.py")
    assert {m.label: m.value for m in at.metric}["Wege mit Paten"] == "2"
    at.session_state["summary-tab"] = "Wegepaten"
    at.run()
    assert "Wege mit Paten" in at.dataframe[0].value.index
