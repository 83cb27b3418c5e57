"""Demo measures after the steering group's matrix (seed 003), with steps and one overdue."""

from __future__ import annotations

from datetime import date, timedelta

import sqlite_utils

from allianz import audit
from allianz.config import Alliance
from allianz.measures import service

MATRIX = (
    (1, "A", "IT und GIS", "Online-Stadtplan für alle Partnerkommunen",
     "Nach Vorbild bestehender Stadtpläne für alle Kommunen sinnvoll.", "in_progress",
     ("Gruppeninterview mit den Amtsleitungen", -30, "AG Verwaltung")),
    (1, "A", "Bauhof", "Synergien bei Bauhoforganisation und Gerätenutzung",
     "Gemeinsame Nutzung von Geräten und Kompetenzen; Abrechnung klären.", "planned",
     ("Fachaustausch der Bauhofleiter", 45, "AG Bauhof")),
    (4, "A", "Rad-, Wander- und Reitwege", "Gemeinsames Konzept für Rad-, Wander- und Reitwege",
     "Zuerst Lücken und Bedarfe mit dem Tourismusverein klären.", "in_progress",
     ("Workshop mit den Bürgermeistern", 20, "Allianzmanagement")),
    (5, "A", "Bürgerpartizipation", "Beteiligung über eine gemeinsame Plattform",
     "Über die Website, perspektivisch mit App.", "done",
     ("Start der Beteiligungsplattform", -90, "Allianzmanagement")),
    (2, "B", "Kindertagesstätten", "Strategische Abstimmung zur Kita-Entwicklung",
     "Bei Bedarf Strategieworkshop der Bürgermeister.", "idea",
     ("Bedarfszahlen abfragen", -10, "Hauptämter")),
    (3, "B", "Gewässer II. Ordnung", "Gemeinsame Bewirtschaftung der Gewässer II. Ordnung",
     "Vor-Analyse durch ein Interview in der Verwaltung.", "planned",
     ("Gruppeninterview Fachbereichsleitungen", 60, "Bauämter")),
    (2, "C", "Wohnen", "Wohnungsverwaltung in einer Hand",
     "Aktuelle Lösungen funktionieren; bilateraler Austausch sinnvoll.", "dropped",
     ("Bedarf klären", None, "Bürgermeister")),
)  # fmt: skip


def load(
    db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor, today: date | None = None
) -> int:
    """Idempotent: nothing happens when measures exist already."""
    if db["measures"].count:
        return 0
    today = today or date.today()
    fields = {h.number for h in alliance.handlungsfelder}
    made = 0
    for number, priority, area, title, assessment, status, step in MATRIX:
        if number not in fields:
            continue
        text, days, who = step
        due = None if days is None else today + timedelta(days=days)
        done = due if status == "done" else None
        service.create(
            db,
            alliance,
            None,
            {
                "handlungsfeld": number,
                "priority": priority,
                "area": area,
                "title": f"{title} (Demo)",
                "assessment": assessment,
                "status": status,
            },
            [service.StepDraft(text, due, who, done)],
            actor=actor,
        )
        made += 1
    db.execute("UPDATE measures SET is_demo = 1")
    return made
