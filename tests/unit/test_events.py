"""Events: the recurrence built from the German form and its bounded expansion (exceptions, the
change to summer time, 10.000-times rules refused unexpanded), the checks of an event, clubs'
submissions with spam protection, moderation by the municipality's staff with mails, the
public list with the public meetings, the .ics feed read back by two independent parsers,
schema.org JSON-LD, personal data, figures, demo data and the hostile corpus."""

from __future__ import annotations

import json
import time as clock_time
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
import vobject
from starlette.applications import Starlette
from starlette.testclient import TestClient

from allianz import audit, privacy, visitors
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import Conflict, NotFound, PermissionDenied
from allianz.events import demo, feeds, figures, recurrence, service
from allianz.events.model import State
from allianz.events.recurrence import Recurrence, RuleError
from allianz.figures import FigureRequest, Period
from allianz.formatting import BERLIN
from allianz.limits import LimitReached
from allianz.meetings import service as meetings
from allianz.municipalities import service as municipalities
from allianz.submissions import AlreadySubmitted
from tests.hostile import CORPUS, expected_stored

AGS = "14729060"  # Borsdorf
OTHER = "14729070"  # Stadt Brandis
OFFICE = User("leitung", "Geschäftsstelle", Role.MANAGER)
STAFF = User("verw", "Verwaltung Borsdorf", Role.STAFF, municipality_ags=AGS)
OTHER_STAFF = User("verw2", "Verwaltung Brandis", Role.STAFF, municipality_ags=OTHER)
MAYOR = User("bm", "Bürgermeisterin", Role.MAYOR, municipality_ags=AGS)
CITIZEN = User("gast", "Gast", Role.CITIZEN)
BORSDORF_POINT = "51.3469, 12.5383"
BRANDIS_POINT = "51.3347, 12.6089"
BASE = "http://app.example"
NEXT_YEAR = date.today().year + 1


def _draft(**change) -> service.EventDraft:
    values = {
        "title": "Lauftreff",
        "category": "sport",
        "municipality_ags": AGS,
        "day": date.today() + timedelta(days=5),
        "start_time": "18:00",
        "end_time": "19:30",
        "venue": "Sportplatz",
        "location_line": "Sportplatzweg 2, Borsdorf",
        "point": BORSDORF_POINT,
        "organiser": "SV Grün-Weiß",
    }
    values |= change
    return service.EventDraft(**values)


def _create(db, alliance, user=STAFF, **change):
    return service.create(db, alliance, municipalities.areas(db), user, _draft(**change))


def _submit(db, alliance, email="verein@example.org", **change):
    sub = change.pop("sub", {})
    return service.submit(
        db,
        alliance,
        municipalities.areas(db),
        service.ClubSubmission(_draft(**change), email, True, **sub),
    )


# --- recurrence -----------------------------------------------------------------------------


def test_weekly_series_keeps_the_local_time_across_the_change_to_summer_time():
    start = datetime(NEXT_YEAR, 3, 19, 18, 0, tzinfo=BERLIN)  # around the last Sunday in March
    while start.weekday() != 4:
        start += timedelta(days=1)
    errors: list[str] = []
    rule = recurrence.build_rule(Recurrence("weekly", 1, (4,), "count", 4), start.date(),
                                 False, errors)  # fmt: skip
    assert errors == [] and rule == "FREQ=WEEKLY;BYDAY=FR;COUNT=4"
    dates = recurrence.expand(rule, start, False)
    assert [d.strftime("%H:%M") for d in dates] == ["18:00"] * 4
    offsets = {d.utcoffset() for d in dates}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # winter and summer time
    utc_hours = [d.astimezone(UTC).hour for d in dates]
    assert 17 in utc_hours and 16 in utc_hours


