"""What a slice hands the steering-group summary and the council report: figures keyed by
stable ids per scope (the alliance and each member), labelled only when shown.

The summary asks every registered slice for its sections; no slice's tables are read outside
that slice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import sqlite_utils

    from allianz.config import Alliance
    from allianz.municipalities.service import MunicipalityArea

ALLIANCE = "alliance"  # scope key of the whole alliance; members are keyed by their AGS
ALLIANCE_LABEL = "Allianz"


@dataclass(frozen=True)
class Period:
    since: date
    until: date

    @property
    def label(self) -> str:
        return f"{self.since:%d.%m.%Y} – {self.until:%d.%m.%Y}"


@dataclass(frozen=True)
class FigureRequest:
    db: sqlite_utils.Database
    alliance: Alliance
    areas: list[MunicipalityArea]
    period: Period
    today: date

    def scopes(self) -> list[str]:
        """The alliance, then every member in the order of the alliance file."""
        return [ALLIANCE, *(m.ags for m in self.alliance.municipalities)]

    def frame(self, values: Mapping[str, Mapping[str, Any]], ids: list[str]) -> pd.DataFrame:
        """Figures as rows (by id), scopes as columns; ints stay ints; missing scopes dropped."""
        columns = [s for s in self.scopes() if s in values]
        return pd.DataFrame(
            {s: pd.Series({i: values[s].get(i) for i in ids}, dtype=object) for s in columns},
            index=ids,
        )


@dataclass(frozen=True)
class Listing:
    """Rows such as top ideas or overdue steps; `scopes[i]` names the members row i concerns
    (empty: the whole alliance), so a view for one member shows its rows and the alliance's."""

    key: str
    title: str
    columns: Mapping[str, str]  # row key -> German column heading
    rows: tuple[Mapping[str, Any], ...]
    scopes: tuple[tuple[str, ...], ...]
    empty_text: str | None = None  # shown when nothing is left; None: the listing is left out

    def for_scope(self, ags: str | None) -> list[Mapping[str, Any]]:
        return [
            row
            for row, concerns in zip(self.rows, self.scopes, strict=True)
            if ags is None or not concerns or ags in concerns
        ]


@dataclass(frozen=True)
class FigureSection:
    """One slice's block in the summary: a tab on the page, a section in the PDF."""

    key: str
    title: str  # tab label
    heading: str  # section heading in the report
    labels: Mapping[str, str]  # figure id -> German label, in display order
    frame: pd.DataFrame  # index: figure ids; columns: scope keys
    note: str  # how the figures are counted, under the table on the page
    source: str  # where the numbers come from, in the report's sources
    compare: tuple[str, str] | None = None  # (figure id, axis label) charted on the page
    report_chart: str | None = None  # figure id charted in the report
    headline: tuple[tuple[str, str], ...] = ()  # (figure id, metric label) at the top
    on_map: tuple[tuple[str, str], ...] = ()  # (figure id, tooltip label) on the overview map
    matrices: tuple[tuple[str, pd.DataFrame], ...] = ()  # (title, rows × scope keys)
    listings: tuple[Listing, ...] = ()
    link: tuple[str, str] | None = None  # (page path, link text) to the source page

    def value(self, figure: str, scope: str = ALLIANCE) -> Any:
        return self.frame.loc[figure, scope]

    def labelled(self, names: Mapping[str, str]) -> pd.DataFrame:
        """For display: German labels as rows, scope names as columns."""
        return self.frame.rename(index=dict(self.labels), columns=dict(names))

    def listing(self, key: str) -> Listing:
        return next(item for item in self.listings if item.key == key)
