"""Member municipalities: their areas (demo or official VG250), figures and point lookup."""

from allianz.auth import MANAGER_ONLY, MUNICIPAL_DESK
from allianz.features import Feature, Page
from allianz.municipalities import cli, service


def _demo(db, alliance, actor) -> None:
    service.load_demo_areas(db, alliance, actor)


FEATURE = Feature(
    name="municipalities",
    label="Mitgliedsgemeinden",
    pages=(
        Page(
            "allianz/municipalities/pages/municipality_desk.py",
            "Meine Gemeinde",
            ":material/location_city:",
            "Verwaltung",
            "Kennzahlen, Gebiet und Protokoll der eigenen Gemeinde.",
            "page.municipality_desk",
        ),
    ),
    permissions={
        "page.municipality_desk": MUNICIPAL_DESK,
        "audit.view_own_municipality": MUNICIPAL_DESK,
        "boundaries.import": MANAGER_ONLY,
    },
    demo=_demo,
    cli=cli.group,
    audit_actions={
        "boundaries.demo_load": "Demo-Gemeindeflächen geladen",
        "boundaries.import": "Amtliche Grenzen übernommen",
    },
)
