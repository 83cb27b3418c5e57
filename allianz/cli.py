"""The `allianz` command: a thin click layer over the services.

The database, demo, privacy and benchmark commands are central; every slice adds its own
command group through the feature registry. Every refusal exits with 2 and a German message
and leaves the database unchanged.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from allianz import audit, config, database, demo, features, privacy
from allianz.errors import Conflict, DomainError
from allianz.municipalities import service as municipalities


@click.group("allianz", help="Allianz-Werkstatt verwalten")
def root() -> None:
    pass


# --- db -------------------------------------------------------------------------------------


@root.group("db", help="Datenbank")
def db_group() -> None:
    pass


@db_group.command("init", help="anlegen oder migrieren, Demo laden wenn leer")
@click.option("--no-demo", is_flag=True, help="keine Demo-Daten laden")
def db_init(no_demo: bool) -> None:
    alliance = config.load()
    db = database.initialise(alliance)
    click.echo(f"Datenbank bereit: {db.conn.execute('PRAGMA database_list').fetchone()[2]}")
    if not no_demo and not municipalities.areas(db):
        _print_demo(demo.load(db, alliance, audit.CLI))


@db_group.command("backup", help="Online-Sicherung nach DEST (integrity_check geprüft)")
@click.argument("dest")
def db_backup(dest: str) -> None:
    target_path = Path(dest)
    if target_path.exists():
        raise Conflict(f"{target_path} existiert schon; bitte ein neues Ziel angeben.")
    db = database.open_for(config.load())
    target_path.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(target_path)
    try:
        db.conn.backup(target)
        result = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
    if result != "ok":
        target_path.unlink(missing_ok=True)
        raise Conflict(f"Sicherung fehlerhaft (integrity_check: {result}); Datei entfernt.")
    click.echo(f"Sicherung geschrieben: {target_path} (integrity_check: ok)")


# --- demo -----------------------------------------------------------------------------------


@root.group("demo", help="Demo-Allianz")
def demo_group() -> None:
    pass


@demo_group.command("load", help="Demo-Daten aller Bereiche und Demo-Konten laden (idempotent)")
def demo_load() -> None:
    alliance = config.load()
    _print_demo(demo.load(database.initialise(alliance), alliance, audit.CLI))


def _print_demo(created: list[demo.DemoAccount]) -> None:
    click.echo("Demo-Konten:")
    for account in created:
        where = f"Gemeinde {account.municipality_ags}" if account.municipality_ags else ""
        secret = account.password or "(bestand schon, Passwort unverändert)"
        click.echo(
            f"  {account.username:<22} {account.role.value:<14} {where:<18} Passwort: {secret}"
        )


# --- privacy --------------------------------------------------------------------------------


@root.group("privacy", help="Datenschutz: Auskunft, Löschung, Aufbewahrungsfrist")
def privacy_group() -> None:
    pass


@privacy_group.command("export", help="Auskunft zu einer E-Mail-Adresse (JSON)")
@click.argument("email")
@click.option("--out", help="JSON-Datei statt Ausgabe auf dem Bildschirm")
def privacy_export(email: str, out: str | None) -> None:
    db = database.open_for(config.load())
    text = json.dumps(privacy.export(db, email, audit.CLI), ensure_ascii=False, indent=2)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"Auskunft für {email} nach {out} geschrieben.")
    else:
        click.echo(text)


@privacy_group.command("erase", help="E-Mail-Adresse überall löschen")
@click.argument("email")
def privacy_erase(email: str) -> None:
    db = database.open_for(config.load())
    counts = privacy.erase(db, email, audit.CLI)
    click.echo("Gelöscht bzw. anonymisiert: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@privacy_group.command("purge", help="Alte Adressen und Anfragen löschen")
@click.option("--months", type=int, help="Frist (Standard: aus der Konfiguration)")
def privacy_purge(months: int | None) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    months = alliance.retention_months if months is None else months
    counts = privacy.purge(db, months, audit.CLI)
    click.echo(
        f"Älter als {months} Monate, gelöscht: " + ", ".join(f"{k} {v}" for k, v in counts.items())
    )


# --- bench ----------------------------------------------------------------------------------


@root.command(
    "bench",
    help="Benchmark im Maßstab eines Landkreises (siehe README; Optionen: allianz bench --help)",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("options", nargs=-1, type=click.UNPROCESSED)
def bench(options: tuple[str, ...]) -> None:
    """The benchmark lives in the source tree (bench/), beside this package."""
    if not (config.PROJECT_ROOT / "bench" / "run.py").exists():
        raise DomainError(
            "Der Benchmark braucht den Quellbaum (bench/run.py); bitte dort ausführen."
        )
    sys.path.insert(0, str(config.PROJECT_ROOT))
    from bench import run  # noqa: PLC0415 - only in a source checkout

    run.main(list(options))


def command_tree() -> click.Group:
    """The root group with every registered slice's commands added."""
    for feature in features.registry():
        if feature.cli is not None and feature.cli.name not in root.commands:
            root.add_command(feature.cli)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        command_tree().main(args=args, prog_name="allianz", standalone_mode=False)
    except DomainError as exc:
        if len(exc.errors) > 1:
            print("Fehler:\n  " + "\n  ".join(exc.errors), file=sys.stderr)
        else:
            print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        print("Abgebrochen.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
