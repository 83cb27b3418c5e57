"""A steering-group meeting from planning to released minutes, as its users do it in the
browser: the office plans it with three agenda items (linked to a measure and a suggestion,
one non-public), invites the mayors; a mayor accepts (and the answer survives a reload); the
office records the meeting, a resolution with a step for the measure and the minutes; the mayor
comments; the office releases; a citizen sees the public part only, and the measure shows the
resolution."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from allianz.devserver import wait_idle
from db.connection import connect
from tests.e2e.conftest import (
    PASSWORD,
    choose,
    click_button,
    login,
    nav,
    open_tab,
    other_person,
    pick,
    type_date,
)

pytestmark = pytest.mark.e2e

SECRET_ITEM = "Vertrauliche Personalfrage"


def _add_item(page, title: str, public: bool = True) -> None:
    """Under load the emptied form of the last item may still be replaced: type only into the
    form that is there once the page is idle, and check the text stuck before sending."""
    wait_idle(page)
    form = page.get_by_test_id("stForm").filter(has=page.get_by_label("Neuer Tagesordnungspunkt"))
    field = form.get_by_label("Neuer Tagesordnungspunkt")
    expect(field).to_have_value("")
    field.fill(title)
    if not public:
        form.get_by_test_id("stCheckbox").get_by_text("öffentlich", exact=True).click()
        expect(form.get_by_role("checkbox", name="öffentlich")).not_to_be_checked()
    expect(field).to_have_value(title)
    form.get_by_role("button", name="Punkt hinzufügen").click()
    wait_idle(page)
    expect(
        page.get_by_text(f"TOP {title}", exact=False).or_(page.get_by_text(title))
    ).not_to_have_count(0)
    expect(page.get_by_text("Tagesordnungspunkt hinzugefügt.")).to_be_visible()


def _link(page, position: int, kind: str, number: str) -> None:
    """Open the item's expander (if a rerun closed it) and link it from the form inside."""
    wait_idle(page)
    item = page.get_by_test_id("stExpander").filter(has_text=f"TOP {position}:")
    form = item.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Verknüpfen"))
    if not form.is_visible():
        item.get_by_text(f"TOP {position}:").click()
    form.get_by_test_id("stRadio").get_by_text(kind, exact=True).click()
    expect(form.get_by_role("radio", name=kind, exact=True)).to_be_checked()
    form.get_by_label("Nummer").fill(number)
    form.get_by_role("button", name="Verknüpfen").click()
    wait_idle(page)
    expect(page.get_by_text("Verknüpft mit")).to_be_visible()


