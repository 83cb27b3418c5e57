"""Sharing: the Bauhof pool's overlap rules (bookings, holds, maintenance, operators), hold
expiry with a frozen clock, bad input and the hostile corpus, the settlement recomputed by
hand, the statement files, the item feed; the citizens' Teilkultur with its moderation and
the exchange of addresses only after both agreed; privacy rights; 20 parallel requests."""

from __future__ import annotations

import io
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pypdf
import pytest

from allianz import privacy
from allianz.accounts.model import ANONYMOUS, COMMAND_LINE, User
from allianz.auth import Role
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.sharing import demo, ical, service, statement, teilkultur
from db.connection import connect
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS, expected_stored

BRANDIS, NAUNHOF, BORSDORF = "14729070", "14729300", "14729060"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday morning, the frozen "now"
NAUNHOF_STAFF = User("bauhof-naunhof", "Bauhof Naunhof", Role.STAFF, NAUNHOF)
BRANDIS_STAFF = User("verwaltung-brandis", "Verwaltung Brandis", Role.STAFF, BRANDIS)
BORSDORF_MAYOR = User("bm-borsdorf", "BM Borsdorf", Role.MAYOR, BORSDORF)


def mulcher(db, alliance, crew_size: int = 1) -> tuple[int, int]:
    crew = service.create_crew(db, alliance, NAUNHOF_STAFF, NAUNHOF, "Mannschaft", crew_size)
    item = service.create_item(
        db,
        alliance,
        NAUNHOF_STAFF,
        service.ItemDraft(
            "municipality",
            NAUNHOF,
            "machine",
            "Böschungsmulcher",
            rate_hour_cents=4500,
            operator_required=True,
            operator_rate_cents=3800,
            crew_id=crew,
            rate_km_cents=120,
        ),
    )
    return item, crew


def span(days: float, hours: float = 8) -> tuple[datetime, datetime]:
    start = T0 + timedelta(days=days)
    return start, start + timedelta(hours=hours)


def ask(db, item, start, end, user=BRANDIS_STAFF, operator=True, now=T0, purpose=""):
    draft = service.BookingDraft(user.municipality_ags, start, end, operator, purpose)
    return service.request_booking(db, user, item, draft, now=now)


@pytest.fixture
def item(db, alliance):
    return mulcher(db, alliance)[0]


def test_a_request_holds_its_slot_and_an_overlap_is_refused_in_german(db, item):
    first = ask(db, item, *span(1))
    assert first.state == "requested" and first.hold_until == T0 + service.HOLD
    with pytest.raises(Conflict) as refused:
        ask(db, item, *span(1, 2), user=BORSDORF_MAYOR)
    assert "nicht frei" in refused.value.errors[0]
    assert "schon reserviert" in refused.value.errors[1]
    start, end = span(1)
    ask(db, item, end, end + timedelta(hours=2))  # touching at the end is no overlap


def test_the_owners_own_booking_is_approved_at_once(db, item):
    booking = ask(db, item, *span(1), user=NAUNHOF_STAFF)
    assert booking.state == "approved" and booking.hold_until is None


def test_maintenance_blocks_bookings_and_cannot_cut_into_an_approved_one(db, item):
    start, end = span(3, 24)
    service.add_block(db, NAUNHOF_STAFF, item, start, end, "Messer schleifen", now=T0)
    with pytest.raises(Conflict) as refused:
        ask(db, item, start + timedelta(hours=2), end + timedelta(hours=2))
    assert any("Messer schleifen" in e for e in refused.value.errors)
    booked = ask(db, item, *span(6), user=NAUNHOF_STAFF)
    with pytest.raises(Conflict):
        service.add_block(
            db, NAUNHOF_STAFF, item, booked.starts_at, booked.ends_at, "Ölwechsel", now=T0
        )
    with pytest.raises(PermissionDenied):
        service.add_block(db, BRANDIS_STAFF, item, *span(8), "fremd", now=T0)