def test_exceptions_leave_out_dates_and_must_be_dates_of_the_series():
    start = datetime(NEXT_YEAR, 5, 4, 10, 0, tzinfo=BERLIN)
    rule = "FREQ=DAILY;COUNT=5"
    kept = recurrence.expand(rule, start, False, [date(NEXT_YEAR, 5, 6)])
    assert [d.day for d in kept] == [4, 5, 7, 8]
    with pytest.raises(RuleError, match="Keine Termine der Reihe"):
        recurrence.expand(rule, start, False, [date(NEXT_YEAR, 5, 20)])
    with pytest.raises(RuleError, match="keinen Termin übrig"):
        recurrence.expand("FREQ=DAILY;COUNT=1", start, False, [date(NEXT_YEAR, 5, 4)])


def test_monthly_rules_from_the_form():
    errors: list[str] = []
    first_saturday = date(NEXT_YEAR, 1, 1)
    while first_saturday.weekday() != 5:
        first_saturday += timedelta(days=1)
    rule = recurrence.build_rule(Recurrence("monthly_weekday", 1, (), "until",
                                            until=date(NEXT_YEAR, 6, 30)),
                                 first_saturday, True, errors)  # fmt: skip
    assert rule == f"FREQ=MONTHLY;BYDAY=1SA;UNTIL={NEXT_YEAR}0630"
    dates = recurrence.expand(rule, datetime.combine(first_saturday, datetime.min.time()), True)
    assert len(dates) == 6 and all(d.weekday() == 5 and d.day <= 7 for d in dates)
    assert recurrence.describe(rule) == f"monatlich am 1. Samstag bis 30.06.{NEXT_YEAR}"
    rule = recurrence.build_rule(Recurrence("monthly", 2, (), "count", 3), date(NEXT_YEAR, 1, 31),
                                 False, errors)  # fmt: skip
    assert rule == "FREQ=MONTHLY;BYMONTHDAY=31;INTERVAL=2;COUNT=3"
    assert recurrence.form_of(rule) == Recurrence("monthly", 2, (), "count", 3)
    weekly = "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6"
    assert recurrence.form_of(weekly) == Recurrence("weekly", 1, (1, 3), "count", 6)
    assert recurrence.describe(weekly) == "wöchentlich am Dienstag und Donnerstag, 6 Termine"


def test_the_form_refuses_what_it_cannot_say():
    day = date(NEXT_YEAR, 2, 1)
    for rec, message in (
        (Recurrence("weekly", 1, (), "count", 3), "Wochentag"),
        (Recurrence("daily", 0, (), "count", 3), "Abstand"),
        (Recurrence("daily", 1, (), "count", 1), "ab 2"),
        (Recurrence("daily", 1, (), "count", 501), "höchstens 500"),
        (Recurrence("daily", 1, (), "until", until="01.01.2000"), "nach dem ersten Termin"),
        (Recurrence("hourly"), "wie oft"),
    ):
        errors: list[str] = []
        assert recurrence.build_rule(rec, day, False, errors) == ""
        assert any(message.lower() in e.lower() for e in errors), (rec, errors)


def test_a_ten_thousand_times_rule_is_refused_without_being_expanded():
    start = datetime(NEXT_YEAR, 1, 1, 9, 0, tzinfo=BERLIN)
    began = clock_time.perf_counter()
    for rule in ("FREQ=DAILY;COUNT=10000", "RRULE:FREQ=SECONDLY;COUNT=10000"):
        with pytest.raises(RuleError):
            recurrence.expand(rule, start, False)
    # daily for two years: more than 500 dates, refused after 501
    with pytest.raises(RuleError, match="höchstens 500"):
        recurrence.expand(f"FREQ=DAILY;UNTIL={NEXT_YEAR + 2}0101T000000Z", start, False)
    # within 500 dates but over three years, and a rule without end
    with pytest.raises(RuleError, match="3 Jahre"):
        recurrence.expand("FREQ=MONTHLY;COUNT=40", start, False)
    with pytest.raises(RuleError, match="3 Jahre"):
        recurrence.expand(f"FREQ=YEARLY;UNTIL={NEXT_YEAR + 5}0101", start, False)
    with pytest.raises(RuleError, match="braucht ein Ende"):
        recurrence.expand("FREQ=WEEKLY", start, False)
    # rules that never match are refused before the library would search until the year 9999
    with pytest.raises(RuleError, match="keinen einzigen"):
        recurrence.expand("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", start, False)
    with pytest.raises(RuleError, match="passt nicht"):
        recurrence.expand("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31;COUNT=3", start, False)
    for bad in ("FREQ=DAILY;COUNT=3;FOO=1", "FREQ=DAILY;COUNT=x", "FREQ=DAILY;;", "X" * 400):
        with pytest.raises(RuleError):
            recurrence.expand(bad, start, False)
    assert clock_time.perf_counter() - began < 2


