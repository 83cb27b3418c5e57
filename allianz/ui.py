"""Small Streamlit rendering helpers shared by the views (no domain logic here)."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def plain(text: str | None) -> str:
    """User text for st.markdown/st.write: every markdown and directive character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def user_text(text: str | None) -> None:
    """Show what a user typed exactly as text (line breaks kept)."""
    for paragraph in (text or "").split("\n"):
        st.markdown(plain(paragraph) or "\u00a0")


AUDIT_COLUMNS = {
    "at": "Zeit",
    "actor": "Wer",
    "actor_role": "Rolle",
    "action": "Aktion",
    "entity": "Objekt",
    "entity_id": "Nr.",
    "municipality_ags": "Gemeinde (AGS)",
    "reason": "Begründung",
}


def audit_table(entries: list[dict], columns: tuple[str, ...] = tuple(AUDIT_COLUMNS)) -> None:
    """The audit trail as a table with German headings."""
    if not entries:
        st.write("Noch keine Einträge.")
        return
    frame = pd.DataFrame(entries)[list(columns)].rename(columns=AUDIT_COLUMNS)
    st.dataframe(frame, hide_index=True, width="stretch")
