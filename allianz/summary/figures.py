"""The steering group's figures for a period, for the alliance and each municipality side by
side: suggestions, workshops, networks, vacancy, measures.

Definitions (also printed under the tables):
- suggestions count those created in the period, without hidden ones and merged duplicates;
  "offen" = new, in review or planned today; "offen > 30 Tage" = open and created more than
  30 days before the end of the period; answer time = days from report to first answer.
- workshops count those that started in the period and took place (not only planned); a
  workshop for the whole alliance counts only in the alliance column.
- networks and vacancy describe the register today (km cut at municipal boundaries).
- measures: those naming the municipality or no municipality (= all); overdue = a next step
  past its due date and not done.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import sqlite_utils

from allianz.config import Alliance
from allianz.measures import service as measures
from allianz.measures.model import STATUSES as MEASURE_STATUSES
from allianz.municipalities.service import MunicipalityArea
from allianz.networks import service as networks
from allianz.networks import snapshot as network_snapshot
from allianz.suggestions import store as suggestion_store
from allianz.suggestions.model import Status
from allianz.vacancies import register_cache as vacancy_register
from allianz.vacancies.model import TYPES
from allianz.versioned_cache import VersionedCache
from allianz.workshops import results
from allianz.workshops import store as workshop_store

ALLIANCE = "Allianz"
OPEN = (Status.NEW.value, Status.IN_REVIEW.value, Status.PLANNED.value)
QUARTER = timedelta(days=91)


@dataclass(frozen=True)
class Period:
    since: date
    until: date

    @property
    def label(self) -> str:
        return f"{self.since:%d.%m.%Y} – {self.until:%d.%m.%Y}"


@dataclass(frozen=True)
class TopIdea:
    scope: str  # municipality name, or ALLIANCE for an alliance-wide workshop
    workshop: str
    topic: str
    text: str
    dots: int


@dataclass(frozen=True)
class OverdueStep:
    ref: str
    measure: str
    step: str
    due_on: str
    responsible: str
    municipalities: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    period: Period
    columns: tuple[str, ...]  # "Allianz", then the municipality names
    suggestions: pd.DataFrame
    categories: pd.DataFrame
    workshops: pd.DataFrame
    networks: pd.DataFrame
    vacancy: pd.DataFrame
    measures: pd.DataFrame
    top_ideas: list[TopIdea]
    overdue: list[OverdueStep]


def _scopes(alliance: Alliance) -> list[tuple[str | None, str]]:
    return [(None, ALLIANCE)] + [(m.ags, m.name) for m in alliance.municipalities]


def _frame(figures: dict[str, dict], alliance: Alliance) -> pd.DataFrame:
    """Figures as rows, the alliance then each municipality as columns; ints stay ints."""
    order = [name for _, name in _scopes(alliance) if name in figures]
    return pd.DataFrame({name: pd.Series(figures[name], dtype=object) for name in order})


_suggestion_cache: VersionedCache[tuple[pd.DataFrame, pd.DataFrame]] = VersionedCache(keep=16)


def suggestion_figures(
    db: sqlite_utils.Database, alliance: Alliance, period: Period
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Kept per suggestions version and period: tens of thousands of rows are counted."""
    return _suggestion_cache.get(
        (suggestion_store.version(db), alliance.slug, period),
        lambda: _suggestion_figures(db, alliance, period),
    )


def _suggestion_figures(
    db: sqlite_utils.Database, alliance: Alliance, period: Period
) -> tuple[pd.DataFrame, pd.DataFrame]:
    params = [period.since.isoformat(), period.until.isoformat()]
    base = (
        "FROM suggestions WHERE hidden = 0 AND merged_into IS NULL "
        "AND created_at >= ? AND created_at < date(?, '+1 day')"
    )
    late = (period.until - timedelta(days=30)).isoformat()
    counts = {
        row["municipality_ags"]: row
        for row in db.query(
            "SELECT municipality_ags, count(*) AS total, "
            f"sum(status IN {OPEN}) AS open, "
            "sum(status = 'done') AS done, sum(status = 'declined') AS declined, "
            f"sum(status IN {OPEN} AND created_at < ?) AS stale "
            f"{base} GROUP BY municipality_ags",
            [late, *params],
        )
    }
    waits: dict[str, list[float]] = {}
    for row in db.query(
        "SELECT municipality_ags, julianday(first_answer_at) - julianday(created_at) AS days "
        f"{base} AND first_answer_at IS NOT NULL",
        params,
    ):
        waits.setdefault(row["municipality_ags"], []).append(row["days"])
    by_category = {
        (row["municipality_ags"], row["category"]): row["n"]
        for row in db.query(
            f"SELECT municipality_ags, category, count(*) AS n {base} "
            "GROUP BY municipality_ags, category",
            params,
        )
    }
    labels = ["neu im Zeitraum", "offen", "erledigt", "abgelehnt", "offen > 30 Tage",
              "Median Tage bis zur ersten Antwort"]  # fmt: skip
    figures, categories = {}, {}
    for ags, name in _scopes(alliance):
        rows = [r for a, r in counts.items() if ags is None or a == ags]
        days = [d for a, ds in waits.items() if ags is None or a == ags for d in ds]
        total = {
            k: sum(r[k] or 0 for r in rows) for k in ("total", "open", "done", "declined", "stale")
        }
        median = round(statistics.median(days), 1) if days else None
        figures[name] = dict(zip(labels, [*total.values(), median], strict=True))
        categories[name] = {
            c.label: sum(
                n
                for (a, code), n in by_category.items()
                if code == c.code and (ags is None or a == ags)
            )
            for c in alliance.categories
        }
    return _frame(figures, alliance), _frame(categories, alliance)


