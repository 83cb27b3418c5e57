"""The `allianz` command (noun verb): set-up, accounts, boundaries, backups.

Every error exits non-zero with a German message and leaves the database unchanged.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sqlite3
import sys
import tomllib
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from allianz import audit, config, database, demo, mail, privacy
from allianz.accounts import service as accounts
from allianz.auth import ROLE_LABELS, Role
from allianz.municipalities import service as municipalities
from allianz.networks import importer as networks_importer
from allianz.networks import service as networks
from allianz.networks.model import Network
from allianz.summary import figures as summary_figures
from allianz.summary import report as summary_report
from allianz.vacancies import files as vacancy_files
from allianz.vacancies import service as vacancies
from allianz.vacancies import store as vacancy_store
from allianz.workshops import protocol as workshop_protocol
from allianz.workshops import store as workshop_store

CLI_ACTOR = audit.Actor("cli", "admin")


class CliError(RuntimeError):
    pass


# Refusals the services word for the user themselves: printed as they are.
_REFUSALS = (
    CliError,
    config.ConfigError,
    database.DatabaseStateError,
    accounts.AccountError,
    municipalities.BoundaryImportError,
    networks.NetworkError,
    workshop_protocol.ProtocolError,
    vacancy_files.VacancyFileError,
)


def _db_init(args: argparse.Namespace) -> None:
    alliance = config.load()
    db = database.initialise(alliance)
    print(f"Datenbank bereit: {db.conn.execute('PRAGMA database_list').fetchone()[2]}")
    if not args.no_demo and not municipalities.areas(db):
        _print_demo(demo.load(db, alliance, CLI_ACTOR))


def _db_backup(args: argparse.Namespace) -> None:
    dest = Path(args.dest)
    if dest.exists():
        raise CliError(f"{dest} existiert schon; bitte ein neues Ziel angeben.")
    alliance = config.load()
    db = database.open_for(alliance)
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(dest)
    try:
        db.conn.backup(target)
        result = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
    if result != "ok":
        dest.unlink(missing_ok=True)
        raise CliError(f"Sicherung fehlerhaft (integrity_check: {result}); Datei entfernt.")
    print(f"Sicherung geschrieben: {dest} (integrity_check: ok)")


def _demo_load(args: argparse.Namespace) -> None:
    alliance = config.load()
    db = database.initialise(alliance)
    _print_demo(demo.load(db, alliance, CLI_ACTOR))


def _print_demo(created: list[demo.DemoAccount]) -> None:
    print("Demo-Konten:")
    for account in created:
        where = f"Gemeinde {account.municipality_ags}" if account.municipality_ags else ""
        secret = account.password or "(bestand schon, Passwort unverändert)"
        print(f"  {account.username:<22} {account.role.value:<14} {where:<18} Passwort: {secret}")


def _users_add(args: argparse.Namespace) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    password = None if args.oidc_only else _read_password(args)
    user = accounts.create_user(
        db,
        alliance,
        CLI_ACTOR,
        username=args.name,
        role=args.role,
        password=password,
        municipality_ags=args.municipality,
        display_name=args.display_name,
        email=args.email,
    )
    print(f"Konto angelegt: {user.username} ({ROLE_LABELS[user.role]})")


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != password:
        raise CliError("Die Passwörter stimmen nicht überein.")
    return password


def _users_passwd(args: argparse.Namespace) -> None:
    db = database.open_for(config.load())
    accounts.set_password(db, CLI_ACTOR, args.name, _read_password(args))
    print(f"Passwort für {args.name} geändert.")


def _users_disable(args: argparse.Namespace) -> None:
    db = database.open_for(config.load())
    accounts.set_active(db, CLI_ACTOR, args.name, active=args.enable)
    print(f"Konto {args.name} {'freigegeben' if args.enable else 'gesperrt'}.")


def _users_list(args: argparse.Namespace) -> None:
    db = database.open_for(config.load())
    rows = accounts.list_users(db)
    print(f"{'Benutzer':<24}{'Rolle':<15}{'Gemeinde':<10}{'aktiv':<6}E-Mail")
    for row in rows:
        print(
            f"{row['username']:<24}{row['role']:<15}{row['municipality_ags'] or '-':<10}"
            f"{'ja' if row['active'] else 'nein':<6}{row['email'] or '-'}"
        )


def _boundaries_import(args: argparse.Namespace) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"Datei nicht gefunden: {path}")
    imported = municipalities.import_boundaries(db, alliance, path, CLI_ACTOR)
    print(f"Amtliche Grenzen übernommen für {len(imported)} Gemeinden: {', '.join(imported)}")


def _network_import(args: argparse.Namespace) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"Datei nicht gefunden: {path}")
    mapping = {}
    for pair in args.map or []:
        target, _, column = pair.partition("=")
        if target not in networks_importer.MAPPABLE or not column:
            raise CliError(f"--map erwartet ZIEL=SPALTE mit ZIEL aus {networks_importer.MAPPABLE}")
        mapping[target] = column
    preview = networks.prepare_import(path, municipalities.areas(db), mapping)
    for note in preview.notes:
        print(f"Hinweis: {note}")
    if preview.errors:
        raise CliError("Import abgelehnt, nichts gespeichert:\n  " + "\n  ".join(preview.errors))
    chosen = {Network(n) for n in args.network}
    count = networks.commit_import(db, preview, chosen, CLI_ACTOR)
    print(f"{count} Abschnitte ({preview.km:.2f} km) importiert.")


def _network_export(args: argparse.Namespace) -> None:
    db = database.open_for(config.load())
    count = networks.export_file(db, Path(args.out))
    print(f"{count} Abschnitte nach {args.out} exportiert.")


def _workshops_export(args: argparse.Namespace) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    out = Path(args.out)
    fmt = out.suffix.lstrip(".").lower()
    data = workshop_protocol.build(db, alliance, args.id, fmt)
    out.write_bytes(data)
    print(f"Protokoll der Werkstatt {args.id} nach {out} geschrieben ({len(data)} Bytes).")


def _workshops_list(args: argparse.Namespace) -> None:
    db = database.open_for(config.load())
    counts = workshop_store.card_counts(db)
    for w in workshop_store.all_workshops(db):
        count = counts.get(w.id, 0)
        print(f"{w.id:>5}  {w.date}  {w.phase.value:<8} {count:>5} Karten  {w.title}")


def _vacancies_import(args: argparse.Namespace) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"Datei nicht gefunden: {path}")
    rows = vacancy_files.read_rows(path, alliance)
    try:
        result = vacancies.import_rows(
            db, alliance, municipalities.areas(db), None, rows, actor=CLI_ACTOR
        )
    except vacancies.VacancyError as exc:
        raise CliError(
            "Import abgelehnt, nichts gespeichert:\n  " + "\n  ".join(exc.errors)
        ) from exc
    print(f"{result.count} Flächen importiert.")


def _vacancies_export(args: argparse.Namespace) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    out = Path(args.out)
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in ("csv", "xlsx", "gpkg"):
        raise CliError("Die Ausgabedatei muss auf .csv, .xlsx oder .gpkg enden.")
    sites = vacancy_store.search(db)
    owners = None
    if args.internal:
        owners = vacancy_store.owners(db)
        audit.record(db, CLI_ACTOR, "vacancy.export_internal", "vacancy", details={"format": fmt})
    out.write_bytes(vacancy_files.write(sites, alliance, fmt, owners))
    extra = " mit Eigentümerdaten (intern)" if args.internal else " ohne Eigentümerdaten"
    print(f"{len(sites)} Flächen nach {out} exportiert{extra}.")


def _report(args: argparse.Namespace) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    try:
        until = date.fromisoformat(args.until) if args.until else date.today()
        since = date.fromisoformat(args.since) if args.since else until - timedelta(days=365)
    except ValueError as exc:
        raise CliError("Datum bitte als JJJJ-MM-TT angeben.") from exc
    if since > until:
        raise CliError("--since liegt nach --until.")
    name = None
    if args.municipality:
        try:
            name = alliance.municipality(args.municipality).name
        except KeyError as exc:
            raise CliError(f"AGS {args.municipality} gehört nicht zur Allianz.") from exc
    summary = summary_figures.build(
        db, alliance, municipalities.areas(db), summary_figures.Period(since, until)
    )
    out = Path(args.out)
    out.write_bytes(summary_report.pdf(alliance, summary, name))
    print(f"Sitzungsvorlage ({name or alliance.name}, {summary.period.label}) nach {out}.")


def _privacy_export(args: argparse.Namespace) -> None:
    db = database.open_for(config.load())
    data = privacy.export(db, args.email, CLI_ACTOR)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Auskunft für {args.email} nach {args.out} geschrieben.")
    else:
        print(text)


def _privacy_erase(args: argparse.Namespace) -> None:
    db = database.open_for(config.load())
    counts = privacy.erase(db, args.email, CLI_ACTOR)
    print("Gelöscht bzw. anonymisiert: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def _privacy_purge(args: argparse.Namespace) -> None:
    alliance = config.load()
    db = database.open_for(alliance)
    months = alliance.retention_months if args.months is None else args.months
    try:
        counts = privacy.purge(db, months, CLI_ACTOR)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    print(
        f"Älter als {months} Monate, gelöscht: " + ", ".join(f"{k} {v}" for k, v in counts.items())
    )


def _mail_send(args: argparse.Namespace) -> None:
    secrets_file = Path(args.secrets)
    if not secrets_file.is_file():
        raise CliError(f"{secrets_file} fehlt: dort steht der Abschnitt [smtp].")
    settings = mail.SmtpSettings.from_mapping(
        tomllib.loads(secrets_file.read_text(encoding="utf-8")).get("smtp")
    )
    if settings is None:
        raise CliError(f"{secrets_file} hat keinen Abschnitt [smtp] mit host.")
    db = database.open_for(config.load())
    sent = mail.deliver_pending(db, settings)
    print(f"{sent} E-Mail(s) verschickt, {mail.pending_count(db)} warten noch.")


def _bench(options: list[str]) -> None:
    """The benchmark lives in the source tree (bench/), beside this package; its options
    (see `allianz bench --help`) are passed on unparsed."""
    if not (config.PROJECT_ROOT / "bench" / "run.py").exists():
        raise CliError("Der Benchmark braucht den Quellbaum (bench/run.py); bitte dort ausführen.")
    sys.path.insert(0, str(config.PROJECT_ROOT))
    from bench import run  # noqa: PLC0415 - only in a source checkout

    run.main(options)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="allianz", description="Allianz-Werkstatt verwalten")
    nouns = parser.add_subparsers(dest="noun", required=True)

    def verb(noun: argparse._SubParsersAction, name: str, handler: Callable, help_text: str):
        sub = noun.add_parser(name, help=help_text)
        sub.set_defaults(handler=handler)
        return sub

    db_cmd = nouns.add_parser("db", help="Datenbank").add_subparsers(dest="verb", required=True)
    init = verb(db_cmd, "init", _db_init, "anlegen oder migrieren, Demo laden wenn leer")
    init.add_argument("--no-demo", action="store_true", help="keine Demo-Daten laden")
    backup = verb(db_cmd, "backup", _db_backup, "Online-Sicherung nach DEST")
    backup.add_argument("dest")

    demo_cmd = nouns.add_parser("demo", help="Demo-Allianz").add_subparsers(
        dest="verb", required=True
    )
    verb(demo_cmd, "load", _demo_load, "Demo-Gebiete und Demo-Konten laden (idempotent)")

    users_cmd = nouns.add_parser("users", help="Konten").add_subparsers(dest="verb", required=True)
    add = verb(users_cmd, "add", _users_add, "Konto anlegen")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--municipality", metavar="AGS")
    add.add_argument("--email", help="für die Anmeldung per OIDC")
    add.add_argument("--display-name")
    secret = add.add_mutually_exclusive_group()
    secret.add_argument("--password-stdin", action="store_true", help="Passwort von stdin lesen")
    secret.add_argument("--oidc-only", action="store_true", help="nur OIDC, kein Passwort")
    verb(users_cmd, "list", _users_list, "Konten auflisten")
    passwd = verb(users_cmd, "passwd", _users_passwd, "Passwort neu setzen")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true", help="Passwort von stdin lesen")
    disable = verb(users_cmd, "disable", _users_disable, "Konto sperren")
    disable.add_argument("name")
    disable.add_argument("--enable", action="store_true", help="Sperre wieder aufheben")

    boundaries_cmd = nouns.add_parser("boundaries", help="Gemeindegrenzen").add_subparsers(
        dest="verb", required=True
    )
    imp = verb(boundaries_cmd, "import", _boundaries_import, "amtliche Grenzen (VG250_GEM)")
    imp.add_argument("file")

    network_cmd = nouns.add_parser("network", help="Radwege- und Kernwegenetz").add_subparsers(
        dest="verb", required=True
    )
    net_import = verb(network_cmd, "import", _network_import, "GIS-Datei einlesen")
    net_import.add_argument("file")
    net_import.add_argument(
        "--network",
        required=True,
        action="append",
        choices=[n.value for n in Network],
        help="rad und/oder kern",
    )
    net_import.add_argument(
        "--map",
        action="append",
        metavar="ZIEL=SPALTE",
        help="Spalte der Datei einem Feld zuordnen, z. B. name=BEZ",
    )
    net_export = verb(network_cmd, "export", _network_export, "als .gpkg oder .geojson")
    net_export.add_argument("out")

    workshops_cmd = nouns.add_parser("workshops", help="Bürgerwerkstätten").add_subparsers(
        dest="verb", required=True
    )
    verb(workshops_cmd, "list", _workshops_list, "Werkstätten auflisten")
    ws_export = verb(workshops_cmd, "export", _workshops_export, "Protokoll als .md, .pdf, .csv")
    ws_export.add_argument("id", type=int)
    ws_export.add_argument("out")

    vacancies_cmd = nouns.add_parser("vacancies", help="Leerstandskataster").add_subparsers(
        dest="verb", required=True
    )
    vac_import = verb(vacancies_cmd, "import", _vacancies_import, "CSV, XLSX oder GPKG einlesen")
    vac_import.add_argument("file")
    vac_export = verb(vacancies_cmd, "export", _vacancies_export, "als .csv, .xlsx oder .gpkg")
    vac_export.add_argument("out")
    vac_export.add_argument(
        "--internal", action="store_true", help="mit Eigentümerdaten (nur für die Verwaltung)"
    )

    privacy_cmd = nouns.add_parser("privacy", help="Datenschutz").add_subparsers(
        dest="verb", required=True
    )
    p_export = verb(privacy_cmd, "export", _privacy_export, "Auskunft zu einer E-Mail-Adresse")
    p_export.add_argument("email")
    p_export.add_argument("--out", help="JSON-Datei statt Ausgabe auf dem Bildschirm")
    p_erase = verb(privacy_cmd, "erase", _privacy_erase, "E-Mail-Adresse überall löschen")
    p_erase.add_argument("email")
    p_purge = verb(privacy_cmd, "purge", _privacy_purge, "Alte Adressen und Anfragen löschen")
    p_purge.add_argument("--months", type=int, help="Frist (Standard: aus der Konfiguration)")

    report = nouns.add_parser("report", help="Sitzungsvorlage als PDF")
    report.set_defaults(handler=_report)
    report.add_argument("out", help="Ausgabedatei, z. B. bericht.pdf")
    report.add_argument("--municipality", metavar="AGS", help="nur diese Gemeinde im Detail")
    report.add_argument("--since", metavar="JJJJ-MM-TT", help="Beginn (Standard: vor einem Jahr)")
    report.add_argument("--until", metavar="JJJJ-MM-TT", help="Ende (Standard: heute)")

    nouns.add_parser("bench", help="Benchmark im Maßstab eines Landkreises (siehe README)")

    mail_cmd = nouns.add_parser("mail", help="E-Mail-Ausgang").add_subparsers(
        dest="verb", required=True
    )
    send = verb(mail_cmd, "send", _mail_send, "wartende E-Mails erneut senden")
    send.add_argument("--secrets", default=str(config.PROJECT_ROOT / ".streamlit" / "secrets.toml"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["bench"]:
            _bench(argv[1:])
            return 0
        args = build_parser().parse_args(argv)
        args.handler(args)
    except _REFUSALS as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
