"""Bürgerwerkstatt: World Café workshops, live card entry, dot voting, results and protocol."""

from allianz.auth import EVERYONE, STAFF_AND_MANAGER, Role
from allianz.features import Feature, Page
from allianz.municipalities import service as municipalities
from allianz.workshops import cli, demo, figures, personal_data

_HOSTS = frozenset({Role.HOST, Role.STAFF, Role.MANAGER})


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, municipalities.areas(db), actor.name)


FEATURE = Feature(
    name="workshops",
    label="Bürgerwerkstatt",
    pages=(
        Page(
            "allianz/workshops/pages/workshops.py",
            "Bürgerwerkstatt",
            ":material/groups:",
            "Mitmachen",
            "Ideen von den Thementischen, Punktabfrage, Online-Phase und Protokoll.",
            "page.workshops",
        ),
        Page(
            "allianz/workshops/pages/workshop_host.py",
            "Tisch moderieren",
            ":material/edit_note:",
            "Bürgerwerkstatt",
            "Karten am Thementisch erfassen, Punkte eintragen, Abstimmungsgerät, Fotos.",
            "page.workshop_host",
        ),
        Page(
            "allianz/workshops/pages/workshop_admin.py",
            "Werkstätten planen",
            ":material/event:",
            "Bürgerwerkstatt",
            "Werkstätten anlegen, Tische und Phasen, Moderation, Handlungsfelder, Protokoll.",
            "page.workshop_admin",
        ),
    ),
    permissions={
        "page.workshops": EVERYONE,
        "page.workshop_host": _HOSTS,
        "page.workshop_admin": STAFF_AND_MANAGER,
        "workshops.host": _HOSTS,
        "workshops.manage": STAFF_AND_MANAGER,
    },
    personal_data=(personal_data.CONTACTS,),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    audit_actions={
        "workshop.create": "Werkstatt angelegt",
        "workshop.update": "Werkstatt geändert",
        "workshop.phase": "Phase gewechselt",
        "workshop.dots": "Punkte eingetragen",
        "workshop.photo": "Foto hochgeladen",
        "workshop.card.hide": "Karte ausgeblendet",
        "workshop.card.show": "Karte wieder eingeblendet",
        "workshop.card.handlungsfeld": "Handlungsfeld zugeordnet",
    },
)
