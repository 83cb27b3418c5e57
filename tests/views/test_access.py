"""Every page × every role: allowed pages render, forbidden ones refuse and show no data."""

import pytest
from streamlit.testing.v1 import AppTest

from allianz import features, navigation
from allianz.auth import Role, can
from tests.views.conftest import ROOT, folium_maps

MATRIX = [(page, role) for page in features.pages() for role in Role]


def _ids(item):
    page, role = item
    return f"{page.path.split('/')[-1]}-{role.value}"


@pytest.mark.parametrize("item", MATRIX, ids=[_ids(i) for i in MATRIX])
def test_page_checks_role_itself(run_page, item):
    """Allowed: the page renders through the real navigation. Forbidden: opened directly
    (as by URL), the page itself refuses and shows no data."""
    page, role = item
    if can(role, page.permission):
        at = run_page("main.py", role)
        at.switch_page(page.path).run()
        assert not at.exception, at.exception
        assert not any("Kein Zugriff" in e.value for e in at.error)
        assert at.title[0].value
    else:
        at = run_page(page.path, role)
        assert not at.exception, at.exception
        assert any("Kein Zugriff" in e.value for e in at.error)
        assert len(at.title) == 0
        assert len(at.dataframe) == 0 and len(at.metric) == 0
        assert folium_maps(at) == []


@pytest.mark.parametrize("role", list(Role))
def test_navigation_offers_exactly_the_allowed_pages(run_page, role):
    at = run_page("main.py", role)
    assert not at.exception
    allowed = [p for p in features.pages() if can(role, p.permission)]
    listed = [p for p in allowed if p.in_navigation]
    links = [link.proto.label for link in at.sidebar.get("page_link")]
    assert links == [p.title for _, pages in navigation.by_section(listed) for p in pages]
    for page in features.pages():
        if page not in allowed:
            at.switch_page(page.path).run()  # as by URL: the page itself refuses, in German
            assert not at.exception
            assert any("Kein Zugriff" in e.value for e in at.error)
            assert len(at.dataframe) == 0 and len(at.metric) == 0
    for page in allowed:
        at.switch_page(page.path).run()
        assert not at.exception
        assert not any("Kein Zugriff" in e.value for e in at.error)


def test_entry_script_reports_missing_database(db_path, users, tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANZ_DB", str(tmp_path / "missing.sqlite3"))
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=60).run()
    assert any("nicht bereit" in e.value for e in at.error)
