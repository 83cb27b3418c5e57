"""Frag den Bürgermeister, Sprechstunden moderieren and the screen in AppTest: the start page's
announcement, asking (with similar questions offered first), moderation and answers by the
desk, the public counts by reason, the screen, hostile text shown as text."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.mayor_hours import service
from allianz.mayor_hours.model import State
from tests.hostile import CORPUS
from tests.views.conftest import open_page

PAGE = "allianz/mayor_hours/pages/mayor_hours.py"
OFFICE = "allianz/mayor_hours/pages/mayor_hours_office.py"
SCREEN = "allianz/mayor_hours/pages/mayor_hours_screen.py"
MANAGER = User("leitung", "Geschäftsstelle", Role.MANAGER)
BODY = "Wann wird der Radweg nach Panitzsch gebaut?"


@pytest.fixture
def hour(db, alliance, users):
    """Borsdorf's mayor answers in three days (the view tests' staff account is Borsdorf's)."""
    draft = service.HourDraft(
        "mayor", "14729060", "Bürgermeisterin Muster", date.today() + timedelta(days=3),
        "18:00", "19:00", "Radwege",
    )  # fmt: skip
    return service.create_hour(db, alliance, MANAGER, draft)


def _texts(at) -> str:
    shown = [e.value for kind in ("markdown", "caption", "info", "success", "error", "warning")
             for e in getattr(at, kind)]  # fmt: skip
    return re.sub(r"\\(.)", r"\1", " ".join(str(s) for s in shown))


def _labelled(widgets, start: str):
    return next(w for w in widgets if w.label.startswith(start))


def _ask(at, body: str, **fields):
    _labelled(at.text_area, "Frage").input(body)
    if "name" in fields:
        _labelled(at.text_input, "Angezeigter Name").input(fields["name"])
    return _labelled(at.button, "Frage senden").click().run()


def test_start_page_announces_the_hour(run_page, hour):
    at = run_page("main.py")
    links = [link.proto.label for link in at.get("page_link")]
    assert any("Bürgermeisterin Muster" in label and "Radwege" in label for label in links)


def test_citizen_asks_and_the_question_waits_for_moderation(run_page, db, hour):
    at = open_page(run_page, Role.CITIZEN, PAGE, sprechstunde=str(hour.id))
    at = _ask(at, BODY, name="Erika")
    assert not at.exception, at.exception
    assert "ist eingegangen" in _texts(at)
    assert _labelled(at.text_area, "Frage").value == ""  # the form starts empty again
    [question] = service.moderation_queue(db, MANAGER, hour.id)
    assert question.body == BODY and question.author == "Erika"
    assert "1 Fragen warten noch auf die Moderation" in _texts(at)
    assert BODY not in _texts(at).replace("ist eingegangen", "")  # not public yet


def test_similar_questions_are_offered_before_a_new_one(run_page, db, hour):
    first = service.ask(db, hour.id, service.QuestionDraft(BODY))
    service.approve(db, MANAGER, first.id)
    at = open_page(run_page, Role.CITIZEN, PAGE, sprechstunde=str(hour.id))
    at = _ask(at, "Wird der Radweg nach Panitzsch bald gebaut?")
    assert not at.exception, at.exception
    assert "Ähnliche Fragen gibt es schon" in _texts(at)
    # the offered question can be supported right there
    at = at.button(key=f"similar-support-{first.id}").click().run()
    assert "Ihre Unterstützung ist gezählt" in _texts(at)
    assert service.get_question(db, first.id).supports == 1
    assert service.counts(db, hour.id).received == 1
    _labelled(at.checkbox, "Keine der ähnlichen").check()
    at = _labelled(at.button, "Frage senden").click().run()
    assert "ist eingegangen" in _texts(at)
    assert service.counts(db, hour.id).received == 2


def test_desk_approves_and_answers_the_public_sees_counts_and_answer(run_page, db, hour):
    kept = service.ask(db, hour.id, service.QuestionDraft(BODY))
    held = service.ask(db, hour.id, service.QuestionDraft("Kaufen Sie Produkt X bei mir!"))
    at = open_page(run_page, Role.STAFF, OFFICE, sprechstunde=str(hour.id))
    at = at.button(key=f"approve-{kept.id}").click().run()
    assert f"Frage Nr. {kept.id} ist veröffentlicht." in _texts(at)
    at.selectbox(key=f"reason-{held.id}").select("advertising").run()
    at = at.button(key=f"hold-{held.id}").click().run()
    assert service.get_question(db, held.id).state is State.HELD
    at.text_area(key=f"answer-text-{kept.id}").input("Im Frühjahr 2027.")
    at = at.button(key=f"answer-{kept.id}").click().run()
    assert service.get_question(db, kept.id).answer == "Im Frühjahr 2027."
    public = open_page(run_page, Role.CITIZEN, PAGE, sprechstunde=str(hour.id))
    text = _texts(public)
    assert BODY in text and "Im Frühjahr 2027." in text
    assert "Zurückgehalten nach Grund: Werbung: 1" in text
    assert "Kaufen Sie" not in text
    labels = [b.proto.label for b in public.get("download_button")]
    assert labels == ["Protokoll als PDF", "Protokoll als Markdown"]


