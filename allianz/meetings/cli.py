"""`allianz meetings`: list the meetings and write a calendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click

from allianz import config, database
from allianz.accounts.model import COMMAND_LINE
from allianz.cli_args import base_url_option, input_file
from allianz.errors import ValidationError
from allianz.formatting import de_datetime
from allianz.meetings import ical, service


@click.group("meetings", help="Sitzungen, Netzwerkveranstaltungen und Termine")
def group() -> None:
    pass


@group.command("list", help="Sitzungen des letzten Jahres und die kommenden auflisten")
def list_meetings() -> None:
    db = database.open_for(config.load())
    start = datetime.now(UTC) - timedelta(days=366)
    for m in service.listing(db, COMMAND_LINE, start=start):
        click.echo(
            f"{m.id:>5}  {de_datetime(m.starts_at.isoformat())}  {m.state_label:<24} "
            f"{m.kind_label}: {m.title}"
        )


@group.command("ics", help="öffentliche Termine als iCalendar-Datei (.ics) schreiben")
@click.argument("out")
@base_url_option
def write_ics(out: str, base_url: str) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    start = datetime.now(UTC) - timedelta(days=366)
    meetings = service.public_listing(db, start=start)
    Path(out).write_bytes(ical.calendar(meetings, alliance, base_url.rstrip("/")))
    click.echo(f"{len(meetings)} Termine nach {out}.")


def _day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError as exc:
        raise ValidationError("Datum bitte als JJJJ-MM-TT angeben.") from exc


@group.command("report", help="Tätigkeitsbericht der Geschäftsstelle als PDF oder Word (.docx)")
@click.argument("out")
@click.option("--since", metavar="JJJJ-MM-TT", help="Beginn (Standard: vor einem Jahr)")
@click.option("--until", metavar="JJJJ-MM-TT", help="Ende (Standard: heute)")
@click.option("--foreword-file", metavar="DATEI",
              help="Vorbemerkung aus Textdatei (UTF-8, Absätze durch Leerzeilen)")  # fmt: skip
def write_report(out: str, since: str | None, until: str | None, foreword_file: str | None) -> None:
    from allianz.meetings import report  # noqa: PLC0415 - fpdf and python-docx only when asked

    suffix = Path(out).suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise ValidationError("Die Ausgabedatei muss auf .pdf oder .docx enden.")
    last = _day(until, date.today())
    period = report.Period(_day(since, last - timedelta(days=365)), last)
    foreword = input_file(foreword_file).read_text(encoding="utf-8") if foreword_file else None
    alliance = config.load()
    made = report.collect(database.open_for(alliance), alliance, COMMAND_LINE, period, foreword)
    Path(out).write_bytes(report.pdf(made) if suffix == ".pdf" else report.docx(made))
    click.echo(f"Tätigkeitsbericht ({period.label}) nach {out}.")
