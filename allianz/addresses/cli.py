"""`allianz addresses`: import the address index, try the search."""

from __future__ import annotations

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.addresses import service
from allianz.cli_args import input_file
from allianz.formatting import de_float


@click.group("addresses", help="Adressverzeichnis (Hauskoordinaten)")
def group() -> None:
    pass


@group.command(
    "import",
    help="CSV (; oder ,), GeoJSON oder GeoPackage mit Straße, Hausnummer, PLZ, Ort, Ortsteil "
    "und Koordinaten einlesen; ersetzt das Verzeichnis jeder Gemeinde der Datei",
)
@click.argument("file")
@click.option(
    "--crs",
    type=click.Choice([c for c in service.CRS_CHOICES if c]),
    default=None,
    help="Koordinatensystem von Rechts-/Hochwert in CSV-Dateien (ohne: automatisch erkennen)",
)
def import_file(file: str, crs: str | None) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    summary = service.import_file(db, alliance, COMMAND_LINE, input_file(file), crs=crs)
    click.echo(summary.message({m.ags: m.name for m in alliance.municipalities}))


@group.command("search", help="Adressen suchen wie auf der Seite „Hinweis melden“")
@click.argument("text")
def search(text: str) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    hits = service.search(db, text)
    for hit in hits:
        click.echo(f"{hit.label}\t(Breite {de_float(hit.lat, 6)}, Länge {de_float(hit.lon, 6)})")
    if not hits:
        click.echo("Keine passende Adresse.")
