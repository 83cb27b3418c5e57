"""Benchmark data at district scale: 5.000 postings of the members over three years, about a
quarter still open (deadlines up to ten weeks ahead), the rest in the archive, a few
withdrawn — deterministic for a seed, written with one executemany in one transaction.
The bench calls `generate`; the rows keep the rules the service enforces (a known pay grade,
hours below full time for part-time posts, a function address to apply to)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlite_utils

from allianz import clock
from allianz.config import Alliance
from allianz.jobs.model import BESOLDUNG, SUE, TRAINEES, TVOED, Kind, State
from allianz.jobs.store import TABLE
from db.connection import write_transaction

COUNT = 5000
YEARS = 3
OPEN_SHARE = 0.25
ACTOR = "benchmark"
TITLES = {
    Kind.JOB: ("Erzieherin / Erzieher (m/w/d)", "Mitarbeiterin / Mitarbeiter Bauhof (m/w/d)",
               "Sachbearbeiterin / Sachbearbeiter Bürgerbüro (m/w/d)",
               "Kämmerin / Kämmerer (m/w/d)",
               "Hausmeisterin / Hausmeister (m/w/d)", "Bauingenieurin / Bauingenieur (m/w/d)"),
    Kind.APPRENTICESHIP: ("Ausbildung Verwaltungsfachangestellte/r (m/w/d)",
                          "Ausbildung Gärtner/in Garten- und Landschaftsbau (m/w/d)"),
    Kind.INTERNSHIP: ("Praktikum im Bürgerbüro (m/w/d)", "Praktikum in der Kita (m/w/d)"),
    Kind.VOLUNTEER: ("Bundesfreiwilligendienst in der Grundschule (m/w/d)",
                     "Freiwilliges Soziales Jahr im Jugendclub (m/w/d)"),
}  # fmt: skip
DESCRIPTION = (
    "Wir suchen Verstärkung für unser Team.\n\n## Ihre Aufgaben\n\n- Aufgabe eins\n- Aufgabe "
    "zwei\n\n## Wir bieten\n\n- Bezahlung nach Tarif\n- Fortbildungen"
)


def _pay(rng: random.Random, kind: Kind) -> str:
    if kind is Kind.APPRENTICESHIP:
        return TRAINEES[0]
    if kind is Kind.INTERNSHIP:
        return TRAINEES[1]
    if kind is Kind.VOLUNTEER:
        return ""
    return rng.choice((*TVOED[3:15], *SUE[3:10], *BESOLDUNG[3:9]))


def generate(
    db: sqlite_utils.Database,
    alliance: Alliance,
    count: int = COUNT,
    seed: int = 26,
    *,
    now: datetime | None = None,
) -> dict:
    """Write `count` postings spread over the members; returns the counts by phase."""
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data
    moment = (now or clock.now()).astimezone(UTC).replace(microsecond=0)
    today = clock.local_day(moment)
    members = [m.ags for m in alliance.municipalities]
    kinds = [Kind.JOB] * 7 + [Kind.APPRENTICESHIP] * 2 + [Kind.INTERNSHIP, Kind.VOLUNTEER]
    rows = []
    opened = 0
    for n in range(count):
        ags = members[n % len(members)]
        kind = rng.choice(kinds)
        if rng.random() < OPEN_SHARE:
            deadline = today + timedelta(days=rng.randint(0, 70))
            opened += 1
        else:
            deadline = today - timedelta(days=rng.randint(1, 365 * YEARS))
        posted = datetime.combine(deadline, datetime.min.time(), UTC) - timedelta(
            days=rng.randint(14, 42)
        )
        posted = min(posted, moment - timedelta(hours=1))
        part = rng.random() < 0.35
        stamp = posted.isoformat(timespec="seconds")
        rows.append(
            (ags, f"{rng.choice(TITLES[kind])} Nr. {n + 1}", kind.value, _pay(rng, kind), int(part),
             float(rng.choice((19.5, 25, 30, 32))) if part else None,
             None if rng.random() < 0.5 else (deadline + timedelta(days=30)).isoformat(),
             deadline.isoformat(), "Rathaus, Markt 1", DESCRIPTION,
             "Bitte bewerben Sie sich mit Lebenslauf und Zeugnissen als eine PDF-Datei.", "",
             f"bewerbung-{ags}@example.org",
             State.WITHDRAWN.value if rng.random() < 0.03 else State.OPEN.value,
             ACTOR, stamp, stamp)
        )  # fmt: skip
    columns = (
        "municipality_ags, title, kind, pay_grade, part_time, hours_per_week, starts_on, "
        "valid_through, workplace, description, apply_text, apply_url, apply_email, state, "
        "created_by, created_at, updated_at"
    )
    marks = ", ".join("?" * len(columns.split(", ")))
    with write_transaction(db):
        db.conn.executemany(f"INSERT INTO {TABLE} ({columns}) VALUES ({marks})", rows)
    return {"postings": count, "deadline_ahead": opened, "deadline_passed": count - opened}
