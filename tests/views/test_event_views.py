"""Veranstaltungen, Veranstaltung melden and Veranstaltungen verwalten in AppTest: a club's
submission without an account, the staff's approval, the public list with filters and the
detail with JSON-LD, the start page's teaser, a staff entry with a weekly series, hostile text
shown as text."""

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.events import service
from allianz.events.model import State
from allianz.events.recurrence import Recurrence
from allianz.municipalities import service as municipalities
from tests.hostile import CORPUS
from tests.views.conftest import open_page

LIST = "allianz/events/pages/events.py"
SUBMIT = "allianz/events/pages/event_submit.py"
OFFICE = "allianz/events/pages/events_office.py"
AGS = "14729060"  # Borsdorf: the view tests' staff account is Borsdorf's
MANAGER = User("leitung", "Geschäftsstelle", Role.MANAGER)
DAY = date.today() + timedelta(days=6)


def _texts(at) -> str:
    shown = [e.value for kind in ("markdown", "caption", "info", "success", "error", "warning")
             for e in getattr(at, kind)]  # fmt: skip
    return re.sub(r"\\(.)", r"\1", " ".join(str(s) for s in shown))


def _labelled(widgets, start: str):
    return next(w for w in widgets if w.label.startswith(start))


def _links(at) -> list[str]:
    """Link labels as shown (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", link.proto.label) for link in at.get("page_link")]


def _event(db, alliance, **change):
    values = {
        "title": "Lauftreff am Parthe-Ufer",
        "category": "sport",
        "municipality_ags": AGS,
        "day": DAY,
        "start_time": "18:30",
        "end_time": "19:30",
        "venue": "Sportplatz",
        "organiser": "SV Grün-Weiß",
    }
    return service.create(db, alliance, municipalities.areas(db), MANAGER,
                          service.EventDraft(**(values | change)))  # fmt: skip


def _entry_tab(at):
    """Only the tab shown is built: open "Veranstaltung eintragen"."""
    assert not [b for b in at.button if b.label == "Veranstaltung veröffentlichen"]
    at.session_state["events-office-tabs"] = "Veranstaltung eintragen"
    return at.run()


def _fill(at, title: str) -> None:
    _labelled(at.text_input, "Titel").input(title)
    _labelled(at.selectbox, "Kategorie").select("vereine")
    _labelled(at.selectbox, "Gemeinde, in der").select(AGS)
    _labelled(at.text_input, "Datum").input(DAY.strftime("%d.%m.%Y"))
    _labelled(at.text_input, "Beginn").input("14:00")
    _labelled(at.text_input, "Ende (SS:MM)").input("20:00")
    _labelled(at.text_area, "Beschreibung").input("Kaffee und **Kuchen**")
    _labelled(at.text_input, "Veranstaltungsort").input("Vereinsheim")
    _labelled(at.text_input, "Kartenpunkt").input("51.3469, 12.5383")
    _labelled(at.text_input, "Veranstalter").input("Heimatverein")


def test_a_club_submits_without_an_account_and_staff_approve(run_page, db):
    at = open_page(run_page, Role.CITIZEN, SUBMIT)
    at.session_state["event-submit-started"] = (
        datetime.now(UTC) - timedelta(minutes=2)
    ).isoformat()
    _fill(at, "Vereinsfest mit Kuchen")
    _labelled(at.text_input, "E-Mail").input("verein@example.org")
    _labelled(at.checkbox, "Ich willige ein").check()
    at = _labelled(at.button, "Veranstaltung melden").click().run()
    assert not at.exception, at.exception
    assert "ist eingegangen" in _texts(at)
    assert _labelled(at.text_input, "Titel").value == ""  # the form starts empty again
    [waiting] = service.moderation_queue(db, MANAGER)
    assert waiting.title == "Vereinsfest mit Kuchen" and waiting.state is State.SUBMITTED
    public = open_page(run_page, Role.CITIZEN, LIST)
    assert not any("Vereinsfest" in label for label in _links(public))

    desk = open_page(run_page, Role.STAFF, OFFICE)
    assert "verein@example.org" in _texts(desk)  # the moderators see the contact
    desk = desk.button(key=f"approve-{waiting.id}").click().run()
    assert f"Nr. {waiting.id} ist veröffentlicht" in _texts(desk)
    assert service.get(db, waiting.id).state is State.PUBLISHED
    public = open_page(run_page, Role.CITIZEN, LIST)
    assert any("Vereinsfest mit Kuchen" in label for label in _links(public))
    detail = open_page(run_page, Role.CITIZEN, LIST, veranstaltung=str(waiting.id))
    assert "verein@example.org" not in _texts(detail)
    assert "Heimatverein" in _texts(detail)


def test_too_quick_or_with_the_hidden_field_is_refused(run_page, db):
    at = open_page(run_page, Role.CITIZEN, SUBMIT)
    _fill(at, "Zu schnell")
    _labelled(at.text_input, "E-Mail").input("verein@example.org")
    _labelled(at.checkbox, "Ich willige ein").check()
    at = _labelled(at.button, "Veranstaltung melden").click().run()
    assert "Moment Zeit" in _texts(at)
    assert _labelled(at.text_input, "Titel").value == "Zu schnell"  # the input is kept
    assert db["events"].count == 0


def test_staff_decline_with_a_reason(run_page, db, alliance):
    sub = service.ClubSubmission(
        service.EventDraft("Werbeverkauf", "vereine", AGS, DAY, "10:00", "12:00",
                           venue="Halle", organiser="Firma"),
        "firma@example.org", True,
    )  # fmt: skip
    made = service.submit(db, alliance, municipalities.areas(db), sub)
    at = open_page(run_page, Role.STAFF, OFFICE)
    at.text_input(key=f"reason-{made.id}").input("Verkaufsveranstaltung, kein Vereinsleben.")
    at = at.button(key=f"decline-{made.id}").click().run()
    assert "ist abgelehnt" in _texts(at)
    assert service.get(db, made.id).decline_reason.startswith("Verkaufsveranstaltung")
    [mail] = list(db["mail_outbox"].rows)
    assert mail["recipient"] == "firma@example.org" and "Verkaufsveranstaltung" in mail["body"]


def test_staff_enter_a_weekly_series_published_at_once(run_page, db):
    at = _entry_tab(open_page(run_page, Role.STAFF, OFFICE))
    _fill(at, "Lauftreff jeden Dienstag")
    _labelled(at.selectbox, "Wie oft").select("weekly")
    _labelled(at.multiselect, "Wochentage").select(DAY.weekday())
    _labelled(at.number_input, "nach so vielen").set_value(8)
    _labelled(at.text_input, "Ausnahmen").input((DAY + timedelta(days=14)).strftime("%d.%m.%Y"))
    at = _labelled(at.button, "Veranstaltung veröffentlichen").click().run()
    assert not at.exception, at.exception
    assert "ist veröffentlicht" in _texts(at), _texts(at)
    [made] = service.latest(db)
    assert made.state is State.PUBLISHED and made.rrule.startswith("FREQ=WEEKLY")
    assert len(service.dates(db, made.id)) == 7
    detail = open_page(run_page, Role.CITIZEN, LIST, veranstaltung=str(made.id))
    text = _texts(detail)
    assert "wöchentlich am" in text and "8 Termine" in text
    assert "Die nächsten Termine" in [h.value for h in detail.subheader]


def test_a_series_of_ten_thousand_dates_is_refused_on_the_form(run_page, db):
    at = _entry_tab(open_page(run_page, Role.STAFF, OFFICE))
    _fill(at, "Zu viele Termine")
    _labelled(at.selectbox, "Wie oft").select("daily")
    _labelled(at.selectbox, "Die Reihe endet").select("until")
    _labelled(at.text_input, "am Datum").input((DAY + timedelta(days=3000)).strftime("%d.%m.%Y"))
    at = _labelled(at.button, "Veranstaltung veröffentlichen").click().run()
    assert "höchstens 3 Jahre" in _texts(at) or "höchstens 500" in _texts(at)
    assert db["events"].count == 0


def test_list_filters_and_detail_with_json_ld(run_page, db, alliance):
    made = _event(db, alliance, free=False, price_text="5 €")
    _event(db, alliance, title="Konzert", category="kultur")
    at = open_page(run_page, Role.CITIZEN, LIST)
    assert {"Lauftreff am Parthe-Ufer", "Konzert"} <= {
        label.split(" · ", 1)[1] for label in _links(at) if " · " in label
    }
    at.selectbox(key="events-category").select("kultur").run()
    shown = [label for label in _links(at) if " · " in label]
    assert shown and all("Konzert" in label for label in shown)
    assert "/feeds/veranstaltungen.ics?kategorie=kultur" in " ".join(c.value for c in at.code)
    assert "kultur (Kultur), sport (Sport)" in _texts(at)  # the codes for the address
    detail = open_page(run_page, Role.CITIZEN, LIST, veranstaltung=str(made.id))
    assert detail.query_params["veranstaltung"] == str(made.id)  # kept in the URL
    scripts = [h.proto.body for h in detail.get("html") if "ld+json" in h.proto.body]
    assert len(scripts) == 1
    data = json.loads(re.search(r">(.*)</script>", scripts[0], re.S).group(1))
    assert data["@type"] == "Event" and data["name"] == "Lauftreff am Parthe-Ufer"
    assert data["isAccessibleForFree"] is False
    missing = open_page(run_page, Role.CITIZEN, LIST, veranstaltung="999999")
    assert "gibt es nicht" in _texts(missing)


def test_start_page_shows_the_next_events(run_page, db, alliance):
    made = _event(db, alliance)
    at = run_page("main.py")
    assert any("Lauftreff am Parthe-Ufer" in label for label in _links(at))
    headings = " ".join(str(e.value) for kind in ("subheader", "header", "markdown")
                        for e in getattr(at, kind))  # fmt: skip
    assert "Nächste Veranstaltungen" in headings, made.id


@pytest.mark.parametrize("text", CORPUS[:3] + CORPUS[14:15])
def test_hostile_text_shows_as_text(run_page, db, alliance, text):
    made = _event(db, alliance, title=f"Fest {text}", description=f"Beschreibung {text}",
                  venue=f"Ort {text}", organiser=f"Verein {text}",
                  recurrence=Recurrence())  # fmt: skip
    at = open_page(run_page, Role.CITIZEN, LIST, veranstaltung=str(made.id))
    assert not at.exception, at.exception
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "<script>window" not in html and "<img" not in html and "<svg" not in html
    assert "javascript:" not in html.replace("javascript:alert(4)", "")  # only as text
    raw = " ".join(str(e.value) for e in at.markdown)
    # markdown and HTML characters of user text arrive escaped (\\<, \\]), never live
    assert not re.search(r"(?<!\\)<(script|img|svg)", raw)
    assert not re.search(r"(?<!\\)\]\(http", raw)
    assert f"Verein {text}"[:20] in _texts(at)


def test_staff_cancel_an_event_it_stays_public_as_cancelled(run_page, db, alliance):
    made = _event(db, alliance)
    at = open_page(run_page, Role.STAFF, OFFICE)
    at.session_state["events-office-tabs"] = "Veröffentlichte Veranstaltungen"
    at = at.run()
    at.selectbox(key="office-event").select(made.id).run()
    at.text_input(key=f"cancel-note-{made.id}").input("Der Platz ist gesperrt.")
    at = at.button(key=f"cancel-{made.id}").click().run()
    assert "als abgesagt markiert" in _texts(at)
    assert service.get(db, made.id).state is State.CANCELLED
    public = open_page(run_page, Role.CITIZEN, LIST, veranstaltung=str(made.id))
    assert "Diese Veranstaltung ist abgesagt. Der Platz ist gesperrt." in _texts(public)
    assert any("Abgesagt: Lauftreff" in label for label in _links(open_page(
        run_page, Role.CITIZEN, LIST)))  # fmt: skip


def test_a_click_on_the_map_fills_the_map_point(run_page, monkeypatch):
    from allianz import maps  # noqa: PLC0415 - the map's return value is substituted

    at = open_page(run_page, Role.CITIZEN, SUBMIT)
    assert _labelled(at.text_input, "Kartenpunkt").value == ""
    click = {"lat": 51.34691234, "lng": 12.53831234}
    monkeypatch.setattr(maps, "st_folium", lambda *a, **k: {"last_clicked": click})
    at.run()
    assert _labelled(at.text_input, "Kartenpunkt").value == "51.346912, 12.538312"


def test_filters_come_from_and_go_into_the_address(run_page, db, alliance):
    _event(db, alliance)
    _event(db, alliance, title="Konzert in Brandis", category="kultur",
           municipality_ags="14729070")  # fmt: skip
    at = open_page(run_page, Role.CITIZEN, LIST, gemeinde="14729070")
    shown = [label for label in _links(at) if " · " in label]
    assert shown and all("Brandis" in label for label in shown)
    at.selectbox(key="events-category").select("kultur").run()
    assert at.query_params["kategorie"] == "kultur" and at.query_params["gemeinde"] == "14729070"
    at.selectbox(key="events-municipality").select(None).run()
    assert "gemeinde" not in at.query_params


def test_staff_change_an_event_from_its_filled_form(run_page, db, alliance):
    made = _event(db, alliance, recurrence=Recurrence("weekly", 1, (DAY.weekday(),), "count", 4))
    at = open_page(run_page, Role.STAFF, OFFICE)
    at.session_state["events-office-tabs"] = "Veröffentlichte Veranstaltungen"
    at = at.run()
    at.selectbox(key="office-event").select(made.id).run()
    form = f"event-edit-{made.id}-0"
    assert at.text_input(key=f"{form}-title").value == "Lauftreff am Parthe-Ufer"
    assert at.selectbox(key=f"{form}-frequency").value == "weekly"
    assert at.number_input(key=f"{form}-count").value == 4
    at.text_input(key=f"{form}-title").input("Lauftreff (neue Zeit)")
    at.text_input(key=f"{form}-begin").input("19:00")
    at.text_input(key=f"{form}-end").input("20:00")
    at = next(b for b in at.button if b.label == "Änderungen speichern").click().run()
    assert "ist geändert" in _texts(at), _texts(at)
    changed = service.get(db, made.id)
    assert changed.title == "Lauftreff (neue Zeit)" and changed.rrule == made.rrule
    assert [service.local(s).strftime("%H:%M") for s, _ in service.dates(db, made.id)] == [
        "19:00"
    ] * 4
