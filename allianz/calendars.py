"""The frame every iCalendar (RFC 5545) file of the app shares: product id, version, a calendar
name for the subscribing program, and the Europe/Berlin VTIMEZONE the events need. Slices write
their own events with the icalendar library and hand them here."""

from __future__ import annotations

from collections.abc import Sequence

import icalendar


def calendar(
    prodid: str, name: str, events: Sequence[icalendar.Event], *, method: str = ""
) -> bytes:
    """`method=PUBLISH` makes an attachment that mail programs offer to add."""
    cal = icalendar.Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Berlin")
    for entry in events:
        cal.add_component(entry)
    if events:
        # Only the years the events need (a short VTIMEZONE), without the library's English note.
        first = min(e.decoded("dtstart") for e in events).date().replace(month=1, day=1)
        last = max(e.decoded("dtend") for e in events).date().replace(month=12, day=31)
        cal.add_missing_timezones(first_date=first, last_date=last)
        for zone in cal.walk("VTIMEZONE"):
            zone.pop("COMMENT", None)
    return cal.to_ical()
