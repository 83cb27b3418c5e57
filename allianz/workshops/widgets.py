"""Streamlit inputs of the workshop pages that two pages share."""

from __future__ import annotations

import streamlit as st

from allianz.ui import plain
from allianz.workshops.model import Card, Workshop


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
