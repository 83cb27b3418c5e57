"""`allianz digest`: the weekly newsletter run (for cron) and its figures."""

from __future__ import annotations

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.digest import service


@click.group("digest", help="Newsletter (wöchentlicher E-Mail-Überblick)")
def group() -> None:
    pass


@group.command("send", help="den Newsletter dieser Woche verschicken (einmal je Woche)")
@click.option("--base-url", required=True, help="Adresse der App für die Links in den E-Mails")
def send(base_url: str) -> None:
    alliance = config.load()
    run = service.send_weekly(database.open_for(alliance), alliance, base_url)
    click.echo(
        f"Woche {run.week}: {run.mails} Newsletter in den E-Mail-Ausgang gelegt, "
        f"{run.without_news} ohne Neues, {run.already_sent} schon in dieser Woche verschickt."
    )


@group.command("status", help="Abonnements je Gemeinde, offene Anmeldungen, letzte Läufe")
def status() -> None:
    alliance = config.load()
    found = service.overview(database.open_for(alliance), alliance, COMMAND_LINE)
    names = {m.ags: m.name for m in alliance.municipalities}
    click.echo(f"{found['confirmed']} bestätigte Abonnements, {found['pending']} unbestätigt.")
    for ags, count in found["per_municipality"].items():
        click.echo(f"  {names.get(ags, ags):<24} {count:>6}")
    for run in found["runs"]:
        click.echo(f"  {run['week']}: {run['mails']} E-Mails, {run['without_news']} ohne Neues")
