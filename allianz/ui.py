"""Small Streamlit rendering helpers shared by the views (no domain logic here)."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from allianz import features, formatting
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


def german_table(data, plain: frozenset[str] = PLAIN_COLUMNS) -> pd.DataFrame:
    """Rows (records, a dict of columns or a DataFrame) for st.dataframe / st.table in
    German: empty cells empty (never "None"), numbers as 1.234,5, "ja"/"nein" instead of
    True/False. Columns in `plain` keep their digits (12345, not 12.345)."""
    frame = data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    for column in frame.columns:
        cell = _plain_cell if column in plain else formatting.de_cell
        frame[column] = frame[column].map(cell).astype(object)
    return frame


def _plain_cell(value) -> str:
    text = formatting.de_cell(value)
    return text.replace(".", "") if text and not isinstance(value, str) else text


AUDIT_COLUMNS = {
    "at": "Zeit",
    "actor": "Wer",
    "actor_role": "Rolle",
    "action": "Aktion",
    "entity_id": "Nr.",
    "municipality_ags": "Gemeinde",
    "reason": "Begründung",
}


def audit_table(
    entries: list[dict],
    columns: tuple[str, ...] = tuple(AUDIT_COLUMNS),
    municipalities: dict[str, str] | None = None,
) -> None:
    """The audit trail in German: local time, role and action labels, municipality names,
    empty cells empty (codes only where no label exists)."""
    if not entries:
        st.write("Noch keine Einträge.")
        return
    actions = features.audit_labels()
    names = municipalities or {}
    shown = {
        "at": formatting.de_datetime,
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
