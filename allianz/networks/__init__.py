"""Cycle network (Radwegenetz) and rural core paths (Kernwegenetz): segments and reviews."""

from allianz import demo_geodata
from allianz.auth import EVERYONE, STAFF_AND_MANAGER, Role
from allianz.features import Feature, Page
from allianz.municipalities import service as municipalities
from allianz.networks import cli, figures, service, snapshot

_REVIEWERS = frozenset({Role.WORKING_GROUP, Role.STAFF, Role.MANAGER})


def _warmup(db, alliance, today) -> None:
    """The prepared network (cut at the member boundaries) for the map and the summary."""
    snapshot.current(db, municipalities.areas(db))


def _demo(db, alliance, actor) -> None:
    service.load_demo(db, demo_geodata.load_networks(alliance), actor)


FEATURE = Feature(
    name="networks",
    label="Radwege & Kernwege",
    pages=(
        Page(
            "allianz/networks/pages/networks.py",
            "Radwege & Kernwege",
            ":material/route:",
            "Netze",
            "Radwegenetz und Kernwegenetz: Karte, Tabelle, Kennzahlen, Export.",
            "page.networks",
        ),
        Page(
            "allianz/networks/pages/network_review.py",
            "Befahrung & Bewertung",
            ":material/rate_review:",
            "Netze",
            "Abschnitte bewerten, Befahrung je Gemeinde, Bewertungen übernehmen.",
            "page.network_review",
        ),
        Page(
            "allianz/networks/pages/network_import.py",
            "Netz importieren",
            ":material/upload_file:",
            "Netze",
            "GPX, GeoJSON, KML, GeoPackage oder Shapefile (ZIP) einlesen, mit Vorschau.",
            "page.network_import",
        ),
    ),
    permissions={
        "page.networks": EVERYONE,
        "page.network_review": _REVIEWERS,
        "page.network_import": _REVIEWERS,
        "networks.review": _REVIEWERS,
        "networks.accept": STAFF_AND_MANAGER,
        "networks.import": _REVIEWERS,
        "networks.export": _REVIEWERS,
    },
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    warmup=_warmup,
    audit_actions={
        "network.demo_load": "Demo-Netz geladen",
        "network.import": "Netz importiert",
        "segment.edit": "Abschnitt bearbeitet",
        "segment.review": "Befahrung erfasst",
        "segment.accept_review": "Befahrung übernommen",
    },
)
