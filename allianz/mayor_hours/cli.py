"""`allianz mayor-hours`: list the consultation hours, write a transcript or the calendar."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from allianz import config, database
from allianz.cli_args import base_url_option
from allianz.errors import ValidationError
from allianz.mayor_hours import ical, service, transcript


@click.group("mayor-hours", help="Sprechstunden der Bürgermeister (Frag den Bürgermeister)")
def group() -> None:
    pass


@group.command("list", help="Sprechstunden mit Stand und Zahl der Fragen auflisten")
def list_hours() -> None:
    db = database.open_for(config.load())
    now = datetime.now(UTC)
    for hour in service.hours(db):
        counts = service.counts(db, hour.id)
        state = service.PHASE_LABELS[service.phase(hour, now)]
        click.echo(
            f"{hour.id:>5}  {service.when(hour):<34} {state:<22} {counts.received:>4} Fragen, "
            f"{counts.answered:>4} beantwortet  {hour.host_title}"
        )


@group.command("transcript", help="Protokoll einer Sprechstunde als PDF oder Markdown schreiben")
@click.argument("hour_id", type=int)
@click.argument("out")
def write_transcript(hour_id: int, out: str) -> None:
    suffix = Path(out).suffix.lower()
    if suffix not in (".pdf", ".md"):
        raise ValidationError("Bitte eine Datei mit der Endung .pdf oder .md angeben.")
    db = database.open_for(config.load())
    body = transcript.build(db, config.load(), hour_id, suffix[1:])
    Path(out).write_bytes(body.encode() if isinstance(body, str) else body)
    click.echo(f"Protokoll der Sprechstunde {hour_id} nach {out}.")


@group.command("ics", help="Sprechstunden als iCalendar-Datei (.ics) schreiben")
@click.argument("out")
@base_url_option
def write_ics(out: str, base_url: str) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    hours = service.hours(db)
    Path(out).write_bytes(ical.calendar(hours, alliance, base_url.rstrip("/"), datetime.now(UTC)))
    click.echo(f"{len(hours)} Sprechstunden nach {out}.")
