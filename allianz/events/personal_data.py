"""What the events keep about people: the e-mail address of a club that submitted an event
without an account (for the message about approval or refusal, with consent). Never public,
never in a feed. Found by the address; erased by deleting it (the event itself is the club's
public announcement and stays); purged once the event's last date has passed the retention
period (a declined event: once its submission has)."""

from __future__ import annotations

import sqlite_utils

from allianz.features import PersonalData


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    sql = (
        "SELECT e.title AS veranstaltung, e.starts_at, e.state, s.submitter_email, "
        "s.created_at FROM event_submitters s JOIN events e ON e.id = s.event_id "
        "WHERE s.submitter_email = ? COLLATE NOCASE ORDER BY s.created_at"
    )
    return [dict(r) for r in db.query(sql, [address])]


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    sql = "DELETE FROM event_submitters WHERE submitter_email = ? COLLATE NOCASE"
    return {"event_submitters": db.execute(sql, [address]).rowcount}


def _purge(db: sqlite_utils.Database, cutoff: str) -> dict[str, int]:
    sql = (
        "DELETE FROM event_submitters WHERE event_id IN (SELECT id FROM events WHERE "
        "last_end_at < ? OR (state = 'declined' AND updated_at < ?))"
    )
    return {"event_submitters": db.execute(sql, [cutoff, cutoff]).rowcount}


SUBMITTERS = PersonalData(
    table="event_submitters",
    columns=("submitter_email",),
    export_key="veranstaltungen_meldungen",
    export=_export,
    erase=_erase,
    purge=_purge,
    retention=(
        "Von Vereinen gemeldete Veranstaltungen: die E-Mail-Adresse der meldenden Person (nur "
        "für die Nachricht über Freigabe oder Ablehnung, mit Einwilligung, nie öffentlich) bis "
        "zum Ende der Aufbewahrungsfrist nach dem letzten Termin der Veranstaltung; bei einer "
        "abgelehnten Meldung nach der Ablehnung."
    ),
)
