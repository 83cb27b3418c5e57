"""`allianz boundaries`: official municipal boundaries (VG250) from the command line."""

from __future__ import annotations

import click

from allianz import audit, config, database
from allianz.cli_args import input_file
from allianz.municipalities import service


@click.group("boundaries", help="Gemeindegrenzen")
def group() -> None:
    pass


@group.command("import", help="amtliche Grenzen (VG250_GEM) übernehmen")
@click.argument("file")
def import_file(file: str) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    path = input_file(file)
    imported = service.import_boundaries(db, alliance, path, audit.CLI)
    click.echo(f"Amtliche Grenzen übernommen für {len(imported)} Gemeinden: {', '.join(imported)}")
