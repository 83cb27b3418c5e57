"""`allianz workshops`: list the workshops and write a protocol file."""

from __future__ import annotations

from pathlib import Path

import click

from allianz import config, database
from allianz.workshops import protocol, service


@click.group("workshops", help="Bürgerwerkstätten")
def group() -> None:
    pass


@group.command("list", help="Werkstätten auflisten")
def list_workshops() -> None:
    db = database.open_for(config.load())
    counts = service.card_counts(db)
    for w in service.all_workshops(db):
        count = counts.get(w.id, 0)
        click.echo(f"{w.id:>5}  {w.date}  {w.phase.value:<8} {count:>5} Karten  {w.title}")


@group.command("export", help="Protokoll als .md, .pdf oder .csv")
@click.argument("workshop_id", metavar="ID", type=int)
@click.argument("out")
def export(workshop_id: int, out: str) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    target = Path(out)
    data = protocol.build(db, alliance, workshop_id, target.suffix.lstrip(".").lower())
    target.write_bytes(data)
    click.echo(
        f"Protokoll der Werkstatt {workshop_id} nach {target} geschrieben ({len(data)} Bytes)."
    )
