"""The objects an agenda item may link to, named through their own slices' services."""

from __future__ import annotations

import sqlite_utils

from allianz.accounts.model import User
from allianz.measures import service as measures
from allianz.networks import service as networks
from allianz.suggestions import service as suggestions
from allianz.vacancies import service as vacancies
from allianz.workshops import service as workshops

# Where a linked object is shown (page path and query key); None: no page of its own.
PAGES = {
    "measure": None,
    "suggestion": ("allianz/suggestions/pages/suggestions.py", "ref"),
    "segment": None,
    "workshop": ("allianz/workshops/pages/workshops.py", "workshop"),
    "vacancy": None,
    "development": ("allianz/developments/pages/developments.py", "vorhaben"),
}


def normalise(kind: str, target: str) -> str:
    """Numbers as the slices write them: measures by number ("M-003" or "3"), suggestions and
    vacancy sites by their reference, segments and workshops by number."""
    text = target.strip()
    if kind == "measure" and text.upper().startswith("M-"):
        text = text[2:]
    if kind in ("measure", "segment", "workshop", "development"):
        return text.lstrip("0") or "0" if text.isdigit() else text
    return text.upper()


def _number(target: str) -> int | None:
    return int(target) if target.isdigit() and len(target) < 10 else None


def label(db: sqlite_utils.Database, user: User, kind: str, target: str) -> str | None:
    """How the object is called today, or None when it does not exist for this user."""
    number = _number(target)
    if kind == "measure" and number is not None:
        measure = measures.get(db, number)
        return f"{measure.ref}: {measure.title}" if measure else None
    if kind == "suggestion":
        suggestion = suggestions.visible_by_ref(db, user, target)
        return f"{suggestion.ref}: {suggestion.title}" if suggestion else None
    if kind == "segment" and number is not None:
        segment = networks.segment(db, number)
        return f"Abschnitt {segment.id}: {segment.name}" if segment else None
    if kind == "workshop" and number is not None:
        workshop = workshops.get(db, number)
        return workshop.title if workshop else None
    if kind == "vacancy":
        site = vacancies.by_ref(db, user, target)
        return f"{site.ref}: {site.address}" if site else None
    if kind == "development" and number is not None:
        from allianz.developments import service as developments  # noqa: PLC0415 - links back

        return developments.label(db, user, target)
    return None
