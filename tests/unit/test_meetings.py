"""Meetings: the state machine, visibility (non-public never public), invitations and answers,
minutes with a comment phase, resolutions that become measure steps, documents, iCalendar
read back with the icalendar library, feeds, personal data, the hostile corpus."""

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from starlette.testclient import TestClient

from allianz import audit, mail, privacy
from allianz.accounts import service as accounts
from allianz.accounts.model import ANONYMOUS, User
from allianz.auth import Role
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.measures import service as measures
from allianz.meetings import ical, service
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS, expected_stored

OFFICE = User("leitung", "Geschäftsstelle", Role.MANAGER, id=None)
BASE = "https://allianz.example"
PAST = datetime.now(UTC) - timedelta(days=3)


def _draft(**change) -> service.MeetingDraft:
    values = {
        "kind": "steering_group",
        "title": "Allianzsitzung",
        "day": date(2026, 5, 18),
        "start_time": "18:00",
        "end_time": "20:30",
        "place": "Rathaus Borsdorf",
    }
    values |= change
    return service.MeetingDraft(**values)


@pytest.fixture
def people(db, alliance):
    """A mayor with e-mail (invited), a staff member of another town (not invited)."""
    mayor = accounts.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="bm",
        role="mayor",
        password="geheim-genug-1",
        municipality_ags="14729060",
        email="bm@borsdorf.example",
    )
    staff = accounts.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="verw",
        role="staff",
        password="geheim-genug-1",
        municipality_ags="14729070",
        email="verw@brandis.example",
    )
    return mayor, staff


def _meeting_with_agenda(db, alliance, day=None):
    meeting_id = service.create(db, alliance, OFFICE, _draft(day=day or date(2026, 5, 18)))
    public = service.add_item(db, OFFICE, meeting_id, "Radwegekonzept", public=True)
    secret = service.add_item(db, OFFICE, meeting_id, "Personalangelegenheit", public=False)
    return meeting_id, public, secret


def _invite(db, alliance, meeting_id):
    service.set_invitees(db, alliance, OFFICE, meeting_id, [("role", "mayor")])
    return service.send_invitations(db, alliance, OFFICE, meeting_id, BASE)


def test_only_the_office_plans_meetings(db, alliance, people):
    mayor, _ = people
    with pytest.raises(PermissionDenied):
        service.create(db, alliance, mayor, _draft())
    assert db["meetings"].count == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "party"}, "Art"),
        ({"title": "x"}, "Titel"),
        ({"day": "31.02.2026"}, "kein Datum"),
        ({"day": "morgen"}, "kein Datum"),
        ({"start_time": "25:99"}, "keine Uhrzeit"),
        ({"place": "", "online_url": ""}, "Ort oder einen Online-Link"),
        ({"online_url": "javascript:alert(1)"}, "https://"),
        ({"kind": "working_group"}, "Arbeitskreis"),
        ({"municipality_ags": "09999999"}, "gehört nicht zur Allianz"),
        ({"day": date(1850, 1, 1)}, "außerhalb"),
    ],
)
def test_bad_input_is_refused_in_german_and_nothing_is_stored(db, alliance, change, message):
    with pytest.raises(ValidationError, match=message):
        service.create(db, alliance, OFFICE, _draft(**change))
    assert db["meetings"].count == 0


def test_times_are_local_and_an_evening_may_end_after_midnight(db, alliance):
    meeting_id = service.create(
        db, alliance, OFFICE, _draft(day="18.05.2026", start_time="19:00", end_time="00:30")
    )
    meeting = service.get(db, OFFICE, meeting_id)
    assert meeting.starts_at == datetime(2026, 5, 18, 17, 0, tzinfo=UTC)  # CEST = UTC+2
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=5, minutes=30)
    assert service.when(meeting) == "Mo., 18.05.2026, 19:00–00:30 Uhr (bis 19.05.2026)"


