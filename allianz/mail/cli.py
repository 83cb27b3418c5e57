"""`allianz mail`: retry what waits in the outbox."""

from __future__ import annotations

import tomllib
from pathlib import Path

import click

from allianz import config, database
from allianz.errors import ValidationError
from allianz.mail import outbox


@click.group("mail", help="E-Mail-Ausgang")
def group() -> None:
    pass


@group.command("send", help="wartende E-Mails erneut senden")
@click.option(
    "--secrets",
    default=str(config.PROJECT_ROOT / ".streamlit" / "secrets.toml"),
    show_default=True,
    help="Datei mit dem Abschnitt [smtp]",
)
def send(secrets: str) -> None:
    secrets_file = Path(secrets)
    if not secrets_file.is_file():
        raise ValidationError(f"{secrets_file} fehlt: dort steht der Abschnitt [smtp].")
    settings = outbox.SmtpSettings.from_mapping(
        tomllib.loads(secrets_file.read_text(encoding="utf-8")).get("smtp")
    )
    if settings is None:
        raise ValidationError(f"{secrets_file} hat keinen Abschnitt [smtp] mit host.")
    db = database.open_for(config.load())
    sent = outbox.deliver_pending(db, settings)
    click.echo(f"{sent} E-Mail(s) verschickt, {outbox.pending_count(db)} warten noch.")
