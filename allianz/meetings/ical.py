"""Meetings as iCalendar (RFC 5545), written with the icalendar library.

Every event carries its page's address as URL and at the end of its description (people asked
for the way back from a calendar entry), local times with TZID Europe/Berlin and the matching
VTIMEZONE, the meeting's version as SEQUENCE, and STATUS:CANCELLED for a cancelled meeting.
"""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from allianz import calendars
from allianz.config import Alliance
from allianz.formatting import BERLIN
from allianz.meetings.model import Meeting

PRODID = "-//Allianz-Werkstatt//Sitzungen//DE"


def meeting_url(base_url: str, meeting_id: int) -> str:
    return f"{base_url}/meetings?sitzung={meeting_id}"


def _description(meeting: Meeting, url: str) -> str:
    lines = [meeting.kind_label]
    if meeting.state == "cancelled":
        lines.append(f"Abgesagt: {meeting.cancel_reason}")
    if meeting.items:
        lines.append("Tagesordnung:")
        lines += [
            f"TOP {i.position}: {i.title}" + ("" if i.public else " (nichtöffentlich)")
            for i in meeting.items
        ]
    if meeting.online_url:
        lines.append(f"Online: {meeting.online_url}")
    lines.append(f"Mehr: {url}")
    return "\n".join(lines)


def event(meeting: Meeting, alliance: Alliance, base_url: str) -> icalendar.Event:
    url = meeting_url(base_url, meeting.id)
    entry = icalendar.Event()
    entry.add("uid", f"sitzung-{meeting.id}@{alliance.slug}.allianz-werkstatt")
    entry.add("dtstamp", datetime.fromisoformat(meeting.updated_at).astimezone(UTC))
    entry.add("dtstart", meeting.starts_at.astimezone(BERLIN))
    entry.add("dtend", meeting.ends_at.astimezone(BERLIN))
    cancelled = meeting.state == "cancelled"
    entry.add("summary", f"Abgesagt: {meeting.title}" if cancelled else meeting.title)
    entry.add("description", _description(meeting, url))
    entry.add("url", url)
    entry.add("sequence", meeting.version)
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("categories", [meeting.kind_label])
    where = meeting.place or ("Online" if meeting.online_url else "")
    if where:
        entry.add("location", where)
    if meeting.lat is not None and meeting.lon is not None:
        entry.add("geo", (meeting.lat, meeting.lon))
    if meeting.organiser:
        entry.add("x-allianz-organiser", meeting.organiser)
    return entry


def calendar(
    meetings: list[Meeting], alliance: Alliance, base_url: str, *, name: str = "", method: str = ""
) -> bytes:
    """A calendar of these meetings (as the viewer may see them)."""
    events = [event(m, alliance, base_url) for m in meetings]
    return calendars.calendar(PRODID, name or f"Termine {alliance.name}", events, method=method)