def test_state_machine(db, alliance):
    future = datetime.now(UTC).date() + timedelta(days=10)
    meeting_id, *_ = _meeting_with_agenda(db, alliance, day=future)
    with pytest.raises(ValidationError, match="erst ab ihrem Beginn"):
        service.transition(db, OFFICE, meeting_id, "held")
    with pytest.raises(Conflict, match="geht es nicht"):
        service.transition(db, OFFICE, meeting_id, "released")
    with pytest.raises(ValidationError, match="Grund"):
        service.transition(db, OFFICE, meeting_id, "cancelled", reason="")
    service.transition(db, OFFICE, meeting_id, "cancelled", reason="Krankheit")
    with pytest.raises(Conflict):
        service.transition(db, OFFICE, meeting_id, "held")
    assert service.get(db, ANONYMOUS, meeting_id).state == "cancelled"

    held_id, *_ = _meeting_with_agenda(db, alliance)
    service.transition(db, OFFICE, held_id, "held")
    with pytest.raises(ValidationError, match="Protokoll"):
        service.transition(db, OFFICE, held_id, "commenting", comments_until=future)
    service.save_minutes(db, OFFICE, held_id, "Öffentlich besprochen.", "Intern besprochen.")
    with pytest.raises(ValidationError, match="Frist"):
        service.transition(db, OFFICE, held_id, "commenting", comments_until=date(2020, 1, 1))
    service.transition(db, OFFICE, held_id, "commenting", comments_until=future)
    service.transition(db, OFFICE, held_id, "released")
    with pytest.raises(Conflict):
        service.save_minutes(db, OFFICE, held_id, "später geändert", "")
    actions = [r["action"] for r in db.query("SELECT action FROM audit ORDER BY id")]
    assert {"meeting.held", "meeting.commenting", "meeting.released"} <= set(actions)


def test_non_public_items_and_minutes_never_reach_the_public(db, alliance, people):
    mayor, staff = people
    meeting_id, public, secret = _meeting_with_agenda(db, alliance)
    _invite(db, alliance, meeting_id)
    service.transition(db, OFFICE, meeting_id, "held")
    service.decide(db, alliance, OFFICE, public, "beschlossen", "Öffentlicher Beschluss")
    service.decide(db, alliance, OFFICE, secret, "beschlossen", "Geheimer Beschluss")
    service.save_minutes(db, OFFICE, meeting_id, "Öffentliches Protokoll", "Internes Protokoll")

    def seen(user) -> str:
        meeting = service.get(db, user, meeting_id)
        return repr(meeting)

    # before the release: not even the public item's resolution is public
    assert "Öffentlicher Beschluss" not in seen(ANONYMOUS)
    assert "Öffentliches Protokoll" not in seen(ANONYMOUS)
    service.transition(db, OFFICE, meeting_id, "released")
    for outsider in (ANONYMOUS, staff):
        text = seen(outsider)
        assert "Radwegekonzept" in text and "Öffentlicher Beschluss" in text
        assert "Öffentliches Protokoll" in text
        assert "Personalangelegenheit" not in text and "Geheimer Beschluss" not in text
        assert "Internes Protokoll" not in text
        listed = repr(service.listing(db, outsider))
        assert "Personalangelegenheit" not in listed and "Internes Protokoll" not in listed
    for insider in (mayor, OFFICE):
        text = seen(insider)
        assert "Personalangelegenheit" in text and "Internes Protokoll" in text
    assert service.participants(db, ANONYMOUS, meeting_id) == []


def test_a_meeting_that_is_not_public_is_not_found_by_outsiders(db, alliance, people):
    mayor, staff = people
    meeting_id = service.create(
        db, alliance, OFFICE, _draft(kind="working_group", working_group="AG Bauhof")
    )
    assert not service.get(db, OFFICE, meeting_id).public  # working groups meet internally
    service.set_invitees(db, alliance, OFFICE, meeting_id, [("user", str(mayor.id))])
    service.send_invitations(db, alliance, OFFICE, meeting_id, BASE)
    for outsider in (ANONYMOUS, staff):
        with pytest.raises(NotFound):
            service.get(db, outsider, meeting_id)
        assert service.listing(db, outsider) == []
    assert service.get(db, mayor, meeting_id).title == "Allianzsitzung"


