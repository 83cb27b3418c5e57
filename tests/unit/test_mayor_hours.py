"""Ask the mayor: the question's state machine, asking windows, support once per visitor
(across reloads and new browser contexts), moderation counts and notifications, merging,
answers, the transcript, turning an open question into a suggestion, figures, personal data,
the hostile corpus."""

from datetime import UTC, date, datetime, timedelta

import pytest

from allianz import audit, privacy, visitors
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import Conflict, NotFound, PermissionDenied
from allianz.figures import FigureRequest, Period
from allianz.mayor_hours import figures, service, transcript
from allianz.mayor_hours.model import HOLD_REASONS, State
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from tests.hostile import CORPUS, expected_stored

AGS = "14729060"  # Borsdorf
OFFICE = User("leitung", "Geschäftsstelle", Role.MANAGER)
MAYOR = User("bm", "Bürgermeisterin Borsdorf", Role.MAYOR, municipality_ags=AGS)
STAFF = User("verw", "Verwaltung Borsdorf", Role.STAFF, municipality_ags=AGS)
OTHER_STAFF = User("verw2", "Verwaltung Brandis", Role.STAFF, municipality_ags="14729070")
CITIZEN = User("anonym", "Gast", Role.CITIZEN)
ANNA = visitors.Visitor(address="203.0.113.5", cookie="a" * 32)
BERT = visitors.Visitor(address="198.51.100.7", cookie="b" * 32)


def _hour(db, alliance, day: date | None = None, user: User = MAYOR, **change):
    values = {
        "host_kind": "mayor",
        "municipality_ags": AGS,
        "host_title": "Bürgermeisterin Muster, Borsdorf",
        "day": day or date.today() + timedelta(days=3),
        "start_time": "18:00",
        "end_time": "19:00",
        "topic": "Radweg nach Panitzsch",
    }
    values |= change
    return service.create_hour(db, alliance, user, service.HourDraft(**values))


def _ask(db, hour, body="Wann wird der Radweg nach Panitzsch gebaut?", **change):
    return service.ask(db, hour.id, service.QuestionDraft(body, **change))


def _past(db, hour_id: int, days: int = 1) -> None:
    """Move an hour into the past (the service refuses to announce one there)."""
    start = datetime.now(UTC) - timedelta(days=days, hours=1)
    db["mayor_hours"].update(
        hour_id,
        {
            "starts_at": start.isoformat(timespec="seconds"),
            "ends_at": (start + timedelta(hours=1)).isoformat(timespec="seconds"),
        },
    )


def test_state_machine(db, alliance):
    hour = _hour(db, alliance)
    question = _ask(db, hour)
    assert question.state is State.SUBMITTED
    with pytest.raises(Conflict):
        service.answer(db, MAYOR, question.id, "Noch nicht freigegeben.")
    assert service.approve(db, STAFF, question.id).state is State.PUBLISHED
    with pytest.raises(Conflict):
        service.approve(db, STAFF, question.id)
    answered = service.answer(db, MAYOR, question.id, "Im Frühjahr 2027.")
    assert answered.state is State.ANSWERED and answered.answer_kind == "text"
    assert answered.answered_at is not None
    with pytest.raises(Conflict):
        service.hold(db, STAFF, question.id, "insult")
    oral = _ask(db, hour, "Wie geht es mit der Schule weiter?")
    service.approve(db, OFFICE, oral.id)
    marked = service.answer(db, MAYOR, oral.id, "", "oral")
    assert marked.state is State.ANSWERED and marked.answer == ""
    with pytest.raises(service.QuestionError):
        service.answer(db, MAYOR, _ask(db, hour, "Noch eine Frage hier?").id, "", "text")


def test_hold_needs_a_reason_of_the_code_and_tells_the_asker(db, alliance):
    hour = _hour(db, alliance)
    question = _ask(db, hour, email="frager@example.org", email_consent=True)
    with pytest.raises(service.QuestionError):
        service.hold(db, STAFF, question.id, "gefällt mir nicht")
    held = service.hold(db, STAFF, question.id, "advertising")
    assert held.state is State.HELD and held.hold_reason == "advertising"
    mails = list(db["mail_outbox"].rows)
    assert len(mails) == 1 and mails[0]["recipient"] == "frager@example.org"
    assert HOLD_REASONS["advertising"] in mails[0]["body"]
    with pytest.raises(Conflict, match="zurückgehalten"):
        service.support(db, question.id, ANNA)
    # no address given: nothing is queued
    silent = _ask(db, hour, "Eine zweite Frage ohne Adresse?")
    service.hold(db, STAFF, silent.id, "off_topic")
    assert db["mail_outbox"].count == 1


