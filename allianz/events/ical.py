"""Events as iCalendar (RFC 5545): one VEVENT per event with its RRULE and EXDATEs (the series
is not expanded; the calendar program does that), local times with TZID Europe/Berlin, all-day
events as DATE values, STATUS:CANCELLED for a called-off event, the page's address as URL.
The public meetings of the meetings slice come as that slice writes them.

Nothing personal goes in: no submitter, no contact address."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar

from allianz import calendars
from allianz.config import Alliance
from allianz.events import service
from allianz.events.model import Event, State
from allianz.formatting import BERLIN

PRODID = "-//Allianz-Werkstatt//Veranstaltungen//DE"


def _start(event: Event) -> datetime | date:
    moment = service.local(event.starts_at)
    return moment.date() if event.all_day else moment


def event_entry(event: Event, alliance: Alliance, base_url: str, labels: dict) -> icalendar.Event:
    url = f"{base_url}{service.detail_path(event.id)}"
    entry = icalendar.Event()
    entry.add("uid", f"veranstaltung-{event.id}@{alliance.slug}.allianz-werkstatt")
    entry.add("dtstamp", datetime.fromisoformat(event.updated_at).astimezone(UTC))
    start = _start(event)
    end_moment = service.local(event.ends_at)
    entry.add("dtstart", start)
    entry.add("dtend", end_moment.date() if event.all_day else end_moment)
    if event.rrule:
        entry.add("rrule", icalendar.vRecur.from_ical(event.rrule))
    if event.exdates:
        skipped = [date.fromisoformat(d) for d in event.exdates]
        if event.all_day:
            entry.add("exdate", skipped)
        else:
            clock = service.local(event.starts_at).timetz().replace(tzinfo=None)
            entry.add("exdate", [datetime.combine(d, clock, BERLIN) for d in skipped])
    cancelled = event.state is State.CANCELLED
    entry.add("summary", f"Abgesagt: {event.title}" if cancelled else event.title)
    lines = [event.description] if event.description else []
    if not event.free and event.price_text:
        lines.append(f"Eintritt: {event.price_text}")
    if event.free:
        lines.append("Eintritt frei")
    if event.accessibility:
        lines.append(f"Barrierefreiheit: {event.accessibility}")
    if event.organiser:
        lines.append(f"Veranstalter: {event.organiser}")
    if cancelled and event.cancel_reason:
        lines.append(f"Abgesagt: {event.cancel_reason}")
    lines.append(f"Mehr: {url}")
    entry.add("description", "\n".join(lines))
    entry.add("url", url)
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("categories", [labels.get(event.category, event.category)])
    where = ", ".join(p for p in (event.venue, event.location_line) if p)
    if where:
        entry.add("location", where)
    if event.lat is not None and event.lon is not None:
        entry.add("geo", (event.lat, event.lon))
    return entry


def calendar(
    events: list[Event], meetings: list, alliance: Alliance, base_url: str, name: str = ""
) -> bytes:
    """The feed: timed entries go through the app's one calendar frame (VTIMEZONE for the
    years they need); all-day entries need no time zone and are added to it as they are."""
    from allianz.meetings import ical as meetings_ical  # noqa: PLC0415 - one-way use

    labels = service.categories(alliance)
    timed = [event_entry(e, alliance, base_url, labels) for e in events if not e.all_day]
    timed += [meetings_ical.event(m, alliance, base_url) for m in meetings]
    whole_days = [event_entry(e, alliance, base_url, labels) for e in events if e.all_day]
    body = calendars.calendar(PRODID, name or f"Veranstaltungen {alliance.name}", timed)
    if not whole_days:
        return body
    cut = body.rindex(b"END:VCALENDAR")
    return body[:cut] + b"".join(e.to_ical() for e in whole_days) + body[cut:]