def test_meeting_from_invitation_to_released_minutes(browser, app_server):
    db = connect(app_server.db_path)
    suggestion = next(db.query("SELECT ref, title FROM suggestions WHERE NOT hidden LIMIT 1"))
    measure = next(db.query("SELECT id, ref, title FROM measures ORDER BY id LIMIT 1"))
    db.close()
    yesterday = date.today() - timedelta(days=1)
    office = browser.page
    login(office, app_server.url, "e2e-leitung", PASSWORD, "Lena Leitung")
    nav(office, "Sitzungen vorbereiten")
    wait_idle(office)
    choose(office, "Art", "Lenkung", "Lenkungsgruppe (Allianzsitzung)")
    office.get_by_label("Titel").fill("Allianzsitzung im Browser")
    type_date(office, "Datum", yesterday)
    office.get_by_label("Ort", exact=True).fill("Rathaus Borsdorf")
    click_button(office, "Sitzung anlegen")
    expect(office.get_by_text("Sitzung angelegt.")).to_be_visible()
    assert "sitzung=" in office.url
    meeting_id = office.url.split("sitzung=")[1].split("&")[0]
    office.reload()  # the meeting stays chosen
    wait_idle(office)
    expect(office.get_by_text(f"S-{int(meeting_id):04d} · Lenkungsgruppe")).to_be_visible()

    open_tab(office, "Tagesordnung und Unterlagen")
    _add_item(office, "Radwegekonzept beschließen")
    _add_item(office, "Hinweis zur Ortsdurchfahrt")
    _add_item(office, SECRET_ITEM, public=False)
    _link(office, 1, "Maßnahme", measure["ref"])
    _link(office, 2, "Hinweis", suggestion["ref"])

    open_tab(office, "Einladung")
    pick(office, "Rollen", "Bürgermeisterin/Bürgermeister")
    click_button(office, "Einladungsliste speichern")
    click_button(office, "Einladungen senden (E-Mail mit Tagesordnung und .ics)")
    expect(office.get_by_text("eingeladen, ")).to_be_visible()

    mayor = other_person(office)
    login(mayor, app_server.url, "e2e-mayor", PASSWORD, "Bernd Bürgermeister")
    mayor.goto(f"{app_server.url}/meetings?sitzung={meeting_id}")
    wait_idle(mayor)
    expect(mayor.get_by_text(SECRET_ITEM)).to_be_visible()  # invited: sees the non-public item
    click_button(mayor, "Zusage")
    expect(mayor.get_by_text("Ihre Antwort ist gespeichert: Zusage.")).to_be_visible()
    mayor.reload()
    wait_idle(mayor)
    expect(mayor.get_by_text("Bisher: Zusage")).to_be_visible()

    office.reload()
    wait_idle(office)
    click_button(office, "Sitzung als durchgeführt markieren")
    open_tab(office, "Nach der Sitzung")
    decide = office.get_by_test_id("stForm").filter(has_text="TOP 1: Radwegekonzept beschließen")
    decide.get_by_label("Ergebnis").fill("einstimmig")
    decide.get_by_label("Beschlusstext").fill("Das Planungsbüro wird beauftragt.")
    decide.get_by_label(f"Neuer nächster Schritt für {measure['ref']} (optional)").fill(
        "Angebote einholen"
    )
    decide.get_by_role("button", name="Ergebnis speichern").click()
    wait_idle(office)
    expect(office.get_by_text("Der Schritt steht bei der Maßnahme.")).to_be_visible()
    open_tab(office, "Nach der Sitzung")
    office.get_by_label("Öffentlicher Teil", exact=True).fill("Die Sitzung war gut besucht.")
    office.get_by_label("Nichtöffentlicher Teil").fill("Personalfrage vertagt.")
    click_button(office, "Protokoll speichern")
    expect(office.get_by_text("Protokoll gespeichert.")).to_be_visible()
    open_tab(office, "Termin und Stand")
    click_button(office, "Protokoll den Teilnehmenden zur Anmerkung geben")
    expect(office.get_by_text("Das Protokoll ist zur Anmerkung offen.")).to_be_visible()

    mayor.reload()
    wait_idle(mayor)
    mayor.get_by_label("Ihre Anmerkung").fill("Bitte den Termin für die Angebote nennen.")
    click_button(mayor, "Anmerkung senden")
    expect(mayor.get_by_text("Ihre Anmerkung ist gespeichert.")).to_be_visible()
    expect(mayor.get_by_text("Bitte den Termin für die Angebote nennen.")).to_be_visible()

    office.reload()
    wait_idle(office)
    click_button(office, "Protokoll freigeben")
    expect(office.get_by_text("Protokoll freigegeben.")).to_be_visible()

    citizen = other_person(office)
    citizen.goto(f"{app_server.url}/meetings?sitzung={meeting_id}")
    wait_idle(citizen)
    expect(citizen.get_by_text("Das Planungsbüro wird beauftragt.")).to_be_visible()
    expect(citizen.get_by_text("Die Sitzung war gut besucht.")).to_be_visible()
    expect(citizen.get_by_role("link", name=suggestion["ref"], exact=False)).to_be_visible()
    body = citizen.get_by_test_id("stMain").inner_text()
    assert SECRET_ITEM not in body and "Personalfrage vertagt" not in body
    assert "Bitte den Termin" not in body  # remarks are the participants' business

    nav(citizen, "Maßnahmen")
    wait_idle(citizen)
    choose(citizen, "Maßnahme ansehen", measure["ref"], f"{measure['ref']}: {measure['title']}")
    expect(citizen.get_by_text("Das Planungsbüro wird beauftragt.")).to_be_visible()
    db = connect(app_server.db_path)
    steps = [
        r[0]
        for r in db.execute("SELECT text FROM measure_steps WHERE measure_id = ?", [measure["id"]])
    ]
    db.close()
    assert any(s.startswith("Angebote einholen (Beschluss Lenkungsgruppe") for s in steps)
