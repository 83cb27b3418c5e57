"""`allianz developments`: list the developments, send the reminders before the deadline."""

from __future__ import annotations

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.developments import service
from allianz.formatting import de_date


@click.group("developments", help="Bauvorhaben zwischen den Mitgliedern abstimmen")
def group() -> None:
    pass


@group.command("list", help="alle gemeldeten Bauvorhaben mit Stand der Rückmeldungen")
def list_developments() -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    for d in service.listing(db, alliance, COMMAND_LINE):
        answered = sum(1 for a in d.answers if a.answer)
        click.echo(
            f"{d.ref}  bis {de_date(d.deadline)}  {answered}/{len(d.answers)} Antworten  "
            f"{d.status_label:<34} {d.kind_label}: {d.title}"
        )


@group.command("remind", help="Erinnerung an Gemeinden ohne Rückmeldung eine Woche vor der Frist")
def remind() -> None:
    alliance = config.load()
    sent = service.remind(database.open_for(alliance), alliance)
    click.echo(f"{sent} Erinnerungen in den E-Mail-Ausgang gelegt.")
