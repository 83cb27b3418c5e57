"""The e-mail digest: double opt-in with a 48-hour confirmation, one subscription per address,
spam protection, the weekly run (idempotent per ISO week, frozen clock), the built mail parsed
back with the email package (plain text, HTML, RFC 8058 headers), the one-click unsubscribe
and the privacy rights."""

from __future__ import annotations

import email
import json
from datetime import UTC, datetime, timedelta
from email import policy
from urllib.parse import parse_qs, urlsplit

import pytest

from allianz import clock, limits, privacy, visitors
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.digest import service, store
from allianz.digest.model import CONFIRM_KEY, EVENTS, JOBS, NEWS, UNSUBSCRIBE_KEY, Choice
from allianz.errors import NotFound, PermissionDenied
from allianz.events import service as events
from allianz.jobs import service as jobs
from allianz.mail import outbox
from allianz.municipalities import service as municipalities
from allianz.news import service as news
from allianz.news.model import Draft as NewsDraft
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS

BASE = "https://allianz.example"
BORSDORF, BRANDIS = "14729060", "14729070"
MANAGER = User("leitung", "Geschäftsstelle", Role.MANAGER)
T = datetime(2026, 12, 16, 9, 0, tzinfo=UTC)  # a Wednesday, ISO week 51
SETTINGS = outbox.SmtpSettings("localhost", 25, "newsletter@allianz.example")