def test_asking_window_and_checks(db, alliance):
    hour = _hour(db, alliance)
    with pytest.raises(service.QuestionError, match="300"):
        _ask(db, hour, "x" * 301)
    with pytest.raises(service.QuestionError, match="Einwilligung"):
        _ask(db, hour, email="frager@example.org")
    with pytest.raises(service.QuestionError, match="ungültig"):
        _ask(db, hour, email="kein-at", email_consent=True)
    assert _ask(db, hour, shown_name="Anonym").author == "anonym"
    assert _ask(db, hour, "Zweite Frage bitte?", shown_name="Erika").author == "Erika"
    _past(db, hour.id)
    with pytest.raises(service.QuestionError, match="beendet"):
        _ask(db, hour, "Zu spät gestellt?")


def test_the_same_form_lands_once(db, alliance):
    hour = _hour(db, alliance)
    _ask(db, hour, token="mayor-ask:1")
    with pytest.raises(Conflict):
        _ask(db, hour, token="mayor-ask:1")
    assert db["mayor_questions"].count == 1


def test_support_once_per_visitor_across_reload_and_contexts(db, alliance):
    hour = _hour(db, alliance)
    question = _ask(db, hour)
    with pytest.raises(NotFound):
        service.support(db, question.id, ANNA)  # not yet published
    service.approve(db, STAFF, question.id)
    assert service.support(db, question.id, ANNA).supports == 1
    assert service.has_supported(db, question.id, ANNA)
    # a reload: the same cookie and address, a new session
    with pytest.raises(Conflict, match="schon unterstützt"):
        service.support(
            db,
            question.id,
            visitors.Visitor(address=ANNA.address, cookie=ANNA.cookie, session="neu"),
        )
    # a new browser context on the same network: the address counts
    with pytest.raises(Conflict):
        service.support(db, question.id, visitors.Visitor(address=ANNA.address, cookie="c" * 32))
    # the same browser on another network: the cookie counts
    with pytest.raises(Conflict):
        service.support(db, question.id, visitors.Visitor(address="192.0.2.1", cookie=ANNA.cookie))
    assert service.support(db, question.id, BERT).supports == 2
    assert service.support(db, question.id, visitors.Visitor(account="bm")).supports == 3
    assert service.get_question(db, question.id).supports == 3


def test_moderation_counts_and_merge(db, alliance):
    hour = _hour(db, alliance)
    first = _ask(db, hour)
    service.approve(db, STAFF, first.id)
    service.support(db, first.id, ANNA)
    duplicate = _ask(db, hour, "Wann kommt endlich der Radweg nach Panitzsch?")
    merged = service.merge(db, STAFF, duplicate.id, first.id)
    assert merged.supports == 2
    assert service.get_question(db, duplicate.id).merged_into == first.id
    for reason in ("insult", "insult", "third_party_data"):
        service.hold(db, STAFF, _ask(db, hour, f"Frage wegen {reason} hier?").id, reason)
    _ask(db, hour, "Noch nicht gelesen?")
    counts = service.counts(db, hour.id)
    assert (counts.received, counts.published, counts.merged, counts.held) == (6, 1, 1, 3)
    assert counts.waiting == 1
    assert counts.held_by_reason["insult"] == 2 and counts.held_by_reason["third_party_data"] == 1
    assert counts.held_by_reason["advertising"] == 0
    with pytest.raises(service.QuestionError):
        service.merge(db, STAFF, _ask(db, hour, "In sich selbst?").id, duplicate.id)