def test_invitations_mail_the_agenda_with_an_ics_once(db, alliance, people):
    mayor, staff = people
    meeting_id, *_ = _meeting_with_agenda(db, alliance)
    first = _invite(db, alliance, meeting_id)
    assert (first.new, first.mailed) == (1, 1)
    again = service.send_invitations(db, alliance, OFFICE, meeting_id, BASE)
    assert (again.new, again.mailed) == (0, 0)  # a second click invites nobody twice
    rows = list(db.query("SELECT * FROM mail_outbox"))
    assert len(rows) == 1 and rows[0]["recipient"] == "bm@borsdorf.example"
    assert "TOP 1: Radwegekonzept" in rows[0]["body"]
    assert "TOP 2: Personalangelegenheit (nichtöffentlich)" in rows[0]["body"]
    assert f"{BASE}/meetings?sitzung={meeting_id}" in rows[0]["body"]
    message = mail.outbox._message(mail.SmtpSettings("localhost", 25, "a@b.example"), rows[0])
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == f"sitzung-{meeting_id}.ics"
    parsed = icalendar.Calendar.from_ical(attachment.get_content())
    (event,) = parsed.walk("VEVENT")
    assert str(event["summary"]) == "Allianzsitzung"
    assert service.get(db, OFFICE, meeting_id).state == "invited"
    # the staff member of another town was not invited and may not answer
    with pytest.raises(PermissionDenied):
        service.answer(db, staff, meeting_id, "yes")
    service.answer(db, mayor, meeting_id, "yes")
    service.answer(db, mayor, meeting_id, "no")  # answering again replaces the answer
    (person,) = service.participants(db, OFFICE, meeting_id)
    assert (person.display_name, person.answer) == ("bm", "no")


def test_comment_phase_only_for_participants_until_the_deadline(db, alliance, people):
    mayor, staff = people
    meeting_id, *_ = _meeting_with_agenda(db, alliance)
    _invite(db, alliance, meeting_id)
    service.transition(db, OFFICE, meeting_id, "held")
    service.save_minutes(db, OFFICE, meeting_id, "Entwurf", "")
    with pytest.raises(Conflict, match="Frist"):
        service.comment(db, mayor, meeting_id, "Zu früh")
    until = datetime.now(UTC).date() + timedelta(days=7)
    service.transition(db, OFFICE, meeting_id, "commenting", comments_until=until)
    with pytest.raises(PermissionDenied):
        service.comment(db, staff, meeting_id, "Ich war nicht eingeladen")
    service.comment(db, mayor, meeting_id, "Bitte TOP 1 ergänzen", token="t1")
    with pytest.raises(Conflict, match="schon gespeichert"):
        service.comment(db, mayor, meeting_id, "Bitte TOP 1 ergänzen", token="t1")
    late = datetime.now(UTC) + timedelta(days=30)
    with pytest.raises(Conflict, match="Frist"):
        service.comment(db, mayor, meeting_id, "Zu spät", now=late)
    assert [c.body for c in service.comments(db, OFFICE, meeting_id)] == ["Bitte TOP 1 ergänzen"]
    assert service.comments(db, ANONYMOUS, meeting_id) == []


def test_a_resolution_becomes_a_step_of_the_linked_measure(db, alliance):
    measure_id = measures.create(
        db, alliance, OFFICE, {"handlungsfeld": 1, "priority": "A", "title": "Radwegekonzept"}
    )
    meeting_id, public, _ = _meeting_with_agenda(db, alliance)
    assert service.link_item(db, OFFICE, public, "measure", "M-001") == "M-001: Radwegekonzept"
    with pytest.raises(NotFound):
        service.link_item(db, OFFICE, public, "measure", "M-999")
    with pytest.raises(NotFound):
        service.link_item(db, OFFICE, public, "suggestion", "H-0000-00000")
    service.transition(db, OFFICE, meeting_id, "held")
    step = service.StepFromResolution(
        measure_id, "Planungsbüro beauftragen", "2026-09-30", "Bauamt"
    )
    service.decide(db, alliance, OFFICE, public, "einstimmig", "Das Büro wird beauftragt.", step)
    measure = measures.get(db, measure_id)
    assert measure.version == 2
    assert measure.steps[-1].text.startswith("Planungsbüro beauftragen (Beschluss Lenkungsgruppe")
    assert "vom 18.05.2026, TOP 1" in measure.steps[-1].text
    assert measure.steps[-1].due_on == "2026-09-30"
    service.save_minutes(db, OFFICE, meeting_id, "Protokoll", "")
    service.transition(db, OFFICE, meeting_id, "released")
    found = service.resolutions_for(db, ANONYMOUS, "measure", measure_id)
    assert [(m.id, i.resolution) for m, i in found] == [(meeting_id, "Das Büro wird beauftragt.")]


