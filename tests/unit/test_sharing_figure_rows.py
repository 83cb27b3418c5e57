"""The steering group's pool figures read plain rows (service.loan_figures) instead of building
a Booking per loan: on generated district data the rows give the same loans, in the same
order, with the same totals as the settlement's statement lines, and every figure of every
member equals a recount from those statement lines."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from allianz.figures import ALLIANCE, FigureRequest, Period
from allianz.formatting import BERLIN
from allianz.municipalities import service as municipalities
from allianz.sharing import district, figures, service
from tests.unit.test_sharing_district import NOW

PERIOD = Period(date(2025, 3, 1), date(2026, 2, 28))


def _span() -> tuple[datetime, datetime]:
    return (
        datetime.combine(PERIOD.since, time.min, BERLIN),
        datetime.combine(PERIOD.until + timedelta(days=1), time.min, BERLIN),
    )


def test_the_rows_are_the_statement_lines(db, alliance):
    district.generate(db, alliance, 25, items_per_member=10, years=1, now=NOW)
    lines = service.returned_between(db, *_span())
    rows = service.loan_figures(db, *_span())
    assert len(lines) > 200
    # the generated loans use every kind of rate, so each part of the price is compared
    assert all(any(getattr(x, part) for x in lines) for part in
               ("machine_cents", "day_cents", "operator_cents", "km_cents"))  # fmt: skip
    assert [
        (x.item.id, x.creditor_ags, x.debtor_ags, x.booking.machine_minutes or 0, x.total_cents)
        for x in lines
    ] == [(r.item.id, r.creditor_ags, r.debtor_ags, r.machine_minutes, r.total_cents) for r in rows]


def test_every_figure_equals_a_recount_from_the_statement_lines(db, alliance):
    district.generate(db, alliance, 26, items_per_member=4, years=1, now=NOW)
    request = FigureRequest(db, alliance, municipalities.areas(db), PERIOD, NOW.date())
    section = figures.sections(request)[0]
    lines = service.returned_between(db, *_span())
    saved = figures.savings(lines)
    for scope in request.scopes():
        mine = [x for x in lines if scope in (ALLIANCE, x.creditor_ags, x.debtor_ags)]
        pairs = [v for (_, who), v in saved.items() if scope in (ALLIANCE, who)]
        assert section.value("loans", scope) == len(mine)
        minutes = sum(x.booking.machine_minutes or 0 for x in mine)
        assert section.value("hours", scope) == round(minutes / 60, 1)
        assert section.value("amount", scope) == round(sum(x.total_cents for x in mine) / 100, 2)
        assert section.value("avoided", scope) == round(sum(v for v, _ in pairs) / 100, 2)
        assert section.value("savings", scope) == round(sum(v - p for v, p in pairs) / 100, 2)
    usage = section.listing("usage")
    by_item: dict[int, list] = {}
    for x in lines:
        by_item.setdefault(x.item.id, []).append(x)
    recounted = [
        (used[0].item.title, used[0].item.holder_label, len(used),
         sum(x.total_cents for x in used))
        for used in by_item.values()
    ]  # fmt: skip
    assert sorted(
        (row["item"], row["holder"], row["loans"], round(row["amount"] * 100)) for row in usage.rows
    ) == sorted(recounted)
    assert [row["loans"] for row in usage.rows] == sorted((r[2] for r in recounted), reverse=True)
