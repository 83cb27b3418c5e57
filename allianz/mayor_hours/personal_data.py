"""What the consultation hours keep about people: the asker's optional e-mail address (for the
notification they consented to) and the optional name shown with the question. Found by the
address; erased by removing both (the question's text stays part of the hour's public record);
addresses purged once the hour has passed the retention period."""

from __future__ import annotations

import sqlite_utils

from allianz.features import PersonalData


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    sql = (
        "SELECT h.host_title AS sprechstunde, h.starts_at, q.body AS frage, q.shown_name, "
        "q.asker_email, q.state, q.created_at FROM mayor_questions q "
        "JOIN mayor_hours h ON h.id = q.hour_id WHERE q.asker_email = ? COLLATE NOCASE "
        "ORDER BY q.created_at"
    )
    return [dict(r) for r in db.query(sql, [address])]


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = (
        "UPDATE mayor_questions SET asker_email = '', shown_name = '' "
        "WHERE asker_email = ? COLLATE NOCASE"
    )
    return {"mayor_questions": db.execute(sql, [address]).rowcount}


def _purge(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = (
        "UPDATE mayor_questions SET asker_email = '' WHERE asker_email != '' AND hour_id IN "
        "(SELECT id FROM mayor_hours WHERE ends_at < ?)"
    )
    return {"mayor_question_emails": db.execute(sql, [cutoff]).rowcount}


QUESTIONS = PersonalData(
    table="mayor_questions",
    columns=("shown_name", "asker_email"),
    export_key="sprechstunden_fragen",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention=(
        "Fragen an die Sprechstunde: die freiwillig angegebene E-Mail-Adresse (nur für die "
        "Benachrichtigung, mit Einwilligung) bis zum Ende der Aufbewahrungsfrist nach der "
        "Sprechstunde; der angezeigte Name wird auf Wunsch gelöscht, der Fragetext bleibt Teil "
        "des öffentlichen Protokolls."
    ),
)
