"""Every app process reports itself to the database every few seconds.

The page "Betrieb" is drawn by whichever process serves the browser, but must show all of
them; memory of one process cannot tell, the shared database can. A report holds the open
Streamlit sessions, resident memory and CPU time of the process, read from /proc.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from allianz import config, database
from allianz.capacity import store
from allianz.capacity.model import ProcessReport

EVERY_SECONDS = 5
log = logging.getLogger(__name__)
KEEP = timedelta(days=1)  # reports of processes gone longer than this are removed


def process_name() -> str:
    """The name the proxy knows the process by (ALLIANZ_PROCESS), else host and port."""
    return os.environ.get("ALLIANZ_PROCESS") or f"{socket.gethostname()}:{_port() or os.getpid()}"


def _port() -> int | None:
    try:
        from streamlit import config as streamlit_config

        return int(streamlit_config.get_option("server.port"))
    except (ImportError, RuntimeError, ValueError):
        return None


def _open_sessions() -> int:
    try:
        from streamlit.runtime import Runtime

        return Runtime.instance()._session_mgr.num_active_sessions()  # noqa: SLF001 - no public API
    except (ImportError, RuntimeError, AttributeError):
        return 0


def resources(pid: int | None = None) -> tuple[int, float]:
    """Resident memory in bytes and CPU seconds (user + system) of a process, from /proc."""
    pid = pid or os.getpid()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[21]) * os.sysconf("SC_PAGE_SIZE"), (int(fields[11]) + int(fields[12])) / ticks


def snapshot(started_at: datetime, now: datetime | None = None) -> ProcessReport:
    rss, cpu = resources()
    return ProcessReport(
        process_name(), socket.gethostname(), os.getpid(), _port(), started_at,
        now or datetime.now(UTC), _open_sessions(), rss, cpu,
    )  # fmt: skip


def start() -> Callable[[], None]:
    """Report now and every few seconds in a daemon thread; returns the stop function, which
    removes this process's report (a process that vanishes without it shows as silent)."""
    started_at = datetime.now(UTC)
    stopped = threading.Event()
    selector = os.environ.get("ALLIANZ_CONFIG")

    def loop() -> None:
        while True:
            try:
                db = database.open_for(config.load(selector))
                try:
                    now = datetime.now(UTC)
                    store.report(db, snapshot(started_at, now))
                    store.forget_older_than(db, now - KEEP)
                    if stopped.is_set():
                        store.forget(db, process_name(), os.getpid())
                        return
                finally:
                    db.close()
            except (config.ConfigError, database.DatabaseStateError, OSError, sqlite3.Error):
                log.exception("process report failed")
                if stopped.is_set():
                    return
            stopped.wait(EVERY_SECONDS)

    thread = threading.Thread(target=loop, name="allianz-heartbeat", daemon=True)
    thread.start()

    def stop() -> None:
        stopped.set()
        thread.join(timeout=5)

    return stop