def test_the_operator_is_one_person_for_two_machines(db, alliance):
    item, crew = mulcher(db, alliance, crew_size=1)
    other = service.create_item(
        db,
        alliance,
        NAUNHOF_STAFF,
        service.ItemDraft(
            "municipality",
            NAUNHOF,
            "machine",
            "Holzhäcksler",
            rate_hour_cents=4000,
            operator_required=True,
            operator_rate_cents=3800,
            crew_id=crew,
        ),
    )
    ask(db, item, *span(1))
    with pytest.raises(Conflict) as refused:
        ask(db, other, *span(1, 4), user=BORSDORF_MAYOR)
    assert any("Bedienpersonal" in e for e in refused.value.errors)
    ask(db, other, *span(2))  # another day: the operator is free
    start, end = span(4, 48)
    service.add_block(db, NAUNHOF_STAFF, other, start, end, "Urlaub", crew=True, now=T0)
    with pytest.raises(Conflict) as refused:
        ask(db, item, start + timedelta(hours=1), start + timedelta(hours=5))
    assert any("Urlaub" in e for e in refused.value.errors)


def test_a_crew_of_two_takes_two_machines_at_once_but_not_three(db, alliance):
    item, crew = mulcher(db, alliance, crew_size=2)
    draft = service.ItemDraft(
        "municipality", NAUNHOF, "machine", "Häcksler", operator_required=True, crew_id=crew
    )
    second = service.create_item(db, alliance, NAUNHOF_STAFF, draft)
    third = service.create_item(db, alliance, NAUNHOF_STAFF, draft)
    ask(db, item, *span(1))
    ask(db, second, *span(1, 4), user=BORSDORF_MAYOR)
    with pytest.raises(Conflict):
        ask(db, third, *span(1, 2), user=NAUNHOF_STAFF)
    assert (
        service._max_concurrent(
            [(T0, T0 + timedelta(hours=1)), (T0 + timedelta(hours=1), T0 + timedelta(hours=2))]
        )
        == 1
    )


def test_a_hold_expires_with_a_frozen_clock(db, item):
    held = ask(db, item, *span(5))
    later = T0 + service.HOLD - timedelta(minutes=1)
    with pytest.raises(Conflict):
        ask(db, item, *span(5), user=BORSDORF_MAYOR, now=later)
    after = T0 + service.HOLD + timedelta(minutes=1)
    with pytest.raises(Conflict) as refused:
        service.approve(db, NAUNHOF_STAFF, held.id, now=after)
    assert "abgelaufen" in refused.value.errors[0]
    assert service.get_booking(db, NAUNHOF_STAFF, held.id)[0].state == "expired"
    taken = ask(db, item, *span(5), user=BORSDORF_MAYOR, now=after)
    assert taken.state == "requested"


def test_the_owner_may_defer_a_running_hold(db, item):
    held = ask(db, item, *span(5))
    later = T0 + timedelta(hours=40)
    extended = service.extend_hold(db, NAUNHOF_STAFF, held.id, now=later)
    assert extended.hold_until == later + service.HOLD
    with pytest.raises(PermissionDenied):
        service.extend_hold(db, BRANDIS_STAFF, held.id, now=later)
    with pytest.raises(Conflict):
        service.extend_hold(db, NAUNHOF_STAFF, held.id, now=later + service.HOLD)
    approved = service.approve(
        db, NAUNHOF_STAFF, held.id, now=T0 + service.HOLD + timedelta(hours=1)
    )
    assert approved.state == "approved"


def test_expire_holds_marks_only_what_ran_out(db, item):
    ask(db, item, *span(1))
    ask(db, item, *span(2), now=T0 + timedelta(hours=30))
    assert service.expire_holds(db, now=T0 + service.HOLD + timedelta(seconds=1)) == 1
    states = sorted(r["state"] for r in db.query("SELECT state FROM pool_bookings"))
    assert states == ["expired", "requested"]


