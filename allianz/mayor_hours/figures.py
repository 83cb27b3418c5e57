"""The consultation hours' figures for the steering group: per mayor questions answered in the
period, median time from question to answer, public questions open beyond the target."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from allianz.figures import ALLIANCE, FigureRequest, FigureSection
from allianz.formatting import BERLIN
from allianz.mayor_hours import service
from allianz.mayor_hours.model import ANSWER_TARGET_DAYS

LABELS = {
    "answered": "Fragen beantwortet",
    "median_hours": "Antwortzeit (Median, Stunden)",
    "open_beyond_target": f"offen länger als {ANSWER_TARGET_DAYS} Tage nach der Sprechstunde",
}
SOURCE = (
    "Sprechstunden: Fragen an die Bürgermeister und den Sprecher der Allianz; beantwortet = "
    "Antwort im Zeitraum (schriftlich oder mündlich); Antwortzeit = vom Eingang der Frage bis "
    "zur Antwort; offen = veröffentlicht und unbeantwortet, Stand heute."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    since = datetime.combine(request.period.since, time.min, BERLIN)
    until = datetime.combine(request.period.until + timedelta(days=1), time.min, BERLIN)
    now = datetime.combine(request.today + timedelta(days=1), time.min, BERLIN)
    per = service.answer_figures(request.db, since, until, now)
    values = {}
    for scope in request.scopes():
        mine = [v for ags, v in per.items() if scope == ALLIANCE or ags == scope]
        spent = [h for v in mine for h in v["hours"]]
        middle = service.median(spent)
        values[scope] = {
            "answered": sum(v["answered"] for v in mine),
            "median_hours": round(middle, 1) if middle is not None else None,
            "open_beyond_target": sum(v["open"] for v in mine),
        }
    return [
        FigureSection(
            key="mayor_hours",
            title="Sprechstunden",
            heading="Sprechstunden: Fragen an die Bürgermeister",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Die Allianz zählt auch die Sprechstunden des Sprechers der Allianz mit.",
            source=SOURCE,
            compare=("answered", "Beantwortete Fragen"),
            headline=(("answered", "Fragen beantwortet"),),
            link=("allianz/mayor_hours/pages/mayor_hours.py", "Zu den Sprechstunden"),
        )
    ]
