"""A finished demo workshop (World Café, four tables, dot vote), so the pages are not empty."""

from __future__ import annotations

from datetime import date, datetime

import sqlite_utils

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.municipalities.service import MunicipalityArea
from allianz.workshops import service, store

IDEAS = (
    ("Gemeinsames Bürgerbüro mit Online-Terminen", "service, digital", 9),
    ("Mobile Verwaltung einmal im Monat in jedem Ortsteil", "service", 6),
    ("Gemeinsamer Bauhof für alle Gemeinden", "kooperation", 4),
    ("Sichere Schulwege mit Lotsen", "sicherheit", 7),
    ("Mehr Papierkörbe an Wander- und Radwegen", "umwelt", 3),
    ("Blühstreifen an Feldwegen", "umwelt, landwirtschaft", 5),
    ("Ein Beteiligungsportal für alle Gemeinden", "digital, beteiligung", 11),
    ("Freies WLAN an Dorfplätzen", "digital", 4),
    ("Jugendbeirat der Region", "beteiligung, jugend", 6),
    ("Gemeinsamer Veranstaltungskalender", "tourismus, kultur", 8),
    ("Rundradweg mit Infotafeln zur Geschichte", "tourismus, radweg", 10),
    ("Hofläden auf einer Karte", "tourismus, landwirtschaft", 2),
)

# Fields of action of the four default tables (administration, environment, digital, culture).
DEMO_FIELDS = (1, 3, 5, 4)


def load(
    db: sqlite_utils.Database, alliance: Alliance, areas: list[MunicipalityArea], actor_name: str
) -> int | None:
    """Idempotent: nothing happens when a workshop exists already."""
    if db["workshops"].count:
        return None
    manager = User(username=actor_name, display_name=actor_name, role=Role.MANAGER)
    tables = service.default_tables(alliance)
    numbers = {h.number for h in alliance.handlungsfelder}
    for index, table in enumerate(tables):
        wanted = DEMO_FIELDS[index % len(DEMO_FIELDS)]
        table.handlungsfeld = wanted if wanted in numbers else None
        table.host = f"Moderation Tisch {index + 1} (Demo)"
    workshop_id = service.create(
        db,
        alliance,
        manager,
        service.WorkshopDraft(
            title=f"Bürgerwerkstatt {alliance.name} (Demo)",
            starts_at=datetime(2020, 2, 26, 18, 0),
            place=f"Rathaus {alliance.municipalities[0].name}",
            rounds=3,
            participants=40,
            dots_per_person=5,
            tables=tables,
        ),
    )
    service.set_phase(db, manager, workshop_id, "live")
    workshop = store.get(db, workshop_id)
    dots = {}
    for index, (text, tags, votes) in enumerate(IDEAS):
        table = workshop.tables[index * len(workshop.tables) // len(IDEAS)]
        card_id = service.add_card(
            db,
            alliance,
            areas,
            manager,
            workshop_id,
            service.CardDraft(table.id, f"{text} (Demo)", 1 + index % 3, tags),
        )
        dots[card_id] = votes
    service.set_host_dots(db, manager, workshop_id, dots)
    service.set_phase(db, manager, workshop_id, "closed", today=date(2020, 2, 26))
    return workshop_id
