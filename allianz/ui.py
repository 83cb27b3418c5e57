"""Small Streamlit rendering helpers shared by the views (no domain logic here)."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from allianz.workshops.model import Card, Workshop

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


def dot_inputs(workshop: Workshop, cards: list[Card], key_prefix: str) -> dict[int, int]:
    """One number field per card, grouped by topic table: a person's dots on a ballot (the
    voting device at the workshop and the online phase)."""
    given = {}
    for table in workshop.tables:
        own = [c for c in cards if c.table_id == table.id]
        if not own:
            continue
        st.markdown("*" + plain(table.topic) + "*")
        for card in own:
            given[card.id] = st.number_input(
                card.text,
                min_value=0,
                max_value=workshop.dots_per_person,
                value=0,
                step=1,
                key=f"{key_prefix}-{card.id}",
            )
    return given
