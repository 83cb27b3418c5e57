"""Sharing, kept up over time: the pool's e-mails (read from the outbox), editing an item's
data and lending rules, retiring an item, and the item's photo."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from PIL import Image

from allianz import images
from allianz.accounts import service as accounts
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.sharing import service
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS, expected_stored
from tests.unit.test_sharing import (
    BORSDORF_MAYOR,
    BRANDIS,
    BRANDIS_STAFF,
    NAUNHOF,
    NAUNHOF_STAFF,
    T0,
    _returned,
    ask,
    mulcher,
    span,
)

PASSWORD = "Ein-sehr-langes-Passwort-2026"
NAUNHOF_MAIL, BRANDIS_MAIL = "bauhof@naunhof.example", "verwaltung@brandis.example"


@pytest.fixture
def accounts_with_mail(db, alliance):
    for user, address in ((NAUNHOF_STAFF, NAUNHOF_MAIL), (BRANDIS_STAFF, BRANDIS_MAIL)):
        accounts.create_user(
            db,
            alliance,
            TEST_ACTOR,
            username=user.username,
            role=user.role,
            password=PASSWORD,
            municipality_ags=user.municipality_ags,
            email=address,
        )
    db.execute("DELETE FROM mail_outbox")


@pytest.fixture
def item(db, alliance):
    return mulcher(db, alliance)[0]


def outbox(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT recipient, subject, body FROM mail_outbox")]


def taken(db) -> list[dict]:
    mails = outbox(db)
    db.execute("DELETE FROM mail_outbox")
    return mails


# --- e-mails -----------------------------------------------------------------------------------


def test_a_request_mails_the_owners_staff_and_the_answer_mails_the_requester(
    db, accounts_with_mail, item
):
    booking = ask(db, item, *span(1), purpose="Gräben an der K 8365")
    (mail,) = taken(db)
    assert mail["recipient"] == NAUNHOF_MAIL
    assert mail["subject"] == f"Anfrage {booking.ref}: Böschungsmulcher für Stadt Brandis"
    assert "Stadt Brandis fragt „Böschungsmulcher“" in mail["body"]
    assert "03.03.2026 09:00–17:00 Uhr, mit Bedienpersonal" in mail["body"]  # Berlin time
    assert "Gräben an der K 8365" in mail["body"]
    assert "reserviert bis 04.03.2026 09:00 Uhr" in mail["body"]
    service.approve(db, NAUNHOF_STAFF, booking.id, now=T0, base_url="https://app.example")
    (mail,) = taken(db)
    assert mail["recipient"] == BRANDIS_MAIL
    assert mail["subject"] == f"Zugesagt: Böschungsmulcher ({booking.ref})"
    assert "Bauhof Stadt Naunhof hat Ihre Anfrage" in mail["body"]
    assert f"https://app.example/pool?geraet={item}" in mail["body"]


def test_decline_and_cancel_by_the_owner_mail_the_requester(db, accounts_with_mail, item):
    first = ask(db, item, *span(1))
    second = ask(db, item, *span(2))
    taken(db)
    service.decline(db, NAUNHOF_STAFF, first.id, "Mulcher in der Werkstatt", now=T0)
    (mail,) = taken(db)
    assert mail["recipient"] == BRANDIS_MAIL and mail["subject"].startswith("Abgelehnt:")
    assert "Begründung: Mulcher in der Werkstatt" in mail["body"]
    service.approve(db, NAUNHOF_STAFF, second.id, now=T0)
    taken(db)
    service.cancel(db, NAUNHOF_STAFF, second.id, now=T0)
    (mail,) = taken(db)
    assert mail["recipient"] == BRANDIS_MAIL
    assert "Bauhof Stadt Naunhof hat Ihre Buchung" in mail["body"]


def test_a_cancellation_by_the_borrower_tells_the_owner_not_the_canceller(
    db, accounts_with_mail, item
):
    booking = ask(db, item, *span(1))
    taken(db)
    service.cancel(db, BRANDIS_STAFF, booking.id, now=T0)
    (mail,) = taken(db)
    assert mail["recipient"] == NAUNHOF_MAIL
    assert "Stadt Brandis hat die Buchung" in mail["body"]


def test_an_expired_hold_mails_the_requester_once(db, accounts_with_mail, item):
    booking = ask(db, item, *span(5))
    taken(db)
    assert service.expire_holds(db, now=T0 + service.HOLD - timedelta(minutes=1)) == 0
    assert taken(db) == []
    assert service.expire_holds(db, now=T0 + service.HOLD) == 1
    (mail,) = taken(db)
    assert mail["recipient"] == BRANDIS_MAIL
    assert mail["subject"] == f"Reservierung abgelaufen: Böschungsmulcher ({booking.ref})"
    assert service.expire_holds(db, now=T0 + 2 * service.HOLD) == 0
    assert taken(db) == []


def test_approving_after_the_hold_ran_out_tells_the_requester_it_expired(
    db, accounts_with_mail, item
):
    booking = ask(db, item, *span(5))
    taken(db)
    with pytest.raises(Conflict):
        service.approve(db, NAUNHOF_STAFF, booking.id, now=T0 + service.HOLD)
    (mail,) = taken(db)
    assert mail["recipient"] == BRANDIS_MAIL and "abgelaufen" in mail["subject"]


def test_a_refused_request_sends_nothing_and_without_an_address_the_staff_hear(
    db, accounts_with_mail, item
):
    ask(db, item, *span(1))
    taken(db)
    with pytest.raises(Conflict):
        ask(db, item, *span(1, 2), user=BORSDORF_MAYOR)
    assert taken(db) == []
    # the mayor of Borsdorf has no account with an address and Borsdorf no staff: the office
    booking = ask(db, item, *span(3), user=BORSDORF_MAYOR)
    service.approve(db, NAUNHOF_STAFF, booking.id, now=T0)
    recipients = [m["recipient"] for m in taken(db) if m["subject"].startswith("Zugesagt")]
    assert NAUNHOF_MAIL not in recipients and BRANDIS_MAIL not in recipients


# --- editing -----------------------------------------------------------------------------------


def test_the_owner_edits_rules_audited_and_bookings_keep_their_rates(db, alliance, item):
    booking = ask(db, item, *span(1))
    draft = service.draft_of(service.get_item(db, item))
    changed = service.update_item(
        db,
        alliance,
        NAUNHOF_STAFF,
        item,
        replace(draft, rate_hour_cents=5200, deposit_cents=10000, title="Mulcher"),
    )
    assert (changed.rate_hour_cents, changed.deposit_cents, changed.title) == (
        5200,
        10000,
        "Mulcher",
    )
    assert changed.holder_ags == NAUNHOF
    row = next(
        db.query("SELECT * FROM audit WHERE action = 'pool.item.update' ORDER BY id DESC LIMIT 1")
    )
    assert row["actor"] == NAUNHOF_STAFF.username
    assert all(f in row["details"] for f in ("rate_hour_cents", "deposit_cents", "title"))
    assert service.get_booking(db, NAUNHOF_STAFF, booking.id)[0].rate_hour_cents == 4500


def test_the_owner_cannot_be_changed_by_an_edit_and_others_may_not_edit(db, alliance, item):
    draft = service.draft_of(service.get_item(db, item))
    moved = replace(draft, holder_ags=BRANDIS, title="Anderer Name")
    assert service.update_item(db, alliance, NAUNHOF_STAFF, item, moved).holder_ags == NAUNHOF
    for other in (BRANDIS_STAFF, BORSDORF_MAYOR):
        with pytest.raises(PermissionDenied):
            service.update_item(db, alliance, other, item, draft)
    with pytest.raises(ValidationError):
        service.update_item(db, alliance, NAUNHOF_STAFF, item, replace(draft, title=" "))


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_in_every_edited_field(db, alliance, item, text):
    draft = service.draft_of(service.get_item(db, item))
    short = text[: service.TITLE_MAX]  # one-line fields: the longest allowed part
    fields = dict(
        title=short,
        description=text,
        depot=short,
        licence=short,
        insurance_note=text,
        pickup_place=short,
        return_place=short,
    )
    edited = service.update_item(db, alliance, NAUNHOF_STAFF, item, replace(draft, **fields))
    line = " ".join(expected_stored(short).split())
    for value in (edited.title, edited.depot, edited.licence, edited.pickup_place):
        assert value == line
    assert edited.return_place == line
    for value in (edited.description, edited.insurance_note):
        assert value == expected_stored(text).replace("\r\n", "\n")
    if len(text) > service.PLACE_MAX:
        with pytest.raises(ValidationError):
            service.update_item(db, alliance, NAUNHOF_STAFF, item, replace(draft, depot=text))


# --- retiring ----------------------------------------------------------------------------------


def test_retiring_is_refused_while_approved_bookings_are_ahead_naming_them(db, item):
    approved = ask(db, item, *span(3), user=NAUNHOF_STAFF)
    with pytest.raises(Conflict) as refused:
        service.retire_item(db, NAUNHOF_STAFF, item, now=T0)
    assert "außer Dienst" in refused.value.errors[0]
    assert refused.value.errors[1] == f"{approved.ref}: 05.03.2026 09:00–17:00, Stadt Naunhof"
    with pytest.raises(PermissionDenied):
        service.retire_item(db, BRANDIS_STAFF, item, now=T0)


def test_a_retired_item_takes_no_bookings_and_held_requests_are_declined(
    db, accounts_with_mail, item
):
    held = ask(db, item, *span(2))
    taken(db)
    retired = service.retire_item(db, NAUNHOF_STAFF, item, now=T0)
    assert not retired.active and retired.retired_by == NAUNHOF_STAFF.username
    after = service.get_booking(db, NAUNHOF_STAFF, held.id)[0]
    assert after.state == "declined" and "außer Dienst" in after.decline_reason
    (mail,) = taken(db)
    assert mail["recipient"] == BRANDIS_MAIL and mail["subject"].startswith("Abgelehnt")
    with pytest.raises(NotFound):
        ask(db, item, *span(4))
    assert item not in [i.id for i in service.items(db)]


def test_retiring_after_the_loan_ended_keeps_the_history_for_the_settlement(db, item):
    booking = ask(db, item, *span(1), user=NAUNHOF_STAFF)
    later = T0 + timedelta(days=2)
    service.record_return(db, NAUNHOF_STAFF, booking.id, service.ReturnInput("5", km=0), now=later)
    service.retire_item(db, NAUNHOF_STAFF, item, now=later)
    assert service.get_booking(db, NAUNHOF_STAFF, booking.id)[0].state == "returned"


# --- photo -------------------------------------------------------------------------------------


def _png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 0)).save(out, format="PNG")
    return out.getvalue()


def test_the_photo_is_stored_as_clean_jpeg_and_replaced_by_a_new_one(db, item):
    assert service.photo(db, item) is None
    service.set_photo(db, NAUNHOF_STAFF, item, _png())
    first = service.photo(db, item)
    assert first.startswith(b"\xff\xd8\xff")
    service.set_photo(db, NAUNHOF_STAFF, item, _png((80, 60)))
    assert Image.open(io.BytesIO(service.photo(db, item))).size == (80, 60)
    assert db.execute("SELECT count(*) FROM pool_item_photos").fetchone()[0] == 1


@pytest.mark.parametrize(
    "data, words",
    [
        (b"GIF89a" + b"\0" * 100, "JPEG oder PNG"),
        (b"<script>alert(1)</script>", "JPEG oder PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"kaputt" * 10, "kein lesbares Foto"),
        (b"\xff\xd8\xff" + b"\0" * (images.MAX_BYTES + 1), "größer als 5 MB"),
    ],
)
def test_a_photo_is_checked_by_size_and_content(db, item, data, words):
    with pytest.raises(ValidationError) as refused:
        service.set_photo(db, NAUNHOF_STAFF, item, data)
    assert words in refused.value.errors[0]
    assert service.photo(db, item) is None


def test_only_the_owner_uploads_a_photo(db, item):
    with pytest.raises(PermissionDenied):
        service.set_photo(db, BRANDIS_STAFF, item, _png())


def test_the_purchase_value_is_validated(db, alliance, item):
    draft = service.draft_of(service.get_item(db, item))
    with pytest.raises(ValidationError):
        service.update_item(
            db, alliance, NAUNHOF_STAFF, item, replace(draft, purchase_value_cents=-1)
        )
    too_much = replace(draft, purchase_value_cents=service.MAX_VALUE_CENTS + 1)
    with pytest.raises(ValidationError, match="Anschaffungswert"):
        service.update_item(db, alliance, NAUNHOF_STAFF, item, too_much)
    assert service.cents_from_euro("980.000,00", "Wert", service.MAX_VALUE_CENTS) == 98_000_000
    edited = service.update_item(
        db, alliance, NAUNHOF_STAFF, item, replace(draft, purchase_value_cents=4_800_000)
    )
    assert edited.purchase_value_cents == 4_800_000


# --- savings against buying ----------------------------------------------------------------


def _q1(db, alliance):
    from allianz.figures import FigureRequest, Period
    from allianz.municipalities import service as municipalities

    return FigureRequest(
        db,
        alliance,
        municipalities.areas(db),
        Period(date(2026, 1, 1), date(2026, 3, 31)),
        date(2026, 4, 1),
    )


def test_savings_against_buying_recomputed_by_hand(db, alliance, item):
    from allianz.sharing import figures

    draft = service.draft_of(service.get_item(db, item))
    service.update_item(
        db, alliance, NAUNHOF_STAFF, item, replace(draft, purchase_value_cents=4_800_000)
    )
    cheap = service.create_item(  # no purchase value: it does not count
        db,
        alliance,
        NAUNHOF_STAFF,
        service.ItemDraft("municipality", NAUNHOF, "tool", "Kettensäge", rate_hour_cents=900),
    )
    _returned(db, item, 1, 10, "9")  # Brandis: 9 h machine + 9 h operator
    _returned(db, item, 3, 9, "7,5")  # Brandis again: the pair counts once
    _returned(db, item, 5, 3, "2", user=BORSDORF_MAYOR)
    saw = ask(db, cheap, *span(6, 3), operator=False)
    service.approve(db, NAUNHOF_STAFF, saw.id, now=T0)
    back = service.ReturnInput("3")
    service.record_return(db, NAUNHOF_STAFF, saw.id, back, now=saw.ends_at)
    brandis_paid = (9 * 4500 + 9 * 3800) + (75 * 4500 + 75 * 3800) // 10  # 9 h and 7,5 h
    borsdorf_paid = 2 * 4500 + 2 * 3800
    section = figures.sections(_q1(db, alliance))[0]
    assert section.value("avoided") == 2 * 48_000
    assert section.value("savings") == 2 * 48_000 - (brandis_paid + borsdorf_paid) / 100
    assert section.value("savings", BRANDIS) == 48_000 - brandis_paid / 100 == 46_630.5
    assert section.value("avoided", NAUNHOF) == 0 and section.value("savings", NAUNHOF) == 0
    assert "Anschaffungswert" in section.note and "abzüglich der Abgeltung" in section.note


def test_savings_per_pair_can_be_negative_and_skip_items_without_value():
    from types import SimpleNamespace as NS

    from allianz.sharing.figures import savings

    mulcher = NS(id=1, purchase_value_cents=10_000)
    ladder = NS(id=2, purchase_value_cents=0)
    lines = [
        NS(item=mulcher, debtor_ags=BRANDIS, total_cents=6_000),
        NS(item=mulcher, debtor_ags=BRANDIS, total_cents=7_000),
        NS(item=mulcher, debtor_ags="14729060", total_cents=1_000),
        NS(item=ladder, debtor_ags=BRANDIS, total_cents=500),
    ]
    assert savings(lines) == {(1, BRANDIS): (10_000, 13_000), (1, "14729060"): (10_000, 1_000)}


@pytest.mark.parametrize("text", CORPUS)
def test_hostile_text_as_purchase_value_or_depot_view_is_refused_in_german(text):
    with pytest.raises(ValidationError) as refused:
        service.cents_from_euro(text, "Anschaffungswert")
    assert refused.value.errors[0].startswith("Anschaffungswert:")
    with pytest.raises(ValidationError):
        service.depot_period(text, date(2026, 3, 2))


def test_hostile_text_reaches_the_mails_as_plain_text(db, accounts_with_mail, item, alliance):
    evil = CORPUS[0] + " " + CORPUS[14]
    draft = service.draft_of(service.get_item(db, item))
    service.update_item(db, alliance, NAUNHOF_STAFF, item, replace(draft, title=evil))
    ask(db, item, *span(1), purpose=CORPUS[13])
    (mail,) = taken(db)
    assert evil in mail["subject"] and "Zeile1\nZeile2\nZeile3" in mail["body"]
