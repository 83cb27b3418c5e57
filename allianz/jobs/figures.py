"""The job board's figures for the steering group: postings published in the period and
open postings today, per member. Applications go to the members directly and are not counted
here."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from allianz.figures import ALLIANCE, FigureRequest, FigureSection
from allianz.formatting import BERLIN
from allianz.jobs import service

LABELS = {
    "posted": "Stellenanzeigen veröffentlicht",
    "open": "offene Stellenanzeigen (Stand heute)",
}
SOURCE = (
    "Stellenbörse: Anzeigen der Mitglieder; veröffentlicht = im Zeitraum angelegt (auch später "
    "zurückgezogene); offen = nicht zurückgezogen und Bewerbungsfrist heute oder später. "
    "Bewerbungen gehen direkt an die Gemeinden und werden nicht gezählt."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    since = datetime.combine(request.period.since, time.min, BERLIN)
    until = datetime.combine(request.period.until + timedelta(days=1), time.min, BERLIN)
    posted = service.posted_per_member(request.db, since, until)
    today = datetime.combine(request.today, time(12), BERLIN)
    open_now = service.open_per_member(request.db, now=today)
    values = {}
    for scope in request.scopes():
        if scope == ALLIANCE:
            values[scope] = {"posted": sum(posted.values()), "open": sum(open_now.values())}
        else:
            values[scope] = {"posted": posted.get(scope, 0), "open": open_now.get(scope, 0)}
    return [
        FigureSection(
            key="jobs",
            title="Stellenbörse",
            heading="Stellenbörse der Mitglieder",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Offene Anzeigen: Stand heute, unabhängig vom gewählten Zeitraum.",
            source=SOURCE,
            compare=("open", "Offene Stellenanzeigen"),
            headline=(("open", "offene Stellen"),),
            link=("allianz/jobs/pages/jobs.py", "Zur Stellenbörse"),
        )
    ]
