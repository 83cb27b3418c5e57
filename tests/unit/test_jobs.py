"""The job board: who may post, what a posting needs (pay grades, hours, deadline, how to
apply, contact with consent), expiry at the end of the Berlin deadline day with a frozen
clock, the archive, the reminder five days before (once), extend and withdraw, the RSS feed
parsed back, the JSON-LD checked for Google's required properties, personal data, figures,
demo data, the CLI, and the hostile corpus through every text field."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.testclient import TestClient

from allianz import cli as root_cli
from allianz import clock, jsonld, privacy
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.figures import FigureRequest, Period
from allianz.jobs import demo, feeds, figures, service, store
from allianz.jobs.model import Kind, State
from allianz.municipalities import service as municipalities
from allianz.submissions import AlreadySubmitted
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS, expected_stored

BORSDORF, BRANDIS = "14729060", "14729070"
OFFICE = User("leitung", "Leitung", Role.MANAGER)
STAFF = User("personal-borsdorf", "Personalamt", Role.STAFF, BORSDORF)
OTHER_STAFF = User("personal-brandis", "Personalamt Brandis", Role.STAFF, BRANDIS)
CITIZEN = User("anonym", "Gast", Role.CITIZEN)
# a winter day (CET, UTC+1): 10:00 UTC is 11:00 in Berlin
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
DEADLINE = date(2026, 3, 20)


def draft(**changes) -> service.PostingDraft:
    base = service.PostingDraft(
        municipality_ags=BORSDORF,
        title="Erzieherin / Erzieher (m/w/d)",
        kind="job",
        valid_through=DEADLINE,
        description="Wir suchen **Verstärkung** für unsere Kita.\n\n- Bildung\n- Betreuung",
        pay_grade="S 8a",
        part_time=True,
        hours_per_week="32",
        workplace="Kita Parthenspatzen, Am Anger 4",
        apply_text="Bewerbung mit Lebenslauf als PDF.",
        apply_email="personal@borsdorf.example",
        contact_phone="034291 123-0",
        contact_email="personal@borsdorf.example",
    )
    return replace(base, **changes)


def post(db, alliance, user=STAFF, now=NOW, **changes) -> int:
    return service.create(db, alliance, user, draft(**changes), now=now)


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.BERLIN)


# --- who may post ----------------------------------------------------------------------------


def test_staff_post_for_their_own_member_and_the_office_for_every_member(db, alliance):
    own = post(db, alliance)
    assert store.get(db, own).municipality_ags == BORSDORF
    with pytest.raises(PermissionDenied, match="eigenen Gemeinde"):
        post(db, alliance, user=OTHER_STAFF)
    assert post(db, alliance, user=OFFICE, municipality_ags=BRANDIS)
    for role in (Role.CITIZEN, Role.MAYOR, Role.WORKING_GROUP, Role.HOST):
        with pytest.raises(PermissionDenied):
            post(db, alliance, user=User("x", "x", role, BORSDORF))
    with pytest.raises(PermissionDenied):
        service.extend(db, OTHER_STAFF, own, DEADLINE + timedelta(days=3), now=NOW)
    with pytest.raises(PermissionDenied):
        service.withdraw(db, OTHER_STAFF, own, "besetzt", now=NOW)
    with pytest.raises(PermissionDenied):
        service.update(db, alliance, OTHER_STAFF, own, draft(municipality_ags=BRANDIS), now=NOW)
    assert store.get(db, own).state is State.OPEN


def test_create_is_audited_and_lands_once_per_form_token(db, alliance):
    token = "job-new:abc"
    first = service.create(db, alliance, STAFF, draft(), token=token, now=NOW)
    with pytest.raises(AlreadySubmitted):
        service.create(db, alliance, STAFF, draft(), token=token, now=NOW)
    assert store.total(db) == 1
    row = db.execute(
        "SELECT actor, action, municipality_ags FROM audit WHERE entity = 'job_posting' "
        "AND entity_id = ?",
        [str(first)],
    ).fetchall()
    assert [tuple(r) for r in row] == [("personal-borsdorf", "job.create", BORSDORF)]


# --- what a posting needs --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("E 9a", "E 9a"), ("e9a", "E 9a"), ("EG 9 A", "E 9a"), ("a10", "A 10"), ("E 15ü", "E 15Ü"),
     ("s 8A", "S 8a"), ("tvaöd", "TVAöD")],
)  # fmt: skip
def test_pay_grades_are_normalised_to_the_lists_spelling(db, alliance, typed, stored):
    posting = store.get(db, post(db, alliance, pay_grade=typed))
    assert posting.pay_grade == stored


@pytest.mark.parametrize("typed", ["E 99", "E 9d", "A 2", "B 3", "Tarif nach Absprache", "9a"])
def test_an_unknown_pay_grade_is_refused_in_german(db, alliance, typed):
    with pytest.raises(ValidationError, match="Entgeltgruppe .* ist unbekannt"):
        post(db, alliance, pay_grade=typed)
    assert store.total(db) == 0


def test_a_job_needs_a_pay_grade_an_apprenticeship_does_not(db, alliance):
    with pytest.raises(ValidationError, match="Entgeltgruppe"):
        post(db, alliance, pay_grade="")
    assert post(db, alliance, pay_grade="", kind="volunteer")


def test_every_problem_is_named_at_once(db, alliance):
    bad = draft(
        title=" ", kind="chef", part_time=True, hours_per_week="", valid_through="31.02.2026",
        description="", apply_email="keine-adresse", apply_url="javascript:alert(1)",
        contact_name="Erika Muster", contact_consent=False, contact_phone="<b>",
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        service.create(db, alliance, STAFF, bad, now=NOW)
    text = " ".join(caught.value.errors)
    for expected in ("Titel fehlt", "Art wählen", "Wochenstunden", "kein Datum",
                     "Beschreibung fehlt", "keine E-Mail-Adresse", "https://", "Einwilligung",
                     "Telefon"):  # fmt: skip
        assert expected in text
    assert store.total(db) == 0


def test_hours_deadline_and_start(db, alliance):
    with pytest.raises(ValidationError, match="Teilzeit heißt weniger"):
        post(db, alliance, hours_per_week="39")
    with pytest.raises(ValidationError, match="Vergangenheit"):
        post(db, alliance, valid_through=date(2026, 3, 9))
    with pytest.raises(ValidationError, match="mehr als ein Jahr"):
        post(db, alliance, valid_through=date(2027, 6, 1))
    with pytest.raises(ValidationError, match="Link zur Bewerbung oder eine E-Mail"):
        post(db, alliance, apply_email="")
    posting = store.get(db, post(db, alliance, hours_per_week="19,5", starts_on="01.08.2026",
                                 valid_through="10.03.2026"))  # fmt: skip
    assert (posting.hours_per_week, posting.starts_on) == (19.5, "2026-08-01")
    assert posting.valid_through == "2026-03-10"  # today is still allowed
    assert service.start_label(posting) == "ab 01.08.2026"
    assert service.hours_text(posting) == "Teilzeit, 19,5 Std./Woche"
    immediate = store.get(db, post(db, alliance, part_time=False, hours_per_week=None))
    assert service.start_label(immediate) == "ab sofort"


def test_a_named_contact_person_needs_consent_a_function_address_does_not(db, alliance):
    with pytest.raises(ValidationError, match="Einwilligung"):
        post(db, alliance, contact_name="Erika Muster")
    posting = store.get(db, post(db, alliance, contact_name="Erika Muster", contact_consent=True))
    assert posting.contact_name == "Erika Muster"
    assert db.execute("SELECT contact_consent FROM job_postings WHERE id = ?",
                      [posting.id]).fetchone()[0] == 1  # fmt: skip


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_in_every_field_is_stored_literally_or_refused(db, alliance, text):
    fields = ("title", "description", "workplace", "apply_text", "contact_name", "pay_grade",
              "apply_url", "apply_email", "contact_email", "contact_phone")  # fmt: skip
    for field in fields:
        changes = {field: text}
        if field == "contact_name":
            changes["contact_consent"] = True
        before = store.total(db)
        try:
            posting_id = post(db, alliance, **changes)
        except ValidationError as exc:
            assert exc.errors and all(isinstance(e, str) for e in exc.errors)
            assert store.total(db) == before  # nothing half-stored
            continue
        stored = getattr(store.get(db, posting_id), field)
        assert stored == expected_stored(text), field
    # the withdrawal reason, the feed and the JSON-LD take the same text without harm
    posting_id = post(db, alliance, title=text if len(text) <= 150 else "Titel", description=text)
    service.withdraw(db, STAFF, posting_id, text[:500], now=NOW)
    assert store.get(db, posting_id).withdrawn_reason == expected_stored(text[:500])


# --- expiry with a frozen clock --------------------------------------------------------------


def test_a_posting_is_listed_through_the_end_of_its_deadline_day_in_berlin(db, alliance):
    posting_id = post(db, alliance)
    last_evening = berlin(DEADLINE, 23, 59)
    next_morning = berlin(DEADLINE + timedelta(days=1), 0, 1)
    assert [p.id for p in service.open_postings(db, now=last_evening).postings] == [posting_id]
    assert service.archived_postings(db, now=last_evening).total == 0
    assert service.open_postings(db, now=next_morning).total == 0
    archived = service.archived_postings(db, now=next_morning)
    assert [p.id for p in archived.postings] == [posting_id]
    # 23:30 UTC on the deadline day is already the next day in Berlin
    utc_late = datetime(2026, 3, 20, 23, 30, tzinfo=UTC)
    assert service.open_postings(db, now=utc_late).total == 0
    # the clock module decides when no time is given
    with clock.frozen(last_evening):
        assert service.open_postings(db).total == 1
    with clock.frozen(next_morning):
        assert service.open_postings(db).total == 0
        assert service.archive_years(db) == [2026]
        assert store.get(db, posting_id).phase(clock.today()) == "archived"


def test_the_archive_filters_by_year_and_the_list_by_member_kind_and_hours(db, alliance):
    old = post(db, alliance, now=datetime(2025, 11, 1, tzinfo=UTC), valid_through=date(2025, 12, 1))
    post(db, alliance, now=datetime(2026, 1, 2, tzinfo=UTC), valid_through=date(2026, 1, 20))
    apprentice = post(db, alliance, user=OFFICE, municipality_ags=BRANDIS, kind="apprenticeship",
                      pay_grade="TVAöD", part_time=False, hours_per_week=None)  # fmt: skip
    job = post(db, alliance)
    assert service.archive_years(db, now=NOW) == [2026, 2025]
    by_year = service.archived_postings(db, service.filters_from(alliance, year="2025"), now=NOW)
    assert [p.id for p in by_year.postings] == [old]
    f = service.filters_from
    assert [p.id for p in service.open_postings(db, f(alliance, BRANDIS), now=NOW).postings] == [
        apprentice
    ]
    kinds = service.open_postings(db, f(alliance, kind="ausbildung"), now=NOW).postings
    assert [p.id for p in kinds] == [apprentice]
    part = service.open_postings(db, f(alliance, hours="teilzeit"), now=NOW).postings
    assert [p.id for p in part] == [job]
    for bad in ({"municipality": "99999999"}, {"kind": "chef"}, {"hours": "halbtags"},
                {"year": "neunzehn"}):  # fmt: skip
        with pytest.raises(service.FilterError):
            f(alliance, **bad)


def test_paging_stays_in_range(db, alliance):
    for n in range(5):
        post(db, alliance, title=f"Stelle {n}")
    first = service.open_postings(db, page=1, size=2, now=NOW)
    assert (first.total, first.pages, [p.title for p in first.postings]) == (
        5, 3, ["Stelle 4", "Stelle 3"])  # fmt: skip
    last = service.open_postings(db, page=99, size=2, now=NOW)
    assert (last.page, [p.title for p in last.postings]) == (3, ["Stelle 0"])


# --- reminder, extend, withdraw --------------------------------------------------------------


def _staff_with_mail(db, alliance, username, ags, email):
    accounts.create_user(
        db, alliance, TEST_ACTOR, username=username, role="staff", password="geheim-genug-1",
        municipality_ags=ags, email=email,
    )  # fmt: skip
    return next(u for u in [accounts.authenticate(db, username, "geheim-genug-1")] if u)


def _outbox(db) -> list[tuple[str, str]]:
    return [tuple(r) for r in db.execute("SELECT recipient, subject FROM mail_outbox ORDER BY id")]


def test_the_reminder_goes_five_days_before_once_to_poster_and_staff(db, alliance):
    poster = _staff_with_mail(db, alliance, "poster", BORSDORF, "poster@borsdorf.example")
    _staff_with_mail(db, alliance, "kollegin", BORSDORF, "kollegin@borsdorf.example")
    _staff_with_mail(db, alliance, "nachbar", BRANDIS, "nachbar@brandis.example")
    posting_id = service.create(db, alliance, poster, draft(), now=NOW)
    six_days_before = berlin(DEADLINE - timedelta(days=6), 8)
    assert service.remind(db, alliance, now=six_days_before) == 0
    five_days_before = berlin(DEADLINE - timedelta(days=5), 8)
    assert service.remind(db, alliance, now=five_days_before) == 2
    sent = _outbox(db)
    assert sorted(r for r, _ in sent) == ["kollegin@borsdorf.example", "poster@borsdorf.example"]
    assert all("20.03.2026" in subject for _, subject in sent)
    assert service.remind(db, alliance, now=five_days_before) == 0
    assert service.remind(db, alliance, now=five_days_before + timedelta(days=2)) == 0
    assert len(_outbox(db)) == 2
    # extended: a new reminder before the new deadline
    service.extend(db, poster, posting_id, DEADLINE + timedelta(days=10), now=five_days_before)
    assert service.remind(db, alliance, now=berlin(DEADLINE, 8)) == 0
    assert service.remind(db, alliance, now=berlin(DEADLINE + timedelta(days=5), 8)) == 2
    actions = [r[0] for r in db.execute(
        "SELECT action FROM audit WHERE entity = 'job_posting' ORDER BY id")]  # fmt: skip
    assert actions == ["job.create", "job.remind", "job.extend", "job.remind"]


def test_no_reminder_for_withdrawn_or_expired_postings(db, alliance):
    _staff_with_mail(db, alliance, "kollegin", BORSDORF, "kollegin@borsdorf.example")
    withdrawn = post(db, alliance)
    service.withdraw(db, STAFF, withdrawn, "Stelle besetzt", now=NOW)
    post(db, alliance, now=datetime(2026, 1, 2, tzinfo=UTC), valid_through=date(2026, 1, 20))
    assert service.remind(db, alliance, now=berlin(DEADLINE - timedelta(days=2), 8)) == 0


def test_the_reminder_reaches_the_office_when_the_member_has_no_staff_address(db, alliance):
    accounts.create_user(
        db, alliance, TEST_ACTOR, username="chefin", role="manager", password="geheim-genug-1",
        email="buero@partheland.example",
    )  # fmt: skip
    post(db, alliance)
    assert service.remind(db, alliance, now=berlin(DEADLINE - timedelta(days=1), 8)) == 1
    assert _outbox(db)[0][0] == "buero@partheland.example"


def test_extend_moves_the_deadline_later_and_brings_an_archived_posting_back(db, alliance):
    posting_id = post(db, alliance)
    later = berlin(DEADLINE + timedelta(days=3), 9)
    assert service.open_postings(db, now=later).total == 0
    with pytest.raises(ValidationError, match="nach der bisherigen"):
        service.extend(db, STAFF, posting_id, DEADLINE, now=later)
    with pytest.raises(ValidationError, match="Vergangenheit"):
        service.extend(db, STAFF, posting_id, DEADLINE + timedelta(days=1), now=later)
    extended = service.extend(db, STAFF, posting_id, "10.04.2026", now=later)
    assert extended.valid_through == "2026-04-10"
    assert [p.id for p in service.open_postings(db, now=later).postings] == [posting_id]
    details = db.execute(
        "SELECT details FROM audit WHERE action = 'job.extend' AND entity_id = ?", [str(posting_id)]
    ).fetchone()[0]
    assert json.loads(details) == {"from": "2026-03-20", "to": "2026-04-10"}


def test_a_withdrawn_posting_leaves_the_board_and_cannot_be_changed(db, alliance):
    posting_id = post(db, alliance)
    with pytest.raises(ValidationError, match="Grund fehlt"):
        service.withdraw(db, STAFF, posting_id, " ", now=NOW)
    service.withdraw(db, STAFF, posting_id, "Stelle besetzt", now=NOW)
    assert service.open_postings(db, now=NOW).total == 0
    assert service.archived_postings(db, now=berlin(DEADLINE + timedelta(days=1), 9)).total == 0
    with pytest.raises(NotFound):
        service.get_for(db, CITIZEN, posting_id)
    assert service.get_for(db, STAFF, posting_id).state is State.WITHDRAWN
    with pytest.raises(Conflict):
        service.withdraw(db, STAFF, posting_id, "nochmal", now=NOW)
    with pytest.raises(Conflict):
        service.extend(db, STAFF, posting_id, DEADLINE + timedelta(days=5), now=NOW)
    with pytest.raises(Conflict):
        service.update(db, alliance, STAFF, posting_id, draft(), now=NOW)


def test_update_changes_the_posting_and_a_new_deadline_rearms_the_reminder(db, alliance):
    posting_id = post(db, alliance)
    db["job_postings"].update(posting_id, {"reminded_at": "2026-03-15T08:00:00+00:00"})
    service.update(db, alliance, STAFF, posting_id, draft(title="Erzieher/in, 30 Std."), now=NOW)
    assert store.get(db, posting_id).title == "Erzieher/in, 30 Std."
    assert store.get(db, posting_id).reminded_at is not None
    service.update(db, alliance, STAFF, posting_id, draft(valid_through=date(2026, 4, 1)), now=NOW)
    assert store.get(db, posting_id).reminded_at is None
    assert service.posting_at(db, str(posting_id)).id == posting_id
    for key in ("", "abc", "1" * 13, "999999"):
        assert service.posting_at(db, key) is None
    with pytest.raises(NotFound):
        service.extend(db, STAFF, 999999, DEADLINE, now=NOW)


# --- JSON-LD and the feed --------------------------------------------------------------------

GOOGLE_REQUIRED = ("title", "description", "datePosted", "hiringOrganization", "jobLocation")


def _embedded(posting, alliance) -> dict:
    script = jsonld.script(service.json_ld(posting, alliance, "https://app.example/jobs?stelle=1"))
    match = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', script, re.S)
    assert match and "</" not in match.group(1)
    return json.loads(match.group(1))


def test_json_ld_has_googles_required_properties_and_no_contact_person(db, alliance):
    title = "Erzieher/in </script><script>alert(1)</script>"
    posting_id = post(db, alliance, contact_name="Erika Muster", contact_consent=True, title=title)
    posting = store.get(db, posting_id)
    data = _embedded(posting, alliance)
    assert data["@context"] == "https://schema.org/" and data["@type"] == "JobPosting"
    for key in GOOGLE_REQUIRED:
        assert data[key], key
    assert data["title"] == posting.title
    assert data["datePosted"] == "2026-03-10"
    assert datetime.fromisoformat(data["validThrough"]) == berlin(DEADLINE, 23, 59) + timedelta(
        seconds=59
    )
    assert data["employmentType"] == ["PART_TIME"]
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Borsdorf"}
    place = data["jobLocation"]
    assert place["@type"] == "Place"
    address = place["address"]
    assert address["@type"] == "PostalAddress"
    assert (address["addressLocality"], address["addressRegion"], address["addressCountry"]) == (
        "Borsdorf", "Sachsen", "DE")  # fmt: skip
    assert address["streetAddress"] == "Kita Parthenspatzen, Am Anger 4"
    assert data["directApply"] is False
    assert data["baseSalary"]["currency"] == "EUR"
    assert "S 8a" in data["baseSalary"]["name"]
    assert "<strong>Verstärkung</strong>" in data["description"]
    assert "Erika" not in json.dumps(data) and "@borsdorf" not in json.dumps(data)


def test_json_ld_employment_types_of_internships_and_volunteers(db, alliance):
    intern = store.get(db, post(db, alliance, kind="internship", pay_grade="TVPöD"))
    volunteer = store.get(db, post(db, alliance, kind="volunteer", pay_grade="", part_time=False,
                                   hours_per_week=None))  # fmt: skip
    assert _embedded(intern, alliance)["employmentType"] == ["PART_TIME", "INTERN"]
    data = _embedded(volunteer, alliance)
    assert data["employmentType"] == ["FULL_TIME", "VOLUNTEER"]
    assert "baseSalary" not in data and data["jobImmediateStart"] is True


def _feed(query: str = ""):
    return TestClient(Starlette(routes=feeds.ROUTES)).get(feeds.PATH + query)


def test_the_rss_feed_lists_open_postings_without_personal_data(db, alliance, db_path):
    today = clock.now()
    deadline = clock.today() + timedelta(days=10)
    job = post(db, alliance, now=today, valid_through=deadline, contact_name="Erika Muster",
               contact_consent=True, title="Erzieher/in <b>Kita</b> & Hort")  # fmt: skip
    apprentice = post(db, alliance, now=today, user=OFFICE, municipality_ags=BRANDIS,
                      kind="apprenticeship", pay_grade="TVAöD", valid_through=deadline)  # fmt: skip
    post(
        db,
        alliance,
        now=today - timedelta(days=40),
        valid_through=clock.today() - timedelta(days=1),
    )
    withdrawn = post(db, alliance, now=today, valid_through=deadline)
    service.withdraw(db, STAFF, withdrawn, "besetzt")
    response = _feed()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert b"@" not in response.content.replace(b"xmlns:atom", b"")
    assert b"Erika" not in response.content
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and parsed.version == "rss20"
    assert parsed.feed.title == "Stellenbörse Region Partheland"
    titles = {e.title for e in parsed.entries}
    assert titles == {"Erzieher/in <b>Kita</b> & Hort", store.get(db, apprentice).title}
    entry = next(e for e in parsed.entries if e.title.endswith("Hort"))
    assert entry.link.endswith(f"/jobs?stelle={job}")
    assert "Bewerbung bis" in entry.summary and "S 8a" in entry.summary
    only = feedparser.parse(_feed(f"?art=ausbildung&gemeinde={BRANDIS}").content)
    assert [e.link.rsplit("=", 1)[1] for e in only.entries] == [str(apprentice)]
    assert feedparser.parse(_feed("?umfang=vollzeit").content).entries == []
    post(db, alliance, now=today, valid_through=deadline, title="Nicht\ufffeXML\uffff",
         description="Text \ud800 mit Ersatz")  # fmt: skip
    assert "NichtXML" in {e.title for e in feedparser.parse(_feed().content).entries}
    for bad in ("?art=chef", "?gemeinde=123", "?umfang=x"):
        refused = _feed(bad)
        assert refused.status_code == 400 and "Unbekannt" in refused.text


# --- personal data, figures, demo, CLI, clock --------------------------------------------------


def test_contact_data_is_exported_erased_and_purged(db, alliance):
    posting_id = post(db, alliance, contact_name="Erika Muster", contact_consent=True,
                      contact_email="erika.muster@example.org")  # fmt: skip
    exported = privacy.export(db, "Erika.Muster@example.org", TEST_ACTOR)
    assert [r["id"] for r in exported["job_postings"]] == [posting_id]
    counts = privacy.erase(db, "erika.muster@example.org", TEST_ACTOR)
    assert counts["job_postings"] == 1
    posting = store.get(db, posting_id)
    assert (posting.contact_name, posting.contact_email, posting.contact_phone) == ("", "", "")
    assert posting.title and posting.apply_email == "personal@borsdorf.example"
    privacy.purge(db, 12, TEST_ACTOR, now=datetime(2026, 6, 1, tzinfo=UTC))
    assert store.get(db, posting_id).apply_email  # deadline not yet a year ago
    privacy.purge(db, 12, TEST_ACTOR, now=datetime(2027, 6, 1, tzinfo=UTC))
    assert store.get(db, posting_id).apply_email == ""
    assert [c for c in privacy.unclaimed_columns(db) if c.startswith("job_postings.")] == []


def test_figures_count_open_postings_per_member(db, alliance):
    post(db, alliance)
    post(db, alliance, user=OFFICE, municipality_ags=BRANDIS)
    gone = post(db, alliance)
    service.withdraw(db, STAFF, gone, "besetzt", now=NOW)
    today = date(2026, 3, 15)
    request = FigureRequest(db, alliance, municipalities.areas(db),
                            Period(date(2026, 3, 1), today), today)  # fmt: skip
    section = figures.sections(request)[0]
    assert section.value("open") == 2 and section.value("posted") == 3
    assert section.value("open", BORSDORF) == 1 and section.value("open", BRANDIS) == 1
    end = date(2026, 3, 21)
    later = FigureRequest(
        db, alliance, municipalities.areas(db), Period(date(2026, 3, 1), end), end
    )
    assert figures.sections(later)[0].value("open") == 0


def test_demo_postings_are_believable_and_loaded_once(db, alliance):
    assert demo.load(db, alliance, TEST_ACTOR) == len(demo.POSTINGS)
    assert demo.load(db, alliance, TEST_ACTOR) == 0
    open_now = service.open_postings(db)
    assert open_now.total == 7 and service.archived_postings(db).total == 2
    kinds = {p.kind for p in open_now.postings}
    assert kinds == set(Kind)
    assert any("Erzieher" in p.title for p in open_now.postings)


def test_cli_lists_reminds_once_and_shows_the_archive(db, alliance, db_path):
    _staff_with_mail(db, alliance, "kollegin", "14729070", "kollegin@brandis.example")
    demo.load(db, alliance, TEST_ACTOR)
    runner = CliRunner()
    listed = runner.invoke(root_cli.command_tree(), ["jobs", "list", "--art", "ausbildung"])
    assert listed.exit_code == 0, listed.output
    assert "Verwaltungsfachangestellte" in listed.output and "1 offene" in listed.output
    first = runner.invoke(root_cli.command_tree(), ["jobs", "remind"])
    assert first.exit_code == 0 and first.output.startswith("1 Erinnerungen")
    second = runner.invoke(root_cli.command_tree(), ["jobs", "remind"])
    assert second.output.startswith("0 Erinnerungen")
    archive = runner.invoke(root_cli.command_tree(), ["jobs", "archive"])
    assert "Standesbeamt" in archive.output and "2 Stellenanzeigen im Archiv" in archive.output
    refused = runner.invoke(root_cli.command_tree(), ["jobs", "list", "--art", "chef"])
    assert refused.exit_code == 2 and "Unbekannte Art" in refused.output


def test_the_clock_shifts_only_for_browser_tests_on_a_temporary_database(tmp_path):
    shifted = clock.shifted_env(timedelta(days=2))
    temp_db = {**shifted, "ALLIANZ_DB": str(tmp_path / "e2e.sqlite3")}
    assert clock.shift(temp_db) == timedelta(days=2)
    assert clock.shift({**temp_db, clock.MODE_ENV: "production"}) == timedelta(0)
    assert clock.shift({**shifted, "ALLIANZ_DB": "/srv/allianz/data/partheland.sqlite3"}) == (
        timedelta(0)
    )
    assert clock.shift({clock.OFFSET_ENV: "172800", "ALLIANZ_DB": temp_db["ALLIANZ_DB"]}) == (
        timedelta(0)
    )
    assert clock.shift({**temp_db, clock.OFFSET_ENV: "zwei Tage"}) == timedelta(0)
    assert clock.shift({}) == timedelta(0)
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    with clock.frozen(moment):
        assert clock.now() == moment and clock.today() == date(2027, 1, 1)
    assert clock.now() != moment


def test_the_benchmark_generator_writes_valid_postings(db, alliance):
    from allianz.jobs import district  # noqa: PLC0415 - the bench's generator

    counts = district.generate(db, alliance, count=400, now=NOW)
    assert counts["postings"] == 400 == store.total(db)
    grades = {r[0] for r in db.execute("SELECT DISTINCT pay_grade FROM job_postings")}
    assert grades - {""} <= set(service.PAY_GRADES)
    open_now = service.open_postings(db, now=NOW)
    archived = service.archived_postings(db, now=NOW)
    withdrawn = db.execute("SELECT count(*) FROM job_postings WHERE state = 'withdrawn'")
    assert open_now.total + archived.total + withdrawn.fetchone()[0] == 400
    assert 50 < open_now.total < 150 and open_now.pages == -(-open_now.total // 20)
    assert all(p.created_at < NOW.isoformat() for p in open_now.postings)


def test_my_municipality_desk_lists_postings_ending_within_five_days(db, alliance):
    from allianz.jobs import FEATURE  # noqa: PLC0415

    soon = post(db, alliance, valid_through=date(2026, 3, 14))
    post(db, alliance)  # 20.03., ten days ahead
    post(db, alliance, user=OFFICE, municipality_ags=BRANDIS, valid_through=date(2026, 3, 12))
    with clock.frozen(NOW):
        heading, lines = FEATURE.municipality_desk(db, STAFF, BORSDORF)
    assert heading == "Stellenanzeigen: Bewerbungsfrist endet bald (1)"
    assert [t.query["stelle"] for t in lines] == [str(soon)]
