"""The steering group's summary: every registered slice's figures for a period, the alliance
and each member side by side. The summary knows no slice's tables; it asks each slice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlite_utils

from allianz import auth, features
from allianz.accounts.model import User
from allianz.config import Alliance
from allianz.errors import PermissionDenied
from allianz.figures import ALLIANCE, ALLIANCE_LABEL, FigureRequest, FigureSection, Period
from allianz.municipalities.service import MunicipalityArea

__all__ = ["Period", "Summary", "build", "report_for"]


@dataclass(frozen=True)
class Summary:
    period: Period
    names: Mapping[str, str]  # scope key -> display name ("Allianz", member names)
    sections: tuple[FigureSection, ...]

    def section(self, key: str) -> FigureSection:
        return next(s for s in self.sections if s.key == key)

    def table(self, key: str) -> pd.DataFrame:
        """A section's figures as shown: German labels as rows, scope names as columns."""
        return self.section(key).labelled(self.names)


def build(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    period: Period,
    today: date | None = None,
) -> Summary:
    request = FigureRequest(db, alliance, areas, period, today or date.today())
    names = {ALLIANCE: ALLIANCE_LABEL} | {m.ags: m.name for m in alliance.municipalities}
    sections = tuple(
        section
        for feature in features.registry()
        if feature.figures is not None
        for section in feature.figures(request)
    )
    return Summary(period, names, sections)


def report_for(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    period: Period,
    municipality_ags: str | None = None,
) -> bytes:
    """The council report as PDF, for roles allowed to take it."""
    from allianz.summary import report  # noqa: PLC0415 - fpdf and matplotlib only when asked

    if not auth.can(user.role, "summary.report"):
        raise PermissionDenied("Die Sitzungsvorlage ist Verwaltung und Bürgermeistern vorbehalten.")
    return report.pdf(alliance, build(db, alliance, areas, period), municipality_ags)
