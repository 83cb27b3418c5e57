"""axe-core (served from the npm package, no CDN) on every page for every role: no serious or
critical WCAG 2.1 A/AA violations."""

from pathlib import Path, PurePosixPath

import pytest
from playwright.sync_api import expect

from allianz import features
from allianz.auth import can
from tests.e2e.conftest import ACCOUNTS, PASSWORD, login, nav, wait_idle

pytestmark = pytest.mark.e2e
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.failureSummary).join(' | '))",
        TAGS,
    )
    return result


# one walk over every page of a role (some 45 pages): longer than one flow on a loaded machine
@pytest.mark.timeout(900)
@pytest.mark.parametrize("role", list(ACCOUNTS), ids=lambda r: r.value)
def test_every_page_has_no_serious_violations(browser, app_server, role):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core fehlt: `make setup` installiert es")
    page = browser.page
    account = ACCOUNTS[role]
    if account is None:
        page.goto(app_server.url)
        wait_idle(page)
    else:
        login(page, app_server.url, account[0], PASSWORD, account[1])
    start = page.get_by_test_id("stSidebar").get_by_role("link", name="Start", exact=True)
    expect(start).to_be_visible()
    found = {}
    for spec in features.pages():
        if not can(role, spec.permission):
            continue
        if not spec.in_navigation:  # an embedded map: reached from outside, by its address
            page.goto(f"{app_server.url}/{PurePosixPath(spec.path).stem}")
        else:  # as users go, from the navigation (back to the start where a page hides it)
            if not start.is_visible():
                page.goto(app_server.url)
                expect(start).to_be_visible()
            nav(page, spec.title)
        wait_idle(page)
        page.wait_for_timeout(500)  # the page has drawn when axe looks (and `start` is known)
        problems = _violations(page)
        if problems:
            found[spec.title] = problems
    assert found == {}, found