def test_agenda_order_and_numbers(db, alliance):
    meeting_id, first, second = _meeting_with_agenda(db, alliance)
    third = service.add_item(db, OFFICE, meeting_id, "Verschiedenes")
    service.move_item(db, OFFICE, third, -1)
    titles = [(i.position, i.title) for i in service.get(db, OFFICE, meeting_id).items]
    assert titles == [(1, "Radwegekonzept"), (2, "Verschiedenes"), (3, "Personalangelegenheit")]
    service.remove_item(db, OFFICE, first)
    numbers = [(i.position, i.id) for i in service.get(db, OFFICE, meeting_id).items]
    assert numbers == [(1, third), (2, second)]


def test_documents_are_pdfs_of_at_most_10_mb(db, alliance):
    meeting_id, public, secret = _meeting_with_agenda(db, alliance)
    with pytest.raises(ValidationError, match="PDF"):
        service.attach(db, OFFICE, meeting_id, None, "virus.pdf", b"MZ\x90\x00")
    with pytest.raises(ValidationError, match="10 MB"):
        service.attach(db, OFFICE, meeting_id, None, "gross.pdf", b"%PDF-" + b"0" * 10_485_760)
    assert db["meeting_documents"].count == 0
    open_doc = service.attach(db, OFFICE, meeting_id, public, "../../etc/vorlage", b"%PDF-1.4 x")
    hidden = service.attach(db, OFFICE, meeting_id, secret, "intern.pdf", b"%PDF-1.4 y")
    doc, content = service.document(db, ANONYMOUS, open_doc)
    assert doc.file_title == ".._.._etc_vorlage.pdf" and content == b"%PDF-1.4 x"
    with pytest.raises(NotFound):
        service.document(db, ANONYMOUS, hidden)
    assert [d.id for d in service.documents(db, ANONYMOUS, meeting_id)] == [open_doc]


def test_ical_reads_back_with_berlin_times_links_and_no_secret_items(db, alliance):
    meeting_id, *_ = _meeting_with_agenda(db, alliance)
    cancelled = service.create(
        db, alliance, OFFICE, _draft(title="Verschoben", day=date(2026, 6, 1))
    )
    service.transition(db, OFFICE, cancelled, "cancelled", reason="Terminkonflikt")
    body = ical.calendar(service.public_listing(db), alliance, BASE)
    parsed = icalendar.Calendar.from_ical(body)
    events = {str(e["summary"]): e for e in parsed.walk("VEVENT")}
    assert set(events) == {"Allianzsitzung", "Abgesagt: Verschoben"}
    event = events["Allianzsitzung"]
    assert event.decoded("dtstart") == datetime(2026, 5, 18, 16, 0, tzinfo=UTC)
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert str(event["url"]) == f"{BASE}/meetings?sitzung={meeting_id}"
    assert str(event["url"]) in str(event["description"])
    assert "Radwegekonzept" in str(event["description"])
    assert "Personalangelegenheit" not in body.decode()
    assert str(events["Abgesagt: Verschoben"]["status"]) == "CANCELLED"
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_public_feed_filters_and_personal_feed_of_a_disabled_account(
    db, alliance, people, db_path, monkeypatch
):
    from allianz.meetings import feeds

    mayor, _ = people
    service.create(db, alliance, OFFICE, _draft(title="Bürgerabend", kind="public_event"))
    internal = service.create(
        db,
        alliance,
        OFFICE,
        _draft(title="AK-Treffen", kind="working_group", working_group="AG Bauhof"),
    )
    service.set_invitees(db, alliance, OFFICE, internal, [("user", str(mayor.id))])
    service.send_invitations(db, alliance, OFFICE, internal, BASE)
    token = service.new_feed(db, mayor)
    monkeypatch.setattr(feeds, "HISTORY", timedelta(days=3650))
    from starlette.applications import Starlette

    client = TestClient(Starlette(routes=feeds.ROUTES))
    public = client.get("/feeds/termine.ics", params={"art": "public_event"})
    assert public.status_code == 200 and public.headers["content-type"].startswith("text/calendar")
    names = [str(e["summary"]) for e in icalendar.Calendar.from_ical(public.content).walk("VEVENT")]
    assert names == ["Bürgerabend"]
    wrong = client.get("/feeds/termine.ics", params={"art": "<script>"})
    assert wrong.status_code == 400 and "Unbekannte Art" in wrong.text
    own = client.get(f"/feeds/termine/{token}.ics")
    names = {str(e["summary"]) for e in icalendar.Calendar.from_ical(own.content).walk("VEVENT")}
    assert names == {"Bürgerabend", "AK-Treffen"}
    assert own.headers["cache-control"] == "private, no-store"
    accounts.set_active(db, TEST_ACTOR, "bm", False)
    gone = client.get(f"/feeds/termine/{token}.ics")
    assert gone.status_code == 404 and "AK-Treffen" not in gone.text
    assert client.get("/feeds/termine/erfunden.ics").status_code == 404


