"""`allianz network`: import and export the cycle network and the Kernwegenetz."""

from __future__ import annotations

from pathlib import Path

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.cli_args import input_file
from allianz.errors import ValidationError
from allianz.formatting import count_of, de_float
from allianz.municipalities import service as municipalities
from allianz.networks import importer, service
from allianz.networks.model import Network


@click.group("network", help="Radwege- und Kernwegenetz")
def group() -> None:
    pass


@group.command("import", help="GIS-Datei einlesen (GPX, GeoJSON, KML, GeoPackage, Shapefile-ZIP)")
@click.argument("file")
@click.option(
    "--network",
    "networks",
    required=True,
    multiple=True,
    type=click.Choice([n.value for n in Network]),
    help="rad und/oder kern",
)
@click.option(
    "--map",
    "pairs",
    multiple=True,
    metavar="ZIEL=SPALTE",
    help="Spalte der Datei einem Feld zuordnen, z. B. name=BEZ",
)
def import_file(file: str, networks: tuple[str, ...], pairs: tuple[str, ...]) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    path = input_file(file)
    mapping = {}
    for pair in pairs:
        target, _, column = pair.partition("=")
        if target not in importer.MAPPABLE or not column:
            raise ValidationError(f"--map erwartet ZIEL=SPALTE mit ZIEL aus {importer.MAPPABLE}")
        mapping[target] = column
    preview = service.prepare_import(path, municipalities.areas(db), mapping)
    for note in preview.notes:
        click.echo(f"Hinweis: {note}")
    if preview.errors:
        raise ValidationError(
            "Import abgelehnt, nichts gespeichert:\n  " + "\n  ".join(preview.errors)
        )
    count = service.import_for(db, COMMAND_LINE, preview, {Network(n) for n in networks})
    segments = count_of(count, "Abschnitt", "Abschnitte")
    click.echo(f"{segments} ({de_float(preview.km, 2)} km) importiert.")


@group.command("export", help="als .gpkg oder .geojson")
@click.argument("out")
def export(out: str) -> None:
    db = database.open_for(config.load())
    count = service.export_file(db, Path(out))
    click.echo(f"{count_of(count, 'Abschnitt', 'Abschnitte')} nach {out} exportiert.")
