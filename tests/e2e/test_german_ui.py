"""No English on our pages: every page for every role, its visible text and what assistive
technology reads (aria-label, title, placeholder), in the page and its same-origin frames.

Streamlit has no translation; the pages set German placeholders and formats where Streamlit
offers a parameter, and assets/js/german-ui.js replaces the remaining fixed strings.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest
from playwright.sync_api import Error as PlaywrightError

from allianz import features
from allianz.auth import Role, can
from tests.e2e.conftest import ACCOUNTS, PASSWORD, login, wait_idle

pytestmark = pytest.mark.e2e

# Streamlit's (and Leaflet's) English texts seen on our pages or in their accessible names.
# Matched as whole words, case-sensitive: "Suche" or "Uploads" in German text do not match.
ENGLISH = (
    "Upload",
    "Browse files",
    "Drag and drop",
    "per file",
    "Choose an option",
    "Choose options",
    "Choose a date",
    "Choose date range",
    "Choose date",
    "Select all",
    "Select",
    "Open",
    "Close",
    "Clear all",
    "Clear value",
    "Clear",
    "No results",
    "Press Enter to submit form",
    "Press Enter to apply",
    "dd.mm.yyyy",
    "DD.MM.YYYY",
    "YYYY/MM/DD",
    "Show/hide columns",
    "Download as CSV",
    "Search",
    "Fullscreen",
    "Close fullscreen",
    "Collapse sidebar",
    "Expand sidebar",
    "Link to heading",
    "streamlit_folium.st_folium",
    "st.iframe",
    "Skip to main content",
    "Main menu",
    "Zoom in",
    "Zoom out",
    "Show password",
    "Hide password",
    "Increment",
    "Decrement",
    "Previous month",
    "Next month",
    "Running...",
    "Stop",
    "Rerun",
    "Deploy",
    "Delete",
    "Remove",
    "Copy to clipboard",
    "Help for",
    "Loading",
    "start date",
    "end date",
    "day",
    "month",
    "year",
)
PATTERN = re.compile(
    r"(?<![\w/-])("
    + "|".join(re.escape(w) for w in sorted(ENGLISH, key=len, reverse=True))
    + r")(?![\w/-])"
)

# Visible text and accessible strings of one document.
COLLECT = """() => {
    const out = [document.body ? document.body.innerText : ""];
    for (const el of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
        for (const name of ["aria-label", "title", "placeholder"]) {
            const value = el.getAttribute(name);
            if (value) { out.push(name + "=" + value); }
        }
    }
    return out;
}"""


def english(texts: list[str]) -> set[str]:
    return {match for text in texts for match in PATTERN.findall(text)}


def test_pattern_matches_whole_words_only():
    assert english(["Choose an option", "title=Open", "Link to heading"]) == {
        "Choose an option",
        "Open",
        "Link to heading",
    }
    assert english(
        ["Uploads der Gemeinde", "Opening", "Suche", "Hochladen", "Datei-Upload", "»Open«"]
    ) == {"Open"}


def page_english(page) -> set[str]:
    found: set[str] = set()
    for frame in page.frames:
        if frame.is_detached():
            continue
        try:
            texts = frame.evaluate(COLLECT)
        except PlaywrightError:  # a frame replaced by a rerun while we read it
            texts = []
        found |= english(texts)
    return found


def walk(page, base_url: str, role: Role) -> dict[str, list[str]]:
    found = {}
    for spec in features.pages():
        if not can(role, spec.permission):
            continue
        page.goto(f"{base_url}/{PurePosixPath(spec.path).stem}")
        wait_idle(page)
        page.wait_for_timeout(700)  # component frames (maps) and our script settle
        words = page_english(page)
        if words:
            found[spec.title] = sorted(words)
    return found


# one walk over every page of a role (some 45 pages): longer than one flow on a loaded machine
@pytest.mark.timeout(900)
@pytest.mark.parametrize("role", list(ACCOUNTS), ids=lambda r: r.value)
def test_every_page_speaks_german(browser, app_server, role):
    page = browser.page
    account = ACCOUNTS[role]
    if account is not None:
        login(page, app_server.url, account[0], PASSWORD, account[1])
    found = walk(page, app_server.url, role)
    assert found == {}, "English on German pages:\n" + "\n".join(
        f"{title}: {', '.join(words)}" for title, words in found.items()
    )
