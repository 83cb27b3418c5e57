"""Abgeltung with several pairs (issue 25): returned loans between Brandis and Naunhof and
between Borsdorf and Naunhof in the same quarter; the manager picks the second pair in the
choice box and sees that pair's statement — names, claims, net and bookings, computed here
from the rates by hand — and nothing of the other pair's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from allianz.accounts.model import COMMAND_LINE, User
from allianz.auth import Role
from allianz.sharing import service
from tests.views.conftest import open_page

SETTLEMENT = "allianz/sharing/pages/pool_settlement.py"
BORSDORF, BRANDIS, NAUNHOF = "14729060", "14729070", "14729300"
BOX = "Buchungen zeigen für"


def euro(cents: int) -> str:
    """German euros, written out here on purpose (not the app's formatter)."""
    return f"{cents // 100},{cents % 100:02d} €"


@pytest.fixture
def two_pairs(db, alliance, users) -> dict[str, str]:
    """Three loans that ended on 4 August 2026 (third quarter); {title: booking ref}."""
    start = service.local_moment(date(2026, 8, 4), "08:00")
    end = start + timedelta(hours=3)

    def item(ags: str, title: str, **rates: int) -> int:
        draft = service.ItemDraft("municipality", ags, "trailer", title, **rates)
        return service.create_item(db, alliance, COMMAND_LINE, draft)

    def lend(item_id: int, borrower: str, machine_hours: str = "", km: int = 0) -> str:
        staff = User("v", "v", Role.STAFF, borrower)
        booking = service.request_booking(
            db,
            staff,
            item_id,
            service.BookingDraft(borrower, start, end),
            now=start - timedelta(days=1),
        )
        service.approve(db, COMMAND_LINE, booking.id, now=start - timedelta(days=1))
        returned = service.ReturnInput(machine_hours, "", km)
        service.record_return(db, COMMAND_LINE, booking.id, returned, now=end + timedelta(hours=1))
        return booking.ref

    return {
        # Naunhof's digger to Brandis: 2,5 machine hours at 35,00 €
        "Minibagger Naunhof": lend(
            item(NAUNHOF, "Minibagger Naunhof", rate_hour_cents=3500), BRANDIS, "2,5"
        ),
        # Brandis' trailer to Naunhof: one day at 25,00 € and 10 km at 0,40 €
        "Tieflader Brandis": lend(
            item(BRANDIS, "Tieflader Brandis", rate_day_cents=2500, rate_km_cents=40),
            NAUNHOF,
            km=10,
        ),
        # Borsdorf's shredder to Naunhof: one day at 18,00 €
        "Häcksler Borsdorf": lend(
            item(BORSDORF, "Häcksler Borsdorf", rate_day_cents=1800), NAUNHOF
        ),
    }


def _statement(at) -> str:
    """What the page shows of the chosen pair (the overview table above names every pair)."""
    parts = [h.value for h in at.subheader] + [m.value for m in at.markdown]
    parts += [c.value for c in at.caption]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    return " ".join(parts)


def _open_quarter(run_page, year: int, quarter: int):
    at = open_page(run_page, Role.MANAGER, SETTLEMENT)
    next(n for n in at.number_input if n.label == "Jahr").set_value(year)
    next(s for s in at.selectbox if s.label == "Quartal").select(quarter)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_chosen_pair_and_only_it_is_shown(run_page, alliance, two_pairs):
    names = {m.ags: m.name for m in alliance.municipalities}
    at = _open_quarter(run_page, 2026, 3)
    box = next(s for s in at.selectbox if s.label == BOX)
    first = f"{names[BORSDORF]} und {names[NAUNHOF]}"
    second = f"{names[BRANDIS]} und {names[NAUNHOF]}"
    assert box.options == [first, second]  # ordered by the members' keys
    assert box.value is None and not at.subheader and not at.dataframe  # nothing chosen yet

    box.select_index(1).run()
    assert not at.exception, at.exception
    naunhof_claims = 3500 * 5 // 2  # 2,5 h at 35,00 €
    brandis_claims = 2500 + 10 * 40  # one day and 10 km
    assert [h.value for h in at.subheader] == [second]
    shown = _statement(at)
    net = euro(naunhof_claims - brandis_claims)
    assert f"**Ausgleich:** {names[BRANDIS]} zahlt {names[NAUNHOF]} {net}" in shown, shown
    assert (
        f"Anspruch {names[BRANDIS]}: {euro(brandis_claims)} · "
        f"Anspruch {names[NAUNHOF]}: {euro(naunhof_claims)}"
    ) in shown
    (frame,) = at.dataframe
    rows = frame.value.set_index("Buchung")
    assert set(rows.index) == {two_pairs["Minibagger Naunhof"], two_pairs["Tieflader Brandis"]}
    bagger = rows.loc[two_pairs["Minibagger Naunhof"]]
    assert (bagger["Gerät"], bagger["Verleiht"], bagger["Entleiht"]) == (
        "Minibagger Naunhof",
        names[NAUNHOF],
        names[BRANDIS],
    )
    assert bagger["Maschinenstunden"] == "2,5" and bagger["Summe"] == euro(naunhof_claims)
    assert rows.loc[two_pairs["Tieflader Brandis"]]["Summe"] == euro(brandis_claims)
    # nothing of the other pair
    assert two_pairs["Häcksler Borsdorf"] not in shown and "Häcksler" not in shown
    assert names[BORSDORF] not in shown and euro(1800) not in shown

    # the first pair, picked afterwards, replaces the statement
    box = next(s for s in at.selectbox if s.label == BOX)
    box.select_index(0).run()
    assert [h.value for h in at.subheader] == [first]
    shown = _statement(at)
    assert f"{names[NAUNHOF]} zahlt {names[BORSDORF]} {euro(1800)}" in shown
    assert two_pairs["Minibagger Naunhof"] not in shown and "Brandis" not in shown


def _loan(db, alliance, owner: str, borrower: str, title: str, day: date) -> None:
    """One returned day's loan of `owner`'s item to `borrower`, at 20,00 € a day."""
    draft = service.ItemDraft("municipality", owner, "trailer", title, rate_day_cents=2000)
    item_id = service.create_item(db, alliance, COMMAND_LINE, draft)
    start = service.local_moment(day, "08:00")
    end = start + timedelta(hours=3)
    booking = service.request_booking(
        db,
        User("v", "v", Role.STAFF, borrower),
        item_id,
        service.BookingDraft(borrower, start, end),
        now=start - timedelta(days=1),
    )
    service.approve(db, COMMAND_LINE, booking.id, now=start - timedelta(days=1))
    service.record_return(
        db, COMMAND_LINE, booking.id, service.ReturnInput("", "", 0), now=end + timedelta(hours=1)
    )


def test_another_quarter_never_shows_another_pair_in_place_of_the_chosen(
    run_page, db, alliance, two_pairs
):
    """Q4 has two other pairs: the pair chosen in Q3 is not among them, so nothing is shown
    until the user chooses again — the box's place in the list does not carry over to a
    different pair of members (Streamlit keys the box by its labels)."""
    names = {m.ags: m.name for m in alliance.municipalities}
    _loan(db, alliance, BRANDIS, BORSDORF, "Bühne Brandis", date(2026, 11, 4))
    _loan(db, alliance, NAUNHOF, BORSDORF, "Zelt Naunhof", date(2026, 11, 5))
    at = _open_quarter(run_page, 2026, 3)
    next(s for s in at.selectbox if s.label == BOX).select(
        f"{names[BRANDIS]} und {names[NAUNHOF]}"
    ).run()
    assert [h.value for h in at.subheader] == [f"{names[BRANDIS]} und {names[NAUNHOF]}"]

    next(s for s in at.selectbox if s.label == "Quartal").select(4).run()
    assert not at.exception, at.exception
    box = next(s for s in at.selectbox if s.label == BOX)
    assert box.options == [
        f"{names[BORSDORF]} und {names[BRANDIS]}",
        f"{names[BORSDORF]} und {names[NAUNHOF]}",
    ]
    assert box.value is None
    assert not at.subheader and not at.dataframe
