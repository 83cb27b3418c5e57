"""Stellenbörse and Stellen ausschreiben in AppTest: staff publish a posting and land on its
page, a bad pay grade is refused in German with the input kept, the public list and the
posting's page with its JSON-LD, the archive after the deadline (clock frozen), extend and
withdraw, the start page's teaser, hostile text shown as text."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta

import pytest

from allianz import clock
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.jobs import service, store
from allianz.jobs.model import State
from tests.hostile import CORPUS
from tests.views.conftest import open_page

PUBLIC = "allianz/jobs/pages/jobs.py"
OFFICE = "allianz/jobs/pages/jobs_office.py"
BORSDORF = "14729060"  # the view tests' staff account belongs here
MANAGER = User("leitung", "Geschäftsstelle", Role.MANAGER)


def _draft(**changes) -> service.PostingDraft:
    base = service.PostingDraft(
        municipality_ags=BORSDORF, title="Erzieherin / Erzieher (m/w/d)", kind="job",
        valid_through=clock.today() + timedelta(days=10),
        description="Wir suchen **Verstärkung** für die Kita.", pay_grade="S 8a",
        apply_email="personal@borsdorf.example", workplace="Am Anger 4",
    )  # fmt: skip
    return replace(base, **changes)


@pytest.fixture
def posting(db, alliance, users) -> int:
    return service.create(db, alliance, MANAGER, _draft())


def _texts(at) -> str:
    shown = [e.value for kind in ("markdown", "caption", "info", "success", "error", "warning",
                                  "title", "subheader") for e in getattr(at, kind)]  # fmt: skip
    return re.sub(r"\\(.)", r"\1", " ".join(str(s) for s in shown))


def _field(widgets, start: str):
    return next(w for w in widgets if w.label.startswith(start))


def _fill(at, title: str, pay: str):
    _field(at.text_input, "Titel der Anzeige").input(title)
    _field(at.selectbox, "Art").set_value(service.Kind.JOB)
    _field(at.text_input, "Entgeltgruppe").input(pay)
    _field(at.text_area, "Beschreibung").input("Grünpflege und **Winterdienst**.")
    _field(at.text_input, "E-Mail für Bewerbungen").input("bewerbung@borsdorf.example")
    return _field(at.button, "Anzeige veröffentlichen").click().run()


def _json_ld(at) -> dict:
    bodies = [e.proto.body for e in at.get("html") if "application/ld+json" in e.proto.body]
    assert len(bodies) == 1
    match = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', bodies[0], re.S)
    return json.loads(match.group(1))


def test_staff_publish_a_posting_and_see_its_page(run_page, db):
    at = open_page(run_page, Role.STAFF, OFFICE)
    at = _fill(at, "Mitarbeiter/in Bauhof (m/w/d)", "e5")
    assert not at.exception, at.exception
    [posting] = store.of_member(db, BORSDORF)
    assert (posting.title, posting.pay_grade, posting.state) == (
        "Mitarbeiter/in Bauhof (m/w/d)", "E 5", State.OPEN)  # fmt: skip
    assert at.query_params["stelle"] in (str(posting.id), [str(posting.id)])  # the key in the URL
    text = _texts(at)
    assert f"Die Anzeige Nr. {posting.id} ist veröffentlicht." in text
    assert "Bewerbungsfrist verlängern" in text and "Anzeige zurückziehen" in text


def test_an_unknown_pay_grade_is_refused_and_the_input_kept(run_page, db):
    at = open_page(run_page, Role.STAFF, OFFICE)
    at = _fill(at, "Kämmerer/in", "E 99")
    assert "Entgeltgruppe „E 99“ ist unbekannt" in _texts(at)
    assert _field(at.text_input, "Titel der Anzeige").value == "Kämmerer/in"
    assert store.total(db) == 0


def test_the_public_list_links_to_the_posting_with_its_json_ld(run_page, posting):
    at = open_page(run_page, Role.CITIZEN, PUBLIC)
    links = [(link.proto.label, link.proto.query_string) for link in at.get("page_link")]
    assert ("Erzieherin / Erzieher \\(m/w/d\\)", f"stelle={posting}") in links
    assert "1 offene Stelle" in _texts(at)
    at = open_page(run_page, Role.CITIZEN, PUBLIC, stelle=str(posting))
    text = _texts(at)
    assert "Bewerbung per E-Mail an: personal@borsdorf.example" in text
    assert "Entgeltgruppe S 8a TVöD SuE" in text
    data = _json_ld(at)
    assert data["@type"] == "JobPosting" and data["url"].endswith(f"/jobs?stelle={posting}")
    assert any("<strong>Verstärkung</strong>" in e.proto.body for e in at.get("html"))


def test_after_the_deadline_the_posting_is_in_the_archive_only(run_page, posting, db):
    deadline = store.get(db, posting).deadline
    with clock.frozen(clock.now() + timedelta(days=(deadline - clock.today()).days + 1)):
        at = open_page(run_page, Role.CITIZEN, PUBLIC)
        assert "0 offene Stellen" in _texts(at)
        assert "1 Anzeige im Archiv" in _texts(at)
        at = open_page(run_page, Role.CITIZEN, PUBLIC, stelle=str(posting))
        assert "Bewerbungsfrist abgelaufen (Archiv)" in _texts(at)
        assert "So bewerben Sie sich" not in _texts(at)


def test_staff_extend_and_withdraw(run_page, posting, db):
    at = open_page(run_page, Role.STAFF, OFFICE, stelle=str(posting))
    old = store.get(db, posting).deadline
    at = _field(at.button, "Frist verlängern").click().run()
    assert store.get(db, posting).deadline == max(old, clock.today()) + timedelta(days=14)
    assert "Die Bewerbungsfrist läuft jetzt bis" in _texts(at)
    _field(at.text_input, "Grund").input("Stelle besetzt")
    at = _field(at.button, "Anzeige zurückziehen").click().run()
    assert store.get(db, posting).state is State.WITHDRAWN
    assert "Zurückgezogen: Stelle besetzt" in _texts(at)
    public = open_page(run_page, Role.CITIZEN, PUBLIC, stelle=str(posting))
    assert "gibt es nicht (mehr)" in _texts(public)


def test_staff_of_another_member_cannot_open_the_posting_for_editing(run_page, db, alliance):
    brandis = service.create(db, alliance, MANAGER, _draft(municipality_ags="14729070"))
    at = open_page(run_page, Role.STAFF, OFFICE, stelle=str(brandis))
    assert "Ihrer Gemeinde gibt es nicht" in _texts(at)
    assert not [b for b in at.button if b.label == "Frist verlängern"]


def test_the_start_page_teases_open_jobs(run_page, posting):
    at = run_page("main.py")
    links = [(link.proto.label, link.proto.query_string) for link in at.get("page_link")]
    assert any("Erzieherin" in label and q == f"stelle={posting}" for label, q in links)


@pytest.mark.parametrize("text", CORPUS[:5] + CORPUS[14:15])
def test_hostile_text_is_shown_as_text(run_page, db, alliance, users, text):
    posting = service.create(
        db, alliance, MANAGER,
        _draft(title=text[:150], description=text, workplace=text[:300], apply_text=text),
    )  # fmt: skip
    at = open_page(run_page, Role.CITIZEN, PUBLIC, stelle=str(posting))
    assert not at.exception
    for element in at.get("html"):
        body = element.proto.body
        if body.startswith('<script type="application/ld+json">'):
            inner = body.removeprefix('<script type="application/ld+json">')
            assert "<" not in inner.removesuffix("</script>")  # data only, cannot end the script
            continue
        if 'data-allianz="' in body or "<style>" in body:
            continue  # the app's own script and styles (main.py)
        # the description's HTML: the writer's tags are text, links never javascript:
        assert not re.search(r"<(script|img|svg)", body, re.I), body
        assert 'href="javascript' not in body
    assert _json_ld(at)["title"] == text[:150].strip()
