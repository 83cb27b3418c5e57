"""Leerstand teilen: the vacancy register, its history, analysis, share view and file exchange."""

from allianz.auth import EVERYONE, MANAGER_ONLY, MUNICIPAL_DESK, STAFF_AND_MANAGER
from allianz.features import Feature, Page
from allianz.municipalities import service as municipalities
from allianz.vacancies import cli, demo, figures, personal_data


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, municipalities.areas(db), actor)


FEATURE = Feature(
    name="vacancies",
    label="Leerstand",
    pages=(
        Page(
            "allianz/vacancies/pages/vacancy_share.py",
            "Leerstand teilen",
            ":material/storefront:",
            "Mitmachen",
            "Freie Gebäude und Grundstücke, deren Eigentümer einer Veröffentlichung zugestimmt "
            "haben.",
            "page.vacancy_share",
        ),
        Page(
            "allianz/vacancies/pages/vacancies.py",
            "Leerstand erfassen",
            ":material/home_work:",
            "Leerstand",
            "Leerstandskataster: erfassen, Arbeitsliste, Verlauf, Anfragen, Import und Export.",
            "page.vacancies",
        ),
        Page(
            "allianz/vacancies/pages/vacancy_analysis.py",
            "Leerstand auswerten",
            ":material/analytics:",
            "Leerstand",
            "Zahlen je Gemeinde, Dauer, Veränderung, Dichte und Baulücken-Potenzial.",
            "page.vacancy_analysis",
        ),
    ),
    permissions={
        "page.vacancies": STAFF_AND_MANAGER,
        "page.vacancy_analysis": MUNICIPAL_DESK,
        "page.vacancy_share": EVERYONE,
        "vacancies.edit": STAFF_AND_MANAGER,
        "vacancies.owner": STAFF_AND_MANAGER,
        "vacancies.import": STAFF_AND_MANAGER,
        "vacancies.export": STAFF_AND_MANAGER,
        "vacancies.export_internal": MANAGER_ONLY,
    },
    personal_data=(personal_data.INTERESTS, personal_data.OWNERS),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    audit_actions={
        "vacancy.create": "Fläche erfasst",
        "vacancy.update": "Fläche geändert",
        "vacancy.import": "Flächen importiert",
        "vacancy.interest": "Interesse gemeldet",
        "vacancy.export_internal": "Interne Liste exportiert",
    },
)