def test_approve_decline_cancel_and_who_may(db, item):
    one = ask(db, item, *span(1))
    with pytest.raises(PermissionDenied):
        service.approve(db, BRANDIS_STAFF, one.id, now=T0)
    with pytest.raises(NotFound):  # a third member does not even see it
        service.approve(db, BORSDORF_MAYOR, one.id, now=T0)
    assert service.approve(db, NAUNHOF_STAFF, one.id, now=T0).state == "approved"
    with pytest.raises(Conflict):
        service.approve(db, NAUNHOF_STAFF, one.id, now=T0)
    two = ask(db, item, *span(2))
    with pytest.raises(ValidationError):
        service.decline(db, NAUNHOF_STAFF, two.id, " ")
    assert service.decline(db, NAUNHOF_STAFF, two.id, "Winterdienst", now=T0).state == "declined"
    assert service.cancel(db, BRANDIS_STAFF, one.id, now=T0).state == "cancelled"
    ask(db, item, *span(1))  # the cancelled slot is free again


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (T0 - timedelta(days=1), T0 - timedelta(hours=20), "Vergangenheit"),
        (T0 + timedelta(days=2), T0 + timedelta(days=1), "Ende muss nach dem Beginn"),
        (T0 + timedelta(days=1), T0 + timedelta(days=1), "Ende muss nach dem Beginn"),
        (T0 + timedelta(days=1), T0 + timedelta(days=1 + 3653), "Höchstens 31 Tage"),
        (T0 + timedelta(days=3 * 366), T0 + timedelta(days=3 * 366 + 1), "zwei Jahre"),
    ],
)
def test_bad_spans_are_refused(db, item, start, end, message):
    with pytest.raises(ValidationError) as refused:
        ask(db, item, start, end)
    assert any(message in e for e in refused.value.errors)
    assert db["pool_bookings"].count == 0


def test_an_operator_machine_is_not_lent_without_its_operator(db, item):
    with pytest.raises(ValidationError) as refused:
        ask(db, item, *span(1), operator=False)
    assert "nur mit Bedienpersonal" in refused.value.errors[0]


def test_only_members_desks_book_and_only_for_themselves(db, item):
    for role in (Role.CITIZEN, Role.WORKING_GROUP, Role.HOST):
        with pytest.raises(PermissionDenied):
            ask(db, item, *span(1), user=User("x", "x", role, BRANDIS))
    with pytest.raises(PermissionDenied):
        service.request_booking(
            db, BRANDIS_STAFF, item, service.BookingDraft(BORSDORF, *span(1), True), now=T0
        )


def _line(text: str) -> str:
    return " ".join(expected_stored(text).split())


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_in_every_field_of_the_pool(db, alliance, text):
    if len(text) > service.TITLE_MAX:  # too long is refused, the longest allowed is kept
        with pytest.raises(ValidationError):
            service.create_item(
                db,
                alliance,
                NAUNHOF_STAFF,
                service.ItemDraft("municipality", NAUNHOF, "tool", text),
            )
        text = text[: service.TITLE_MAX]
    fields = dict(
        description=text,
        depot=text,
        licence=text,
        insurance_note=text,
        pickup_place=text,
        return_place=text,
    )
    draft = service.ItemDraft("municipality", NAUNHOF, "tool", text, **fields)
    title = _line(text)
    made = service.get_item(db, service.create_item(db, alliance, NAUNHOF_STAFF, draft))
    assert made.title == title
    assert made.description == expected_stored(text).replace("\r\n", "\n")
    assert made.insurance_note == expected_stored(text).replace("\r\n", "\n")
    for value in (made.depot, made.licence, made.pickup_place, made.return_place):
        assert value == _line(text)
    booking = ask(db, made.id, *span(1), operator=False, purpose=text)
    assert booking.purpose == expected_stored(text).replace("\r\n", "\n")
    declined = service.decline(db, NAUNHOF_STAFF, booking.id, text, now=T0)
    assert declined.decline_reason == expected_stored(text).replace("\r\n", "\n")
    own = ask(db, made.id, *span(2), user=NAUNHOF_STAFF, operator=False)
    back = service.record_return(
        db, NAUNHOF_STAFF, own.id, service.ReturnInput("2", "", 5, text), now=T0 + timedelta(days=3)
    )
    assert back.condition_note == expected_stored(text).replace("\r\n", "\n")
    service.add_block(db, NAUNHOF_STAFF, made.id, *span(10), text, now=T0)
    assert service.blocks(db, made.id)[0].reason == _line(text)
    week = service.week(db, alliance, made.id, date(2026, 3, 9), now=T0)
    assert any(_line(text)[:20] in row["Belegung"] for row in week)


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_in_every_field_of_the_teilkultur(db, alliance, text):
    draft = teilkultur.ListingDraft("lend", text, text, text, NAUNHOF, "a@example.org", True)
    if len(text) > teilkultur.TITLE_MAX:
        with pytest.raises(ValidationError):
            teilkultur.offer(db, alliance, draft)
        return
    made = teilkultur.offer(db, alliance, draft)
    teilkultur.moderate(db, COMMAND_LINE, made.id, True)
    shown = teilkultur.get_published(db, made.id)
    assert (shown.title, shown.place_hint) == (_line(text), _line(text))
    assert shown.description == expected_stored(text).replace("\r\n", "\n")
    asked = teilkultur.request(db, made.id, "b@example.org", text, True)
    assert teilkultur.own_request(db, asked.key).request.note == expected_stored(text).replace(
        "\r\n", "\n"
    )
    with pytest.raises(ValidationError):
        teilkultur.moderate(db, COMMAND_LINE, made.id, False, "")