def test_personal_data_export_and_erase(db, alliance, people):
    mayor, _ = people
    meeting_id, *_ = _meeting_with_agenda(db, alliance)
    _invite(db, alliance, meeting_id)
    service.answer(db, mayor, meeting_id, "yes")
    service.new_feed(db, mayor)
    service.transition(db, OFFICE, meeting_id, "held")
    service.save_minutes(db, OFFICE, meeting_id, "Entwurf", "")
    until = datetime.now(UTC).date() + timedelta(days=7)
    service.transition(db, OFFICE, meeting_id, "commenting", comments_until=until)
    service.comment(db, mayor, meeting_id, "Meine Anmerkung")
    exported = privacy.export(db, "BM@borsdorf.example", audit.CLI)
    assert exported["meeting_participation"][0]["answer"] == "yes"
    assert exported["meeting_comments"][0]["author"] == "bm"
    assert len(exported["calendar_feeds"]) == 1
    counts = privacy.erase(db, "bm@borsdorf.example", audit.CLI)
    assert counts["meeting_participants"] == 1 and counts["meeting_comments"] == 1
    assert counts["calendar_feeds"] == 1
    (remark,) = service.comments(db, OFFICE, meeting_id)
    assert (remark.author, remark.body) == ("ehemaliges Mitglied", "Meine Anmerkung")
    assert db["calendar_feeds"].count == 0


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_is_stored_literally_everywhere(db, alliance, text):
    title = (text * 2)[:200] if len(text.strip()) < 3 else text[:200]
    meeting_id = service.create(db, alliance, OFFICE, _draft(title=title, place=text[:300]))
    item = service.add_item(db, OFFICE, meeting_id, title, public=True)
    meeting = service.get(db, OFFICE, meeting_id)
    assert meeting.title == _one_line(title) and meeting.place == _one_line(text[:300])
    assert meeting.items[0].title == _one_line(title)
    service.transition(db, OFFICE, meeting_id, "held")
    service.decide(db, alliance, OFFICE, item, text[:200], text)
    service.save_minutes(db, OFFICE, meeting_id, text, text)
    service.add_appointment(db, OFFICE, "2026-05-01", title, text[:200], text[:200])
    service.add_press(db, OFFICE, "2026-05-01", title, title)
    parsed = icalendar.Calendar.from_ical(ical.calendar([meeting], alliance, BASE))
    (event,) = parsed.walk("VEVENT")
    assert str(event["summary"]) == _one_line(title)
    stored = service.get(db, OFFICE, meeting_id)
    assert stored.minutes == expected_stored(text) and stored.items[
        0
    ].resolution == expected_stored(text)


def _one_line(text: str) -> str:
    """Titles and places are one line: what was typed, line breaks as spaces."""
    return " ".join(expected_stored(text).replace("\r\n", "\n").split("\n"))


