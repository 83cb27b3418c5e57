"""Benchmark data: 5.000 news items over three years for a district-scale alliance (about two
thirds from the members, a third from the office, a few waiting for review or withdrawn),
deterministic for a seed, written in one transaction with one executemany; marked `is_demo`."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlite_utils

from allianz.config import Alliance
from allianz.news.demo import MEMBER, OFFICE
from db.connection import write_transaction

ITEMS = 5_000
YEARS = 3


def generate(db: sqlite_utils.Database, alliance: Alliance, count: int = ITEMS, seed: int = 22):
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    now = datetime.now(UTC)
    members = list(alliance.municipalities)
    numbers = [h.number for h in alliance.handlungsfelder] or [None]
    rows = []
    for n in range(count):
        moment = now - timedelta(seconds=rng.randrange(YEARS * 365 * 86400))
        stamp = moment.isoformat(timespec="seconds")
        office = rng.random() < 0.33
        member = rng.choice(members)
        place = None if office and rng.random() < 0.7 else member.ags
        title, teaser, body = rng.choice(OFFICE if office else MEMBER)
        state = rng.choices(["published", "submitted", "withdrawn"], [96, 2, 2])[0]
        published = state != "submitted"
        rows.append(
            (
                place,
                rng.choice(numbers),
                f"{title.format(name=member.name)} ({n + 1})",
                teaser,
                body.format(name=member.name),
                stamp,
                state,
                stamp if published else None,
                stamp if published else None,
                "benchmark",
                1 if office else 0,
                stamp,
                stamp,
            )
        )
    sql = (
        "INSERT INTO news_items (municipality_ags, handlungsfeld, title, teaser, body, "
        "publish_from, state, visible_from, published_at, author, by_office, is_demo, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)"
    )
    with write_transaction(db):
        db.conn.executemany(sql, rows)
    return {"news_items": count}
