"""Meetings of the alliance: steering group, members' assembly, working groups, network events
and public events, with agenda, invitations, minutes, calendar feeds, the office's external
appointments and press log."""

from datetime import UTC, datetime

from allianz.auth import EVERYONE, MANAGER_ONLY, SIGNED_IN
from allianz.features import Feature, Page, Teaser
from allianz.meetings import cli, demo, feeds, figures, oparl, personal_data, service


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, actor)


def _next_dates(db, user) -> tuple[str, list[Teaser]]:
    upcoming = service.upcoming(db, user, datetime.now(UTC), limit=3)
    return "Nächste Termine", [
        Teaser(f"{service.when(m)} · {m.title}", PAGES_MEETINGS, {"sitzung": str(m.id)})
        for m in upcoming
    ]


PAGES_MEETINGS = "allianz/meetings/pages/meetings.py"

FEATURE = Feature(
    name="meetings",
    label="Sitzungen",
    pages=(
        Page(
            PAGES_MEETINGS,
            "Sitzungen & Termine",
            ":material/event_note:",
            "Allianz",
            "Sitzungen, Netzwerkveranstaltungen und öffentliche Termine mit Tagesordnung und "
            "Protokoll; Kalender zum Abonnieren.",
            "page.meetings",
        ),
        Page(
            "allianz/meetings/pages/meetings_office.py",
            "Sitzungen vorbereiten",
            ":material/edit_calendar:",
            "Allianz",
            "Sitzungen anlegen, Tagesordnung, Einladung, Anwesenheit, Beschlüsse und Protokoll; "
            "Außentermine und Pressespiegel.",
            "page.meetings_office",
        ),
        Page(
            "allianz/meetings/pages/activity_report.py",
            "Tätigkeitsbericht",
            ":material/summarize:",
            "Allianz",
            "Tätigkeitsbericht der Geschäftsstelle für einen Zeitraum als PDF und Word-Datei; "
            "Außentermine und Pressespiegel eintragen.",
            "page.activity_report",
        ),
    ),
    permissions={
        "page.meetings": EVERYONE,
        "page.meetings_office": MANAGER_ONLY,
        "page.activity_report": MANAGER_ONLY,
        "meetings.manage": MANAGER_ONLY,
        "meetings.feed": SIGNED_IN,
    },
    personal_data=(personal_data.PARTICIPATION, personal_data.COMMENTS, personal_data.FEEDS),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    start_page=_next_dates,
    routes=(*feeds.ROUTES, *oparl.ROUTES),
    audit_actions={
        "meeting.create": "Sitzung angelegt",
        "meeting.update": "Sitzung geändert",
        "meeting.invited": "Sitzung: eingeladen",
        "meeting.held": "Sitzung durchgeführt",
        "meeting.commenting": "Protokoll zur Abstimmung gegeben",
        "meeting.released": "Protokoll freigegeben",
        "meeting.cancelled": "Sitzung abgesagt",
        "meeting.planned": "Sitzung geplant",
        "meeting.minutes": "Protokoll bearbeitet",
        "meeting.comment": "Anmerkung zum Protokoll",
        "meeting.item": "Tagesordnungspunkt bearbeitet",
        "meeting.item.remove": "Tagesordnungspunkt entfernt",
        "meeting.link": "Tagesordnungspunkt verknüpft",
        "meeting.unlink": "Verknüpfung gelöst",
        "meeting.decide": "Ergebnis und Beschluss eingetragen",
        "meeting.invitees": "Einladungsliste geändert",
        "meeting.invite": "Einladungen versandt",
        "meeting.answer": "Zu- oder Absage",
        "meeting.attendance": "Anwesenheit festgehalten",
        "meeting.document": "Dokument hochgeladen",
        "meeting.document.remove": "Dokument entfernt",
        "meeting.feed.new": "persönlicher Kalender-Link erzeugt",
        "meeting.feed.revoke": "persönlicher Kalender-Link widerrufen",
        "office.appointment": "Außentermin eingetragen",
        "office.appointment.remove": "Außentermin entfernt",
        "office.press": "Presseeintrag eingetragen",
        "office.press.remove": "Presseeintrag entfernt",
    },
)
