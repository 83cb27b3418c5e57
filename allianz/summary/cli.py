"""`allianz report`: the council report (Sitzungsvorlage) as PDF."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.errors import ValidationError
from allianz.municipalities import service as municipalities
from allianz.summary import service


def _day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError as exc:
        raise ValidationError("Datum bitte als JJJJ-MM-TT angeben.") from exc


@click.command("report", help="Sitzungsvorlage als PDF")
@click.argument("out")
@click.option("--municipality", metavar="AGS", help="nur diese Gemeinde im Detail")
@click.option("--since", metavar="JJJJ-MM-TT", help="Beginn (Standard: vor einem Jahr)")
@click.option("--until", metavar="JJJJ-MM-TT", help="Ende (Standard: heute)")
def report(out: str, municipality: str | None, since: str | None, until: str | None) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    last = _day(until, date.today())
    first = _day(since, last - timedelta(days=365))
    if first > last:
        raise ValidationError("--since liegt nach --until.")
    name = alliance.name
    if municipality:
        try:
            name = alliance.municipality(municipality).name
        except KeyError as exc:
            raise ValidationError(f"AGS {municipality} gehört nicht zur Allianz.") from exc
    period = service.Period(first, last)
    data = service.report_for(
        db, alliance, municipalities.areas(db), COMMAND_LINE, period, municipality
    )
    Path(out).write_bytes(data)
    click.echo(f"Sitzungsvorlage ({name}, {period.label}) nach {out}.")
