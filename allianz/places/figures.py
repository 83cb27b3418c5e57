"""The city map's figures for the steering group: places on the map, of them with opening
hours and with wheelchair information, and the public contacts per member (a stock, today)."""

from __future__ import annotations

from allianz.figures import ALLIANCE, FigureRequest, FigureSection
from allianz.places import service

LABELS = {
    "places": "Orte im Stadtplan",
    "with_hours": "davon mit Öffnungszeiten",
    "with_wheelchair": "davon mit Angabe zur Barrierefreiheit",
    "contacts": "öffentliche Ansprechpartner",
}
SOURCE = (
    "Stadtplan & Ansprechpartner: Bestand heute; Orte aller Kategorien, Ansprechpartner als "
    "Funktionsadresse oder mit Einwilligung veröffentlicht."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    per = service.stock_figures(request.db)
    values = {}
    for scope in request.scopes():
        mine = [v for ags, v in per.items() if scope == ALLIANCE or ags == scope]
        values[scope] = {key: sum(v[key] for v in mine) for key in LABELS}
    return [
        FigureSection(
            key="places",
            title="Stadtplan",
            heading="Stadtplan & Ansprechpartner",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Bestand am Tag des Berichts, unabhängig vom gewählten Zeitraum.",
            source=SOURCE,
            compare=("places", "Orte im Stadtplan"),
            headline=(("places", "Orte im Stadtplan"),),
            link=("allianz/places/pages/places.py", "Zum Stadtplan"),
        )
    ]
