"""`allianz suggestions`: export the suggestions for GIS or a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.formatting import de_int
from allianz.suggestions import service
from allianz.suggestions.model import Status


@click.group("suggestions", help="Hinweise (Bürgermelder)")
def group() -> None:
    pass


@group.command("export", help="als .csv oder .geojson (ohne E-Mail-Adressen)")
@click.argument("out")
@click.option("--municipality", "ags", metavar="AGS", multiple=True, help="nur diese Gemeinde(n)")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in Status]),
    help="nur dieser Stand",
)
def export(out: str, ags: tuple[str, ...], statuses: tuple[str, ...]) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    target = Path(out)
    filters = service.Filters(municipality_ags=ags, statuses=tuple(Status(s) for s in statuses))
    text = service.export(db, alliance, COMMAND_LINE, filters, target.suffix.lstrip(".").lower())
    target.write_text(text, encoding="utf-8")
    click.echo(f"{de_int(service.count(db, filters))} Hinweise nach {target} exportiert.")