def test_a_series_beyond_the_bound_is_refused_with_nothing_stored(db, alliance):
    with pytest.raises(service.EventError, match="höchstens 500"):
        _create(db, alliance, rrule="FREQ=DAILY;COUNT=10000")
    with pytest.raises(service.EventError, match="3 Jahre"):
        _create(db, alliance, recurrence=Recurrence("monthly", 1, (), "until",
                                                    until=date(NEXT_YEAR + 4, 1, 1)))  # fmt: skip
    assert db["events"].count == 0 and db["event_occurrences"].count == 0


# --- an event's checks ----------------------------------------------------------------------


def test_stored_in_utc_with_every_occurrence(db, alliance):
    day = date.today() + timedelta(days=3)
    made = _create(db, alliance, day=day, recurrence=Recurrence("weekly", 1, (day.weekday(),),
                                                                "count", 3),
                   exceptions=(day + timedelta(days=7)).strftime("%d.%m.%Y"))  # fmt: skip
    assert made.state is State.PUBLISHED and made.source == "municipality"
    assert made.starts_at.endswith("+00:00")
    spans = service.dates(db, made.id)
    assert len(spans) == 2 and made.exdates == ((day + timedelta(days=7)).isoformat(),)
    assert service.local(spans[1][0]).date() == day + timedelta(days=14)
    assert service.local(spans[0][0]).strftime("%H:%M") == "18:00"
    assert made.last_end_at == spans[-1][1]


def test_all_day_events_over_two_days(db, alliance):
    day = date.today() + timedelta(days=10)
    made = _create(db, alliance, all_day=True, day=day, end_day=day + timedelta(days=1),
                   start_time="", end_time="")  # fmt: skip
    assert made.all_day
    assert service.local(made.starts_at).date() == day
    assert service.local(made.ends_at).date() == day + timedelta(days=2)
    assert "bis" in service.event_when(made)


def test_checks_with_german_messages(db, alliance):
    areas = municipalities.areas(db)
    cases = [
        ({"title": "A"}, "mindestens 3"),
        ({"category": "party"}, "Kategorie"),
        ({"venue": "  "}, "Veranstaltungsort"),
        ({"organiser": ""}, "Veranstalter"),
        ({"free": False, "price_text": ""}, "Eintritt"),
        ({"end_time": "17:00"}, "nach dem Beginn"),
        ({"day": "31.02.2027"}, "kein Datum"),
        ({"start_time": "25:99"}, "keine Uhrzeit"),
        ({"point": BRANDIS_POINT}, "liegt in Stadt Brandis"),
        ({"point": "48.1, 11.5"}, "außerhalb"),
        ({"point": "kein Punkt"}, "Breite und Länge"),
        ({"day": date.today() - timedelta(days=3)}, "Vergangenheit"),
        ({"municipality_ags": "99999999"}, "Gemeinde der Allianz"),
        ({"end_day": date.today() + timedelta(days=40)}, "höchstens 14 Tage"),
    ]
    for change, message in cases:
        with pytest.raises(service.EventError) as caught:
            service.create(db, alliance, areas, STAFF, _draft(**change))
        assert any(message in e for e in caught.value.errors), (change, caught.value.errors)
    assert db["events"].count == 0


