"""The suggestions' figures for the steering group: counted per member in SQL, kept per data
version and period (tens of thousands of rows are counted)."""

from __future__ import annotations

import statistics
from datetime import timedelta

import pandas as pd

from allianz.figures import ALLIANCE, FigureRequest, FigureSection
from allianz.suggestions import store
from allianz.suggestions.model import Status
from allianz.versioned_cache import VersionedCache

OPEN = (Status.NEW.value, Status.IN_REVIEW.value, Status.PLANNED.value)
LABELS = {
    "new": "neu im Zeitraum",
    "open": "offen",
    "done": "erledigt",
    "declined": "abgelehnt",
    "stale": "offen > 30 Tage",
    "answer_days": "Median Tage bis zur ersten Antwort",
}
NOTE = (
    "Gezählt: im Zeitraum gemeldete Hinweise ohne ausgeblendete und zusammengeführte; "
    "Status von heute."
)
SOURCE = (
    "Hinweise: Bürgermelder der Allianz-Werkstatt (ohne ausgeblendete und zusammengeführte), "
    "im Zeitraum gemeldet; Status von heute."
)

_cache: VersionedCache[tuple[pd.DataFrame, pd.DataFrame]] = VersionedCache(keep=16)


def sections(request: FigureRequest) -> list[FigureSection]:
    frame, categories = _cache.get(
        (store.version(request.db), request.alliance.slug, request.period),
        lambda: _count(request),
    )
    return [
        FigureSection(
            key="suggestions",
            title="Hinweise",
            heading="Hinweise der Bürgerinnen und Bürger",
            labels=LABELS,
            frame=frame,
            note=NOTE,
            source=SOURCE,
            compare=("new", "Hinweise"),
            report_chart="new",
            headline=(("new", "Hinweise im Zeitraum"), ("open", "davon offen")),
            on_map=(("open", "offene Hinweise"),),
            matrices=(("Hinweise nach Kategorie", categories),),
            link=("allianz/suggestions/pages/suggestions.py", "Zu den Hinweisen"),
        )
    ]


def _count(request: FigureRequest) -> tuple[pd.DataFrame, pd.DataFrame]:
    period, alliance = request.period, request.alliance
    rows, waits, by_category = store.summary_counts(
        request.db, period.since, period.until, period.until - timedelta(days=30), OPEN
    )
    values, categories = {}, {}
    for scope in request.scopes():
        mine = [r for ags, r in rows.items() if scope == ALLIANCE or ags == scope]
        days = [d for ags, ds in waits.items() if scope == ALLIANCE or ags == scope for d in ds]
        values[scope] = {k: sum(r[k] or 0 for r in mine) for k in LABELS if k != "answer_days"}
        values[scope]["answer_days"] = round(statistics.median(days), 1) if days else None
        categories[scope] = {
            c.label: sum(
                n
                for (ags, code), n in by_category.items()
                if code == c.code and (scope == ALLIANCE or ags == scope)
            )
            for c in alliance.categories
        }
    return (
        request.frame(values, list(LABELS)),
        request.frame(categories, [c.label for c in alliance.categories]),
    )
