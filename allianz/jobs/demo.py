"""Demo postings for the members of the demo alliance: an Erzieher/in, a Bauhof worker, an
apprenticeship in the administration, an internship, a voluntary service, posts of the town
halls, and two whose deadline has passed (the archive). Dated relative to today; one ends in
three days, so the reminder has something to do."""

from __future__ import annotations

from datetime import timedelta

import sqlite_utils

from allianz import audit, clock
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.jobs import service, store

# (member index, title, kind, pay, part-time hours or None, starts in days or None,
#  deadline in days, posted days ago, workplace, description, function address)
POSTINGS = (
    (0, "Erzieherin / Erzieher (m/w/d) für die Kita „Parthenspatzen“", "job", "S 8a", 32.0,
     None, 20, 6, "Kita Parthenspatzen, Am Anger 4",
     "Wir suchen für unsere Kita mit 96 Plätzen eine **staatlich anerkannte Erzieherin** oder "
     "einen staatlich anerkannten Erzieher.\n\n## Ihre Aufgaben\n\n- Bildung, Erziehung und "
     "Betreuung nach dem Sächsischen Bildungsplan\n- Zusammenarbeit mit den Eltern\n- "
     "Dokumentation der Entwicklung\n\n## Wir bieten\n\n- Bezahlung nach TVöD SuE\n- "
     "Jahressonderzahlung und betriebliche Altersvorsorge\n- Fortbildungen",
     "personal@borsdorf.example"),
    (1, "Mitarbeiterin / Mitarbeiter Bauhof (m/w/d)", "job", "E 5", None, 0, 3, 25,
     "Bauhof, Gewerbestraße 12",
     "Für unseren Bauhof suchen wir eine Verstärkung für Grünpflege, Winterdienst und kleine "
     "Reparaturen an Straßen und Gebäuden.\n\n- abgeschlossene Ausbildung in einem "
     "handwerklichen oder gärtnerischen Beruf\n- Führerschein Klasse B, möglichst C1E\n- "
     "Bereitschaft zum Winterdienst", "bewerbung@brandis.example"),
    (3, "Auszubildende / Auszubildender Verwaltungsfachangestellte/r (m/w/d)",
     "apprenticeship", "TVAöD", None, 270, 40, 10, "Rathaus, Markt 1",
     "Drei Jahre Ausbildung im Rathaus, an der Berufsschule und im Sächsischen "
     "Ausbildungszentrum.\n\nSie lernen das Bürgerbüro, die Kämmerei, das Bauamt und das "
     "Ordnungsamt kennen. Voraussetzung ist ein guter Realschulabschluss.",
     "ausbildung@naunhof.example"),
    (2, "Sachbearbeiterin / Sachbearbeiter Bauverwaltung (m/w/d)", "job", "E 9a", None, 60, 14,
     8, "Gemeindeverwaltung, Im Rathaus 1",
     "Sie bearbeiten Bauanträge, Stellungnahmen der Gemeinde und Vorhaben der "
     "Bauleitplanung; Sie begleiten Baumaßnahmen der Gemeinde.\n\nVoraussetzung: Abschluss als "
     "Verwaltungsfachwirt/in oder ein Bachelor im Bauingenieurwesen.",
     "personal@grosspoesna.example"),
    (6, "Praktikum im Bürgerbüro (m/w/d)", "internship", "TVPöD", 20.0, 30, 30, 3,
     "Bürgerbüro, Leipziger Straße 10",
     "Ein Praktikum von sechs bis zwölf Wochen für Studierende der Verwaltung oder "
     "Schülerinnen und Schüler ab Klasse 9.", "praktikum@machern.example"),
    (5, "Bundesfreiwilligendienst in der Grundschule (m/w/d)", "volunteer", "", None, 90, 60, 2,
     "Grundschule Parthenstein",
     "Ein Jahr in der Schule: Unterstützung im Unterricht, im Hort und bei Ausflügen. "
     "Taschengeld nach den Regeln des Bundesfreiwilligendienstes.",
     "schule@parthenstein.example"),
    (4, "Kämmerin / Kämmerer (m/w/d)", "job", "A 11", None, 120, 25, 12, "Gemeindeverwaltung",
     "Leitung der Kämmerei: Haushalt, Jahresabschluss, Steuern und Abgaben, Kasse.",
     "personal@belgershain.example"),
    (0, "Hausmeisterin / Hausmeister Grundschule (m/w/d)", "job", "E 4", 30.0, None, -10, 40,
     "Grundschule Borsdorf", "Pflege und kleine Reparaturen im Schulgebäude und auf dem Hof.",
     "personal@borsdorf.example"),
    (1, "Standesbeamtin / Standesbeamter (m/w/d)", "job", "E 8", None, None, -45, 80,
     "Standesamt im Rathaus", "Beurkundungen, Eheschließungen und Namensrecht.",
     "bewerbung@brandis.example"),
)  # fmt: skip


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> int:
    """Idempotent: nothing happens when postings exist already. Returns the postings made."""
    if store.total(db):
        return 0
    office = User(actor.name, "Geschäftsstelle", Role.MANAGER)
    members = alliance.municipalities
    now = clock.now()
    made = 0
    for index, title, kind, pay, hours, starts, deadline, ago, place, text, mailbox in POSTINGS:
        member = members[index % len(members)]
        posted = now - timedelta(days=ago)
        today = clock.local_day(posted)
        draft = service.PostingDraft(
            municipality_ags=member.ags,
            title=title,
            kind=kind,
            valid_through=clock.today() + timedelta(days=deadline),
            description=text,
            pay_grade=pay,
            part_time=hours is not None,
            hours_per_week=hours,
            starts_on=today + timedelta(days=ago + starts) if starts is not None else None,
            workplace=place,
            apply_text="Bitte senden Sie Ihre Bewerbung mit Lebenslauf und Zeugnissen als "
            "eine PDF-Datei.",
            apply_email=mailbox,
            contact_phone="034291 123-0",
            contact_email=mailbox,
        )
        service.create(db, alliance, office, draft, now=posted)
        made += 1
    return made
