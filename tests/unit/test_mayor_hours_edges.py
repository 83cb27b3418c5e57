"""Ask the mayor at its edges: demo data, the calendar feed (read back by two parsers), the
command line, and speaker hours routed to a member municipality."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import vobject
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.testclient import TestClient

from allianz import audit, cli
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import ConfigError
from allianz.formatting import BERLIN
from allianz.mayor_hours import demo, feeds, service
from allianz.mayor_hours.model import State

ACTOR = audit.Actor("demo", "manager")


def test_demo_hours_tell_a_whole_story_and_load_once(db, alliance):
    assert demo.load(db, alliance, ACTOR) == 3
    assert demo.load(db, alliance, ACTOR) == 0
    hours = service.hours(db)
    phases = sorted(service.phase(h) for h in hours)
    assert phases == ["announced", "announced", "ended"]
    past = next(h for h in hours if service.phase(h) == "ended")
    counts = service.counts(db, past.id)
    assert (counts.received, counts.answered, counts.merged, counts.held) == (5, 2, 1, 1)
    answered = [q for q in service.transcript(db, past.id) if q.state is State.ANSWERED]
    for question in answered:  # asked before the hour, answered during it
        assert question.created_at < past.starts_at <= question.answered_at <= past.ends_at
    speaker = next(h for h in hours if h.host_kind == "speaker")
    assert [q.supports for q in service.public_queue(db, speaker.id)] == [6]


def test_calendar_feed_lists_the_hours_without_askers(db, alliance, db_path):
    demo.load(db, alliance, ACTOR)
    service.ask(
        db, service.hours(db)[0].id,
        service.QuestionDraft("Frage mit Adresse?", shown_name="Geheim Name",
                              email="geheim@example.org", email_consent=True),
    )  # fmt: skip
    response = TestClient(Starlette(routes=feeds.ROUTES)).get(feeds.PATH)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.content
    assert b"geheim" not in body.lower()
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == 3
    parsed = vobject.readOne(body.decode())
    starts = sorted(e.dtstart.value for e in parsed.vevent_list)
    hours = sorted(service.hours(db), key=lambda h: h.starts_at)
    assert starts == [datetime.fromisoformat(h.starts_at) for h in hours]
    for entry in parsed.vevent_list:  # local time, 18:00 to 19:00 in Berlin
        start, end = entry.dtstart.value.astimezone(BERLIN), entry.dtend.value.astimezone(BERLIN)
        assert (start.hour, end.hour) == (18, 19)
    assert body.count(b"DTSTART;TZID=Europe/Berlin:") == 3
    summaries = {e.summary.value for e in parsed.vevent_list}
    assert f"Sprechstunde: Sprecher der {alliance.name} – Ärztliche Versorgung, Ferienprogramm" in (
        summaries
    )
    urls = {e.url.value for e in parsed.vevent_list}
    assert {f"http://testserver/mayor_hours?sprechstunde={h.id}" for h in hours} == urls


def test_feed_leaves_out_hours_older_than_a_year(db, alliance):
    demo.load(db, alliance, ACTOR)
    old = service.hours(db)[0]
    start = datetime.now(UTC) - timedelta(days=400)
    end = start + timedelta(hours=1)
    db["mayor_hours"].update(old.id, {"starts_at": start.isoformat(), "ends_at": end.isoformat()})
    body = TestClient(Starlette(routes=feeds.ROUTES)).get(feeds.PATH).content
    assert len(icalendar.Calendar.from_ical(body).walk("VEVENT")) == 2


def test_command_line_lists_and_writes_transcript_and_calendar(db, alliance, tmp_path, capsys):
    demo.load(db, alliance, ACTOR)
    past = next(h for h in service.hours(db) if service.phase(h) == "ended")
    runner = CliRunner()
    listed = runner.invoke(cli.command_tree(), ["mayor-hours", "list"])
    assert listed.exit_code == 0 and "beendet" in listed.output and "5 Fragen" in listed.output
    out = tmp_path / "protokoll.md"
    made = runner.invoke(cli.command_tree(), ["mayor-hours", "transcript", str(past.id), str(out)])
    assert made.exit_code == 0, made.output
    assert "Radweg nach Panitzsch" in out.read_text()
    assert cli.main(["mayor-hours", "transcript", "1", str(tmp_path / "x.txt")]) == 2
    assert "Endung .pdf oder .md" in capsys.readouterr().err
    assert cli.main(["mayor-hours", "transcript", "999", str(tmp_path / "x.md")]) == 2
    assert "Sprechstunde gibt es nicht" in capsys.readouterr().err
    ics = tmp_path / "s.ics"
    assert runner.invoke(cli.command_tree(), ["mayor-hours", "ics", str(ics)]).exit_code == 0
    assert len(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")) == 3


def test_refresh_interval_comes_from_the_alliance_file(alliance, tmp_path):
    assert service.refresh_seconds(alliance) == 3
    text = alliance.source_path.read_text(encoding="utf-8")
    cases = (("5", 5), ("1", None), ('"schnell"', None), ("31", None))
    for number, (value, expected) in enumerate(cases):
        path = tmp_path / f"allianz-{number}.toml"
        path.write_text(f"{text}\n[mayor_hours]\nrefresh_seconds = {value}\n", encoding="utf-8")
        changed = replace(alliance, source_path=path)
        if expected:
            assert service.refresh_seconds(changed) == expected
        else:
            with pytest.raises(ConfigError, match="refresh_seconds muss eine ganze Zahl"):
                service.refresh_seconds(changed)


def test_no_demo_question_is_asked_in_the_future(db, alliance):
    demo.load(db, alliance, ACTOR)
    now = datetime.now(UTC).isoformat()
    office = User("leitung", "Geschäftsstelle", Role.MANAGER)
    asked = [
        q
        for hour in service.hours(db)
        for q in service.transcript(db, hour.id) + service.moderation_queue(db, office, hour.id)
    ]
    assert len(asked) >= 5 and all(q.created_at < now for q in asked)
