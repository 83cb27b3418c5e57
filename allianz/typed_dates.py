"""Dates and times as people type them into forms (04.12.2026 or 2026-12-04; 18:00, 18.00 or
18), checked in one place for every slice: a bad value adds a German sentence to `errors`."""

from __future__ import annotations

from datetime import date, datetime, time

from allianz.text import clean


def day(value: object, errors: list[str], label: str = "Datum") -> date | None:
    if isinstance(value, date):
        return value
    text = clean(str(value or ""))
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d.%m.%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    errors.append(
        f"{label}: „{text[:20]}“ ist kein Datum (TT.MM.JJJJ)." if text else f"{label} fehlt."
    )
    return None


def clock(value: object, label: str, errors: list[str]) -> time | None:
    if isinstance(value, time):
        return value
    text = clean(str(value or "")).replace(".", ":")
    try:
        return time.fromisoformat(text if len(text) > 2 else f"{text}:00")
    except ValueError:
        errors.append(
            f"{label}: „{text[:10]}“ ist keine Uhrzeit (SS:MM)." if text else f"{label} fehlt."
        )
        return None
