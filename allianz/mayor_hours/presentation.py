"""The list of consultation hours as both the public page and the moderators' page show it:
the coming ones first, the next on top, then the past ones, newest first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlite_utils
import streamlit as st

from allianz.mayor_hours import service
from allianz.mayor_hours.model import Hour
from allianz.ui import plain


def hour_links(hours: list[Hour], now: datetime, page: str) -> None:
    coming = sorted(
        (h for h in hours if service.phase(h, now) != "ended"), key=lambda h: h.starts_at
    )
    past = [h for h in hours if service.phase(h, now) == "ended"]  # newest first already
    for heading, shown in (("Kommende Sprechstunden", coming), ("Vergangene Sprechstunden", past)):
        if not shown:
            continue
        st.subheader(heading)
        for hour in shown:
            st.page_link(
                page,
                label=plain(f"{service.when(hour)} · {hour.host_title}"),
                query_params={"sprechstunde": str(hour.id)},
            )
            details = [service.PHASE_LABELS[service.phase(hour, now)]]
            if hour.topic:
                details.append(f"Thema: {hour.topic}")
            st.caption(plain(" · ".join(details)))


def hour_or_list(
    db: sqlite_utils.Database,
    chosen: str | None,
    title: str,
    detail: Callable[[Hour], None],
    overview: Callable[[], None],
) -> None:
    """The detail of the hour named in the URL, a German error if there is none, else the list."""
    if not chosen:
        overview()
        return
    found = service.hour_at(db, chosen)
    if found is None:
        st.title(title)
        st.error(f"Eine Sprechstunde mit der Nummer {plain(chosen)} gibt es nicht.")
    else:
        detail(found)