def test_who_may_enter_events(db, alliance):
    with pytest.raises(PermissionDenied):
        _create(db, alliance, user=OTHER_STAFF)  # an event in Borsdorf
    with pytest.raises(PermissionDenied):
        _create(db, alliance, user=CITIZEN)
    with pytest.raises(PermissionDenied):
        _create(db, alliance, user=MAYOR)
    with pytest.raises(PermissionDenied):  # the whole alliance: the office's
        _create(db, alliance, municipality_ags=None, point="")
    made = _create(db, alliance, user=OFFICE, municipality_ags=None, point="", category="allianz")
    assert made.source == "office" and made.municipality_ags is None
    assert _create(db, alliance, user=OTHER_STAFF, municipality_ags=OTHER,
                   point=BRANDIS_POINT).municipality_ags == OTHER  # fmt: skip


def test_update_expands_the_series_anew_and_cancel_keeps_it_public(db, alliance):
    made = _create(db, alliance, recurrence=Recurrence("daily", 1, (), "count", 3))
    assert len(service.dates(db, made.id)) == 3
    draft = service.draft_of(made)
    assert draft.recurrence == Recurrence("daily", 1, (), "count", 3)
    draft.recurrence = Recurrence("daily", 1, (), "count", 5)
    draft.title = "Lauftreff (neu)"
    with pytest.raises(PermissionDenied):
        service.update(db, alliance, municipalities.areas(db), OTHER_STAFF, made.id, draft)
    changed = service.update(db, alliance, municipalities.areas(db), STAFF, made.id, draft)
    assert changed.title == "Lauftreff (neu)" and len(service.dates(db, made.id)) == 5
    cancelled = service.cancel(db, STAFF, made.id, "Platz gesperrt")
    assert cancelled.state is State.CANCELLED
    assert service.public(db, made.id).cancel_reason == "Platz gesperrt"
    with pytest.raises(Conflict):
        service.cancel(db, STAFF, made.id, "")


# --- clubs and moderation ------------------------------------------------------------------


def test_club_submission_waits_for_the_municipality_and_is_told_by_mail(db, alliance):
    event = _submit(db, alliance)
    assert event.state is State.SUBMITTED and event.source == "club"
    with pytest.raises(NotFound):
        service.public(db, event.id)
    assert service.event_at(db, str(event.id)) is None
    now = datetime.now(UTC)
    assert service.coming(db, alliance, now).total == len(service.coming(db, alliance, now).items)
    assert all(o.event_id != event.id for o in service.coming(db, alliance, now).items)
    assert [e.id for e in service.moderation_queue(db, STAFF)] == [event.id]
    assert service.moderation_queue(db, OTHER_STAFF) == []
    assert [e.id for e in service.moderation_queue(db, OFFICE)] == [event.id]
    with pytest.raises(PermissionDenied):
        service.moderation_queue(db, CITIZEN)
    with pytest.raises(PermissionDenied):
        service.approve(db, OTHER_STAFF, event.id)
    with pytest.raises(PermissionDenied):
        service.submitter_address(db, OTHER_STAFF, event.id)
    assert service.submitter_address(db, STAFF, event.id) == "verein@example.org"
    approved = service.approve(db, STAFF, event.id, BASE)
    assert approved.state is State.PUBLISHED and approved.published_at
    with pytest.raises(Conflict):
        service.approve(db, STAFF, event.id)
    sent = list(db["mail_outbox"].rows)
    assert len(sent) == 1 and sent[0]["recipient"] == "verein@example.org"
    assert "veröffentlicht" in sent[0]["subject"]
    assert f"{BASE}/events?veranstaltung={event.id}" in sent[0]["body"]
    assert any(o.event_id == event.id for o in service.coming(db, alliance, now).items)
    actions = [r["action"] for r in db["audit"].rows]
    assert "event.submit" in actions and "event.approve" in actions


