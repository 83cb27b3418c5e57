"""Small Streamlit rendering helpers shared by the views (no domain logic here)."""

from __future__ import annotations

import functools
import re

import pandas as pd
import streamlit as st

from allianz import charts, features, formatting
from allianz.auth import ROLE_LABELS, Role

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def plain(text: str | None) -> str:
    """User text for st.markdown/st.write: every markdown and directive character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def user_text(text: str | None) -> None:
    """Show what a user typed exactly as text (line breaks kept)."""
    for paragraph in (text or "").split("\n"):
        st.markdown(plain(paragraph) or "\u00a0")


# Columns that hold numbers as names (ids, versions, years): digits without a separator.
PLAIN_COLUMNS = frozenset({"Nr.", "Nummer", "Version", "Jahr", "AGS", "Zustand"})


def german_table(
    data, plain: frozenset[str] = PLAIN_COLUMNS, digits: dict[str, int] | None = None
) -> pd.DataFrame:
    """Rows (records, a dict of columns or a DataFrame) for st.dataframe / st.table in
    German: empty cells empty (never "None"), numbers as 1.234,5, dates as 04.12.2026, times
    in Europe/Berlin, "ja"/"nein" instead of True/False. Columns in `plain` keep their digits
    (12345, not 12.345); columns in `digits` show that many decimals (13,3)."""
    frame = data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    decimals = digits or {}
    for column in frame.columns:
        if column in decimals:
            cell = functools.partial(_fixed_cell, digits=decimals[column])
        else:
            cell = _plain_cell if column in plain else formatting.de_cell
        frame[column] = frame[column].map(cell).astype(object)
    return frame


def _fixed_cell(value, digits: int) -> str:
    number = formatting.de_cell(value)
    if isinstance(value, str) or not number:
        return number
    return formatting.de_float(float(value), digits)


def _plain_cell(value) -> str:
    text = formatting.de_cell(value)
    return text.replace(".", "") if text and not isinstance(value, str) else text


def bar_chart(frame: pd.DataFrame, category: str | None, values, *, where=st, **options) -> None:
    """A bar chart with German axes and tooltips (1.234,5); `charts.bar_spec` has the options,
    `where` is a column or container (default: the page)."""
    data, spec = charts.bar_spec(frame, category, values, **options)
    where.vega_lite_chart(data, spec, width="stretch")


def line_chart(frame: pd.DataFrame, date: str, value: str, series: str | None = None, *, where=st):
    """Values over days with German dates (04.12.2026) and numbers on the axes."""
    data, spec = charts.line_spec(frame, date, value, series)
    where.vega_lite_chart(data, spec, width="stretch")


AUDIT_COLUMNS = {
    "at": "Zeit",
    "actor": "Wer",
    "actor_role": "Rolle",
    "action": "Aktion",
    "entity_id": "Nr.",
    "municipality_ags": "Gemeinde",
    "reason": "Begründung",
}

# the actors of writes no signed-in person made (allianz.audit and the public forms)
PSEUDO_ACTORS = {
    "system": "System (automatisch)",
    "cli": "Administration (Kommandozeile)",
    "buerger": "Bürgerin oder Bürger",
    "öffentlich": "Öffentliches Formular",
    "verein": "Verein (ohne Konto)",
}


def audit_table(
    entries: list[dict],
    columns: tuple[str, ...] = tuple(AUDIT_COLUMNS),
    municipalities: dict[str, str] | None = None,
    people: dict[str, str] | None = None,
) -> None:
    """The audit trail in German: local time, people's names (not their logins; the
    pseudo-actors in words), role and action labels, municipality names, empty cells empty
    (codes only where no label exists)."""
    if not entries:
        st.write("Noch keine Einträge.")
        return
    actions = features.audit_labels()
    names = municipalities or {}
    who = PSEUDO_ACTORS | (people or {})
    shown = {
        "at": formatting.de_datetime,
        "actor": lambda a: who.get(a, a or ""),
        "actor_role": lambda r: ROLE_LABELS.get(Role(r), r) if r in _ROLES else (r or ""),
        "action": lambda a: actions.get(a, a),
        "municipality_ags": lambda a: names.get(a, a or ""),
    }
    rows = [
        {
            AUDIT_COLUMNS[c]: shown.get(c, lambda v: "" if v is None else str(v))(e.get(c))
            for c in columns
        }
        for e in entries
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


_ROLES = {r.value for r in Role}
