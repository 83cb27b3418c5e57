"""The events' figures for the steering group: dates and events in the period per member,
and how many events clubs submitted and how many of them were approved."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from allianz.events import service
from allianz.events.model import PUBLIC
from allianz.figures import ALLIANCE, FigureRequest, FigureSection
from allianz.formatting import BERLIN

LABELS = {
    "events": "Veranstaltungen mit Terminen im Zeitraum",
    "dates": "Termine im Zeitraum",
    "club_submitted": "von Vereinen gemeldet",
    "club_published": "davon freigegeben",
}
SOURCE = (
    "Veranstaltungen: veröffentlichte und abgesagte Veranstaltungen mit mindestens einem Termin "
    "im Zeitraum (Reihen zählen jeden Termin); gemeldet = ohne Konto eingesandt im Zeitraum, "
    "freigegeben = davon heute veröffentlicht oder abgesagt. Veranstaltungen der ganzen "
    "Allianz zählen nur für die Allianz."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    since = datetime.combine(request.period.since, time.min, BERLIN)
    until = datetime.combine(request.period.until + timedelta(days=1), time.min, BERLIN)
    dated, submitted = service.figure_rows(request.db, since, until)
    public = {s.value for s in PUBLIC}
    values = {}
    for scope in request.scopes():
        mine = [r for r in dated if r[2] in public and (scope == ALLIANCE or r[0] == scope)]
        sent = [r for r in submitted if scope == ALLIANCE or r[0] == scope]
        values[scope] = {
            "events": len(mine),
            "dates": sum(r[3] for r in mine),
            "club_submitted": len(sent),
            "club_published": sum(1 for r in sent if r[1] in public),
        }
    return [
        FigureSection(
            key="events",
            title="Veranstaltungen",
            heading="Veranstaltungen der Mitglieder, Vereine und der Allianz",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Eine wöchentliche Reihe zählt als eine Veranstaltung mit jedem ihrer Termine.",
            source=SOURCE,
            compare=("dates", "Termine"),
            headline=(("dates", "Termine"),),
            link=("allianz/events/pages/events.py", "Zu den Veranstaltungen"),
        )
    ]
