"""The Leerstandsrisiko's figures for the steering group and the council report: per member
municipality only (never below Ortsteil level), and only where the extract holds at least
K_MIN buildings."""

from __future__ import annotations

from allianz.figures import ALLIANCE, FigureRequest, FigureSection
from allianz.vacancies import risk_service
from allianz.vacancies.risk_model import K_MIN

LABELS = {
    "buildings": "Gebäude im Melderegister-Auszug",
    "risk": "Risikogebäude",
    "share": "Anteil Risikogebäude in %",
    "in_5_years": "mögliche Leerstände in 5 Jahren",
    "in_10_years": "mögliche Leerstände in 10 Jahren",
}
SOURCE = (
    "Leerstandsrisiko: Melderegister-Auszüge der Gemeinden, nur abgeleitete Merkmale je Gebäude "
    "(alle Gemeldeten 70+ oder niemand gemeldet); Ausblick nach der einfachen Annahme der Seite "
    "„Leerstandsrisiko auswerten“."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    projections = {p.municipality_ags: p for p in risk_service.projection_for(request.db, ())}
    tallies = risk_service.municipality_tallies(request.db)
    values: dict[str, dict] = {}
    total = {key: 0 for key in LABELS if key != "share"}
    for ags, tally in tallies.items():
        if tally.buildings < K_MIN or ags not in projections:
            continue
        column = {
            "buildings": tally.buildings,
            "risk": tally.risk,
            "in_5_years": projections[ags].in_5_years,
            "in_10_years": projections[ags].in_10_years,
        }
        for key, value in column.items():
            total[key] += value
        values[ags] = column | {"share": round(tally.share, 1)}
    if not values:
        return []
    share = round(100 * total["risk"] / total["buildings"], 1)
    values[ALLIANCE] = total | {"share": share}
    return [
        FigureSection(
            key="vacancy_risk",
            title="Leerstandsrisiko",
            heading="Leerstandsrisiko",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note=f"Nur Gemeinden mit mindestens {K_MIN} Gebäuden im Auszug; keine Einzelgebäude.",
            source=SOURCE,
            compare=("share", "Anteil Risikogebäude in %"),
            headline=(("risk", "Risikogebäude"),),
            link=(
                "allianz/vacancies/pages/vacancy_risk_overview.py",
                "Zur Auswertung des Leerstandsrisikos",
            ),
        )
    ]
