"""Demo consultation hours after seed 004 (the "Bürgermeister-Livechat" of the Allianz
Thüringer Becken): a mayor's hour twelve days ago with answered, merged, held-back and one
still open question; the alliance speaker's hour next week with questions collected in
advance; a second mayor's hour later this month. Dated relative to today."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlite_utils

from allianz import audit
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.formatting import BERLIN
from allianz.mayor_hours import service, store

# (question, background, shown name, supports, what happens: answer text | "oral:…" |
#  "hold:reason" | "merge:n" (into the n-th question) | "" (published, still open) | "wait")
PAST = (
    ("Wann wird der Radweg nach Panitzsch gebaut?", "Die Kinder fahren jeden Tag an der "
     "Staatsstraße entlang.", "Anja K.", 14, "Der Bau beginnt im März; die Fördermittel aus dem "
     "Radwegeprogramm sind bewilligt, die Ausschreibung läuft."),
    ("Kommt eine Querungshilfe an der Ortsdurchfahrt vor der Grundschule?", "", "", 9,
     "oral:Der Antrag beim Landesamt für Straßenbau ist gestellt; wir berichten im Gemeinderat."),
    ("Wann kommt endlich der Radweg nach Panitzsch?", "", "", 2, "merge:1"),
    ("Solarmodule zum Sonderpreis – jetzt bei uns anfragen!", "", "Firma X", 0, "hold:advertising"),
    ("Warum wird der Feldweg zum Friedhof im Winter so spät geräumt?", "", "Heinz", 3, ""),
)  # fmt: skip
NEXT_SPEAKER = (
    ("Gibt es eine gemeinsame Lösung der Allianz für den Hausärztemangel?", "In unserem Ort "
     "schließt die Praxis zum Jahresende.", "", 6, ""),
    ("Wird das Ferienprogramm wieder für alle Gemeinden gemeinsam angeboten?", "", "Familie B.",
     0, "wait"),
)  # fmt: skip


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), BERLIN).astimezone(UTC)


def _hour(db, alliance, office, kind, municipality, title, day, topic, questions) -> int:
    made = service.create_hour(
        db, alliance, office,
        service.HourDraft(kind, municipality, title, day, "18:00", "19:00", topic),
    )  # fmt: skip
    # two days before the hour, or (for a coming hour) in the last hours: never in the future
    latest = datetime.now(UTC) - timedelta(hours=len(questions) + 1)
    asked_at = min(_at(day, 18) - timedelta(days=2), latest)
    ids: list[int] = []
    for number, (body, background, name, supports, outcome) in enumerate(questions):
        draft = service.QuestionDraft(body, background, name)
        question = service.ask(db, made.id, draft, now=asked_at)
        stamp = (asked_at + timedelta(hours=number)).isoformat(timespec="seconds")
        store.update_question(db, question.id, {"created_at": stamp, "updated_at": stamp})
        ids.append(question.id)
        if outcome == "wait":
            continue
        if outcome.startswith("hold:"):
            service.hold(db, office, question.id, outcome[5:])
            continue
        if outcome.startswith("merge:"):
            service.merge(db, office, question.id, ids[int(outcome[6:]) - 1])
            continue
        service.approve(db, office, question.id)
        store.add_supports(db, question.id, supports)
        if outcome:
            oral = outcome.startswith("oral:")
            answered_at = _at(day, 18) + timedelta(minutes=10 + 15 * number)
            service.answer(db, office, question.id, outcome[5:] if oral else outcome,
                           "oral" if oral else "text", now=answered_at)  # fmt: skip
    return made.id


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> int:
    """Idempotent: nothing happens when hours exist already. Returns the hours made."""
    if store.hours(db):
        return 0
    office = User(actor.name, "Geschäftsstelle", Role.MANAGER)
    members = alliance.municipalities
    first, second = members[0], members[1 % len(members)]
    today = date.today()
    _hour(db, alliance, office, "mayor", first.ags, f"Bürgermeister Thomas Vogel, {first.name}",
          today - timedelta(days=12), "Radwege und Ortsdurchfahrt", PAST)  # fmt: skip
    _hour(db, alliance, office, "speaker", None, f"Sprecher der {alliance.name}",
          today + timedelta(days=7), "Ärztliche Versorgung, Ferienprogramm",
          NEXT_SPEAKER)  # fmt: skip
    _hour(db, alliance, office, "mayor", second.ags,
          f"Bürgermeisterin Anja Krause, {second.name}", today + timedelta(days=20),
          "Leerstand im Ortskern", ())  # fmt: skip
    return 3
