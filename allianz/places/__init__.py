"""Stadtplan & Ansprechpartner: the places of every member on one alliance map with layers by
category, opening hours ("jetzt geöffnet"), a list per layer, full-text search over places and
the town halls' contacts ("Wer ist zuständig für …?"), vCards, and imports from GeoJSON,
GeoPackage, CSV and OpenStreetMap extracts."""

from allianz.auth import EVERYONE, STAFF_AND_MANAGER
from allianz.features import Feature, Page, Teaser
from allianz.formatting import de_int
from allianz.places import cli, demo, embed, figures, personal_data, service
from allianz.places.model import CATEGORIES

PAGE_PUBLIC = "allianz/places/pages/places.py"
PAGE_OFFICE = "allianz/places/pages/places_office.py"
PAGE_EMBED = "allianz/places/pages/places_embed.py"


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, actor)


def _warmup(db, alliance, today) -> None:
    """The public map with every layer of every member, prepared before the first visitor."""
    from allianz.places import overview_map  # noqa: PLC0415 - folium only where maps are built

    overview_map.current(db, tuple(CATEGORIES), None)


def _teaser(db, user) -> tuple[str, list[Teaser]]:
    total = sum(service.counts(db).values())
    if not total:
        return "Stadtplan & Ansprechpartner", []
    return "Stadtplan & Ansprechpartner", [
        Teaser(f"{de_int(total)} Orte aller Gemeinden auf einer Karte", PAGE_PUBLIC),
        Teaser("Wer ist zuständig? Ansprechpartner im Rathaus finden", PAGE_PUBLIC,
               {"suche": "Bürgerbüro"}),
    ]  # fmt: skip


FEATURE = Feature(
    name="places",
    label="Stadtplan",
    pages=(
        Page(
            PAGE_PUBLIC,
            "Stadtplan & Ansprechpartner",
            ":material/map:",
            "Allianz",
            "Rathäuser, Bauhöfe, Schulen, Spielplätze, Ladestationen und mehr aller Gemeinden "
            "auf einer Karte und als Liste; Öffnungszeiten; wer im Rathaus zuständig ist.",
            "page.places",
        ),
        Page(
            PAGE_OFFICE,
            "Stadtplan pflegen",
            ":material/edit_location_alt:",
            "Verwaltung",
            "Orte und Ansprechpartner der eigenen Gemeinde anlegen und ändern; Orte aus "
            "GeoJSON, GeoPackage, CSV oder OpenStreetMap einlesen und ausgeben.",
            "page.places_office",
        ),
        Page(
            PAGE_EMBED,
            "Stadtplan zum Einbetten",
            ":material/code:",
            "Allianz",
            "Den Stadtplan einer Gemeinde (gewählte Ebenen, ohne Navigation) auf der Webseite "
            "der Gemeinde einbinden.",
            "page.places_embed",
            in_navigation=False,  # shown inside the members' websites, linked from the office
        ),
    ),
    permissions={
        "page.places": EVERYONE,
        "page.places_office": STAFF_AND_MANAGER,
        "page.places_embed": EVERYONE,
        "places.edit": STAFF_AND_MANAGER,
        "places.import": STAFF_AND_MANAGER,
    },
    personal_data=(personal_data.CONTACTS,),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    start_page=_teaser,
    warmup=_warmup,
    frame_ancestors=embed.frame_ancestors,
    audit_actions={
        "place.create": "Ort angelegt",
        "place.update": "Ort geändert",
        "place.delete": "Ort gelöscht",
        "place.photo": "Foto eines Orts geändert",
        "place.import": "Orte eingelesen",
        "place_contact.create": "Ansprechpartner angelegt",
        "place_contact.update": "Ansprechpartner geändert",
        "place_contact.delete": "Ansprechpartner gelöscht",
    },
)
