"""Several app processes on one host and one database, behind HAProxy.

Streamlit keeps a session (its widgets, its uploads, its media) in the memory of the process
whose WebSocket it holds, so the proxy must send a browser to the same process every time:
HAProxy inserts a cookie naming the process (`allianz_prozess`) on the first answer and
routes by it. What several processes must agree on (sign-in sessions, limits, the mail
queue, submission tokens) is in the database already; caches are per process and keyed by the
data version. All processes get the same `server.cookieSecret`, so a cookie Streamlit signed
(the OIDC sign-in) is valid in every process.

HAProxy checks `/healthz` every two seconds and takes a process out after three failures; a
browser whose process died reconnects, HAProxy sends it to another one (`option redispatch`),
and the sign-in cookie (a database session) keeps the user signed in. `Cluster` supervises
the processes: one that exits is started again, and the proxy takes it back once healthy.
A rolling restart drains one process at a time (no new sessions, a grace period for the open
ones), stops it and starts it anew.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from allianz.config import PROJECT_ROOT
from allianz.devserver import app_command, free_port, wait_http

# Debian installs it to /usr/sbin, which is not on every PATH
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
AFFINITY_COOKIE = "allianz_prozess"
BACKEND = "app"


def haproxy_config(
    *,
    bind: str,
    port: int,
    servers: Mapping[str, int],
    admin_socket: Path,
    check_interval_ms: int = 2000,
    tls_cert: Path | None = None,
) -> str:
    """The proxy in front of the processes `servers` (name -> loopback port); with
    `tls_cert` (certificate and key in one PEM file) it speaks HTTPS."""
    lines = [
        "global",
        "    maxconn 4096",  # two descriptors each: stays within a default limit of 10.000
        f"    stats socket {admin_socket} mode 600 level admin",
        "",
        "defaults",
        "    mode http",
        "    option http-server-close",
        "    timeout connect 5s",
        "    timeout client 60s",
        "    timeout server 120s",
        # a WebSocket lives as long as the page is open; the browser's heartbeat keeps it busy
        "    timeout tunnel 1h",
        "    timeout client-fin 10s",
        "    option redispatch",
        "    retries 3",
        "",
        "frontend allianz",
        f"    bind {bind}:{port}" + (f" ssl crt {tls_cert}" if tls_cert else ""),
        # this proxy is the edge: the client's own X-Forwarded-For is dropped, and the
        # address HAProxy saw is handed on (the app trusts it via ALLIANZ_TRUSTED_PROXIES)
        "    http-request del-header X-Forwarded-For",
        "    option forwardfor",
        "    http-request set-header X-Forwarded-Proto " + ("https" if tls_cert else "http"),
        f"    default_backend {BACKEND}",
        "",
        f"backend {BACKEND}",
        "    balance leastconn",
        f"    cookie {AFFINITY_COOKIE} insert indirect nocache httponly attr SameSite=Lax",
        "    option httpchk GET /healthz",
        "    http-check expect status 200",
        # a process busy with many sessions answers slowly, not never: up to 10 s per check
        # before it counts as failed (at 2 s, one saturated process was taken out and all its
        # sessions cut); a dead one refuses at once and is out after three checks
        "    timeout check 10s",
        f"    default-server inter {check_interval_ms} fall 3 rise 2 slowstart 5s "
        "on-marked-down shutdown-sessions",
    ]
    lines += [f"    server {name} 127.0.0.1:{p} cookie {name} check" for name, p in servers.items()]
    return "\n".join(lines) + "\n"


def admin(socket_path: Path, command: str, timeout: float = 5) -> str:
    """One command on HAProxy's admin socket ("show stat", "set server app/p1 state drain")."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(str(socket_path))
        conn.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def server_states(socket_path: Path) -> dict[str, dict[str, str]]:
    """The backend's servers as HAProxy sees them: status (UP, DOWN, DRAIN, MAINT, …),
    current sessions (`scur`) and how often the health check failed (`chkfail`)."""
    text = admin(socket_path, "show stat")
    header, *rows = [line for line in text.splitlines() if line.strip()]
    names = header.lstrip("# ").split(",")
    found = {}
    for row in rows:
        record = dict(zip(names, row.split(","), strict=False))
        if record.get("pxname") == BACKEND and record.get("svname") not in ("FRONTEND", "BACKEND"):
            found[record["svname"]] = record
    return found


