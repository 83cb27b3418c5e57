"""The district-scale benchmark data of the pool: it keeps the service's rules (no overlaps,
no booking over a block, crews large enough), is reproducible, and every query of the pool's
pages works on it."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.figures import ALLIANCE, FigureRequest, Period
from allianz.municipalities import service as municipalities
from allianz.sharing import district, figures, service

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NAUNHOF, BRANDIS = "14729300", "14729070"


def _small(db, alliance, seed=25) -> dict:
    return district.generate(db, alliance, seed, items_per_member=3, years=1, now=NOW)


def test_counts_match_the_rows_and_the_same_seed_gives_the_same_data(db, alliance, tmp_path):
    counts = _small(db, alliance)
    members = len(alliance.municipalities)
    assert counts["pool_items"] == 3 * members and counts["pool_crews"] == members
    for table in ("pool_items", "pool_crews", "pool_bookings", "pool_blocks"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == counts[table]
    assert counts["pool_bookings"] > 20 * counts["pool_items"]  # a year of use
    states = {r[0] for r in db.execute("SELECT DISTINCT state FROM pool_bookings")}
    assert {"returned", "declined", "cancelled", "approved"} <= states
    from db.connection import connect
    from db.migrations import migrate

    other = connect(tmp_path / "again.sqlite3")
    migrate(other)
    assert _small(other, alliance) == counts
    sql = "SELECT item_id, starts_at, state FROM pool_bookings ORDER BY id"
    assert list(other.execute(sql)) == list(db.execute(sql))


def test_the_data_keeps_the_pools_rules(db, alliance):
    _small(db, alliance)
    now = NOW.isoformat()
    occupying = defaultdict(list)
    for b in db.query(
        "SELECT * FROM pool_bookings WHERE state = 'approved' "
        "OR (state = 'requested' AND hold_until > ?)",
        [now],
    ):
        occupying[b["item_id"]].append((b["starts_at"], b["ends_at"]))
    for spans in occupying.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    hit = db.execute(
        "SELECT count(*) FROM pool_bookings b JOIN pool_blocks k ON k.item_id = b.item_id "
        "AND k.starts_at < b.ends_at AND k.ends_at > b.starts_at"
    ).fetchone()[0]
    assert hit == 0
    for item in service.items(db):
        rows = list(db.query("SELECT * FROM pool_bookings WHERE item_id = ?", [item.id]))
        assert all(r["rate_hour_cents"] == item.rate_hour_cents for r in rows)
        if item.operator_required:
            assert all(r["with_operator"] for r in rows)
    bad = db.execute(
        "SELECT count(*) FROM pool_bookings WHERE state = 'returned' AND (machine_minutes IS NULL "
        "OR ends_at > ?)",
        [now],
    ).fetchone()[0]
    assert bad == 0


def test_the_pool_pages_queries_work_on_it(db, alliance):
    _small(db, alliance)
    naunhof = User("st-naunhof", "Naunhof", Role.STAFF, NAUNHOF)
    brandis = User("st-brandis", "Brandis", Role.STAFF, BRANDIS)
    own = service.items(db, holder_ags=NAUNHOF)
    assert len(own) == 3
    incoming = service.bookings_for(db, naunhof, incoming=True, states=("requested", "approved"))
    assert all(item.holder_ags == NAUNHOF for _, item in incoming)
    mine = service.bookings_for(db, brandis, incoming=False)
    assert mine and all(b.borrower_ags == BRANDIS for b, _ in mine)
    week = service.week(db, alliance, own[0].id, date(2026, 2, 23), now=NOW)
    assert len(week) == 7
    first, days = service.depot_period("monat", date(2026, 2, 10))
    depot = service.depot(db, NAUNHOF, first, days, now=NOW)
    assert len(depot) == 3 and len(depot[0]) == 2 + 28
    assert any(v != "frei" for row in depot for k, v in row.items() if k not in ("Gerät", "Nr."))
    pairs = service.settlement(db, naunhof, 2025, 4)
    assert pairs and all(NAUNHOF in (p.first_ags, p.second_ags) for p in pairs)
    for pair in pairs:
        assert pair.first_claims_cents == sum(
            x.total_cents for x in pair.lines if x.creditor_ags == pair.first_ags
        )
    request = FigureRequest(
        db,
        alliance,
        municipalities.areas(db),
        Period(date(2025, 3, 1), date(2026, 2, 28)),
        date(2026, 3, 1),
    )
    section = figures.sections(request)[0]
    assert section.value("loans") > 0 and section.value("avoided") > 0
    assert section.value("items", ALLIANCE) == 3 * len(alliance.municipalities)
    # a new request on top of it: checked against the generated bookings
    start = NOW + timedelta(days=60)
    operator = own[0].operator_required
    draft = service.BookingDraft(BRANDIS, start, start + timedelta(hours=3), operator)
    booked = service.request_booking(db, brandis, own[0].id, draft, now=NOW)
    assert booked.state == "requested"
