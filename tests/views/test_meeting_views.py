"""Sitzungen & Termine and Sitzungen vorbereiten in AppTest: what each role sees of a meeting
opened by its link, the start page's next dates, the office's page kept on its meeting."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from allianz.accounts.model import COMMAND_LINE
from allianz.auth import Role
from allianz.meetings import service
from tests.views.conftest import open_page

PAGE = "allianz/meetings/pages/meetings.py"
OFFICE_PAGE = "allianz/meetings/pages/meetings_office.py"


@pytest.fixture
def meeting(db, alliance, users):
    """Held and released last week; the mayor invited; one public, one non-public item."""
    meeting_id = service.create(
        db, alliance, COMMAND_LINE,
        service.MeetingDraft(kind="steering_group", title="Allianzsitzung",
                             day=date.today() - timedelta(days=7), start_time="18:00",
                             end_time="20:00", place="Rathaus", point="51.3347, 12.6089"),
    )  # fmt: skip
    public = service.add_item(db, COMMAND_LINE, meeting_id, "Radkonzept")
    secret = service.add_item(db, COMMAND_LINE, meeting_id, "Personalfrage", public=False)
    service.set_invitees(db, alliance, COMMAND_LINE, meeting_id, [("role", "mayor")])
    service.send_invitations(db, alliance, COMMAND_LINE, meeting_id, "http://x")
    service.transition(db, COMMAND_LINE, meeting_id, "held", now=datetime.now(UTC))
    service.decide(db, alliance, COMMAND_LINE, public, "beschlossen", "Radkonzept beschlossen")
    service.decide(db, alliance, COMMAND_LINE, secret, "vertagt", "Vertraulich vertagt")
    service.save_minutes(db, COMMAND_LINE, meeting_id, "Gut besucht.", "Intern notiert.")
    service.transition(db, COMMAND_LINE, meeting_id, "released")
    soon = date.today() + timedelta(days=5)
    service.create(
        db, alliance, COMMAND_LINE,
        service.MeetingDraft(kind="public_event", title="Bürgerabend Radwege", day=soon,
                             start_time="19:00", end_time="21:00", place="Bürgerhaus"),
    )  # fmt: skip
    return meeting_id


def _texts(at) -> str:
    shown = [e.value for kind in ("markdown", "caption", "info", "success", "error")
             for e in getattr(at, kind)]  # fmt: skip
    return re.sub(r"\\(.)", r"\1", " ".join(str(s) for s in shown))


def test_citizen_sees_the_public_part_with_minutes_downloads(run_page, meeting):
    at = open_page(run_page, Role.CITIZEN, PAGE, sitzung=str(meeting))
    text = _texts(at)
    assert "Radkonzept beschlossen" in text and "Gut besucht." in text
    assert "Personalfrage" not in text and "Intern notiert." not in text
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Protokoll als PDF" in labels and "Zum Kalender hinzufügen (.ics)" in labels
    assert not at.get("button") or all(b.label != "Zusage" for b in at.button)


def test_invited_mayor_sees_the_non_public_part(run_page, meeting):
    at = open_page(run_page, Role.MAYOR, PAGE, sitzung=str(meeting))
    text = _texts(at)
    assert "Personalfrage" in text and "Vertraulich vertagt" in text and "Intern notiert." in text


def test_staff_not_invited_sees_what_citizens_see(run_page, meeting):
    at = open_page(run_page, Role.STAFF, PAGE, sitzung=str(meeting))
    assert "Personalfrage" not in _texts(at)


def test_unknown_meeting_gets_a_german_message(run_page, meeting):
    at = open_page(run_page, Role.CITIZEN, PAGE, sitzung="99999")
    assert "Diese Sitzung gibt es nicht" in _texts(at)


def test_start_page_lists_the_next_dates(run_page, meeting):
    at = run_page("main.py")
    links = [link.proto.label for link in at.get("page_link")]
    assert any("Bürgerabend Radwege" in label for label in links)
    assert not any("Allianzsitzung" in label for label in links)  # held last week


def test_office_page_keeps_its_meeting(run_page, meeting):
    at = open_page(run_page, Role.MANAGER, OFFICE_PAGE, sitzung=str(meeting))
    assert f"S-{meeting:04d}" in _texts(at)
    assert at.query_params["sitzung"] == [str(meeting)] or at.query_params["sitzung"] == str(
        meeting
    )