@dataclass
class AppProcess:
    name: str
    port: int
    log: Path
    proc: subprocess.Popen | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """N app processes and HAProxy; `start()`, `supervise_once()` in a loop, `stop()`."""

    processes: int
    port: int
    state_dir: Path
    bind: str = "127.0.0.1"
    env: Mapping[str, str] = field(default_factory=dict)
    secrets_file: Path | None = None
    check_interval_ms: int = 2000
    tls_cert: Path | None = None
    apps: list[AppProcess] = field(default_factory=list)
    proxy: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls_cert else 'http'}://{self.bind}:{self.port}"

    @property
    def admin_socket(self) -> Path:
        return self.state_dir / "haproxy.sock"

    def _app_env(self, app: AppProcess) -> dict[str, str]:
        return {
            **os.environ,
            "FORWARDED_ALLOW_IPS": "",  # uvicorn trusts nobody; the app trusts the proxy
            "ALLIANZ_TRUSTED_PROXIES": "127.0.0.1",
            "STREAMLIT_SERVER_COOKIE_SECRET": self._cookie_secret(),
            "ALLIANZ_PROCESS": app.name,
            **self.env,
        }

    def _cookie_secret(self) -> str:
        """One secret for all processes, kept beside the proxy's files across restarts."""
        given = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or self.env.get(
            "STREAMLIT_SERVER_COOKIE_SECRET"
        )
        if given:
            return given
        path = self.state_dir / "cookie-secret"
        if not path.exists():
            path.write_text(secrets.token_hex(32), encoding="ascii")
            path.chmod(0o600)
        return path.read_text(encoding="ascii").strip()

    def launch(self, app: AppProcess) -> None:
        app.proc = subprocess.Popen(  # noqa: S603 - our own command line
            app_command(app.port, secrets_file=self.secrets_file),
            cwd=PROJECT_ROOT,
            env=self._app_env(app),
            stdout=app.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        app.starts += 1

    def wait_healthy(self, app: AppProcess, timeout: float = 120) -> None:
        try:
            wait_http(app.url + "/healthz", timeout, app.proc)
        except (RuntimeError, TimeoutError) as exc:
            message = f"Prozess {app.name} startet nicht ({exc}): "
            raise RuntimeError(message + _tail(app.log)) from None

    def start(self) -> None:
        """Start the processes, then the proxy once all are healthy; on any failure nothing
        is left running."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.apps = [
            AppProcess(f"p{n + 1}", free_port(), self.state_dir / f"p{n + 1}.log")
            for n in range(self.processes)
        ]
        for app in self.apps:
            self.launch(app)
        for app in self.apps:
            self.wait_healthy(app)
        config = self.state_dir / "haproxy.cfg"
        config.write_text(
            haproxy_config(
                bind=self.bind,
                port=self.port,
                servers={a.name: a.port for a in self.apps},
                admin_socket=self.admin_socket,
                check_interval_ms=self.check_interval_ms,
                tls_cert=self.tls_cert,
            ),
            encoding="utf-8",
        )
        check = subprocess.run(  # noqa: S603
            [HAPROXY, "-c", "-q", "-f", str(config)], capture_output=True, text=True, check=False
        )
        if check.returncode != 0:
            raise RuntimeError("HAProxy-Konfiguration ungültig: " + check.stderr.strip())
        self.proxy = subprocess.Popen(  # noqa: S603
            [HAPROXY, "-db", "-f", str(config)],
            stdout=(self.state_dir / "haproxy.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while not self._all_up():
            if self.proxy.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "HAProxy startet nicht: " + _tail(self.state_dir / "haproxy.log")
                )
            time.sleep(0.2)

    def _all_up(self) -> bool:
        """The proxy answers on its admin socket and has found every process healthy."""
        try:
            states = server_states(self.admin_socket)
        except OSError:
            return False
        return len(states) == len(self.apps) and all(
            r.get("status", "").startswith("UP") for r in states.values()
        )

    def supervise_once(self) -> list[str]:
        """Start every process again that has exited; returns their names."""
        restarted = []
        for app in self.apps:
            if app.proc is not None and app.proc.poll() is not None:
                self.launch(app)
                restarted.append(app.name)
        return restarted

    def drain(self, app: AppProcess, grace: float) -> None:
        """No new sessions for `app`; wait up to `grace` seconds for its open connections."""
        admin(self.admin_socket, f"set server {BACKEND}/{app.name} state drain")
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if int(server_states(self.admin_socket)[app.name].get("scur") or 0) == 0:
                return
            time.sleep(0.5)

    def rolling_restart(self, grace: float = 30) -> None:
        """One process after the other: drain, stop, start, healthy, ready again."""
        for app in self.apps:
            self.drain(app, grace)
            _terminate(app.proc)
            self.launch(app)
            self.wait_healthy(app)
            admin(self.admin_socket, f"set server {BACKEND}/{app.name} state ready")

    def stop(self) -> None:
        for app in self.apps:
            _terminate(app.proc)
        _terminate(self.proxy)


def _terminate(proc: subprocess.Popen | None, timeout: float = 15) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
