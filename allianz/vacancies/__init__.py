"""Leerstand teilen: the vacancy register, its history, analysis, share view and file exchange."""

from allianz.auth import EVERYONE, MANAGER_ONLY, MUNICIPAL_DESK, STAFF_AND_MANAGER, Role
from allianz.features import Feature, Page
from allianz.municipalities import service as municipalities
from allianz.vacancies import (
    cli,
    demo,
    figures,
    personal_data,
    risk_demo,
    risk_figures,
    risk_personal_data,
)

# Building-level risk flags: the staff of the owning municipality only (not the office).
RISK_STAFF = frozenset({Role.STAFF})


def _demo(db, alliance, actor) -> None:
    areas = municipalities.areas(db)
    demo.load(db, alliance, areas, actor)
    risk_demo.load(db, alliance, areas, actor)


def _figures(request):
    """The register's figures, then the Leerstandsrisiko's (member level only)."""
    return [*figures.sections(request), *risk_figures.sections(request)]


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
        Page(
            "allianz/vacancies/pages/vacancy_risk.py",
            "Leerstandsrisiko",
            ":material/elderly:",
            "Leerstand",
            "Melderegister-Auszug einlesen (nur Merkmale), Risikogebäude der eigenen Gemeinde, "
            "Eigentümerkontakte.",
            "page.vacancy_risk",
        ),
        Page(
            "allianz/vacancies/pages/vacancy_risk_overview.py",
            "Leerstandsrisiko auswerten",
            ":material/query_stats:",
            "Leerstand",
            "Anteil der Risikogebäude je Ortsteil und im Raster, mögliche Leerstände in 5 und "
            "10 Jahren.",
            "page.vacancy_risk_overview",
        ),
        Page(
            "allianz/vacancies/pages/vacancy_fmd.py",
            "FMD-Austausch",
            ":material/sync_alt:",
            "Leerstand",
            "Kataster und Leerstandsrisiko (nur Raster) mit den Kategorien der "
            "Flächenmanagement-Datenbank exportieren und importieren.",
            "page.vacancies",
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
        "page.vacancy_risk": RISK_STAFF,
        "page.vacancy_risk_overview": MUNICIPAL_DESK,
        "vacancy_risk.import": RISK_STAFF,
        "vacancy_risk.buildings": RISK_STAFF,
        "vacancy_risk.contact": RISK_STAFF,
        "vacancy_risk.aggregates": MUNICIPAL_DESK,
    },
    personal_data=(personal_data.INTERESTS, personal_data.OWNERS, risk_personal_data.CONTACTS),
    figures=_figures,
    demo=_demo,
    cli=cli.group,
    audit_actions={
        "vacancy.create": "Fläche erfasst",
        "vacancy.update": "Fläche geändert",
        "vacancy.import": "Flächen importiert",
        "vacancy.interest": "Interesse gemeldet",
        "vacancy.export_internal": "Interne Liste exportiert",
        "vacancy_risk.import": "Melderegister-Auszug übernommen (nur Merkmale)",
        "vacancy_risk.view": "Risikogebäude angesehen",
        "vacancy_risk.contact": "Eigentümerkontakt (Leerstandsrisiko) erfasst",
        "vacancy_risk.to_register": "Risikogebäude ins Leerstandskataster übernommen",
    },
)