def test_amounts_and_hours_as_typed(db):
    assert service.cents_from_euro("1.234,56", "x") == 123456
    assert service.cents_from_euro(12.5, "x") == 1250
    assert service.cents_from_euro("", "x") == 0
    for bad in ("-1", "zwölf", "NaN", "1e9"):
        with pytest.raises(ValidationError):
            service.cents_from_euro(bad, "Satz")
    assert service.minutes_from_hours("7,5", "h", timedelta(hours=8)) == 450
    with pytest.raises(ValidationError):
        service.minutes_from_hours("9", "h", timedelta(hours=8))


def _returned(db, item, days, hours, machine, operator="", km=0, user=BRANDIS_STAFF, now=None):
    now = now or T0
    booking = ask(db, item, *span(days, hours), user=user, now=now)
    if booking.state == "requested":
        service.approve(
            db, NAUNHOF_STAFF if user is not NAUNHOF_STAFF else user, booking.id, now=now
        )
    later = booking.ends_at + timedelta(hours=1)
    keeper = NAUNHOF_STAFF if service.get_item(db, item).holder_ags == NAUNHOF else BRANDIS_STAFF
    return service.record_return(
        db, keeper, booking.id, service.ReturnInput(machine, operator, km), now=later
    )


def _by_hand(rate_cents: int, hours: str) -> int:
    return int((Decimal(rate_cents) * Decimal(hours)).quantize(Decimal(1), ROUND_HALF_UP))


