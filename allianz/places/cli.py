"""`allianz places`: import places from a file, export the public data, list the places."""

from __future__ import annotations

from pathlib import Path

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.errors import ValidationError
from allianz.formatting import count_of
from allianz.places import osm, service


@click.group("places", help="Stadtplan & Ansprechpartner: Orte einlesen, ausgeben, auflisten")
def group() -> None:
    pass


@group.command("import", help="Orte aus GeoJSON, GeoPackage, CSV (lat/lon) oder .osm.pbf einlesen")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False),
    help="OSM: Zuordnung „schlüssel=wert“ = „kategorie“ als TOML- oder JSON-Datei",
)
def import_places(file: str, mapping: str | None) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    chosen = osm.load_mapping(Path(mapping)) if mapping else None
    report = service.import_file(db, alliance, COMMAND_LINE, Path(file), chosen)
    click.echo(report.summary)
    for line in report.errors:
        click.echo(line, err=True)


@group.command("export", help="Öffentliche Ortsdaten als GeoJSON oder GeoPackage schreiben")
@click.argument("out")
def export_places(out: str) -> None:
    suffix = Path(out).suffix.lower()
    kinds = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}
    if suffix not in kinds:
        raise ValidationError("Bitte eine Datei mit der Endung .geojson oder .gpkg angeben.")
    alliance = config.load()
    db = database.open_for(alliance)
    Path(out).write_bytes(service.export(db, alliance, kinds[suffix]))
    click.echo(f"{count_of(len(service.places(db)), 'Ort', 'Orte')} nach {out}.")


@group.command("list", help="Orte mit Kategorie, Gemeinde und Öffnungszeiten auflisten")
@click.option("--kategorie", "category", default=None, help="nur diese Kategorie (z. B. bauhof)")
def list_places(category: str | None) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    names = {m.ags: m.name for m in alliance.municipalities}
    for place in service.places(db, [category] if category else None):
        town = names.get(place.municipality_ags, "")
        click.echo(
            f"{place.id:>6}  {place.category_label:<26} {town:<16} "
            f"{place.name}  {place.opening_hours}"
        )