def test_decline_needs_a_reason_and_mails_it(db, alliance):
    event = _submit(db, alliance)
    with pytest.raises(service.EventError, match="Grund"):
        service.decline(db, STAFF, event.id, " ")
    declined = service.decline(db, OFFICE, event.id, "Keine öffentliche Veranstaltung.")
    assert declined.state is State.DECLINED
    mail = next(iter(db["mail_outbox"].rows))
    assert "Keine öffentliche Veranstaltung." in mail["body"]
    with pytest.raises(NotFound):
        service.for_viewer(db, CITIZEN, event.id)
    assert service.for_viewer(db, STAFF, event.id).decline_reason


def test_club_submission_spam_protection(db, alliance):
    with pytest.raises(service.EventError, match="automatisiert"):
        _submit(db, alliance, sub={"honeypot": "http://spam.example"})
    with pytest.raises(service.EventError, match="Moment Zeit"):
        _submit(db, alliance, sub={"started_at": datetime.now(UTC)})
    with pytest.raises(service.EventError) as caught:
        _submit(db, alliance, email="keine-adresse")
    assert any("E-Mail-Adresse" in e for e in caught.value.errors)
    with pytest.raises(service.EventError, match="Gemeinde wählen"):
        _submit(db, alliance, municipality_ags=None, point="")
    sender = visitors.Visitor(address="203.0.113.9", cookie="c" * 32)
    for n in range(5):
        _submit(db, alliance, title=f"Fest Nummer {n}", sub={"visitor": sender})
    with pytest.raises(LimitReached):
        _submit(db, alliance, title="Fest Nummer 6", sub={"visitor": sender})
    _submit(db, alliance, title="Doppelt", sub={"token": "form:1"})
    with pytest.raises(AlreadySubmitted):
        _submit(db, alliance, title="Doppelt", sub={"token": "form:1"})
    assert db["events"].count == 6 and db["event_submitters"].count == 6


def test_a_submission_without_consent_is_refused(db, alliance):
    sub = service.ClubSubmission(_draft(), "verein@example.org", False)
    with pytest.raises(service.EventError, match="Einwilligung"):
        service.submit(db, alliance, municipalities.areas(db), sub)
    assert db["events"].count == 0


# --- the public list -----------------------------------------------------------------------


def test_coming_dates_with_meetings_filters_and_pages(db, alliance):
    now = datetime.now(UTC)
    _create(db, alliance, recurrence=Recurrence("daily", 1, (), "count", 30))
    _create(db, alliance, user=OTHER_STAFF, municipality_ags=OTHER, point=BRANDIS_POINT,
            category="kultur", title="Konzert")  # fmt: skip
    meetings.create(db, alliance, OFFICE, meetings.MeetingDraft(
        kind="public_event", title="Bürgerabend", day=date.today() + timedelta(days=2),
        start_time="19:00", end_time="21:00", place="Mehrzweckhalle"))  # fmt: skip
    first = service.coming(db, alliance, now)
    assert first.total == 32 and first.pages == 2 and len(first.items) == 20
    assert [o.starts_at for o in first.items] == sorted(o.starts_at for o in first.items)
    assert any(o.meeting_id and o.title == "Bürgerabend" for o in first.items)
    second = service.coming(db, alliance, now, page=2)
    assert len(second.items) == 12 and not set(second.items) & set(first.items)
    brandis = service.coming(db, alliance, now, municipality=OTHER)
    assert {o.title for o in brandis.items} == {"Konzert", "Bürgerabend"}
    culture = service.coming(db, alliance, now, category="kultur")
    assert [o.title for o in culture.items] == ["Konzert"]
    with pytest.raises(service.EventError):
        service.coming(db, alliance, now, municipality="<script>")
    with pytest.raises(service.EventError):
        service.coming(db, alliance, now, category="party")
    assert service.upcoming(db, now, limit=3)[0][4] == "Lauftreff"
    service.cancel(db, OFFICE, service.upcoming(db, now, limit=1)[0][3], "")
    assert service.upcoming(db, now, limit=1)[0][4] == "Abgesagt: Lauftreff"


