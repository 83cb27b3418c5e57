"""`allianz events`: list the events, approve or decline a club's event, write the calendar."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.cli_args import base_url_option
from allianz.events import feeds, service


@click.group("events", help="Veranstaltungen der Mitglieder, Vereine und der Allianz")
def group() -> None:
    pass


@group.command("list", help="Veranstaltungen mit Stand auflisten (die neuesten zuerst)")
@click.option("--waiting", is_flag=True, help="nur die Meldungen, die auf Freigabe warten")
def list_events(waiting: bool) -> None:
    db = database.open_for(config.load())
    shown = service.moderation_queue(db, COMMAND_LINE) if waiting else service.latest(db, limit=500)
    for event in shown:
        click.echo(
            f"{event.id:>5}  {service.event_when(event):<44} {event.state_label:<20} "
            f"{event.municipality_ags or 'Allianz':<9} {event.title}"
        )


@group.command("approve", help="gemeldete Veranstaltung freigeben (der Verein erhält eine E-Mail)")
@click.argument("event_id", type=int)
@base_url_option
def approve(event_id: int, base_url: str) -> None:
    db = database.open_for(config.load())
    event = service.approve(db, COMMAND_LINE, event_id, base_url.rstrip("/"))
    click.echo(f"Veranstaltung {event.id} ist veröffentlicht: {event.title}")


@group.command("decline", help="gemeldete Veranstaltung mit Grund ablehnen (E-Mail an den Verein)")
@click.argument("event_id", type=int)
@click.argument("reason")
def decline(event_id: int, reason: str) -> None:
    db = database.open_for(config.load())
    event = service.decline(db, COMMAND_LINE, event_id, reason)
    click.echo(f"Veranstaltung {event.id} ist abgelehnt.")


@group.command("ics", help="öffentliche Veranstaltungen als iCalendar-Datei (.ics) schreiben")
@click.argument("out")
@click.option("--gemeinde", default="", help="nur Veranstaltungen dieser Gemeinde (AGS)")
@click.option("--kategorie", default="", help="nur Veranstaltungen dieser Kategorie (Code)")
@base_url_option
def write_ics(out: str, gemeinde: str, kategorie: str, base_url: str) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    query = {k: v for k, v in (("gemeinde", gemeinde), ("kategorie", kategorie)) if v}
    body = feeds.build(db, alliance, query, base_url.rstrip("/"), datetime.now(UTC))
    Path(out).write_bytes(body)
    click.echo(f"Veranstaltungen nach {out}.")
