"""`allianz feed-import`: take over the members' feeds now (for cron), list the sources."""

from __future__ import annotations

import click

from allianz import audit, config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.feed_import import service
from allianz.municipalities import service as municipalities


@click.group("feed-import", help="Feeds der Websites der Mitglieder übernehmen")
def group() -> None:
    pass


@group.command(
    "run", help="alle aktiven Feed-Quellen abrufen und übernehmen (für cron, z. B. stündlich)"
)
def run() -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    results = service.run_all(db, alliance, municipalities.areas(db), audit.CLI)
    failed = 0
    for result in results:
        if result.ok:
            click.echo(
                f"Quelle {result.source_id}: {result.created} neu, {result.updated} geändert, "
                f"{result.unchanged} unverändert, {len(result.skipped)} nicht übernommen."
            )
        else:
            failed += 1
            click.echo(f"Quelle {result.source_id}: Fehler: {result.error}")
    click.echo(f"{len(results)} Quellen abgerufen, {failed} mit Fehler.")


@group.command("list", help="die Feed-Quellen mit dem letzten Abruf")
def list_sources() -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    names = {m.ags: m.name for m in alliance.municipalities}
    for source in service.sources(db, COMMAND_LINE):
        state = "pausiert" if source.paused else "aktiv"
        click.echo(
            f"{source.id:>4}  {names.get(source.municipality_ags, '?'):<18} "
            f"{source.kind_label:<28} {state:<9} {service.last_run(source)}  {source.url}"
        )
        if source.last_error:
            click.echo(f"      {source.last_error}")
