"""The meetings' figures for the steering group and the council report: meetings held in the
period, decisions taken, attendance; and the list of resolutions."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from allianz.accounts.model import COMMAND_LINE
from allianz.figures import ALLIANCE, FigureRequest, FigureSection, Listing
from allianz.formatting import BERLIN, de_date
from allianz.meetings import service

HELD = ("held", "commenting", "released")
LABELS = {
    "held": "Sitzungen und Veranstaltungen durchgeführt",
    "cancelled": "abgesagt",
    "items": "Tagesordnungspunkte behandelt",
    "resolutions": "Beschlüsse",
    "present": "Teilnahmen (anwesend)",
}
SOURCE = (
    "Sitzungen: Sitzungskalender der Geschäftsstelle; durchgeführt = Sitzung mit Beginn im "
    "Zeitraum, nicht abgesagt; Beschlüsse = Tagesordnungspunkte mit Beschlusstext."
)


def period_meetings(request: FigureRequest):
    """The meetings that began in the period, as the office sees them (every item)."""
    start = datetime.combine(request.period.since, time.min, BERLIN)
    end = datetime.combine(request.period.until + timedelta(days=1), time.min, BERLIN)
    return service.listing(request.db, COMMAND_LINE, start=start, end=end)


def sections(request: FigureRequest) -> list[FigureSection]:
    meetings = period_meetings(request)
    present = service.attendance(request.db, meetings)
    values = {}
    for scope in request.scopes():
        mine = [m for m in meetings if scope == ALLIANCE or m.municipality_ags in (None, scope)]
        held = [m for m in mine if m.state in HELD]
        values[scope] = {
            "held": len(held),
            "cancelled": sum(1 for m in mine if m.state == "cancelled"),
            "items": sum(len(m.items) for m in held),
            "resolutions": sum(1 for m in held for i in m.items if i.resolution),
            "present": sum(present.get(m.id, 0) for m in held),
        }
    decided = [(m, i) for m in meetings if m.state in HELD for i in m.items if i.resolution]
    listing = Listing(
        key="resolutions",
        title="Beschlüsse im Zeitraum",
        columns={"date": "Datum", "meeting": "Sitzung", "item": "TOP", "resolution": "Beschluss"},
        rows=tuple(
            {
                "date": de_date(i.decided_at),
                "meeting": m.title,
                "item": f"{i.position}: {i.title}",
                "resolution": i.resolution if i.public else "(nichtöffentlich)",
            }
            for m, i in decided
        ),
        scopes=tuple((m.municipality_ags,) if m.municipality_ags else () for m, _ in decided),
        empty_text="Keine Beschlüsse im Zeitraum.",
    )
    return [
        FigureSection(
            key="meetings",
            title="Sitzungen",
            heading="Sitzungen und Beschlüsse",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Sitzungen der ganzen Allianz zählen für jede Gemeinde mit.",
            source=SOURCE,
            compare=("held", "Sitzungen"),
            headline=(("held", "Sitzungen"), ("resolutions", "Beschlüsse")),
            listings=(listing,),
            link=("allianz/meetings/pages/meetings.py", "Zu den Sitzungen"),
        )
    ]
