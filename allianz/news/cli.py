"""`allianz news`: list the news, publish (approve) or withdraw an item as the office."""

from __future__ import annotations

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.formatting import de_datetime
from allianz.news import service
from allianz.news.model import State


@click.group("news", help="Neuigkeiten der Geschäftsstelle und der Gemeinden")
def group() -> None:
    pass


@group.command("list", help="Meldungen mit Stand auflisten (neueste zuerst)")
@click.option("--wartend", is_flag=True, help="nur Meldungen, die auf Freigabe warten")
@click.option("--anzahl", default=50, show_default=True, help="höchstens so viele")
def list_items(wartend: bool, anzahl: int) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    items = (
        service.review_queue(db, COMMAND_LINE)
        if wartend
        else service.desk(db, COMMAND_LINE, size=anzahl).items
    )
    for item in items[:anzahl]:
        click.echo(
            f"{item.id:>6}  {de_datetime(item.updated_at):<17} {item.state_label:<20} "
            f"{service.place_label(alliance, item.municipality_ags):<22} {item.title}"
        )


@group.command("publish", help="eine wartende Meldung freigeben oder einen Entwurf veröffentlichen")
@click.argument("item_id", type=int)
def publish(item_id: int) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    item = service.get(db, item_id)
    if item.state is State.SUBMITTED:
        item = service.approve(db, COMMAND_LINE, item_id)
    else:
        item = service.submit(db, alliance, COMMAND_LINE, item_id)
    click.echo(f"Meldung {item.id} ist {item.state_label}: {item.title}")


@group.command("withdraw", help="eine Meldung zurückziehen (nicht mehr öffentlich)")
@click.argument("item_id", type=int)
def withdraw(item_id: int) -> None:
    db = database.open_for(config.load())
    item = service.withdraw(db, COMMAND_LINE, item_id)
    click.echo(f"Meldung {item.id} ist zurückgezogen: {item.title}")
