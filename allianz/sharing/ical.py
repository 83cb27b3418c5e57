"""An item's occupancy as iCalendar (RFC 5545): confirmed bookings, held requests and
maintenance, with the borrowing municipality's name and nothing about persons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from allianz.config import Alliance
from allianz.formatting import BERLIN
from allianz.sharing import service
from allianz.sharing.model import Item

PRODID = "-//Allianz-Werkstatt//Geraetepool//DE"
BACK = timedelta(days=92)
AHEAD = timedelta(days=2 * 366)


def item_url(base_url: str, item_id: int) -> str:
    return f"{base_url}/pool?geraet={item_id}"


def calendar(
    db, alliance: Alliance, item: Item, base_url: str, now: datetime | None = None
) -> bytes:
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    names = {m.ags: m.name for m in alliance.municipalities}
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Belegung {item.title} ({item.holder_label})")
    cal.add("x-wr-timezone", "Europe/Berlin")
    url = item_url(base_url, item.id)
    spans = service.occupancy(db, item.id, moment - BACK, moment + AHEAD, now=moment)
    for number, (start, end, label) in enumerate(spans):
        for ags, name in names.items():
            label = label.replace(f"({ags})", f"({name})")
        entry = icalendar.Event()
        entry.add(
            "uid",
            f"geraet-{item.id}-{start:%Y%m%dT%H%M%S}-{number}@{alliance.slug}.allianz-werkstatt",
        )
        entry.add("dtstamp", moment)
        entry.add("dtstart", start.astimezone(BERLIN))
        entry.add("dtend", end.astimezone(BERLIN))
        entry.add("summary", f"{item.title}: {label}")
        entry.add("description", f"{item.holder_label}\nMehr: {url}")
        entry.add("url", url)
        entry.add("status", "TENTATIVE" if label.startswith("reserviert") else "CONFIRMED")
        if item.depot:
            entry.add("location", item.depot)
        cal.add_component(entry)
    cal.add_missing_timezones()
    return cal.to_ical()
