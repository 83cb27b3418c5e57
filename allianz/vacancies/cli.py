"""`allianz vacancies`: import and export the vacancy register (Leerstandskataster)."""

from __future__ import annotations

from pathlib import Path

import click

from allianz import audit, config, database
from allianz.accounts.model import COMMAND_LINE, User
from allianz.auth import Role
from allianz.cli_args import input_file
from allianz.municipalities import service as municipalities
from allianz.vacancies import files, risk_service, service


@click.group("vacancies", help="Leerstandskataster")
def group() -> None:
    pass


@group.command("import", help="CSV, XLSX oder GeoPackage einlesen (alles oder nichts)")
@click.argument("file")
def import_file(file: str) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    path = input_file(file)
    rows = files.read_rows(path, alliance)
    result = service.import_rows(
        db, alliance, municipalities.areas(db), None, rows, actor=audit.CLI
    )
    click.echo(f"{result.count} Flächen importiert.")


@group.command("export", help="als .csv, .xlsx oder .gpkg")
@click.argument("out")
@click.option("--internal", is_flag=True, help="mit Eigentümerdaten (nur für die Verwaltung)")
def export(out: str, internal: bool) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    target = Path(out)
    data = service.export_file(
        db, alliance, COMMAND_LINE, target.suffix.lstrip(".").lower(), internal=internal
    )
    target.write_bytes(data)
    count = len(service.register(db, ()))
    extra = " mit Eigentümerdaten (intern)" if internal else " ohne Eigentümerdaten"
    click.echo(f"{count} Flächen nach {target} exportiert{extra}.")


@group.command(
    "risk-import",
    help="Melderegister-Auszug (CSV/XLSX) einer Gemeinde: nur Merkmale bleiben, keine Geburtsjahre",
)
@click.argument("file")
@click.option("--gemeinde", "ags", required=True, help="AGS der Gemeinde, deren Auszug es ist")
def risk_import(file: str, ags: str) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    if ags not in {m.ags for m in alliance.municipalities}:
        raise click.BadParameter(f"{ags} ist keine Mitgliedsgemeinde.", param_hint="--gemeinde")
    # the server's administrator acts for that municipality's administration
    acting = User(COMMAND_LINE.username, COMMAND_LINE.display_name, Role.STAFF, ags)
    result = risk_service.import_file(
        db, alliance, municipalities.areas(db), acting, input_file(file)
    )
    click.echo(
        f"{result.buildings} Gebäude übernommen, davon {result.risk} mit Leerstandsrisiko; "
        f"{result.removed} nicht mehr im Auszug."
    )
    for line in result.unknown:
        click.echo(f"Nicht gefunden: {line}")
