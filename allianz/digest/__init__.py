"""The e-mail digest ("Newsletter"): residents subscribe with double opt-in to a weekly German
mail of news, events and job postings for the municipalities and topics they choose, and
unsubscribe with one click (List-Unsubscribe, RFC 8058). It reads the news, events and jobs
through their services and sends through the mail outbox."""

from allianz.auth import EVERYONE, MANAGER_ONLY
from allianz.digest import cli, figures, personal_data, routes
from allianz.features import Feature, Page

PAGE = "allianz/digest/pages/newsletter.py"

FEATURE = Feature(
    name="digest",
    label="Newsletter",
    pages=(
        Page(
            PAGE,
            "Newsletter",
            ":material/mail:",
            "Aktuelles",
            "Einmal in der Woche Neuigkeiten, Veranstaltungen und Stellen der gewählten "
            "Gemeinden und Themen per E-Mail; Anmeldung mit Bestätigung, Abmeldung mit einem "
            "Klick.",
            "page.newsletter",
        ),
    ),
    permissions={
        "page.newsletter": EVERYONE,
        "digest.overview": MANAGER_ONLY,
    },
    personal_data=(personal_data.SUBSCRIBERS,),
    figures=figures.sections,
    cli=cli.group,
    routes=tuple(routes.ROUTES),
)