# --- feed and JSON-LD ------------------------------------------------------------------------


def test_feed_has_rrule_and_exdate_and_reads_back_in_two_parsers(db, alliance, db_path):
    day = date.today() + timedelta(days=2)
    series = _create(db, alliance, day=day, recurrence=Recurrence("weekly", 1, (day.weekday(),),
                                                                  "count", 6),
                     exceptions=(day + timedelta(days=14)).strftime("%d.%m.%Y"))  # fmt: skip
    whole = _create(db, alliance, title="Markt", all_day=True, day=day, start_time="",
                    end_time="", category="feste")  # fmt: skip
    club = _submit(db, alliance, title="Vereinsfest", email="geheim@example.org")
    service.approve(db, STAFF, club.id)
    waiting = _submit(db, alliance, title="Noch nicht frei", email="warte@example.org")
    client = TestClient(Starlette(routes=feeds.ROUTES))
    response = client.get(feeds.PATH)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.content
    assert b"geheim@example.org" not in body and b"warte@example.org" not in body
    assert waiting.title.encode() not in body
    parsed = icalendar.Calendar.from_ical(body)
    entries = {str(e["summary"]): e for e in parsed.walk("VEVENT")}
    assert set(entries) == {"Lauftreff", "Markt", "Vereinsfest"}
    lauftreff = entries["Lauftreff"]
    assert lauftreff["rrule"].to_ical().decode().startswith("FREQ=WEEKLY")
    assert lauftreff["dtstart"].params["TZID"] == "Europe/Berlin"
    assert "EXDATE;TZID=Europe/Berlin" in body.decode()
    assert str(lauftreff["url"]) == f"http://testserver/events?veranstaltung={series.id}"
    assert isinstance(entries["Markt"].decoded("dtstart"), date)
    assert not isinstance(entries["Markt"].decoded("dtstart"), datetime)
    # the series as calendar programs expand it equals the stored occurrences
    span = (day - timedelta(days=1), day + timedelta(days=60))
    expanded = recurring_ical_events.of(parsed).between(*span)
    starts = sorted(
        e.decoded("dtstart").astimezone(UTC).isoformat(timespec="seconds")
        for e in expanded
        if str(e["summary"]) == "Lauftreff"
    )
    assert starts == [s for s, _ in service.dates(db, series.id)] and len(starts) == 5
    second = vobject.readOne(body.decode())
    lauf = next(v for v in second.vevent_list if v.summary.value == "Lauftreff")
    vobject_days = [d.date() for d in lauf.getrruleset(addRDate=True)]
    assert day + timedelta(days=14) not in vobject_days and len(vobject_days) == 5
    assert whole.id in {int(str(e["url"]).rsplit("=", 1)[1]) for e in entries.values()}


def test_feed_filters_and_refuses_unknown_values(db, alliance, db_path):
    _create(db, alliance)
    _create(db, alliance, user=OTHER_STAFF, municipality_ags=OTHER, point=BRANDIS_POINT,
            category="kultur", title="Konzert")  # fmt: skip
    client = TestClient(Starlette(routes=feeds.ROUTES))

    def titles(**query) -> list[str]:
        response = client.get(feeds.PATH, params=query)
        assert response.status_code == 200
        return sorted(str(e["summary"]) for e in
                      icalendar.Calendar.from_ical(response.content).walk("VEVENT"))  # fmt: skip

    assert titles() == ["Konzert", "Lauftreff"]
    assert titles(gemeinde=OTHER) == ["Konzert"]
    assert titles(kategorie="sport") == ["Lauftreff"]
    for query in ({"gemeinde": "<script>"}, {"kategorie": "x"}, {"thema": "y"}):
        bad = client.get(feeds.PATH, params=query)
        assert bad.status_code == 400 and bad.text and "Traceback" not in bad.text


