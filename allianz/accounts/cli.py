"""`allianz users`: accounts from the command line (the server's administrator)."""

from __future__ import annotations

import getpass
import sys

import click

from allianz import audit, config, database
from allianz.accounts import service
from allianz.auth import ROLE_LABELS, Role
from allianz.errors import ValidationError


@click.group("users", help="Konten")
def group() -> None:
    pass


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != password:
        raise ValidationError("Die Passwörter stimmen nicht überein.")
    return password


@group.command("add", help="Konto anlegen")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="Rolle")
@click.option("--municipality", metavar="AGS", help="Gemeinde (AGS) für Verwaltung/Bürgermeister")
@click.option("--email", help="für die Anmeldung per OIDC")
@click.option("--display-name", help="Anzeigename")
@click.option("--password-stdin", is_flag=True, help="Passwort von stdin lesen")
@click.option("--oidc-only", is_flag=True, help="nur OIDC, kein Passwort")
def add(name, role, municipality, email, display_name, password_stdin, oidc_only) -> None:
    if password_stdin and oidc_only:
        raise ValidationError("--password-stdin und --oidc-only schließen einander aus.")
    alliance = config.load()
    db = database.open_for(alliance)
    password = None if oidc_only else _read_password(password_stdin)
    user = service.create_user(
        db,
        alliance,
        audit.CLI,
        username=name,
        role=role,
        password=password,
        municipality_ags=municipality,
        display_name=display_name,
        email=email,
    )
    click.echo(f"Konto angelegt: {user.username} ({ROLE_LABELS[user.role]})")


@group.command("list", help="Konten auflisten")
def list_users() -> None:
    db = database.open_for(config.load())
    click.echo(f"{'Benutzer':<24}{'Rolle':<15}{'Gemeinde':<10}{'aktiv':<6}E-Mail")
    for row in service.list_users(db):
        click.echo(
            f"{row['username']:<24}{row['role']:<15}{row['municipality_ags'] or '-':<10}"
            f"{'ja' if row['active'] else 'nein':<6}{row['email'] or '-'}"
        )


@group.command("passwd", help="Passwort neu setzen")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Passwort von stdin lesen")
def passwd(name: str, password_stdin: bool) -> None:
    db = database.open_for(config.load())
    service.set_password(db, audit.CLI, name, _read_password(password_stdin))
    click.echo(f"Passwort für {name} geändert.")


@group.command("disable", help="Konto sperren")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Sperre wieder aufheben")
def disable(name: str, enable: bool) -> None:
    db = database.open_for(config.load())
    service.set_active(db, audit.CLI, name, active=enable)
    click.echo(f"Konto {name} {'freigegeben' if enable else 'gesperrt'}.")
