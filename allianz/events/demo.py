"""Demo events of the demo municipalities, dated relative to today: a weekly running group
(a series with one exception), a Christmas market over two days, a church concert with
admission, the monthly repair café, an event of the whole alliance, and one club's
submission still waiting for the municipality's approval."""

from __future__ import annotations

from datetime import date, timedelta

import sqlite_utils

from allianz import audit
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.events import service, store
from allianz.events.recurrence import Recurrence
from allianz.municipalities import service as municipalities


def _next(weekday: int, after: date) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> int:
    """Idempotent: nothing happens when events exist already. Returns the events made."""
    if store.latest(db, 1):
        return 0
    office = User(actor.name, "Geschäftsstelle", Role.MANAGER)
    areas = municipalities.areas(db)
    members = alliance.municipalities
    first, second, third = (members[i % len(members)] for i in range(3))
    today = date.today()

    def point(member) -> str:
        return f"{member.seat_lat:.5f}, {member.seat_lon:.5f}" if areas else ""

    tuesday = _next(1, today)
    drafts = [
        service.EventDraft(
            "Lauftreff am Parthe-Ufer", "sport", first.ags, tuesday, "18:30", "19:30",
            description="Gemeinsam laufen in zwei Tempogruppen, **für alle** ab 14 Jahren. "
            "Treffpunkt am Parkplatz.",
            venue="Parkplatz am Sportplatz", location_line=f"Sportplatzweg 2, {first.name}",
            point=point(first), organiser="SV Grün-Weiß e. V.",
            accessibility="Treffpunkt ebenerdig, Toilette im Vereinsheim barrierefrei.",
            recurrence=Recurrence("weekly", 1, (1,), "count", 20),
            exceptions=(tuesday + timedelta(days=21)).strftime("%d.%m.%Y"),
        ),
        service.EventDraft(
            "Weihnachtsmarkt im Ortskern", "feste", second.ags, today + timedelta(days=8),
            end_day=today + timedelta(days=9), all_day=True,
            description="Buden der Vereine, Posaunenchor am Samstag um 16 Uhr, Kinderkarussell.",
            venue="Marktplatz", location_line=f"Markt, {second.name}", point=point(second),
            organiser=f"Gemeinde {second.name} mit den Ortsvereinen",
            accessibility="Platz gepflastert, mit Rollstuhl befahrbar.",
        ),
        service.EventDraft(
            "Adventskonzert in der Dorfkirche", "kultur", third.ags, today + timedelta(days=12),
            "17:00", "18:30",
            description="Kantorei und Bläserkreis mit Werken von Bach und Praetorius.",
            venue="Dorfkirche", location_line=f"Kirchplatz 1, {third.name}", point=point(third),
            organiser="Kirchgemeinde", free=False, price_text="8 €, ermäßigt 5 €, Kinder frei",
            accessibility="Seiteneingang mit Rampe; Induktionsschleife vorhanden.",
        ),
        service.EventDraft(
            "Repair-Café", "natur", first.ags, _next(5, today), "10:00", "13:00",
            description="Mitbringen, was kaputt ist: Ehrenamtliche helfen beim Reparieren.",
            venue="Bürgerhaus", location_line=f"Hauptstraße 10, {first.name}", point=point(first),
            organiser="Repair-Café-Team",
            recurrence=Recurrence("monthly_weekday", 1, (), "count", 6),
        ),
        service.EventDraft(
            f"Tag der Regionen der {alliance.name}", "allianz", None, today + timedelta(days=30),
            "10:00", "16:00",
            description="Hofläden, Direktvermarkter und Vereine aus allen Mitgliedsgemeinden "
            "stellen sich vor.",
            venue="Regionalmarkt", organiser=f"Geschäftsstelle der {alliance.name}",
        ),
    ]  # fmt: skip
    for draft in drafts:
        service.create(db, alliance, areas, office, draft)
    waiting = service.EventDraft(
        "Vereinsfest mit Tag der offenen Tür", "vereine", first.ags, today + timedelta(days=16),
        "14:00", "20:00", description="Kaffee und Kuchen, Vorführungen der Jugendgruppen.",
        venue="Vereinsheim", location_line=f"Am Anger 3, {first.name}", point=point(first),
        organiser="Heimatverein e. V.",
    )  # fmt: skip
    service.submit(
        db, alliance, areas, service.ClubSubmission(waiting, "heimatverein@example.org", True)
    )
    return len(drafts) + 1