def test_json_ld_has_the_required_event_properties(db, alliance):
    made = _create(db, alliance, free=False, price_text="5 €",
                   recurrence=Recurrence("daily", 1, (), "count", 2))  # fmt: skip
    data = json.loads(json.dumps(service.jsonld(made, alliance, f"{BASE}/events?x=1")))
    assert data["@type"] == "Event" and data["@context"] == "https://schema.org"
    for key in ("name", "startDate", "endDate", "location", "organizer", "eventStatus",
                "isAccessibleForFree", "description"):  # fmt: skip
        assert data[key] not in (None, ""), key
    assert datetime.fromisoformat(data["startDate"]).utcoffset() is not None
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["addressLocality"] == "Borsdorf"
    assert data["location"]["geo"]["latitude"] == pytest.approx(51.3469)
    assert data["isAccessibleForFree"] is False and data["offers"]["description"] == "5 €"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventSchedule"]["repeatFrequency"] == "P1D"
    later = service.dates(db, made.id)[1]  # the page describes a series by its next date
    moved = service.jsonld(made, alliance, BASE, later)
    assert moved["startDate"] == service.local(later[0]).isoformat()
    cancelled = service.cancel(db, STAFF, made.id, "")
    assert service.jsonld(cancelled, alliance, BASE)["eventStatus"].endswith("EventCancelled")


# --- personal data, figures, demo -----------------------------------------------------------


def test_personal_data_export_erase_and_purge(db, alliance):
    event = _submit(db, alliance, email="Petra@Example.org")
    exported = privacy.export(db, "petra@example.org", TEST_ACTOR_USER)
    assert exported["veranstaltungen_meldungen"][0]["veranstaltung"] == "Lauftreff"
    counts = privacy.erase(db, "petra@example.org", TEST_ACTOR_USER)
    assert counts["event_submitters"] == 1
    assert service.submitter_address(db, OFFICE, event.id) == ""
    assert service.get(db, event.id).title == "Lauftreff"  # the event itself stays
    later = _submit(db, alliance, title="Später", email="karl@example.org")
    privacy.purge(db, 1, TEST_ACTOR_USER, now=datetime.now(UTC))
    assert db["event_submitters"].count == 1  # its event has not even taken place
    db["events"].update(later.id, {"last_end_at": "2020-01-01T00:00:00+00:00"})
    privacy.purge(db, 1, TEST_ACTOR_USER, now=datetime.now(UTC))
    assert db["event_submitters"].count == 0


def test_figures_count_dates_and_club_submissions(db, alliance):
    _create(db, alliance, recurrence=Recurrence("daily", 1, (), "count", 4))
    club = _submit(db, alliance, title="Vereinsfest")
    service.approve(db, STAFF, club.id)
    _submit(db, alliance, title="Wartet")
    today = date.today()
    request = FigureRequest(
        db, alliance, municipalities.areas(db), Period(today, today + timedelta(days=40)), today
    )
    section = figures.sections(request)[0]
    assert section.value("dates") == 5 and section.value("events") == 2
    assert section.value("club_submitted") == 2 and section.value("club_published") == 1
    assert section.value("dates", AGS) == 5 and section.value("dates", OTHER) == 0


def test_demo_has_a_weekly_series_and_a_waiting_submission(db, alliance):
    made = demo.load(db, alliance, audit.Actor("pytest", "manager"))
    assert made == 6 and demo.load(db, alliance, audit.Actor("pytest", "manager")) == 0
    events = service.latest(db)
    weekly = [e for e in events if e.rrule.startswith("FREQ=WEEKLY")]
    assert weekly and weekly[0].exdates
    assert [e.state for e in events].count(State.SUBMITTED) == 1


