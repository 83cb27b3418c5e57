"""The address index (house coordinates) of the alliance: import by staff, search for reports."""

from allianz.addresses import cli, service
from allianz.auth import STAFF_AND_MANAGER
from allianz.features import Feature, Page


def _demo(db, alliance, actor) -> None:
    service.load_demo(db, alliance, actor)


FEATURE = Feature(
    name="addresses",
    label="Adressverzeichnis",
    pages=(
        Page(
            "allianz/addresses/pages/address_index.py",
            "Adressverzeichnis",
            ":material/home_pin:",
            "Verwaltung",
            "Hauskoordinaten einlesen, damit Hinweise an der richtigen Adresse landen.",
            "page.address_index",
        ),
    ),
    permissions={
        "page.address_index": STAFF_AND_MANAGER,
        "addresses.import": STAFF_AND_MANAGER,
    },
    demo=_demo,
    cli=cli.group,
    audit_actions={
        "addresses.import": "Adressverzeichnis übernommen",
        "addresses.demo_load": "Demo-Adressverzeichnis geladen",
    },
)
