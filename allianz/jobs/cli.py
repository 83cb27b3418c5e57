"""`allianz jobs`: list the postings, send the reminders before the deadline, show the archive."""

from __future__ import annotations

import click

from allianz import config, database
from allianz.errors import DomainError
from allianz.formatting import de_date
from allianz.jobs import service


@click.group("jobs", help="Stellenbörse der Mitglieder")
def group() -> None:
    pass


def _names(alliance) -> dict[str, str]:
    return {m.ags: m.name for m in alliance.municipalities}


def _echo(postings, names) -> None:
    for p in postings:
        click.echo(
            f"{p.id:>6}  bis {de_date(p.valid_through)}  {names.get(p.municipality_ags, '?'):<18} "
            f"{p.kind_label:<18} {p.title}"
        )


def _filters(alliance, municipality, kind, year=None):
    try:
        return service.filters_from(alliance, municipality, kind, None, year)
    except DomainError as exc:
        raise click.UsageError(str(exc)) from exc


@group.command("list", help="offene Stellenanzeigen (Frist heute oder später), neueste zuerst")
@click.option("--gemeinde", "municipality", help="nur diese Gemeinde (AGS)")
@click.option("--art", "kind", help="stelle, ausbildung, praktikum oder freiwilligendienst")
def list_postings(municipality: str | None, kind: str | None) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    page = service.open_postings(db, _filters(alliance, municipality, kind), size=10_000)
    _echo(page.postings, _names(alliance))
    click.echo(f"{page.total} offene Stellenanzeigen.")


@group.command("archive", help="Stellenanzeigen mit abgelaufener Bewerbungsfrist")
@click.option("--jahr", "year", help="nur Fristen in diesem Jahr")
@click.option("--gemeinde", "municipality", help="nur diese Gemeinde (AGS)")
def archive(year: str | None, municipality: str | None) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    page = service.archived_postings(db, _filters(alliance, municipality, None, year), size=10_000)
    _echo(page.postings, _names(alliance))
    click.echo(f"{page.total} Stellenanzeigen im Archiv.")


@group.command("remind", help="Erinnerung an die ausschreibende Stelle 5 Tage vor der Frist")
@click.option("--base-url", default="", help="Adresse der App für den Link in der E-Mail")
def remind(base_url: str) -> None:
    alliance = config.load()
    sent = service.remind(database.open_for(alliance), alliance, base_url=base_url.rstrip("/"))
    click.echo(f"{sent} Erinnerungen in den E-Mail-Ausgang gelegt.")
