"""The vacancy register's figures for the steering group: sites per member today, per 1,000
inhabitants, by kind, and the change since the previous quarter."""

from __future__ import annotations

from datetime import timedelta

from allianz.figures import ALLIANCE, FigureRequest, FigureSection
from allianz.vacancies import analysis, register_cache
from allianz.vacancies.model import TYPES

QUARTER = timedelta(days=91)
LABELS = {
    "sites": "Flächen",
    "per_1000": "je 1.000 Einw.",
    **{f"type.{code}": label for code, label in TYPES.items()},
    "change": "Veränderung seit Vorquartal",
}
SOURCE = (
    "Leerstand: Leerstandskataster von heute (leer oder in Vermittlung); Veränderung gegenüber "
    "dem Stand vor 91 Tagen aus dem Verlauf."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    db, alliance, today = request.db, request.alliance, request.today
    scope_of = {analysis.ALLIANCE: ALLIANCE} | {m.name: m.ags for m in alliance.municipalities}
    summary = register_cache.summary(db, alliance, today, alliance.dwellings_per_ha)
    change = register_cache.change(db, alliance, today - QUARTER).set_index("Gemeinde")
    kinds = register_cache.by_type(db, alliance)
    count = dict(
        zip(zip(kinds["Gemeinde"], kinds["Art"], strict=True), kinds["Anzahl"], strict=True)
    )
    values = {}
    for name, row in summary.set_index("Gemeinde").iterrows():
        column = {"sites": int(row["Flächen"]), "per_1000": row["je 1.000 Einw."]}
        column |= {f"type.{code}": int(count[(name, label)]) for code, label in TYPES.items()}
        column["change"] = int(change.loc[name, "Veränderung"])
        values[scope_of[name]] = column
    return [
        FigureSection(
            key="vacancy",
            title="Leerstand",
            heading="Leerstand",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Stand heute; Veränderung gegenüber dem Stand vor 91 Tagen.",
            source=SOURCE,
            compare=("per_1000", "je 1.000 Einwohner"),
            report_chart="per_1000",
            headline=(("sites", "Leerstände"),),
            on_map=(("sites", "Leerstände"),),
            link=("allianz/vacancies/pages/vacancy_analysis.py", "Zur Leerstandsauswertung"),
        )
    ]
