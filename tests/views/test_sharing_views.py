"""Geräte-Pool, Abgeltung and Teilkultur in AppTest: staff book an item from its detail view
(kept in the URL) and see the week view; the owner approves in their list; the settlement
shows the pair's net with PDF and CSV; a citizen's offer waits for the office, then shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from allianz.accounts.model import COMMAND_LINE, User
from allianz.auth import Role
from allianz.sharing import service, teilkultur
from tests.views.conftest import open_page

POOL = "allianz/sharing/pages/pool.py"
SETTLEMENT = "allianz/sharing/pages/pool_settlement.py"
TEIL = "allianz/sharing/pages/teilkultur.py"
BORSDORF, BRANDIS = "14729060", "14729070"  # the view tests' staff work in Borsdorf


@pytest.fixture
def trailer(db, alliance, users):
    draft = service.ItemDraft(
        "municipality",
        BRANDIS,
        "trailer",
        "Tieflader Brandis",
        rate_day_cents=2500,
        depot="Bauhof Brandis",
        point="51.33, 12.61",
    )
    return service.create_item(db, alliance, COMMAND_LINE, draft)


def _texts(at) -> str:
    kinds = ("markdown", "caption", "success", "error", "info", "title", "subheader")
    return " ".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def test_staff_book_from_the_detail_view(run_page, db, trailer):
    at = open_page(run_page, Role.STAFF, POOL)
    labels = [link.proto.label for link in at.get("page_link")]
    assert any("Tieflader Brandis" in label for label in labels)
    at = open_page(run_page, Role.STAFF, POOL, geraet=str(trailer))
    assert "Tieflader Brandis" in _texts(at) and "25,00 €" in str(at.table[0].value)
    week = at.table[1].value
    assert list(week["Tag"]) == ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    next(t for t in at.text_area if t.label.startswith("Wofür")).input("Grünschnitt")
    next(b for b in at.button if b.label == "Anfragen").click().run()
    assert not at.exception, at.exception
    assert any("angefragt" in s.value for s in at.success), [e.value for e in at.error]
    booking = service.bookings_for(db, User("v", "v", Role.STAFF, BORSDORF), incoming=False)[0][0]
    assert booking.borrower_ags == BORSDORF and booking.purpose == "Grünschnitt"
    assert at.query_params["geraet"] in ([str(trailer)], str(trailer))
    # the same slot again: a German refusal, the form keeps its text
    next(b for b in at.button if b.label == "Anfragen").click().run()
    assert any("nicht frei" in e.value for e in at.error)


def test_the_owner_approves_in_the_incoming_list(run_page, db, alliance, trailer):
    start = datetime.now(UTC) + timedelta(days=2)
    borsdorf = User("v", "v", Role.STAFF, BORSDORF)
    draft = service.BookingDraft(BORSDORF, start, start + timedelta(hours=5))
    booking = service.request_booking(db, borsdorf, trailer, draft)
    at = open_page(run_page, Role.MANAGER, POOL)
    assert booking.ref not in _texts(at)  # only the tab shown is built
    at.session_state["pool-tabs"] = "Anfragen an unseren Bauhof"
    at.run()
    assert booking.ref in _texts(at)
    next(b for b in at.button if b.label == "Zusagen").click().run()
    assert not at.exception, at.exception
    assert any("zugesagt" in s.value for s in at.success)
    assert service.get_booking(db, COMMAND_LINE, booking.id)[0].state == "approved"


def test_the_settlement_page_shows_the_net_and_offers_files(run_page, db, alliance, trailer):
    now = datetime.now(UTC)
    start = now - timedelta(days=1)
    borsdorf = User("v", "v", Role.STAFF, BORSDORF)
    booking = service.request_booking(
        db,
        borsdorf,
        trailer,
        service.BookingDraft(BORSDORF, start, start + timedelta(hours=3)),
        now=start - timedelta(hours=1),
    )
    service.approve(db, COMMAND_LINE, booking.id, now=start - timedelta(hours=1))
    service.record_return(db, COMMAND_LINE, booking.id, service.ReturnInput("", "", 10))
    at = open_page(run_page, Role.MAYOR, SETTLEMENT)  # the view tests' mayor is Brandis'
    text = _texts(at)
    assert "Borsdorf zahlt Stadt Brandis 25,00 €" in text, text
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Abrechnung als PDF", "Abrechnung als CSV"]


def test_a_citizens_offer_waits_for_the_office_then_shows(run_page, db):
    at = open_page(run_page, Role.CITIZEN, TEIL)
    next(s for s in at.selectbox if s.label == "Ich möchte …").select("lend")
    next(t for t in at.text_input if t.label == "Was").input("Leiter 3 m")
    next(t for t in at.text_input if t.label.startswith("Ihre E-Mail")).input("p@example.org")
    next(c for c in at.checkbox if c.label.startswith("Ich bin einverstanden")).check()
    next(b for b in at.button if b.label == "Eintrag einreichen").click().run()
    assert not at.exception, at.exception
    assert any("Schlüssel" in s.value for s in at.success), [e.value for e in at.error]
    assert teilkultur.published(db) == []
    office = open_page(run_page, Role.MANAGER, TEIL)
    assert "Leiter 3 m" in _texts(office)
    next(b for b in office.button if b.label == "Freigeben").click().run()
    assert any("freigegeben" in s.value for s in office.success)
    again = open_page(run_page, Role.CITIZEN, TEIL)
    assert any("Leiter 3 m" in e.label for e in again.expander)
    assert "p@example.org" not in _texts(again)


def test_hostile_text_is_shown_escaped_on_every_sharing_page(run_page, db, alliance, users):
    from tests.hostile import CORPUS

    evil = "<script>window.__pwned=1</script> **fett** [link](http://evil.example)"
    item = service.create_item(
        db,
        alliance,
        COMMAND_LINE,
        service.ItemDraft(
            "municipality",
            BRANDIS,
            "tool",
            evil,
            description="\n".join(CORPUS[:16]),
            depot=evil,
            licence=evil,
        ),
    )
    made = teilkultur.offer(
        db,
        alliance,
        teilkultur.ListingDraft("give", evil, evil, evil, BRANDIS, "p@example.org", True),
    )
    teilkultur.moderate(db, COMMAND_LINE, made.id, True)
    for role, page, query in (
        (Role.STAFF, POOL, {}),
        (Role.STAFF, POOL, {"geraet": str(item)}),
        (Role.CITIZEN, TEIL, {}),
        (Role.MANAGER, TEIL, {"schluessel": made.key}),
    ):
        at = open_page(run_page, role, page, **query)
        shown = [
            str(e.value)
            for kind in ("markdown", "caption", "subheader", "title")
            for e in getattr(at, kind)
        ]
        shown += [e.label for e in at.expander] + [link.proto.label for link in at.get("page_link")]
        assert not any("<script>" in text for text in shown), (page, query)
        assert any(r"\<script\>" in text for text in shown), (page, query)


def test_a_district_pool_is_shown_in_pages_and_recent_bookings(run_page, db, alliance):
    """Generated inventory (280 items, ~30,000 bookings): the lists stay bounded."""
    from allianz.sharing import district  # noqa: PLC0415 - only this test needs the generator

    district.generate(db, alliance, items_per_member=40, years=1)
    at = open_page(run_page, Role.MANAGER, POOL)
    page_box = next(s for s in at.selectbox if s.label.startswith("Seite"))
    assert len(page_box.options) == -(-len(service.items(db)) // 50) > 1
    item_links = [e for e in at.get("page_link") if "geraet" in str(e.proto)]
    assert len(item_links) == 50
    at.session_state["pool-tabs"] = "Unsere Buchungen"
    at.run()
    assert "höchstens 50, die neuesten zuerst" in _texts(at)
    at.session_state["pool-tabs"] = "Anfragen an unseren Bauhof"
    at.run()
    assert not at.exception
