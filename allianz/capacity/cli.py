"""`allianz capacity`: several app processes behind HAProxy, their state, a rolling restart."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import click

from allianz import config, database
from allianz.capacity import cluster, store
from allianz.formatting import de_datetime

STATE_DIR = config.PROJECT_ROOT / "data" / "cluster"
STATE = click.option(
    "--state-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=str(STATE_DIR),
    show_default=True,
    help="Ordner für HAProxy-Konfiguration, Admin-Socket, Protokolle und Cookie-Schlüssel",
)


@click.group("capacity", help="Betrieb: mehrere Prozesse hinter HAProxy")
def group() -> None:
    pass


@group.command("serve", help="N App-Prozesse und HAProxy starten und überwachen (bis Strg+C)")
@click.option("--processes", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Anzahl der App-Prozesse (einer je Kern ist ein guter Anfang)")  # fmt: skip
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
              help="Port des Proxys, unter dem die Anwendung erreichbar ist")  # fmt: skip
@click.option("--bind", default="127.0.0.1", show_default=True, help="Adresse des Proxys")
@click.option("--grace", type=float, default=30, show_default=True,
              help="Sekunden, die ein Prozess beim Neustart offene Sitzungen abgibt")  # fmt: skip
@click.option("--tls-cert", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Zertifikat und Schlüssel in einer PEM-Datei (HTTPS)")  # fmt: skip
@STATE
def serve(
    processes: int, port: int, bind: str, grace: float, tls_cert: Path | None, state_dir: Path
) -> None:
    database.initialise(config.load()).close()  # migrate once, before the processes start
    node = cluster.Cluster(processes, port, state_dir, bind=bind, tls_cert=tls_cert)
    wanted: list[str] = []
    signal.signal(signal.SIGHUP, lambda *_: wanted.append("restart"))
    signal.signal(signal.SIGTERM, lambda *_: wanted.append("stop"))
    node.start()
    (state_dir / "supervisor.pid").write_text(str(os.getpid()), encoding="ascii")
    click.echo(f"{processes} Prozesse hinter HAProxy: {node.url} (Strg+C beendet)")
    try:
        while "stop" not in wanted:
            for name in node.supervise_once():
                click.echo(f"Prozess {name} war beendet und wurde neu gestartet.")
            if "restart" in wanted:
                wanted.remove("restart")
                click.echo("Rollierender Neustart …")
                node.rolling_restart(grace)
                click.echo("Alle Prozesse neu gestartet.")
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        node.stop()
        (state_dir / "supervisor.pid").unlink(missing_ok=True)


@group.command("restart", help="laufende Prozesse nacheinander neu starten (ohne Ausfall)")
@STATE
def restart(state_dir: Path) -> None:
    pid_file = state_dir / "supervisor.pid"
    if not pid_file.exists():
        raise click.ClickException(f"Kein laufendes „allianz capacity serve“ in {state_dir}.")
    os.kill(int(pid_file.read_text(encoding="ascii")), signal.SIGHUP)
    click.echo("Neustart angefordert; die Prozesse werden nacheinander neu gestartet.")


@group.command("status", help="Prozesse laut HAProxy und laut ihren Meldungen in der Datenbank")
@STATE
def status(state_dir: Path) -> None:
    socket_path = state_dir / "haproxy.sock"
    if socket_path.exists():
        for name, record in cluster.server_states(socket_path).items():
            click.echo(
                f"HAProxy {name}: {record.get('status')}, {record.get('scur')} Verbindungen, "
                f"{record.get('chkfail')} fehlgeschlagene Prüfungen"
            )
    else:
        click.echo(f"Kein HAProxy-Admin-Socket in {state_dir}.")
    db = database.open_for(config.load())
    try:
        for report in store.all_reports(db):
            click.echo(
                f"Prozess {report.name} (PID {report.pid}, Port {report.port}): "
                f"{report.sessions} Sitzungen, {report.rss_bytes // 2**20} MB, "
                f"zuletzt gemeldet {de_datetime(report.seen_at.isoformat())}"
            )
    finally:
        db.close()