def _outbox(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM mail_outbox ORDER BY id")]


def _token(body: str, key: str) -> str:
    link = next(w for w in body.split() if f"?{key}=" in w)
    return parse_qs(urlsplit(link).query)[key][0]


ALL = Choice()


def _subscribe(db, alliance, address="Petra.Person@example.org", choice=ALL, now=T):
    service.subscribe(db, alliance, service.Request(address, choice, True), BASE, now=now)
    return _token(_outbox(db)[-1]["body"], CONFIRM_KEY)


def _subscriber(db, alliance, address="petra.person@example.org", choice=ALL, now=T):
    service.confirm(db, _subscribe(db, alliance, address, choice, now), now=now)
    return store.by_email(db, address)


def test_double_opt_in_counts_only_after_the_link(db, alliance):
    token = _subscribe(db, alliance)
    [sent] = _outbox(db)
    assert sent["recipient"] == "petra.person@example.org"
    assert sent["subject"].startswith("Bitte bestätigen")
    assert f"{BASE}/newsletter?{CONFIRM_KEY}=" in sent["body"] and "bis 18.12.2026" in sent["body"]
    assert store.confirmed(db) == []
    confirmed = service.confirm(db, token, now=T + timedelta(hours=1))
    assert confirmed.confirmed and confirmed.choice == Choice()
    assert [s.email for s in store.confirmed(db)] == ["petra.person@example.org"]
    with pytest.raises(NotFound, match="schon benutzt"):  # a one-time token
        service.confirm(db, token, now=T + timedelta(hours=2))
    raw = db.execute("SELECT confirm_hash FROM digest_subscribers").fetchone()[0]
    assert raw is None


def test_only_the_hash_of_the_confirmation_token_is_stored(db, alliance):
    token = _subscribe(db, alliance)
    dump = json.dumps([dict(r) for r in db.query("SELECT * FROM digest_subscribers")])
    assert token not in dump


def test_an_unconfirmed_request_expires_after_48_hours(db, alliance):
    token = _subscribe(db, alliance)
    with pytest.raises(NotFound, match="abgelaufen"):
        service.confirm(db, token, now=T + timedelta(hours=48, seconds=1))
    assert db["digest_subscribers"].count == 0  # the expired request is deleted
    token = _subscribe(db, alliance, now=T)
    assert service.expire(db, T + timedelta(hours=47)) == 0
    assert service.expire(db, T + timedelta(hours=49)) == 1
    with pytest.raises(NotFound):
        service.confirm(db, token, now=T + timedelta(hours=47))


def test_the_same_address_twice_is_one_subscription(db, alliance):
    _subscriber(db, alliance)
    # the same choice again: a note, no second row, no new confirmation needed
    service.subscribe(db, alliance, service.Request("PETRA.person@example.org ", Choice(), True),
                      BASE, now=T)  # fmt: skip
    assert db["digest_subscribers"].count == 1
    assert _outbox(db)[-1]["subject"].endswith("schon angemeldet")
    # another choice: confirmed by its own link; the old choice holds until then
    narrow = Choice((BORSDORF,), (), (NEWS,))
    token = _subscribe(db, alliance, "petra.person@example.org", narrow)
    assert db["digest_subscribers"].count == 1
    assert store.by_email(db, "petra.person@example.org").choice == Choice()
    service.confirm(db, token, now=T)
    assert store.by_email(db, "petra.person@example.org").choice == narrow


def test_refusals_in_german(db, alliance):
    with pytest.raises(service.DigestError) as refused:
        service.subscribe(db, alliance, service.Request("kein-at", Choice(parts=()), False), BASE)
    text = " ".join(refused.value.errors)
    assert "gültige E-Mail-Adresse" in text and "mindestens einen Teil" in text
    assert "Einwilligung" in text
    with pytest.raises(service.DigestError, match="Gemeinden der Allianz"):
        service.subscribe(db, alliance, service.Request("a@b.de", Choice(("0",)), True), BASE)
    with pytest.raises(service.DigestError, match="automatisiert"):
        service.subscribe(db, alliance, service.Request("a@b.de", Choice(), True, honeypot="x"),
                          BASE)  # fmt: skip
    with pytest.raises(service.DigestError, match="Moment Zeit"):
        service.subscribe(db, alliance, service.Request("a@b.de", Choice(), True, started_at=T),
                          BASE, now=T + timedelta(seconds=1))  # fmt: skip
    assert db["digest_subscribers"].count == 0 and db["mail_outbox"].count == 0


def test_hostile_text_in_the_address_is_refused_and_nothing_stored(db, alliance):
    for text in CORPUS:
        with pytest.raises(service.DigestError):
            service.subscribe(db, alliance, service.Request(text, Choice(), True), BASE)
    assert db["digest_subscribers"].count == 0 and db["mail_outbox"].count == 0


def test_a_visitor_is_limited_like_the_suggestions(db, alliance):
    visitor = visitors.Visitor(address="192.0.2.7")
    for n in range(service.SUBSCRIBE_LIMIT.count):
        request = service.Request(f"p{n}@example.org", Choice(), True, visitor=visitor)
        service.subscribe(db, alliance, request, BASE)
    request = service.Request("noch@example.org", Choice(), True, visitor=visitor)
    with pytest.raises(limits.LimitReached, match="viele Anmeldungen"):
        service.subscribe(db, alliance, request, BASE)
    assert store.by_email(db, "noch@example.org") is None


def test_one_address_gets_at_most_three_confirmation_mails_a_day(db, alliance):
    for hour in range(service.ADDRESS_LIMIT.count):
        _subscribe(db, alliance, "fremd@example.org", now=T + timedelta(hours=hour))
    request = service.Request("Fremd@Example.org", ALL, True, visitor=visitors.Visitor("x"))
    with pytest.raises(limits.LimitReached, match="mehrere Bestätigungen"):
        service.subscribe(db, alliance, request, BASE, now=T + timedelta(hours=5))
    assert db["mail_outbox"].count == service.ADDRESS_LIMIT.count


def test_the_outbox_refuses_a_header_with_a_line_break(db):
    from allianz import mail  # noqa: PLC0415 - only this test

    with pytest.raises(ValueError, match="line breaks"):
        mail.queue(db, "a@example.org", "Betreff", "Text", headers={"X-A": "b\r\nBcc: c@d.de"})
    assert db["mail_outbox"].count == 0


@pytest.fixture
def content(db, alliance):
    """A news item of Borsdorf on topic 1, one of Brandis on topic 2, an event in Borsdorf in
    three days, a job posting of Brandis — all made in the week before T."""
    made = T - timedelta(days=1)
    first = news.create(db, alliance, MANAGER, NewsDraft("Neue Öffnungszeiten", "Länger offen.",
                        "Donnerstags bis 18 Uhr.", BORSDORF, 1), submit=True, now=made)  # fmt: skip
    second = news.create(db, alliance, MANAGER, NewsDraft("Radweg <fertig>", "Freigegeben.",
                         "Der Radweg ist fertig.", BRANDIS, 2), submit=True, now=made)  # fmt: skip
    with clock.frozen(made):
        event = events.create(
            db, alliance, municipalities.areas(db), MANAGER,
            events.EventDraft("Dorffest", "feste", BORSDORF, (T + timedelta(days=3)).date(),
                              "14:00", "18:00", venue="Festplatz", organiser="Heimatverein"),
        )  # fmt: skip
        job = jobs.create(
            db, alliance, MANAGER,
            jobs.PostingDraft(BRANDIS, "Bauhofmitarbeiter/in", "job",
                              (T + timedelta(days=20)).date(), "Grünpflege", pay_grade="E 5",
                              apply_email="personal@brandis.example"),
            now=made,
        )  # fmt: skip
    return {"news": (first.id, second.id), "event": event.id, "job": job}


def _digests(db) -> list[email.message.EmailMessage]:
    rows = [r for r in _outbox(db) if r["subject"].startswith("Newsletter ")]
    return [
        email.message_from_bytes(outbox.message_for(SETTINGS, r).as_bytes(), policy=policy.default)
        for r in rows
    ]


def test_the_weekly_run_is_idempotent_per_iso_week(db, alliance, content):
    _subscriber(db, alliance, now=T - timedelta(days=2))
    with clock.frozen(T):
        first = service.send_weekly(db, alliance, BASE)
    assert (first.week, first.mails, first.without_news) == ("2026-W51", 1, 0)
    with clock.frozen(T + timedelta(days=3)):  # Saturday of the same week
        again = service.send_weekly(db, alliance, BASE)
    assert (again.mails, again.already_sent) == (0, 1)
    assert len(_digests(db)) == 1
    with clock.frozen(T + timedelta(days=7)):  # next week: nothing new since the last digest
        later = service.send_weekly(db, alliance, BASE)
    assert (later.week, later.mails, later.without_news) == ("2026-W52", 0, 1)
    assert len(_digests(db)) == 1


def test_the_mail_parsed_back(db, alliance, content):
    from allianz.meetings import service as meetings  # noqa: PLC0415 - only this test

    meeting_id = meetings.create(db, alliance, MANAGER, meetings.MeetingDraft(
        kind="public_event", title="Bürgerabend", day=(T + timedelta(days=2)).date(),
        start_time="19:00", end_time="21:00", place="Mehrzweckhalle"))  # fmt: skip
    subscriber = _subscriber(db, alliance, now=T - timedelta(days=2))
    with clock.frozen(T):
        service.send_weekly(db, alliance, BASE)
    [message] = _digests(db)
    assert message["To"] == "petra.person@example.org"
    assert message["Subject"] == f"Newsletter {alliance.name}: Woche 51, 16.12.2026"
    one_click = f"<{BASE}/newsletter-abmelden?token={subscriber.unsubscribe_token}>"
    assert message["List-Unsubscribe"] == one_click
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    assert "Neue Öffnungszeiten" in text and "Radweg <fertig>" in text
    assert f"{BASE}/news?meldung={content['news'][0]}" in text
    assert f"{BASE}/events?veranstaltung={content['event']}" in text and "Festplatz" in text
    assert f"{BASE}/jobs?stelle={content['job']}" in text and "Bauhofmitarbeiter/in" in text
    assert f"{BASE}/meetings?sitzung={meeting_id}" in text and "Bürgerabend" in text
    assert f"?{UNSUBSCRIBE_KEY}={subscriber.unsubscribe_token}" in text
    assert "Radweg &lt;fertig&gt;" in page and "<fertig>" not in page  # escaped in HTML
    assert f'href="{BASE}/news?meldung={content["news"][0]}"' in page
    assert 'lang="de"' in page and "Mit einem Klick abmelden" in page


def test_the_choice_filters_places_topics_and_parts(db, alliance, content):
    borsdorf_news = _subscriber(db, alliance, "a@example.org", Choice((BORSDORF,), (), (NEWS,)),
                                now=T - timedelta(days=2))  # fmt: skip
    topic_two = _subscriber(db, alliance, "b@example.org", Choice((), (2,), (NEWS, JOBS)),
                            now=T - timedelta(days=2))  # fmt: skip
    brandis_events = _subscriber(db, alliance, "c@example.org", Choice((BRANDIS,), (), (EVENTS,)),
                                 now=T - timedelta(days=2))  # fmt: skip
    run = content_run = service.collect(db, alliance, BASE, T)
    assert len(run.news) == 2 and len(run.events) == 1 and len(run.jobs) == 1
    chosen = service.for_subscriber(content_run, borsdorf_news, T)
    assert [n.title for n in chosen[NEWS]] == ["Neue Öffnungszeiten"] and set(chosen) == {NEWS}
    chosen = service.for_subscriber(content_run, topic_two, T)
    assert [n.title for n in chosen[NEWS]] == ["Radweg <fertig>"] and len(chosen[JOBS]) == 1
    chosen = service.for_subscriber(content_run, brandis_events, T)
    assert chosen == {EVENTS: []}  # Borsdorf's event is not Brandis'
    with clock.frozen(T):
        result = service.send_weekly(db, alliance, BASE)
    assert (result.mails, result.without_news) == (2, 1)  # c@ has nothing: no mail
    assert sorted(m["To"] for m in _digests(db)) == ["a@example.org", "b@example.org"]


def test_one_click_unsubscribe(db, alliance, content):
    subscriber = _subscriber(db, alliance)
    assert service.unsubscribe(db, subscriber.unsubscribe_token) is True
    assert db["digest_subscribers"].count == 0
    assert service.unsubscribe(db, subscriber.unsubscribe_token) is False  # a second click
    assert service.unsubscribe(db, "") is False
    with clock.frozen(T):
        assert service.send_weekly(db, alliance, BASE).mails == 0


def test_one_click_post_route(db, alliance, db_path):
    from starlette.applications import Starlette  # noqa: PLC0415 - only this test
    from starlette.testclient import TestClient  # noqa: PLC0415

    from allianz.digest import routes  # noqa: PLC0415

    subscriber = _subscriber(db, alliance)
    client = TestClient(Starlette(routes=routes.ROUTES))
    opened = client.get(f"/newsletter-abmelden?token={subscriber.unsubscribe_token}",
                        follow_redirects=False)  # fmt: skip
    assert opened.status_code == 303
    assert opened.headers["location"].endswith(f"?abmelden={subscriber.unsubscribe_token}")
    assert db["digest_subscribers"].count == 1  # a GET (a link scanner) changes nothing
    done = client.post(f"/newsletter-abmelden?token={subscriber.unsubscribe_token}",
                       data={"List-Unsubscribe": "One-Click"})  # fmt: skip
    assert done.status_code == 200 and "abgemeldet" in done.text
    assert db["digest_subscribers"].count == 0


def test_export_and_erase(db, alliance):
    _subscriber(db, alliance, choice=Choice((BORSDORF,), (1,), (NEWS,)))
    data = privacy.export(db, "PETRA.Person@example.org", TEST_ACTOR)
    [row] = data["newsletter"]
    assert row["email"] == "petra.person@example.org" and BORSDORF in row["choice"]
    counts = privacy.erase(db, "Petra.Person@example.org", TEST_ACTOR)
    assert counts["digest_subscribers"] == 1
    assert db["digest_subscribers"].count == 0
    assert privacy.export(db, "petra.person@example.org", TEST_ACTOR)["newsletter"] == []


def test_purge_deletes_unconfirmed_requests_only(db, alliance):
    _subscriber(db, alliance, "bleibt@example.org", now=T - timedelta(days=400))
    _subscribe(db, alliance, "offen@example.org", now=T - timedelta(days=400))
    counts = privacy.purge(db, 12, TEST_ACTOR, now=T)
    assert counts["digest_requests"] == 1
    assert [r["email"] for r in db.query("SELECT email FROM digest_subscribers")] == [
        "bleibt@example.org"
    ]


def test_the_office_sees_counts_per_member_and_no_one_else(db, alliance):
    _subscriber(db, alliance, "a@example.org", Choice((BORSDORF,)))
    _subscriber(db, alliance, "b@example.org")
    _subscribe(db, alliance, "c@example.org")
    found = service.overview(db, alliance, MANAGER)
    assert found["confirmed"] == 2 and found["pending"] == 1
    assert found["per_municipality"][BORSDORF] == 2 and found["per_municipality"][BRANDIS] == 1
    assert "a@example.org" not in json.dumps(found)
    for role in (Role.CITIZEN, Role.STAFF, Role.MAYOR):
        with pytest.raises(PermissionDenied):
            service.overview(db, alliance, User("x", "x", role, BORSDORF))


def test_figures_per_member(db, alliance):
    from allianz.digest import figures  # noqa: PLC0415
    from allianz.figures import ALLIANCE, FigureRequest, Period  # noqa: PLC0415

    _subscriber(db, alliance, "a@example.org", Choice((BORSDORF,)))
    _subscriber(db, alliance, "b@example.org")
    _subscribe(db, alliance, "c@example.org")  # unconfirmed: not counted
    request = FigureRequest(db, alliance, municipalities.areas(db),
                            Period(T.date(), T.date()), T.date())  # fmt: skip
    [section] = figures.sections(request)
    assert section.value("confirmed") == 2
    assert section.value("confirmed", BORSDORF) == 2
    assert section.value("confirmed", BRANDIS) == 1
    assert ALLIANCE in section.frame.columns


def test_cli_sends_once_per_week_and_shows_the_counts(db, alliance, db_path, content):
    from click.testing import CliRunner  # noqa: PLC0415 - only this test

    from allianz import cli as root_cli  # noqa: PLC0415

    _subscriber(db, alliance, "a@example.org", Choice((BORSDORF,)), now=T - timedelta(days=2))
    runner = CliRunner()
    with clock.frozen(T):
        first = runner.invoke(root_cli.command_tree(), ["digest", "send", "--base-url", BASE])
        second = runner.invoke(root_cli.command_tree(), ["digest", "send", "--base-url", BASE])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Woche 2026-W51: 1 Newsletter")
    assert "0 Newsletter" in second.output and "1 schon in dieser Woche" in second.output
    status = runner.invoke(root_cli.command_tree(), ["digest", "status"])
    assert status.exit_code == 0, status.output
    assert "1 bestätigte Abonnements, 0 unbestätigt" in status.output
    assert "2026-W51: 1 E-Mails" in status.output
    missing = runner.invoke(root_cli.command_tree(), ["digest", "send"])
    assert missing.exit_code == 2 and "--base-url" in missing.output
