"""`allianz sharing`: the pool's items, expiring holds and the quarter's statement."""

from __future__ import annotations

from pathlib import Path

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.errors import ValidationError
from allianz.formatting import count_of
from allianz.sharing import service, statement


@click.group("sharing", help="Geräte-Pool der Bauhöfe und Teilkultur")
def group() -> None:
    pass


@group.command("items", help="Geräte im Pool auflisten")
def list_items() -> None:
    db = database.open_for(config.load())
    for item in service.items(db):
        click.echo(f"{item.ref}  {item.holder_label:<28} {item.category_label:<26} {item.title}")


@group.command("expire", help="abgelaufene Reservierungen als abgelaufen markieren")
def expire() -> None:
    db = database.open_for(config.load())
    click.echo(
        f"{count_of(service.expire_holds(db), 'Reservierung', 'Reservierungen')} abgelaufen."
    )


@group.command("statement", help="Abgeltung eines Quartals als PDF oder CSV schreiben")
@click.argument("year", type=int)
@click.argument("quarter", type=int)
@click.argument("out")
def write_statement(year: int, quarter: int, out: str) -> None:
    suffix = Path(out).suffix.lower()
    if suffix not in (".pdf", ".csv"):
        raise ValidationError("Die Ausgabedatei muss auf .pdf oder .csv enden.")
    alliance = config.load()
    pairs = service.settlement(database.open_for(alliance), COMMAND_LINE, year, quarter)
    if suffix == ".pdf":
        Path(out).write_bytes(statement.pdf(pairs, alliance, year, quarter))
    else:
        Path(out).write_text(statement.csv(pairs, alliance), encoding="utf-8-sig")
    click.echo(
        f"Abgeltung {quarter}. Quartal {year}: "
        f"{count_of(len(pairs), 'Gemeindepaar', 'Gemeindepaare')} nach {out}."
    )
