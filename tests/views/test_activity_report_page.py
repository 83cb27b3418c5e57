"""Tätigkeitsbericht in AppTest: the office sees the preview and both downloads, enters and
removes external appointments and press entries (once per click); mayors and citizens are
refused."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from allianz.accounts.model import COMMAND_LINE
from allianz.auth import Role
from allianz.meetings import service
from tests.hostile import expected_stored
from tests.views.conftest import open_page

PAGE = "allianz/meetings/pages/activity_report.py"
TODAY = date.today()


@pytest.fixture
def office(db, alliance):
    """A steering-group meeting held last month with a non-public item, one appointment."""
    meeting = service.create(
        db, alliance, COMMAND_LINE,
        service.MeetingDraft(kind="steering_group", title="Allianzsitzung",
                             day=TODAY - timedelta(days=30), start_time="18:00",
                             end_time="20:00", place="Rathaus"),
    )  # fmt: skip
    service.add_item(db, COMMAND_LINE, meeting, "Radkonzept", public=True)
    service.add_item(db, COMMAND_LINE, meeting, "Personalfrage", public=False)
    service.transition(db, COMMAND_LINE, meeting, "held", now=datetime.now(UTC))
    service.add_appointment(db, COMMAND_LINE, TODAY - timedelta(days=5), "ILE-Austausch",
                            "Nachbar-ILE", "Radwege")  # fmt: skip
    return meeting


def _texts(at) -> str:
    """What the page shows as text, markdown escapes removed."""
    shown = [m.value for m in at.markdown] + [str(d.value.to_dict()) for d in at.dataframe]
    return re.sub(r"\\(.)", r"\1", " ".join(shown))


def field(at, label: str):
    return next(t for t in at.text_input if t.label == label)


def test_office_sees_preview_and_downloads(run_page, office):
    at = open_page(run_page, Role.MANAGER, PAGE)
    assert at.title[0].value == "Tätigkeitsbericht"
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Bericht als PDF", "Bericht als Word-Datei (.docx)"]
    text = _texts(at)
    since = (TODAY - timedelta(days=365)).strftime("%d.%m.%Y")
    assert f"Im Zeitraum vom {since} bis {TODAY:%d.%m.%Y} hat 1 Allianzsitzung" in text
    assert "Personalfrage (nichtöffentlich)" in text
    assert "ILE-Austausch" in text
    frames = [d.value for d in at.dataframe]
    appointments = next(f for f in frames if "Veranstaltung" in f.columns)
    assert appointments.iloc[0]["Datum"] == (TODAY - timedelta(days=5)).strftime("%d.%m.%Y")
    # the foreword goes into the preview as typed
    at.text_area(key="activity-foreword").input("Seit 01.05.2026 ist die Stelle besetzt.").run()
    assert "Seit 01.05.2026 ist die Stelle besetzt." in _texts(at)


def test_period_narrows_the_report(run_page, office):
    at = open_page(run_page, Role.MANAGER, PAGE)
    at.date_input(key="activity-period").set_value((TODAY - timedelta(days=10), TODAY)).run()
    text = _texts(at)
    assert "haben keine Sitzungen stattgefunden" in text
    assert "ILE-Austausch" in text


def test_office_enters_and_removes_appointments_and_press(run_page, db, office):
    at = open_page(run_page, Role.MANAGER, PAGE)
    at.session_state["activity-tabs"] = "Außentermine"
    at.run()
    hostile = "<script>window.__pwned=1</script>"
    field(at, "Veranstaltung").input(hostile)
    field(at, "Partner").input("Landratsamt")
    form = next(b for b in at.button if b.label == "Außentermin eintragen")
    form.click().run()
    assert not at.exception
    assert any("Außentermin am" in s.value for s in at.success)
    stored = [a.event for a in service.appointments(db, COMMAND_LINE, TODAY, TODAY)]
    assert stored == [expected_stored(hostile)]
    # the same content sent again (a second click) lands once
    field(at, "Veranstaltung").input(hostile)
    field(at, "Partner").input("Landratsamt")
    next(b for b in at.button if b.label == "Außentermin eintragen").click().run()
    assert len(service.appointments(db, COMMAND_LINE, TODAY, TODAY)) == 1
    assert any("schon gespeichert" in e.value for e in at.error)
    # the list shows it; removing it leaves the older appointment
    assert any("pwned" in m.value for m in at.markdown)
    remove = [b for b in at.button if b.label == "Entfernen"]
    assert len(remove) == 2
    remove[-1].click().run()
    assert any("Außentermin entfernt." in s.value for s in at.success)
    assert [a.event for a in service.appointments(db, COMMAND_LINE, TODAY - timedelta(days=9),
                                                  TODAY)] == ["ILE-Austausch"]  # fmt: skip

    at.session_state["activity-tabs"] = "Pressespiegel"
    at.run()
    field(at, "Medium").input("Amtsblatt")
    field(at, "Thema").input("Neues Logo")
    next(b for b in at.button if b.label == "Presseeintrag eintragen").click().run()
    assert any("Presseeintrag vom" in s.value for s in at.success)
    assert [p.topic for p in service.press(db, COMMAND_LINE, TODAY, TODAY)] == ["Neues Logo"]
    next(b for b in at.button if b.label == "Entfernen").click().run()
    assert service.press(db, COMMAND_LINE, TODAY, TODAY) == []


def test_empty_required_field_is_refused_in_german(run_page, db, office):
    at = open_page(run_page, Role.MANAGER, PAGE)
    at.session_state["activity-tabs"] = "Pressespiegel"
    at.run()
    next(b for b in at.button if b.label == "Presseeintrag eintragen").click().run()
    assert any("Medium fehlt." in e.value for e in at.error)
    assert service.press(db, COMMAND_LINE, TODAY - timedelta(days=400), TODAY) == []


@pytest.mark.parametrize("role", [Role.MAYOR, Role.CITIZEN, Role.STAFF])
def test_others_are_refused(run_page, office, role):
    at = run_page(PAGE, role)
    assert not at.exception
    assert any("Kein Zugriff" in e.value for e in at.error)
    assert not at.title and not at.dataframe
    assert not at.get("download_button")
