"""Citizen suggestions and defect reports (Bürgermelder) with review workflow and Open311."""

from allianz.auth import EVERYONE, STAFF_AND_MANAGER
from allianz.features import Feature, Page
from allianz.suggestions import api, cli, demo, figures, overview_map, personal_data


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, actor)


def _warmup(db, alliance, today) -> None:
    """The public overview map of the default period, prepared before the first visitor."""
    overview_map.current(db, overview_map.filters_for(overview_map.default_period(today)), alliance)


FEATURE = Feature(
    name="suggestions",
    label="Hinweise",
    pages=(
        Page(
            "allianz/suggestions/pages/suggest.py",
            "Hinweis melden",
            ":material/add_location_alt:",
            "Mitmachen",
            "Mängel und Ideen auf der Karte melden – ohne Anmeldung.",
            "page.suggest",
        ),
        Page(
            "allianz/suggestions/pages/suggestions.py",
            "Hinweise",
            ":material/map:",
            "Mitmachen",
            "Alle Hinweise auf Karte und Liste, mit Antworten der Gemeinden.",
            "page.suggestions",
        ),
        Page(
            "allianz/suggestions/pages/review.py",
            "Hinweise bearbeiten",
            ":material/rule:",
            "Verwaltung",
            "Eingang der Hinweise, Antworten, Weitergabe, Zusammenführen, Export.",
            "page.review",
        ),
    ),
    permissions={
        "page.suggest": EVERYONE,
        "page.suggestions": EVERYONE,
        "page.review": STAFF_AND_MANAGER,
        "suggestions.review": STAFF_AND_MANAGER,
        "suggestions.export": STAFF_AND_MANAGER,
    },
    personal_data=(personal_data.CONTACTS,),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    routes=api.ROUTES,
    warmup=_warmup,
    audit_actions={
        "suggestion.create": "Hinweis angelegt",
        "suggestion.received": "Hinweis eingegangen",
        "suggestion.status": "Status geändert",
        "suggestion.reassign": "Weitergegeben",
        "suggestion.merge": "Zusammengeführt",
        "suggestion.hide": "Ausgeblendet",
        "suggestion.unhide": "Wieder eingeblendet",
        "suggestion.support": "Unterstützt",
    },
)