def test_other_municipalitys_mayor_may_not_moderate(run_page, hour):
    at = open_page(run_page, Role.MAYOR, OFFICE, sprechstunde=str(hour.id))
    assert "moderieren die Geschäftsstelle" in _texts(at)
    assert not [b for b in at.button if b.label == "Freigeben"]


def test_desk_announces_an_hour(run_page, db):
    at = open_page(run_page, Role.STAFF, OFFICE)
    at.selectbox[0].select("mayor")
    _labelled(at.text_input, "Titel").input("Bürgermeister Borsdorf")
    at = _labelled(at.button, "Sprechstunde ankündigen").click().run()
    assert "Die Sprechstunde ist angekündigt" in _texts(at)
    [made] = service.hours(db)
    assert made.municipality_ags == "14729060"


def test_ended_hour_takes_no_questions(run_page, db, hour):
    db["mayor_hours"].update(
        hour.id, {"starts_at": "2026-01-01T17:00:00+00:00", "ends_at": "2026-01-01T18:00:00+00:00"}
    )
    at = open_page(run_page, Role.CITIZEN, PAGE, sprechstunde=str(hour.id))
    assert "Die Sprechstunde ist beendet" in _texts(at)
    assert not [b for b in at.button if b.label == "Frage senden"]


@pytest.mark.parametrize("text", CORPUS[:3] + CORPUS[14:15])
def test_hostile_text_shows_as_text_on_the_screen_and_the_list(run_page, db, hour, text):
    question = service.ask(db, hour.id, service.QuestionDraft(f"Frage {text}", shown_name="X"))
    service.approve(db, MANAGER, question.id)
    service.answer(db, MANAGER, question.id, text)
    for page in (PAGE, SCREEN):
        at = open_page(run_page, Role.CITIZEN, page, sprechstunde=str(hour.id))
        raw = " ".join(str(e.value) for e in at.markdown)
        # markdown and HTML characters of user text arrive escaped (\\<, \\]), never live
        assert not re.search(r"(?<!\\)<(script|img|svg)", raw)
        assert not re.search(r"(?<!\\)\]\(http", raw)
        assert text.split("\n")[0][:20] in _texts(at)


def test_screen_without_an_hour_points_to_the_list(run_page):
    at = open_page(run_page, Role.CITIZEN, SCREEN)
    assert "über die Seite der Sprechstunde" in _texts(at)
    assert datetime.now(UTC)  # the page needs no hour to render


def test_overview_offers_the_calendar_feed(run_page, hour):
    at = open_page(run_page, Role.CITIZEN, PAGE)
    assert any(c.value.endswith("/feeds/sprechstunden.ics") for c in at.code)


def test_speaker_question_goes_to_the_municipality_the_office_chooses(run_page, db, alliance):
    draft = service.HourDraft("speaker", None, "Sprecher der Allianz",
                              date.today() + timedelta(days=1), "18:00", "19:00")  # fmt: skip
    speaker = service.create_hour(db, alliance, MANAGER, draft)
    question = service.ask(db, speaker.id, service.QuestionDraft(BODY))
    service.approve(db, MANAGER, question.id)
    db["mayor_hours"].update(
        speaker.id,
        {"starts_at": "2026-01-01T17:00:00+00:00", "ends_at": "2026-01-01T18:00:00+00:00"},
    )
    at = open_page(run_page, Role.MANAGER, OFFICE, sprechstunde=str(speaker.id))
    _labelled(at.button, "Zum Hinweis machen").click().run()
    assert "bitte die Gemeinde wählen" in _texts(at)
    assert service.get_question(db, question.id).suggestion_ref is None
    _labelled(at.selectbox, "Gemeinde für den Hinweis").select("14729070").run()
    _labelled(at.button, "Zum Hinweis machen").click().run()
    ref = service.get_question(db, question.id).suggestion_ref
    assert ref and f"Die Frage ist jetzt der Hinweis {ref}" in _texts(at)
