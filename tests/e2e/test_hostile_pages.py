"""The hostile corpus in every feature, then every page a citizen and the staff see, in a real
browser: no injected script runs, no dialog opens, the text is shown as text."""

from datetime import date, datetime

import pytest
from playwright.sync_api import expect

from allianz import config
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.measures import service as measures
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from allianz.vacancies import service as vacancies
from allianz.workshops import service as workshops
from allianz.workshops import store as workshop_store
from db.connection import connect
from tests.e2e.conftest import PASSWORD, login, nav, prepare_database, start_app, wait_idle
from tests.hostile import CORPUS

pytestmark = pytest.mark.e2e
MANAGER = User("e2e-manager", "E2E", Role.MANAGER)
PAGES = ("", "suggestions", "workshops", "vacancy_share", "measures", "networks")
STAFF_PAGES = ("Hinweise bearbeiten", "Leerstand erfassen", "Lenkungsgruppe", "Werkstätten planen")


def _seed(path) -> dict:
    db = connect(path)
    alliance = config.load("partheland")
    areas = municipalities.areas(db)
    seat = alliance.municipality("14729060")
    refs = []
    for text in CORPUS:
        refs.append(
            suggestions.submit(
                db, alliance, areas,
                suggestions.Submission("other", text[:120], text, seat.seat_lat, seat.seat_lon,
                                       chosen_ags="14729060"),
            ).ref
        )  # fmt: skip
    wid = workshops.create(
        db, alliance, MANAGER,
        workshops.WorkshopDraft(CORPUS[1], datetime(2026, 11, 1, 18), place=CORPUS[0],
                                tables=[workshops.TableDraft(CORPUS[2], CORPUS[0])]),
    )  # fmt: skip
    workshops.set_phase(db, MANAGER, wid, "live")
    table = workshop_store.get(db, wid).tables[0].id
    for text in CORPUS:
        workshops.add_card(db, alliance, areas, MANAGER, wid,
                           workshops.CardDraft(table, text[:500], tags=text[:25]))  # fmt: skip
    for text in CORPUS:
        vacancies.create(
            db, alliance, areas, MANAGER,
            {"type": "leerstand", "lat": seat.seat_lat, "lon": seat.seat_lon,
             "description": text, "address": text[:200], "publication_consent": True},
        )  # fmt: skip
    for text in CORPUS[:5]:
        measures.create(db, alliance, MANAGER,
                        {"handlungsfeld": 1, "priority": "A", "title": text, "assessment": text},
                        [measures.StepDraft(text, date(2020, 1, 1), text[:80])])  # fmt: skip
    db.close()
    return {"refs": refs, "workshop": wid}


def _visit(page, url: str | None, dialogs: list, link: str | None = None) -> None:
    if link:  # signed in: navigate inside the session (a reload would end it)
        nav(page, link)
    else:
        page.goto(url)
    wait_idle(page)
    page.wait_for_timeout(800)  # let maps and components run their scripts
    assert page.evaluate("() => window.__pwned") is None, url
    for frame in page.frames:
        if frame.is_detached():
            continue
        assert frame.evaluate("() => window.__pwned") is None, (url, frame.url)
    assert dialogs == [], (url, dialogs)


def test_no_injected_script_runs_anywhere(browser, tmp_path):
    db_path = tmp_path / "e2e.sqlite3"
    prepare_database(db_path)
    seeded = _seed(db_path)
    server = start_app(tmp_path)
    try:
        page = browser.page
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in PAGES:
            _visit(page, f"{server.url}/{path}", dialogs)
        _visit(page, f"{server.url}/suggestions?ref={seeded['refs'][0]}", dialogs)
        _visit(page, f"{server.url}/workshops?workshop={seeded['workshop']}", dialogs)
        assert page.get_by_text("<script>window.__pwned=1</script>").count() >= 1
        _visit(page, f"{server.url}/suggestions", dialogs)
        page.get_by_role("tab", name="Liste").click()  # the list is built on opening
        expect(page.get_by_text("<img src=x onerror=", exact=False).first).to_be_visible()
        login(page, server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
        for name in STAFF_PAGES:
            _visit(page, None, dialogs, link=name)
    finally:
        server.stop()