def test_similar_questions_by_word_overlap(db, alliance):
    hour = _hour(db, alliance)
    question = _ask(db, hour, "Wann wird der Radweg nach Panitzsch gebaut?")
    assert service.similar(db, hour.id, "Radweg Panitzsch: wann gebaut?") == []  # not public
    service.approve(db, STAFF, question.id)
    found = service.similar(db, hour.id, "Wird der RADWEG nach Panitzsch bald gebaut?")
    assert [q.id for q in found] == [question.id]
    assert service.similar(db, hour.id, "Wie steht es um die Kita in Zweenfurth?") == []
    assert service.similar(db, hour.id, "und der die?") == []


def test_moderation_scope(db, alliance):
    hour = _hour(db, alliance)
    question = _ask(db, hour)
    with pytest.raises(PermissionDenied):
        service.approve(db, OTHER_STAFF, question.id)
    with pytest.raises(PermissionDenied):
        service.approve(db, CITIZEN, question.id)
    with pytest.raises(PermissionDenied):
        _hour(db, alliance, user=CITIZEN)
    with pytest.raises(PermissionDenied):
        _hour(db, alliance, user=OTHER_STAFF)
    with pytest.raises(PermissionDenied):
        _hour(db, alliance, user=MAYOR, host_kind="speaker", municipality_ags=None)
    speaker = _hour(
        db, alliance, user=OFFICE, host_kind="speaker", municipality_ags=None,
        host_title="Sprecher der Allianz",
    )  # fmt: skip
    assert speaker.municipality_ags is None
    assert not service.may_moderate(MAYOR, speaker) and service.may_moderate(OFFICE, speaker)
    with pytest.raises(service.QuestionError, match="Ende"):
        _hour(db, alliance, start_time="19:00", end_time="18:00")


def test_open_question_becomes_a_suggestion_linked_both_ways(db, alliance):
    hour = _hour(db, alliance)
    question = _ask(db, hour, background="Der Weg ist gefährlich.")
    service.approve(db, STAFF, question.id)
    areas = municipalities.areas(db)
    with pytest.raises(service.QuestionError, match="nach der Sprechstunde"):
        service.to_suggestion(db, alliance, areas, STAFF, question.id)
    _past(db, hour.id)
    with pytest.raises(PermissionDenied):
        service.to_suggestion(db, alliance, areas, OTHER_STAFF, question.id)
    ref = service.to_suggestion(db, alliance, areas, STAFF, question.id)
    created = suggestions.by_ref(db, ref)
    assert created.municipality_ags == AGS
    assert created.title == question.body and f"Frage Nr. {question.id}" in created.description
    assert service.get_question(db, question.id).suggestion_ref == ref
    assert service.from_suggestion(db, ref).id == question.id
    with pytest.raises(Conflict):
        service.to_suggestion(db, alliance, areas, STAFF, question.id)
    # an answered question stays as it is
    other = _ask(db, _hour(db, alliance), "Was wird aus dem Bahnhof?")
    service.approve(db, STAFF, other.id)
    service.answer(db, MAYOR, other.id, "Er wird saniert.")
    with pytest.raises(service.QuestionError):
        service.to_suggestion(db, alliance, areas, STAFF, other.id)


def test_answer_notifies_and_transcript_lists_it(db, alliance):
    hour = _hour(db, alliance)
    question = _ask(db, hour, email="frager@example.org", email_consent=True, shown_name="Erika")
    service.approve(db, STAFF, question.id)
    open_one = _ask(db, hour, "Bleibt die Bibliothek offen?")
    service.approve(db, STAFF, open_one.id)
    service.answer(db, MAYOR, question.id, "Im Frühjahr 2027.")
    mail = next(iter(db["mail_outbox"].rows))
    assert "Im Frühjahr 2027." in mail["body"] and mail["recipient"] == "frager@example.org"
    text = transcript.markdown(db, service.get_hour(db, hour.id), alliance)
    assert text.index("Im Frühjahr 2027.") < text.index("Bleibt die Bibliothek offen?")
    assert "noch offen" in text and "Erika" in text
    assert transcript.pdf(db, service.get_hour(db, hour.id), alliance).startswith(b"%PDF")
    # the presentation screen: the last answered one until the moderator chooses another
    assert service.current(db, service.get_hour(db, hour.id)).id == question.id
    service.show_on_screen(db, STAFF, open_one.id)
    assert service.current(db, service.get_hour(db, hour.id)).id == open_one.id