def workshop_figures(
    db: sqlite_utils.Database, alliance: Alliance, period: Period
) -> tuple[pd.DataFrame, list[TopIdea]]:
    held = [
        w
        for w in workshop_store.all_workshops(db)
        if period.since.isoformat() <= w.date <= period.until.isoformat()
        and w.phase.value != "planned"
    ]
    cards = {w.id: workshop_store.cards(db, w.id) for w in held}
    figures = {}
    for ags, name in _scopes(alliance):
        mine = [w for w in held if ags is None or w.scope_ags == ags]
        figures[name] = {
            "Werkstätten": len(mine),
            "Teilnehmende": sum(w.participants for w in mine),
            "Karten": sum(len(cards[w.id]) for w in mine),
            "davon online": sum(1 for w in mine for c in cards[w.id] if c.origin == "online"),
            "Punkte": sum(c.dots for w in mine for c in cards[w.id]),
        }
    names = {m.ags: m.name for m in alliance.municipalities}
    ideas = [
        TopIdea(names.get(w.scope_ags, ALLIANCE), w.title, table.topic, r.card.text, r.card.dots)
        for w in held
        for table in w.tables
        for r in results.top([c for c in cards[w.id] if c.table_id == table.id], 3)
    ]
    return _frame(figures, alliance), ideas


def network_figures(
    db: sqlite_utils.Database, alliance: Alliance, areas: list[MunicipalityArea]
) -> pd.DataFrame:
    """Cutting thousands of segments at the boundaries is the slow part of the summary; the
    prepared network is kept per data version (`networks.snapshot`)."""
    prepared = network_snapshot.current(db, areas).prepared
    split = networks.km_table(prepared)
    data = prepared.data
    labels = {
        "rad": "Radwegenetz km",
        "kern": "Kernwegenetz km",
        "reviewed": "davon geprüft km",
        "poor": "Zustand 4–5 km",
        "gaps": "Lücken km",
        "priority_a": "Priorität A km",
    }
    if data.empty:
        total = dict.fromkeys(labels.values(), 0.0)
    else:
        km = data["length_km"]
        total = {
            labels[k]: round(float(km[m].sum()), 3) for k, m in networks.km_masks(data).items()
        }
    figures = {ALLIANCE: total}
    names = {a.ags: a.name for a in areas}
    for ags, row in split.iterrows():
        figures[names[ags]] = {labels[k]: row[k] for k in labels}
    return _frame(figures, alliance)


def vacancy_figures(db: sqlite_utils.Database, alliance: Alliance, today: date) -> pd.DataFrame:
    summary = vacancy_register.summary(db, alliance, today, alliance.dwellings_per_ha)
    change = vacancy_register.change(db, alliance, today - QUARTER).set_index("Gemeinde")
    kinds = vacancy_register.by_type(db, alliance)
    count = dict(
        zip(zip(kinds["Gemeinde"], kinds["Art"], strict=True), kinds["Anzahl"], strict=True)
    )
    figures = {}
    for name, row in summary.set_index("Gemeinde").iterrows():
        figures[name] = {"Flächen": int(row["Flächen"]), "je 1.000 Einw.": row["je 1.000 Einw."]}
        for label in TYPES.values():
            figures[name][label] = int(count[(name, label)])
        figures[name]["Veränderung seit Vorquartal"] = int(change.loc[name, "Veränderung"])
    return _frame(figures, alliance)


def measure_figures(
    db: sqlite_utils.Database, alliance: Alliance, today: date
) -> tuple[pd.DataFrame, list[OverdueStep]]:
    items = measures.all_measures(db)
    figures = {}
    for ags, name in _scopes(alliance):
        mine = [m for m in items if measures.concerns(m, ags)]
        column = {f"Priorität {p}": sum(1 for m in mine if m.priority == p) for p in "ABC"}
        column |= {label: sum(1 for m in mine if m.status == code)
                   for code, label in MEASURE_STATUSES.items()}  # fmt: skip
        column["überfällige Schritte"] = len(measures.overdue_steps(mine, today))
        figures[name] = column
    overdue = [
        OverdueStep(m.ref, m.title, s.text, s.due_on, s.responsible, m.municipalities)
        for m, s in measures.overdue_steps(items, today)
    ]
    return _frame(figures, alliance), overdue


def build(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    period: Period,
    today: date | None = None,
) -> Summary:
    today = today or date.today()
    suggestions, categories = suggestion_figures(db, alliance, period)
    workshops, ideas = workshop_figures(db, alliance, period)
    measure_table, overdue = measure_figures(db, alliance, today)
    return Summary(
        period=period,
        columns=tuple(name for _, name in _scopes(alliance)),
        suggestions=suggestions,
        categories=categories,
        workshops=workshops,
        networks=network_figures(db, alliance, areas),
        vacancy=vacancy_figures(db, alliance, today),
        measures=measure_table,
        top_ideas=ideas,
        overdue=overdue,
    )
