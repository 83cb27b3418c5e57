"""Benchmark data at district scale: about 40 items in every member's Bauhof and three years of
bookings with returns, refusals, cancellations, expired holds, maintenance blocks and a few
open requests and approvals ahead — deterministic for a seed, written with bulk inserts in
one transaction (tens of thousands of rows in about a second).

The rows keep the rules the service enforces: no two occupying bookings of an item overlap
and never one with a block; a crew is as large as its Bauhof's items that need an operator,
so operators never run short; rates are copied onto each booking as the service does.
The bench calls `generate`; the rows are marked `is_demo` like the other slices' benchmark
data (maintenance blocks have no such mark).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

import sqlite_utils

from allianz.config import Alliance
from allianz.formatting import BERLIN
from allianz.sharing.demo import CATALOGUE
from db.connection import write_transaction

ITEMS_PER_MEMBER = 40
YEARS = 3
ACTOR = "benchmark"
INSURANCE = "Kommunale Haftpflicht des Eigentümers; Vollkasko beim Entleiher."
# purchase value ranges in euros per category (replacement cost, for the savings figure)
PURCHASE_EUR = {
    "machine": (18_000, 160_000),
    "vehicle": (45_000, 220_000),
    "trailer": (4_000, 25_000),
    "event": (2_000, 30_000),
    "tool": (800, 6_000),
}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _bulk(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """One executemany per table: the rows share their keys (sqlite-utils' insert_all spends
    most of its time checking each value)."""
    if not rows:
        return
    columns = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    db.conn.executemany(sql, [tuple(r[c] for c in columns) for r in rows])


def _next_id(db: sqlite_utils.Database, table: str) -> int:
    return db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]


def _items(rng, alliance, ags, first_id, crew_id, per_member, stamp) -> list[dict]:
    member = alliance.municipality(ags)
    rows = []
    for n in range(per_member):
        category, title, text, hour, day, km, deposit, operator, licence = CATALOGUE[
            n % len(CATALOGUE)
        ]
        copy = n // len(CATALOGUE) + 1
        low, high = PURCHASE_EUR[category]
        needs_operator = operator is not None and rng.random() < 0.6
        rows.append(
            {
                "id": first_id + n,
                "holder_kind": "municipality",
                "holder_ags": ags,
                "holder_label": f"Bauhof {member.name}",
                "category": category,
                "title": title if copy == 1 else f"{title} ({copy})",
                "description": text,
                "depot": f"Bauhof {member.name}",
                "lat": round(member.seat_lat + rng.uniform(-0.01, 0.01), 6),
                "lon": round(member.seat_lon + rng.uniform(-0.01, 0.01), 6),
                "rate_hour_cents": hour,
                "rate_day_cents": day,
                "rate_km_cents": km,
                "deposit_cents": deposit,
                "operator_required": int(needs_operator),
                "operator_rate_cents": operator if needs_operator else 0,
                "crew_id": crew_id if needs_operator else None,
                "licence": licence,
                "insurance_note": INSURANCE,
                "pickup_place": f"Bauhof {member.name}, Tor 1",
                "return_place": f"Bauhof {member.name}, Tor 1",
                "purchase_value_cents": rng.randrange(low, high, 500) * 100,
                "active": 1,
                "is_demo": 1,
                "created_by": ACTOR,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    return rows


def _state(rng, start: datetime, now: datetime) -> str:
    if start > now:
        return "approved" if rng.random() < 0.7 else "requested"
    roll = rng.random()
    if roll < 0.80:
        return "returned"
    if roll < 0.88:
        return "declined"
    if roll < 0.95:
        return "cancelled"
    return "expired"


def _booking(rng, item, members, start, end, now, state) -> dict:
    own = rng.random() < 0.25
    others = [m for m in members if m != item["holder_ags"]] or [item["holder_ags"]]
    borrower = item["holder_ags"] if own else rng.choice(others)
    with_operator = bool(item["operator_required"])
    requested_at = start - timedelta(days=rng.randint(2, 30))
    hours = (end - start).total_seconds() / 3600
    row = {
        "item_id": item["id"],
        "borrower_ags": borrower,
        "starts_at": _iso(start),
        "ends_at": _iso(end),
        "with_operator": int(with_operator),
        "purpose": rng.choice(
            (
                "Grünschnitt am Radweg",
                "Stadtfest",
                "Winterdienst-Vorbereitung",
                "Grabenpflege",
                "Baumpflege an der Kreisstraße",
                "Vereinsfest",
                "Umzug des Archivs",
            )
        ),  # fmt: skip
        "state": state,
        "hold_until": None,
        "rate_hour_cents": item["rate_hour_cents"],
        "rate_day_cents": item["rate_day_cents"],
        "rate_km_cents": item["rate_km_cents"],
        "operator_rate_cents": item["operator_rate_cents"] if with_operator else 0,
        "requested_by": ACTOR,
        "requested_at": _iso(min(requested_at, now)),
        "decided_by": None,
        "decided_at": None,
        "decline_reason": "",
        "returned_at": None,
        "condition_note": "",
        "machine_minutes": None,
        "operator_minutes": None,
        "km_used": None,
        "is_demo": 1,
    }
    if state in ("approved", "returned", "declined"):
        row["decided_by"], row["decided_at"] = (
            ACTOR,
            _iso(min(requested_at + timedelta(days=1), now)),
        )
    if state == "requested":
        row["hold_until"] = _iso(now + timedelta(hours=rng.randint(1, 47)))
    if state == "declined":
        row["decline_reason"] = "Gerät in dieser Zeit selbst im Einsatz."
    if state == "returned":
        machine = int(rng.uniform(0.3, 0.9) * min(hours, 10 * max(1, hours // 24)) * 60)
        row.update(
            returned_at=_iso(end + timedelta(hours=1)),
            condition_note=rng.choice(("ohne Mängel", "gereinigt zurück", "Messer stumpf", "")),
            machine_minutes=machine,
            operator_minutes=machine if with_operator else 0,
            km_used=rng.randint(0, 80) if item["rate_km_cents"] else 0,
        )
    return row


def generate(
    db: sqlite_utils.Database,
    alliance: Alliance,
    seed: int = 25,
    *,
    items_per_member: int = ITEMS_PER_MEMBER,
    years: int = YEARS,
    now: datetime | None = None,
) -> dict:
    """Fill the pool with a district's inventory and `years` of history up to `now` (plus
    eight weeks ahead); returns the counts of rows written per table."""
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    stamp = _iso(moment - timedelta(days=366 * years))
    members = [m.ags for m in alliance.municipalities]
    first_local = (moment - timedelta(days=365 * years)).astimezone(BERLIN).date()
    horizon = moment + timedelta(weeks=8)
    items: list[dict] = []
    crews: list[dict] = []
    bookings: list[dict] = []
    blocks: list[dict] = []
    with write_transaction(db):
        item_id, crew_id = _next_id(db, "pool_items"), _next_id(db, "pool_crews")
        for ags in members:
            made = _items(rng, alliance, ags, item_id, crew_id, items_per_member, stamp)
            operated = sum(r["operator_required"] for r in made)
            crews.append(
                {"id": crew_id, "holder_ags": ags, "title": "Bauhof-Mannschaft",
                 "size": max(1, operated), "is_demo": 1}
            )  # fmt: skip
            items += made
            item_id, crew_id = item_id + items_per_member, crew_id + 1
        for item in items:
            day = first_local + timedelta(days=rng.randint(0, 20))
            while True:
                start = datetime.combine(day, time(rng.choice((6, 7, 8))), BERLIN)
                if rng.random() < 0.08:  # maintenance: a day or three, never over a booking
                    end = datetime.combine(day + timedelta(days=rng.randint(1, 3)), time(), BERLIN)
                    if start > horizon:
                        break
                    blocks.append(
                        {"item_id": item["id"], "crew_id": None, "starts_at": _iso(start),
                         "ends_at": _iso(end), "reason": "Inspektion und Wartung",
                         "created_by": ACTOR, "created_at": stamp}
                    )  # fmt: skip
                else:
                    days = rng.choice((0, 0, 0, 1, 1, 2, 4))
                    end = datetime.combine(
                        day + timedelta(days=days), time(rng.choice((12, 15, 16, 17))), BERLIN
                    )
                    if start > horizon:
                        break
                    under_way = start <= moment < end  # approved and not yet back
                    state = "approved" if under_way else _state(rng, start, moment)
                    bookings.append(_booking(rng, item, members, start, end, moment, state))
                day = end.astimezone(BERLIN).date() + timedelta(days=rng.randint(1, 14))
        for table, rows in (
            ("pool_crews", crews),
            ("pool_items", items),
            ("pool_bookings", bookings),
            ("pool_blocks", blocks),
        ):
            _bulk(db, table, rows)
    return {
        "pool_crews": len(crews),
        "pool_items": len(items),
        "pool_bookings": len(bookings),
        "pool_bookings_returned": sum(b["state"] == "returned" for b in bookings),
        "pool_blocks": len(blocks),
    }
