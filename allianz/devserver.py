"""Starts the app on 127.0.0.1 for the browser tests and the benchmark (bench/browser.py).

It lives in the package, not in tests/, so that the benchmark does not import from the test
suite; both use the same server start, the same Chromium flags and the same waits. Only the
standard library is imported: Playwright stays a test-only dependency (`wait_idle` takes any
Playwright page).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from allianz.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60, proc: subprocess.Popen | None = None) -> bytes:
    """The body of `url` once it answers; fails early if `proc` (the server) has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise TimeoutError(url)


def app_command(
    port: int, address: str = "127.0.0.1", secrets_file: Path | None = None
) -> list[str]:
    """`streamlit run app.py` as every server of ours starts it (tests, bench, cluster)."""
    command = [
        sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
        "--server.port", str(port), "--server.address", address,
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    if secrets_file is not None:
        command += ["--secrets.files", str(secrets_file)]
    return command


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    db_path: Path
    log: Path

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_app(
    tmp: Path,
    *,
    secrets: str | None = None,
    wait: bool = True,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> Server:
    """`streamlit run app.py` with its database and log in `tmp`; by default waits for
    /healthz (and raises with the server log if it never answers)."""
    port = port or free_port()
    db_path = tmp / "e2e.sqlite3"
    env = {
        **os.environ,
        "ALLIANZ_DB": str(db_path),
        "ALLIANZ_CONFIG": "partheland",
        # uvicorn must not evaluate X-Forwarded-For itself (allianz/forwarded.py)
        "FORWARDED_ALLOW_IPS": "",
        **(env or {}),
    }
    cmd = app_command(
        port, secrets_file=tmp / ("secrets.toml" if secrets is not None else "no-secrets.toml")
    )
    if secrets is not None:
        (tmp / "secrets.toml").write_text(secrets, encoding="utf-8")
    log = tmp / f"server-{port}.log"
    proc = subprocess.Popen(
        cmd, cwd=PROJECT_ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    server = Server(f"http://127.0.0.1:{port}", proc, db_path, log)
    if wait:
        try:
            wait_http(server.url + "/healthz", proc=proc)
        except (RuntimeError, TimeoutError):
            server.stop()
            raise RuntimeError(log.read_text(errors="replace")) from None
    return server


def wait_idle(page) -> None:
    """Wait until the Streamlit script of this Playwright page has finished its run."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
