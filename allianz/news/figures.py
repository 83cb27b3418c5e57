"""The news' figures for the steering group: items published in the period (per member its own
items; the alliance counts every item, those of the whole alliance included) and the items
waiting for the office's review today."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from allianz.figures import ALLIANCE, FigureRequest, FigureSection
from allianz.formatting import BERLIN
from allianz.news import service

PAGE = "allianz/news/pages/news.py"
LABELS = {
    "published": "Meldungen veröffentlicht",
    "by_office": "davon von der Geschäftsstelle",
    "waiting": "warten auf Freigabe (heute)",
}
SOURCE = (
    "Neuigkeiten: veröffentlichte Meldungen nach dem Tag, an dem sie erschienen sind; "
    "wartend = von einer Gemeinde eingereicht und noch nicht freigegeben, Stand heute."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    since = datetime.combine(request.period.since, time.min, BERLIN)
    until = datetime.combine(request.period.until + timedelta(days=1), time.min, BERLIN)
    published = service.published_between(request.db, since, until)
    waiting = service.waiting_by_place(request.db)
    values = {}
    for scope in request.scopes():
        mine = [(ags, office) for ags, office in published if scope == ALLIANCE or ags == scope]
        values[scope] = {
            "published": len(mine),
            "by_office": sum(1 for _, office in mine if office),
            "waiting": sum(n for ags, n in waiting.items() if scope == ALLIANCE or ags == scope),
        }
    return [
        FigureSection(
            key="news",
            title="Neuigkeiten",
            heading="Neuigkeiten der Allianz und der Gemeinden",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Meldungen für die ganze Allianz zählen nur bei der Allianz.",
            source=SOURCE,
            compare=("published", "Veröffentlichte Meldungen"),
            headline=(("published", "Meldungen veröffentlicht"),),
            link=(PAGE, "Zu den Neuigkeiten"),
        )
    ]
