"""`allianz mail`: retry what waits in the outbox, or deliver it continuously."""

from __future__ import annotations

import contextlib
import signal
import threading
import tomllib
from pathlib import Path

import click

from allianz import config, database
from allianz.errors import ValidationError
from allianz.mail import outbox, worker


@click.group("mail", help="E-Mail-Ausgang")
def group() -> None:
    pass


SECRETS = click.option(
    "--secrets",
    default=str(config.PROJECT_ROOT / ".streamlit" / "secrets.toml"),
    show_default=True,
    help="Datei mit dem Abschnitt [smtp]",
)


def _settings(secrets: str) -> outbox.SmtpSettings:
    secrets_file = Path(secrets)
    if not secrets_file.is_file():
        raise ValidationError(f"{secrets_file} fehlt: dort steht der Abschnitt [smtp].")
    settings = outbox.SmtpSettings.from_mapping(
        tomllib.loads(secrets_file.read_text(encoding="utf-8")).get("smtp")
    )
    if settings is None:
        raise ValidationError(f"{secrets_file} hat keinen Abschnitt [smtp] mit host.")
    return settings


@group.command("send", help="wartende E-Mails jetzt senden (auch in der Pause nach Fehlern)")
@SECRETS
def send(secrets: str) -> None:
    settings = _settings(secrets)
    db = database.open_for(config.load())
    sent = outbox.deliver_pending(db, settings)
    click.echo(f"{sent} E-Mail(s) verschickt, {outbox.pending_count(db)} warten noch.")


@group.command("worker", help="E-Mails laufend zustellen, bis Strg+C oder SIGTERM")
@SECRETS
def run_worker(secrets: str) -> None:
    """The app delivers by itself; this is for a delivering process of its own."""
    settings = _settings(secrets)
    alliance = config.load()
    database.open_for(alliance).close()  # a missing or outdated database is refused now
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo("E-Mail-Versand läuft (Strg+C beendet).")
    with contextlib.suppress(KeyboardInterrupt):
        worker.run(lambda: database.open_for(alliance), settings, stop)
    click.echo("E-Mail-Versand beendet.")
