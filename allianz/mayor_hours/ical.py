"""Consultation hours as iCalendar (RFC 5545): who answers, the topic and the way to the page
where questions can be asked from the announcement on; nothing about the askers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from allianz import calendars
from allianz.config import Alliance
from allianz.formatting import BERLIN
from allianz.mayor_hours.model import HOST_KINDS, Hour

PRODID = "-//Allianz-Werkstatt//Sprechstunden//DE"
HISTORY = timedelta(days=366)  # calendars keep what they have seen; a year back is enough


def hour_url(base_url: str, hour_id: int) -> str:
    return f"{base_url}/mayor_hours?sprechstunde={hour_id}"


def event(hour: Hour, alliance: Alliance, base_url: str) -> icalendar.Event:
    url = hour_url(base_url, hour.id)
    entry = icalendar.Event()
    entry.add("uid", f"sprechstunde-{hour.id}@{alliance.slug}.allianz-werkstatt")
    entry.add("dtstamp", datetime.fromisoformat(hour.created_at).astimezone(UTC))
    entry.add("dtstart", datetime.fromisoformat(hour.starts_at).astimezone(BERLIN))
    entry.add("dtend", datetime.fromisoformat(hour.ends_at).astimezone(BERLIN))
    summary = f"Sprechstunde: {hour.host_title}"
    entry.add("summary", f"{summary} – {hour.topic}" if hour.topic else summary)
    lines = [
        HOST_KINDS.get(hour.host_kind, ""),
        "Fragen können Sie schon vorab stellen und unterstützen; die Antworten stehen live "
        "auf der Seite der Sprechstunde.",
        f"Mehr: {url}",
    ]
    entry.add("description", "\n".join(line for line in lines if line))
    entry.add("url", url)
    entry.add("location", "Online: Frag den Bürgermeister")
    entry.add("categories", ["Sprechstunde"])
    return entry


def calendar(hours: list[Hour], alliance: Alliance, base_url: str, now: datetime) -> bytes:
    """Hours of the last year and all announced ones."""
    since = now - HISTORY
    shown = [h for h in hours if datetime.fromisoformat(h.ends_at) >= since]
    events = [event(h, alliance, base_url) for h in sorted(shown, key=lambda h: h.starts_at)]
    return calendars.calendar(PRODID, f"Sprechstunden {alliance.name}", events)