def test_minutes_files_hold_what_the_reader_may_see(db, alliance, people):
    import io

    import pypdf

    from allianz.meetings import minutes

    mayor, _ = people
    meeting_id, public, secret = _meeting_with_agenda(db, alliance)
    _invite(db, alliance, meeting_id)
    service.transition(db, OFFICE, meeting_id, "held")
    service.decide(db, alliance, OFFICE, public, "beschlossen", "Öffentlicher Beschluss")
    service.decide(db, alliance, OFFICE, secret, "vertagt", "Geheimer Beschluss")
    service.save_minutes(db, OFFICE, meeting_id, "Öffentliches Protokoll", "Internes Protokoll")
    service.transition(db, OFFICE, meeting_id, "released")
    public_md = minutes.build(db, ANONYMOUS, alliance, meeting_id, "md")
    assert "Öffentlicher Beschluss" in public_md and "Öffentliches Protokoll" in public_md
    assert "Geheimer Beschluss" not in public_md and "Internes Protokoll" not in public_md
    assert (
        "Personalangelegenheit" not in public_md and "bm" not in public_md.split("## Protokoll")[1]
    )
    full_md = minutes.build(db, mayor, alliance, meeting_id, "md")
    assert "Geheimer Beschluss" in full_md and "Internes Protokoll" in full_md
    assert "- bm: offen" in full_md
    pdf = minutes.build(db, ANONYMOUS, alliance, meeting_id, "pdf")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Öffentlicher Beschluss" in text and "Geheimer Beschluss" not in text
    assert "Mo., 18.05.2026, 18:00–20:30 Uhr" in text


def test_map_point_as_typed(db, alliance):
    meeting_id = service.create(db, alliance, OFFICE, _draft(point="51,3347; 12,6089"))
    meeting = service.get(db, OFFICE, meeting_id)
    assert (meeting.lat, meeting.lon) == (51.3347, 12.6089)
    with pytest.raises(ValidationError, match="Kartenpunkt"):
        service.create(db, alliance, OFFICE, _draft(point="beim Rathaus"))
    with pytest.raises(ValidationError, match="nicht in Deutschland"):
        service.create(db, alliance, OFFICE, _draft(point="40.0, 12.0"))


def test_start_page_shows_the_next_public_dates(db, alliance):
    from allianz.meetings import FEATURE

    soon = datetime.now(UTC).date() + timedelta(days=3)
    service.create(db, alliance, OFFICE, _draft(title="Bürgerabend", kind="public_event", day=soon))
    service.create(
        db,
        alliance,
        OFFICE,
        _draft(title="AK intern", kind="working_group", working_group="AG Bauhof", day=soon),
    )
    service.create(db, alliance, OFFICE, _draft(title="Längst vorbei", day=date(2020, 1, 7)))
    heading, teasers = FEATURE.start_page(db, ANONYMOUS)
    assert heading == "Nächste Termine"
    assert [t.text.split(" · ")[1] for t in teasers] == ["Bürgerabend"]
    assert teasers[0].page == "allianz/meetings/pages/meetings.py"


def test_an_end_long_before_the_start_is_refused_not_read_as_overnight(db, alliance):
    with pytest.raises(ValidationError, match="Ende liegt vor dem Beginn"):
        service.create(db, alliance, OFFICE, _draft(start_time="18:00", end_time="17:00"))


def test_cancelling_tells_the_invited_with_a_cancelled_ics(db, alliance, people):
    meeting_id, *_ = _meeting_with_agenda(db, alliance, day=datetime.now(UTC).date() + timedelta(7))
    _invite(db, alliance, meeting_id)
    assert service.cancel(db, alliance, OFFICE, meeting_id, "Terminkonflikt", BASE) == 1
    mails = list(db.query("SELECT * FROM mail_outbox WHERE subject LIKE 'Abgesagt:%'"))
    assert len(mails) == 1 and "Grund: Terminkonflikt" in mails[0]["body"]
    (event,) = icalendar.Calendar.from_ical(mails[0]["attachment"]).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]) == "Abgesagt: Allianzsitzung"
    assert service.get(db, ANONYMOUS, meeting_id).state == "cancelled"


def test_the_same_document_is_not_uploaded_twice(db, alliance):
    meeting_id, public, _ = _meeting_with_agenda(db, alliance)
    service.attach(db, OFFICE, meeting_id, public, "vorlage.pdf", b"%PDF-1.4 x", token="a")
    with pytest.raises(Conflict, match="schon hochgeladen"):
        service.attach(db, OFFICE, meeting_id, public, "vorlage.pdf", b"%PDF-1.4 x", token="b")
    assert db["meeting_documents"].count == 1


def test_calendar_timezone_covers_only_the_years_needed_and_has_no_english_note(db, alliance):
    _meeting_with_agenda(db, alliance)
    body = ical.calendar(service.public_listing(db), alliance, BASE).decode()
    assert "COMMENT" not in body and "1970" not in body
    assert body.count("RDATE") <= 2