def test_settlement_per_pair_recomputed_by_hand_and_netted(db, alliance, item):
    trailer = service.create_item(
        db,
        alliance,
        BRANDIS_STAFF,
        service.ItemDraft(
            "municipality", BRANDIS, "trailer", "Tieflader", rate_day_cents=2500, rate_km_cents=45
        ),
    )
    # Brandis uses Naunhof's mulcher twice (one day 9 h, one day 7,25 h machine, 8 h operator)
    _returned(db, item, 1, 10, "9", km=12)
    _returned(db, item, 3, 9, "7,25", "8")
    # Naunhof takes Brandis' trailer over two calendar days and drives 83 km
    naunhof_staff = NAUNHOF_STAFF
    booking = ask(
        db,
        trailer,
        T0 + timedelta(days=5),
        T0 + timedelta(days=6, hours=2),
        user=naunhof_staff,
        operator=False,
    )
    service.approve(db, BRANDIS_STAFF, booking.id, now=T0)
    service.record_return(
        db, BRANDIS_STAFF, booking.id, service.ReturnInput("", "", 83), now=T0 + timedelta(days=7)
    )
    # not settled: the owner's own use, and a use in the next quarter
    _returned(db, item, 8, 4, "3", user=NAUNHOF_STAFF)
    _returned(db, item, 40, 4, "3")
    pairs = service.settlement(db, COMMAND_LINE, 2026, 1)
    assert len(pairs) == 1
    pair = pairs[0]
    assert (pair.first_ags, pair.second_ags) == (BRANDIS, NAUNHOF)
    naunhof_claims = (
        _by_hand(4500, "9")
        + _by_hand(3800, "9")
        + 12 * 120  # first use: 405 + 342 + 14,40
        + _by_hand(4500, "7.25")
        + _by_hand(3800, "8")  # second: 326,25 + 304
    )
    brandis_claims = 2 * 2500 + 83 * 45  # two calendar days, 83 km: 50 + 37,35
    assert naunhof_claims == 139165 and brandis_claims == 8735
    assert pair.second_claims_cents == naunhof_claims
    assert pair.first_claims_cents == brandis_claims
    assert pair.net == (BRANDIS, NAUNHOF, naunhof_claims - brandis_claims)
    names = {m.ags: m.name for m in alliance.municipalities}
    assert statement.net_text(pair, names) == "Stadt Brandis zahlt Stadt Naunhof 1.304,30 €"
    # who sees it: both members of the pair, not a third one
    assert service.settlement(db, BRANDIS_STAFF, 2026, 1) == pairs
    assert service.settlement(db, BORSDORF_MAYOR, 2026, 1) == []
    with pytest.raises(PermissionDenied):
        service.settlement(db, User("ak", "AK", Role.WORKING_GROUP), 2026, 1)
    with pytest.raises(ValidationError):
        service.settlement(db, COMMAND_LINE, 2026, 5)
    # the files
    csv_text = statement.csv(pairs, alliance)
    assert "405,00" in csv_text and "342,00" in csv_text and "1.304,30 €" in csv_text
    assert csv_text.splitlines()[0].startswith("Buchung;Gerät;")
    pdf = pypdf.PdfReader(io.BytesIO(statement.pdf(pairs, alliance, 2026, 1)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "1.304,30" in text and "1. Quartal 2026" in text


def test_a_return_needs_an_approved_started_booking_and_sane_figures(db, item):
    booking = ask(db, item, *span(1))
    with pytest.raises(ValidationError):  # not begun yet
        service.record_return(db, NAUNHOF_STAFF, booking.id, service.ReturnInput("1"), now=T0)
    later = T0 + timedelta(days=2)
    with pytest.raises(Conflict):  # only requested
        service.record_return(db, NAUNHOF_STAFF, booking.id, service.ReturnInput("1"), now=later)
    service.approve(db, NAUNHOF_STAFF, booking.id, now=T0)
    for bad in (
        service.ReturnInput("99"),
        service.ReturnInput("2", km=-3),
        service.ReturnInput("x"),
    ):
        with pytest.raises(ValidationError):
            service.record_return(db, NAUNHOF_STAFF, booking.id, bad, now=later)
    with pytest.raises(PermissionDenied):
        service.record_return(db, BRANDIS_STAFF, booking.id, service.ReturnInput("1"), now=later)
    done = service.record_return(
        db, NAUNHOF_STAFF, booking.id, service.ReturnInput("7,5"), now=later
    )
    assert (done.machine_minutes, done.operator_minutes) == (450, 450)


def test_the_item_calendar_names_the_municipality_and_no_person(db, alliance, item):
    ask(db, item, *span(1))
    start, end = span(3, 24)
    service.add_block(db, NAUNHOF_STAFF, item, start, end, "Wartung Hydraulik", now=T0)
    body = ical.calendar(db, alliance, service.get_item(db, item), "http://x", now=T0).decode()
    assert "reserviert (Stadt Brandis)" in body and "Wartung Hydraulik" in body
    assert BRANDIS_STAFF.username not in body and "STATUS:TENTATIVE" in body


def test_the_item_feed_route(db, alliance, item, db_path):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from allianz.sharing import feeds

    now = datetime.now(UTC)
    ask(db, item, now + timedelta(days=1), now + timedelta(days=1, hours=3), now=now)
    client = TestClient(Starlette(routes=feeds.ROUTES))
    answer = client.get(f"/feeds/geraete/{item}.ics")
    assert answer.status_code == 200 and "BEGIN:VCALENDAR" in answer.text
    assert client.get("/feeds/geraete/99999.ics").status_code == 404
    assert "nicht" in client.get("/feeds/geraete/abc.ics").text


def test_the_week_view_shows_every_day(db, alliance, item):
    ask(db, item, T0 + timedelta(days=1), T0 + timedelta(days=2, hours=2))
    rows = service.week(db, alliance, item, date(2026, 3, 2), now=T0)
    assert [r["Tag"] for r in rows] == ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    assert rows[0]["Belegung"] == "frei"
    assert rows[1]["Belegung"].startswith("09:00–24:00 reserviert (Stadt Brandis)")
    assert rows[2]["Belegung"].startswith("00:00–11:00")


def test_twenty_parallel_requests_for_the_same_slot_yield_exactly_one(db, alliance, item, db_path):
    start, end = span(2)
    barrier = threading.Barrier(20)
    results: list[object] = [None] * 20

    def one(index: int, user: User) -> None:
        conn = connect(db_path)
        try:
            barrier.wait()
            draft = service.BookingDraft(user.municipality_ags, start, end, True, f"Nr. {index}")
            results[index] = service.request_booking(conn, user, item, draft, now=T0)
        except Exception as exc:  # noqa: BLE001 - every outcome is asserted below
            results[index] = exc
        finally:
            conn.close()

    for round_user in (NAUNHOF_STAFF, BRANDIS_STAFF):
        db.execute("DELETE FROM pool_bookings")
        threads = [threading.Thread(target=one, args=(i, round_user)) for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        won = [r for r in results if isinstance(r, service.Booking)]
        refused = [r for r in results if isinstance(r, Conflict)]
        assert len(won) == 1 and len(refused) == 19, results
        assert all("nicht frei" in r.errors[0] for r in refused)
        assert db["pool_bookings"].count == 1
        expected = "approved" if round_user is NAUNHOF_STAFF else "requested"
        assert won[0].state == expected
    approved = service.approve(db, NAUNHOF_STAFF, won[0].id, now=T0)
    assert approved.state == "approved"


# --- Teilkultur ---------------------------------------------------------------------------------


def _ladder(db, alliance, email="petra@example.org"):
    return teilkultur.offer(
        db,
        alliance,
        teilkultur.ListingDraft("lend", "Leiter 3 m", "Alu", "Beucha", BRANDIS, email, True),
    )


def test_a_listing_shows_only_after_the_office_freed_it(db, alliance):
    made = _ladder(db, alliance)
    assert teilkultur.published(db) == []
    with pytest.raises(NotFound):
        teilkultur.request(db, made.id, "otto@example.org", "Gern!", True)
    for user in (ANONYMOUS, BRANDIS_STAFF, User("ak", "AK", Role.WORKING_GROUP)):
        with pytest.raises(PermissionDenied):
            teilkultur.moderate(db, user, made.id, True)
    teilkultur.moderate(db, COMMAND_LINE, made.id, True)
    assert [x.title for x in teilkultur.published(db)] == ["Leiter 3 m"]
    with pytest.raises(Conflict):
        teilkultur.moderate(db, COMMAND_LINE, made.id, False, "zu spät")


def test_addresses_are_exchanged_only_when_both_agreed(db, alliance):
    made = _ladder(db, alliance)
    teilkultur.moderate(db, COMMAND_LINE, made.id, True)
    asked = teilkultur.request(db, made.id, "otto@example.org", "Brauche sie Samstag.", False)
    mine = teilkultur.own_listing(db, made.key)
    assert mine.requests[0].other_email is None and mine.requests[0].note.startswith("Brauche")
    teilkultur.offerer_answers(db, made.key, asked.id, True)
    assert teilkultur.own_listing(db, made.key).requests[0].other_email is None
    assert teilkultur.own_request(db, asked.key).request.other_email is None
    teilkultur.requester_agrees(db, asked.key)
    assert teilkultur.own_listing(db, made.key).requests[0].other_email == "otto@example.org"
    assert teilkultur.own_request(db, asked.key).request.other_email == "petra@example.org"
    with pytest.raises(NotFound):
        teilkultur.own_listing(db, "falsch")
    other = _ladder(db, alliance, "x@example.org")
    with pytest.raises(NotFound):  # another listing's key cannot answer this request
        teilkultur.offerer_answers(db, other.key, asked.id, True)


def test_bad_teilkultur_input(db, alliance):
    for draft in (
        teilkultur.ListingDraft("sell", "Leiter", "", "", None, "a@example.org", True),
        teilkultur.ListingDraft("lend", " ", "", "", None, "a@example.org", True),
        teilkultur.ListingDraft("lend", "Leiter", "", "", None, "keine-adresse", True),
        teilkultur.ListingDraft("lend", "Leiter", "", "", None, "a@example.org", False),
        teilkultur.ListingDraft("lend", "Leiter", "", "", "99999999", "a@example.org", True),
    ):
        with pytest.raises(ValidationError):
            teilkultur.offer(db, alliance, draft)
    assert db["teil_listings"].count == 0


def test_teilkultur_privacy_export_erase_and_retention(db, alliance):
    made = _ladder(db, alliance)
    teilkultur.moderate(db, COMMAND_LINE, made.id, True)
    teilkultur.request(db, made.id, "otto@example.org", "Gern", True)
    found = privacy.export(db, "PETRA@example.org", TEST_ACTOR)
    assert found["teilkultur_listings"][0]["title"] == "Leiter 3 m"
    assert (
        privacy.export(db, "otto@example.org", TEST_ACTOR)["teilkultur_requests"][0]["note"]
        == "Gern"
    )
    privacy.erase(db, "otto@example.org", TEST_ACTOR)
    assert db["teil_requests"].count == 0 and db["teil_listings"].count == 1
    privacy.erase(db, "petra@example.org", TEST_ACTOR)
    assert db["teil_listings"].count == 0
    _ladder(db, alliance)
    db.execute("UPDATE teil_listings SET updated_at = '2020-01-01T00:00:00+00:00'")
    privacy.purge(db, 12, TEST_ACTOR)
    assert db["teil_listings"].count == 0


def test_the_demo_inventory_is_deterministic_and_covers_every_member(db, alliance):
    assert demo.load(db, alliance, TEST_ACTOR) == 3 * len(alliance.municipalities) + 1
    assert demo.load(db, alliance, TEST_ACTOR) == 0
    holders = {i.holder_ags for i in service.items(db)}
    assert {m.ags for m in alliance.municipalities} <= holders
    mulchers = [i for i in service.items(db, holder_ags=NAUNHOF) if "mulcher" in i.title]
    assert len(mulchers) == 1 and mulchers[0].operator_required


def test_the_command_line_lists_items_and_writes_the_statement(
    db, alliance, item, db_path, tmp_path
):
    from click.testing import CliRunner

    from allianz.sharing import cli

    _returned(db, item, 1, 10, "9")
    runner = CliRunner()
    listed = runner.invoke(cli.group, ["items"])
    assert listed.exit_code == 0 and "Böschungsmulcher" in listed.output
    out = tmp_path / "q1.csv"
    written = runner.invoke(cli.group, ["statement", "2026", "1", str(out)])
    assert written.exit_code == 0, written.output
    assert "1 Gemeindepaar nach" in written.output
    assert "747,00" in out.read_text(encoding="utf-8-sig")
    assert runner.invoke(cli.group, ["statement", "2026", "1", "x.txt"]).exit_code != 0
    assert runner.invoke(cli.group, ["expire"]).exit_code == 0


def test_figures_count_loans_hours_and_usage_per_item(db, alliance, item):
    from allianz.figures import ALLIANCE, FigureRequest, Period
    from allianz.municipalities import service as municipalities
    from allianz.sharing import figures

    _returned(db, item, 1, 10, "9")
    _returned(db, item, 3, 9, "7,5")
    request = FigureRequest(
        db,
        alliance,
        municipalities.areas(db),
        Period(date(2026, 1, 1), date(2026, 3, 31)),
        date(2026, 4, 1),
    )
    section = figures.sections(request)[0]
    assert section.value("loans") == 2 and section.value("hours") == 16.5
    assert section.value("amount", BRANDIS) == (74700 + _by_hand(4500, "7.5") * 1 + 28500) / 100
    assert section.value("loans", BORSDORF) == 0 and section.value("items", NAUNHOF) == 1
    usage = section.listing("usage")
    assert usage.rows[0]["item"] == "Böschungsmulcher" and usage.rows[0]["loans"] == 2
    assert usage.for_scope(BORSDORF) == [] and len(usage.for_scope(NAUNHOF)) == 1
    assert ALLIANCE in section.frame.columns