def test_figures_per_mayor(db, alliance):
    hour = _hour(db, alliance)
    answered = _ask(db, hour)
    service.approve(db, STAFF, answered.id)
    late = _ask(db, hour, "Bleibt die Bibliothek offen?")
    service.approve(db, STAFF, late.id)
    asked = datetime.fromisoformat(service.get_question(db, answered.id).created_at)
    service.answer(db, MAYOR, answered.id, "Ja.", now=asked + timedelta(hours=5))
    _past(db, hour.id, days=20)
    today = date.today()
    request = FigureRequest(
        db, alliance, municipalities.areas(db), Period(today - timedelta(days=30), today), today
    )
    section = figures.sections(request)[0]
    assert section.value("answered", AGS) == 1
    assert section.value("median_hours", AGS) == pytest.approx(5.0)
    assert section.value("open_beyond_target", AGS) == 1
    assert section.value("answered", "14729070") == 0


def test_personal_data_export_and_erase(db, alliance):
    hour = _hour(db, alliance)
    question = _ask(db, hour, email="Frager@Example.org", email_consent=True, shown_name="Erika")
    exported = privacy.export(db, "frager@example.org", audit.CLI)
    rows = next(v for k, v in exported.items() if "sprechstunden" in str(k))
    assert rows and rows[0]["shown_name"] == "Erika"
    privacy.erase(db, "frager@example.org", audit.CLI)
    erased = service.get_question(db, question.id)
    assert erased.author == "anonym" and erased.body == question.body
    assert service.private_email(db, STAFF, question.id) == ""


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_corpus_in_every_field(db, alliance, text):
    hour = _hour(db, alliance, topic=text[:200], host_title=f"BM {text}"[:120])
    body = f"Frage {text}"[:300]
    question = _ask(db, hour, body, background=text, shown_name=text[:60])
    assert question.body == expected_stored(body)
    assert question.background == expected_stored(text)
    service.approve(db, STAFF, question.id)
    answered = service.answer(db, MAYOR, question.id, text)
    assert answered.answer == expected_stored(text)
    hour = service.get_hour(db, hour.id)
    assert expected_stored(text) in transcript.markdown(db, hour, alliance)
    assert transcript.pdf(db, hour, alliance).startswith(b"%PDF")


def test_addresses_are_purged_after_the_retention_period(db, alliance):
    hour = _hour(db, alliance)
    question = _ask(db, hour, email="frager@example.org", email_consent=True)
    counts = privacy.purge(db, 12, audit.CLI, now=datetime.now(UTC))
    assert counts["mayor_question_emails"] == 0
    _past(db, hour.id, days=400)
    counts = privacy.purge(db, 12, audit.CLI, now=datetime.now(UTC))
    assert counts["mayor_question_emails"] == 1
    assert service.private_email(db, STAFF, question.id) == ""


@pytest.mark.parametrize("key", ["", "abc", "-1", "1e3", "0" * 13, "99999"])
def test_a_url_key_that_names_no_hour_finds_none(db, alliance, key):
    _hour(db, alliance)
    assert service.hour_at(db, key) is None


def test_a_url_key_finds_its_hour(db, alliance):
    made = _hour(db, alliance)
    assert service.hour_at(db, str(made.id)) == made


def test_speaker_question_becomes_a_suggestion_of_the_chosen_municipality(db, alliance):
    hour = _hour(db, alliance, user=OFFICE, host_kind="speaker", municipality_ags=None)
    question = _ask(db, hour, "Wann kommt der Radweg zwischen Brandis und Polenz?")
    service.approve(db, OFFICE, question.id)
    _past(db, hour.id)
    areas = municipalities.areas(db)
    with pytest.raises(service.QuestionError, match="bitte die Gemeinde wählen"):
        service.to_suggestion(db, alliance, areas, OFFICE, question.id)
    with pytest.raises(service.QuestionError, match="keine Gemeindefläche"):
        service.to_suggestion(db, alliance, areas, OFFICE, question.id, municipality_ags="0" * 8)
    ref = service.to_suggestion(
        db, alliance, areas, OFFICE, question.id, municipality_ags="14729070"
    )
    assert suggestions.by_ref(db, ref).municipality_ags == "14729070"
