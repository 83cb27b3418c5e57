"""Events ("Veranstaltungen") of the members, clubs and the alliance: single dates and bounded
series (RRULE with exceptions), place with a map point, category, admission and accessibility;
clubs submit without an account and the municipality's staff approve; a public list with the
public meetings, a detail page with schema.org JSON-LD, and `/feeds/veranstaltungen.ics`."""

from allianz import clock
from allianz.auth import EVERYONE, STAFF_AND_MANAGER
from allianz.events import cli, demo, feeds, figures, personal_data, service
from allianz.features import Feature, Page, Teaser

PAGE_EVENTS = "allianz/events/pages/events.py"
PAGE_SUBMIT = "allianz/events/pages/event_submit.py"
PAGE_OFFICE = "allianz/events/pages/events_office.py"


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, actor)


def _next_events(db, user) -> tuple[str, list[Teaser]]:
    coming = service.upcoming(db, clock.now(), limit=3)
    return "Nächste Veranstaltungen", [
        Teaser(f"{service.when(start, end, all_day)} · {title}", PAGE_EVENTS,
               {service.DETAIL_KEY: str(event_id)})
        for start, end, all_day, event_id, title in coming
    ]  # fmt: skip


FEATURE = Feature(
    name="events",
    label="Veranstaltungen",
    pages=(
        Page(
            PAGE_EVENTS,
            "Veranstaltungen",
            ":material/celebration:",
            "Aktuelles",
            "Veranstaltungen der Gemeinden, Vereine und der Allianz mit öffentlichen Sitzungen; "
            "nach Gemeinde und Kategorie filtern, als Kalender abonnieren.",
            "page.events",
        ),
        Page(
            PAGE_SUBMIT,
            "Veranstaltung melden",
            ":material/event_available:",
            "Mitmachen",
            "Vereine melden ihre Veranstaltung ohne Anmeldung; die Gemeinde gibt sie frei.",
            "page.event_submit",
        ),
        Page(
            PAGE_OFFICE,
            "Veranstaltungen verwalten",
            ":material/edit_calendar:",
            "Verwaltung",
            "Gemeldete Veranstaltungen freigeben oder mit Grund ablehnen; eigene Veranstaltungen "
            "und Terminreihen eintragen, ändern und absagen.",
            "page.events_office",
        ),
    ),
    permissions={
        "page.events": EVERYONE,
        "page.event_submit": EVERYONE,
        "page.events_office": STAFF_AND_MANAGER,
        "events.manage": STAFF_AND_MANAGER,
        "events.moderate": STAFF_AND_MANAGER,
    },
    personal_data=(personal_data.SUBMITTERS,),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    routes=tuple(feeds.ROUTES),
    start_page=_next_events,
    audit_actions={
        "event.create": "Veranstaltung eingetragen",
        "event.submit": "Veranstaltung von einem Verein gemeldet",
        "event.update": "Veranstaltung geändert",
        "event.approve": "Veranstaltung freigegeben",
        "event.decline": "Veranstaltung abgelehnt",
        "event.cancel": "Veranstaltung abgesagt",
    },
)
