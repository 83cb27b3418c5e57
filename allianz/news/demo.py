"""Demo news after the alliances' seeds (the Bürger-App of the Partheland, the Allianz-App of
the Thüringer Becken): for every member two items of its administration, for the whole
alliance three of the office, one member's item waiting for the office's review and one draft;
dated over the last weeks, marked as demo. Loaded once (idempotent)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.news import service
from allianz.news.model import Draft, State

# (title, teaser, text) for a member; {name} is the municipality's name
MEMBER = (
    (
        "Neue Öffnungszeiten im Bürgerbüro {name}",
        "Ab dem kommenden Monat hat das Bürgerbüro auch donnerstags bis 18 Uhr geöffnet.",
        "Das Bürgerbüro in {name} erweitert seine Sprechzeiten: **donnerstags bis 18:00 Uhr** "
        "können Sie künftig Ausweise beantragen, Meldebescheinigungen abholen und Anträge "
        "abgeben.\n\nTermine lassen sich weiterhin telefonisch vereinbaren. Ohne Termin kann es "
        "zu Wartezeiten kommen.",
    ),
    (
        "Baustelle an der Ortsdurchfahrt {name}: Umleitung ab Montag",
        "Wegen Arbeiten an der Trinkwasserleitung ist die Ortsdurchfahrt für drei Wochen "
        "halbseitig gesperrt.",
        "Der Zweckverband erneuert die Trinkwasserleitung in der Ortsdurchfahrt. Der Verkehr wird "
        "mit einer Ampel an der Baustelle vorbeigeführt.\n\n- Bushaltestellen bleiben bedient\n"
        "- Anlieger erreichen ihre Grundstücke\n- Radfahrende nutzen bitte den ausgeschilderten "
        "Umweg\n\nWir bitten um Verständnis.",
    ),
)
OFFICE = (
    (
        "Bürger-App der Allianz: Ihre Ideen sind gefragt",
        "Was soll die gemeinsame App können? Die Geschäftsstelle sammelt bis Monatsende Wünsche.",
        "Neuigkeiten, Veranstaltungen, Ansprechpersonen im Rathaus und der Bürgermelder: die "
        "geplante Bürger-App soll das Leben in unseren Gemeinden einfacher machen.\n\nSchreiben "
        "Sie uns, was Ihnen wichtig ist – per Hinweis im Bürgermelder oder in der "
        "Sprechstunde der Geschäftsstelle.",
    ),
    (
        "Radwegekonzept: Ergebnisse der Befahrung liegen vor",
        "Der Arbeitskreis Radwege hat alle Abschnitte des Kernwegenetzes befahren und bewertet.",
        "Der Arbeitskreis Radwege hat im Sommer das Netz befahren. Die Bewertungen stehen ab "
        "sofort auf der Karte **Radwege & Kernwege**. Die Lenkungsgruppe berät im nächsten "
        "Quartal über die Prioritäten.",
    ),
    (
        "Gemeinsame Stellenbörse der Gemeinden startet",
        "Alle kommunalen Stellenanzeigen der Mitgliedsgemeinden erscheinen jetzt an einem Ort.",
        "Ob Bauhof, Kita oder Verwaltung: die Gemeinden der Allianz veröffentlichen ihre "
        "Stellenangebote gemeinsam. Auch Ausbildungsplätze und Praktika sind dabei.",
    ),
)
WAITING = (
    "Herbstputz im Ortsteil: Helferinnen und Helfer gesucht",
    "Am Samstag wird gemeinsam gepflanzt, gefegt und der Spielplatz gestrichen.",
    "Treffpunkt ist um 9 Uhr am Gemeindehaus. Für Handschuhe, Werkzeug und einen Imbiss ist "
    "gesorgt.",
)
DRAFT = (
    "Entwurf: Winterdienst – wer räumt wo?",
    "",
    "Die Übersicht über die Räumpflichten folgt nach der Abstimmung mit dem Bauhof.",
)


def load(db: sqlite_utils.Database, alliance: Alliance, actor) -> None:
    if db.execute("SELECT 1 FROM news_items WHERE is_demo LIMIT 1").fetchone():
        return
    office = User(actor.name, "Geschäftsstelle (Demo)", Role.MANAGER)
    now = datetime.now(UTC)
    numbers = [h.number for h in alliance.handlungsfelder]
    made = 0

    def topic() -> int | None:
        return numbers[made % len(numbers)] if numbers else None

    for days, (title, teaser, body) in zip((2, 9, 16), OFFICE, strict=True):
        moment = now - timedelta(days=days, hours=3)
        draft = Draft(title, teaser, body, None, topic(), publish_from=moment)
        service.create(db, alliance, office, draft, submit=True, is_demo=True, now=moment)
        made += 1
    for index, member in enumerate(alliance.municipalities):
        staff = User(actor.name, f"Verwaltung {member.name} (Demo)", Role.STAFF, member.ags)
        for number, (title, teaser, body) in enumerate(MEMBER):
            moment = now - timedelta(days=1 + index + 7 * number, hours=5)
            draft = Draft(
                title.format(name=member.name),
                teaser,
                body.format(name=member.name),
                member.ags,
                topic(),
                publish_from=moment,
            )
            item = service.create(db, alliance, staff, draft, submit=True, is_demo=True, now=moment)
            if item.state is State.SUBMITTED:
                service.approve(db, office, item.id, now=moment + timedelta(hours=1))
            made += 1
    first = alliance.municipalities[0]
    staff = User(actor.name, f"Verwaltung {first.name} (Demo)", Role.STAFF, first.ags)
    for (title, teaser, body), send in ((WAITING, True), (DRAFT, False)):
        draft = Draft(title, teaser, body, first.ags, topic())
        service.create(db, alliance, staff, draft, submit=send, is_demo=True)
        made += 1
