"""A year of demo meetings after the alliances' documents (seeds 000–002): steering-group
sessions with their topics, the members' assembly, working groups, network events on both
levels, a public event; the office's external appointments and press log. Dated relative to
today, so `make run` always shows a past year with minutes and the next dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlite_utils

from allianz import audit
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.measures import service as measures
from allianz.meetings import service

# (days from today, kind, working group, title, place, (agenda titles; "!" = non-public))
MEETINGS = (
    (
        -330,
        "steering_group",
        "",
        "Allianzsitzung",
        "Rathaus, Sitzungssaal",
        (
            "Vorstellung der Umsetzungsmanagerin",
            "Ferienprogramm",
            "Geo-Caching",
            "Mobilitätskonzept",
            "Ärztliche Versorgung",
            "E-Bike-Ladestationen",
        ),
    ),
    (
        -300,
        "working_group",
        "Arbeitskreis Radwege",
        "Treffen Arbeitskreis Radwege",
        "Vereinsheim",
        ("Lücken im Radnetz", "Befahrung im Sommer"),
    ),
    (
        -280,
        "steering_group",
        "",
        "Allianzsitzung",
        "Rathaus, Sitzungssaal",
        (
            "Kernwegenetz",
            "FairMieten",
            "Radkonzept",
            "Kommunales Förderprogramm",
            "Exkursion",
            "Corporate Design",
            "!Personalangelegenheit Geschäftsstelle",
        ),
    ),
    (
        -240,
        "network_working",
        "",
        "Netzwerkveranstaltung der Verwaltungen",
        "Bürgerhaus",
        ("Gemeinsame Beschaffung", "Digitale Akte"),
    ),
    (
        -200,
        "working_group",
        "AG Bauhof",
        "Fachaustausch der Bauhofleiter",
        "Bauhof",
        ("Gemeinsame Gerätenutzung", "Winterdienst"),
    ),
    (
        -160,
        "steering_group",
        "",
        "Allianzsitzung",
        "Rathaus, Sitzungssaal",
        ("Logo", "Radkonzept", "Exkursion"),
    ),
    (
        -130,
        "public_event",
        "",
        "Bürgerabend Radwegekonzept",
        "Mehrzweckhalle",
        ("Vorstellung des Radwegekonzepts", "Fragen und Anregungen"),
    ),
    (
        -90,
        "assembly",
        "",
        "Mitgliederversammlung",
        "Rathaus, Sitzungssaal",
        ("Jahresbericht der Geschäftsstelle", "Haushalt", "!Vertragsangelegenheiten"),
    ),
    (
        -88,
        "network_decision",
        "",
        "Netzwerkveranstaltung der Bürgermeister",
        "Rathaus",
        ("Interkommunale Zusammenarbeit 2027", "Gemeinsames Personalmarketing"),
    ),
    (
        -40,
        "steering_group",
        "",
        "Allianzsitzung",
        "Rathaus, Sitzungssaal",
        (
            "Interkommunaler Biotopverbund",
            "Ferienprogramm",
            "Nachbesprechung Exkursion und Tagung",
            "Logo-Abschluss",
        ),
    ),
    (
        14,
        "steering_group",
        "",
        "Allianzsitzung",
        "Rathaus, Sitzungssaal",
        ("Radwegekonzept: Prioritäten", "Beteiligungsplattform", "Termine 2027"),
    ),
    (
        35,
        "public_event",
        "",
        "Infoabend Leerstand teilen",
        "Bürgerhaus",
        ("Leerstandsbörse vorstellen", "Beratung für Eigentümer"),
    ),
    (
        60,
        "network_working",
        "",
        "Netzwerkveranstaltung der Verwaltungen",
        "Bürgerhaus",
        ("Erfahrungen mit dem Bürgermelder",),
    ),
)

APPOINTMENTS = (
    (-340, "Expertenworkshop Mobilitätskonzept", "Landkreis", "Mobilität"),
    (-325, "Treffen mit der LAG", "LAG", "LEADER-Förderung"),
    (-290, "Treffen mit dem Amt für Ländliche Entwicklung", "ALE", "Kernwegenetz"),
    (-250, "ILE-Erfahrungsaustausch", "Nachbar-ILE", "Austausch"),
    (
        -180,
        "Informationsveranstaltung medizinische Versorgung",
        "Landkreis",
        "Ärztliche Versorgung",
    ),
    (-120, "Austausch der Regionalentwicklungsinitiativen", "Regionalmanagement", "Vernetzung"),
    (-60, "Fachtagung Nahversorgung und Mobilität", "Bezirk", "Nahversorgung"),
)
PRESS = (
    (-310, "Tageszeitung", "Ferienprogramm für die Kinder aller Mitgliedsgemeinden"),
    (-270, "Amtsblatt", "Kernwegenetz: alle Gemeinden beschließen die Teilnahme"),
    (-125, "Tageszeitung", "Bürgerabend zum Radwegekonzept"),
    (-35, "Regionalfernsehen", "Neues Logo der Allianz"),
)


def load(
    db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor, today: date | None = None
) -> int:
    """Idempotent: nothing happens when meetings exist already."""
    if db["meetings"].count:
        return 0
    today = today or date.today()
    office = User(actor.name, "Geschäftsstelle", Role.MANAGER)
    first = alliance.municipalities[0]
    measure_ids = [m.id for m in measures.all_measures(db)]
    now = datetime.now(UTC)
    for number, (days, kind, group, title, place, agenda) in enumerate(MEETINGS):
        day = _weekday(today + timedelta(days=days))
        meeting_id = service.create(
            db,
            alliance,
            office,
            service.MeetingDraft(
                kind=kind,
                title=title,
                day=day,
                start_time="18:00" if kind in ("steering_group", "public_event") else "14:00",
                end_time="20:30" if kind != "public_event" else "21:00",
                place=f"{place} {first.name}",
                organiser="Geschäftsstelle",
                working_group=group,
                lat=first.seat_lat,
                lon=first.seat_lon,
            ),
            is_demo=True,
        )
        items = [
            service.add_item(db, office, meeting_id, t.lstrip("!"), public=not t.startswith("!"))
            for t in agenda
        ]
        if measure_ids and items:
            service.link_item(
                db, office, items[0], "measure", str(measure_ids[number % len(measure_ids)])
            )
        service.set_invitees(db, alliance, office, meeting_id, _invitees(kind))
        service.send_invitations(db, alliance, office, meeting_id, "", notify=False)
        if day >= today:
            continue
        _hold(db, alliance, office, meeting_id, items, day, now)
    for days, event, partner, topic in APPOINTMENTS:
        service.add_appointment(
            db, office, today + timedelta(days=days), event, partner, topic, is_demo=True
        )
    for days, outlet, topic in PRESS:
        service.add_press(db, office, today + timedelta(days=days), outlet, topic, is_demo=True)
    return len(MEETINGS)


def _weekday(day: date) -> date:
    """Meetings fall on Tuesday to Thursday, as the offices hold them."""
    while day.weekday() not in (1, 2, 3):
        day += timedelta(days=1)
    return day


def _invitees(kind: str) -> list[tuple[str, str]]:
    if kind in ("working_group", "network_working"):
        return [("role", Role.STAFF.value), ("role", Role.WORKING_GROUP.value)]
    return [("role", Role.MAYOR.value), ("role", Role.MANAGER.value)]


def _hold(db, alliance, office, meeting_id, items, day, now) -> None:
    service.transition(db, office, meeting_id, "held", now=now)
    people = [p.user_id for p in service.participants(db, office, meeting_id)]
    service.record_attendance(db, office, meeting_id, people[: max(1, len(people) - 1)])
    for index, item_id in enumerate(items):
        if index % 2 == 0:
            service.decide(
                db,
                alliance,
                office,
                item_id,
                "einstimmig beschlossen",
                "Die Geschäftsstelle bereitet das weitere Vorgehen vor.",
            )
    minutes = (
        f"Protokoll der Sitzung vom {day:%d.%m.%Y}.\n\n"
        "Die Geschäftsstelle berichtete über den Stand der Projekte. "
        "Die Beschlüsse stehen bei den Tagesordnungspunkten."
    )
    service.save_minutes(db, office, meeting_id, minutes, "")
    service.transition(db, office, meeting_id, "released", now=now)