# --- hostile text ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_hostile_text_in_every_field_is_stored_literally(db, alliance, db_path, text):
    fields = ("title", "description", "venue", "location_line", "organiser", "price_text",
              "accessibility")  # fmt: skip
    padded = text if len(expected_stored(text)) >= 3 else f"{text} ok"
    if len(padded) > 150:  # longer than a title may be: refused there, nothing stored
        with pytest.raises(service.EventError, match="höchstens 150"):
            _create(db, alliance, title=padded)
        assert db["events"].count == 0
        fields = ("description", "accessibility")
    change = {"free": False, "price_text": "5 €"} | {f: padded for f in fields}
    made = _create(db, alliance, **change)
    for name in fields:
        assert getattr(made, name) == expected_stored(padded), name
    club = _submit(db, alliance, **change)
    if "title" not in fields:
        return
    service.decline(db, STAFF, club.id, padded)
    assert service.get(db, club.id).decline_reason == expected_stored(padded)
    body = feeds.build(db, alliance, {}, BASE)
    entry = next(iter(icalendar.Calendar.from_ical(body).walk("VEVENT")))
    in_calendar = expected_stored(padded).replace("\r\n", "\n")  # iCalendar line breaks
    assert str(entry["summary"]) == in_calendar
    assert str(entry["location"]).startswith(in_calendar)
    data = service.jsonld(made, alliance, BASE)
    assert data["name"] == expected_stored(padded)
    cancelled = service.cancel(db, STAFF, made.id, padded)
    assert cancelled.cancel_reason == expected_stored(padded)
    entry = next(iter(icalendar.Calendar.from_ical(feeds.build(db, alliance, {}, BASE))
                      .walk("VEVENT")))  # fmt: skip
    assert str(entry["status"]) == "CANCELLED" and in_calendar in str(entry["description"])


TEST_ACTOR_USER = audit.Actor("pytest", "manager")


def test_command_line_lists_approves_and_writes_the_calendar(db_path, capsys, tmp_path):
    from allianz import cli  # noqa: PLC0415 - only this test runs commands

    def run(*argv):
        code = cli.main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("db", "init")[0] == 0
    code, out, _ = run("events", "list", "--waiting")
    assert code == 0 and "Vereinsfest mit Tag der offenen Tür" in out and "wartet" in out
    waiting = int(out.split()[0])
    code, out, _ = run("events", "approve", str(waiting), "--base-url", BASE)
    assert code == 0 and "ist veröffentlicht" in out
    code, _, err = run("events", "decline", str(waiting), "zu spät")
    assert code != 0 and "veröffentlicht" in err
    target = tmp_path / "veranstaltungen.ics"
    code, out, _ = run("events", "ics", str(target), "--gemeinde", AGS)
    assert code == 0
    titles = {str(e["summary"]) for e in
              icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")}  # fmt: skip
    assert {"Lauftreff am Parthe-Ufer", "Vereinsfest mit Tag der offenen Tür"} <= titles
    assert "heimatverein@example.org" not in target.read_text(encoding="utf-8")


def test_categories_come_from_the_alliance_file_or_the_german_default(alliance, monkeypatch):
    from allianz import config  # noqa: PLC0415

    assert list(service.categories(alliance).values())[:3] == ["Kultur", "Sport", "Feste & Märkte"]
    monkeypatch.setattr(config, "section", lambda a, name: {"categories": {"markt": "Wochenmarkt"}})
    assert service.categories(alliance) == {"markt": "Wochenmarkt"}
    monkeypatch.setattr(config, "section", lambda a, name: {"categories": ["Kultur"]})
    with pytest.raises(config.ConfigError, match=r"\[events\] categories"):
        service.categories(alliance)
