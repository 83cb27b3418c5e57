"""Benchmark data at district scale: 5,000 events spread over the members and the coming year
(most single dates, one in eight a weekly series, one in twenty a monthly one, a few all-day),
with a few hundred clubs' submissions waiting or declined — deterministic for a seed, written
with bulk inserts in one transaction. Each series is expanded by the same bounded expansion
the service uses, so the occurrences table holds what a real entry would.
The bench calls `generate`."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

import sqlite_utils

from allianz import clock
from allianz.config import Alliance
from allianz.events import recurrence
from allianz.events.model import DEFAULT_CATEGORIES, State
from allianz.formatting import BERLIN
from db.connection import write_transaction

EVENTS = 5_000
ACTOR = "benchmark"
TITLES = (
    "Dorffest",
    "Konzert",
    "Lauftreff",
    "Flohmarkt",
    "Lesung",
    "Wanderung",
    "Vortrag",
    "Seniorennachmittag",
    "Kinderfest",
    "Repair-Café",
    "Feuerwehrfest",
    "Theaterabend",
)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _bulk(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    db.conn.executemany(sql, [tuple(r[c] for c in columns) for r in rows])


def generate(db: sqlite_utils.Database, alliance: Alliance, count: int = EVENTS, seed: int = 21):
    """Insert `count` events; returns the numbers made (events, occurrences, waiting)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    members = alliance.municipalities
    codes = list(DEFAULT_CATEGORIES)
    today = clock.today()
    stamp = _iso(clock.now())
    first_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0]
    events, spans, submitters = [], [], []
    for n in range(count):
        event_id = first_id + n
        member = members[n % len(members)]
        day = today + timedelta(days=rng.randint(-20, 365))
        kind = rng.random()
        all_day = kind > 0.97
        if all_day:
            start = datetime.combine(day, time.min)
            end = start + timedelta(days=rng.choice((1, 2)))
        else:
            start = datetime.combine(day, time(rng.randint(9, 20), rng.choice((0, 30))), BERLIN)
            end = start + timedelta(hours=rng.choice((1, 2, 3)))
        rule = ""
        if kind < 0.125:
            weekday = recurrence.WEEKDAY_CODES[day.weekday()]
            rule = f"FREQ=WEEKLY;BYDAY={weekday};COUNT={rng.randint(6, 26)}"
        elif kind < 0.175:
            rule = f"FREQ=MONTHLY;BYMONTHDAY={min(day.day, 28)};COUNT={rng.randint(3, 12)}"
        if rule and "BYMONTHDAY" in rule:
            start = start.replace(day=min(day.day, 28))
            end = start + (end - start)
        starts = recurrence.expand(rule, start, all_day)
        length = end - start
        local = (lambda m: m.replace(tzinfo=BERLIN)) if all_day else (lambda m: m)
        dates = [(_iso(local(s)), _iso(local(s + length))) for s in starts]
        state = State.PUBLISHED
        source = "municipality"
        roll = rng.random()
        if roll < 0.04:
            state, source = State.SUBMITTED, "club"
        elif roll < 0.06:
            state, source = State.DECLINED, "club"
        elif roll < 0.08:
            state = State.CANCELLED
        title = f"{rng.choice(TITLES)} {n + 1}"
        events.append({
            "id": event_id, "title": title,
            "description": f"{title} in {member.name}: **Programm** für alle Generationen.",
            "category": codes[n % len(codes)], "municipality_ags": member.ags,
            "starts_at": dates[0][0], "ends_at": dates[0][1], "all_day": int(all_day),
            "rrule": rule, "exdates": "[]", "last_end_at": dates[-1][1],
            "venue": rng.choice(("Bürgerhaus", "Festplatz", "Kirche", "Sporthalle", "Schule")),
            "location_line": f"Hauptstraße {rng.randint(1, 80)}, {member.name}",
            "lat": round(member.seat_lat + rng.uniform(-0.01, 0.01), 6),
            "lon": round(member.seat_lon + rng.uniform(-0.01, 0.01), 6),
            "organiser": rng.choice(("Heimatverein", "Sportverein", "Gemeinde", "Kirchgemeinde")),
            "free": int(rng.random() < 0.7), "price_text": "", "accessibility": "",
            "state": state.value, "decline_reason": "doppelt" if state is State.DECLINED else "",
            "cancel_reason": "", "source": source, "created_by": ACTOR,
            "created_at": stamp, "updated_at": stamp,
            "published_at": stamp if state in (State.PUBLISHED, State.CANCELLED) else None,
        })  # fmt: skip
        if not events[-1]["free"]:
            events[-1]["price_text"] = "5 €"
        spans += [{"event_id": event_id, "starts_at": s, "ends_at": e} for s, e in dates]
        if source == "club":
            submitters.append({"event_id": event_id, "submitter_email":
                               f"verein{n}@example.org", "created_at": stamp})  # fmt: skip
    with write_transaction(db):
        _bulk(db, "events", events)
        _bulk(db, "event_occurrences", spans)
        _bulk(db, "event_submitters", submitters)
    return {
        "events": len(events),
        "occurrences": len(spans),
        "waiting": sum(e["state"] == State.SUBMITTED.value for e in events),
    }
