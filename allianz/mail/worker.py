"""Mail leaves on its own: a loop that delivers the outbox, in a thread the app starts in its
lifespan (`start`) or as a process of its own (`allianz mail worker`).

The loop opens its own database connection (sqlite3 connections never cross threads), looks
for due messages every POLL_S seconds and sends them with `outbox.deliver_pending`, which
claims each message before sending it, so any number of loops on one database send every
message once. A failing database (not yet initialised, a file being restored) costs a logged
warning and a pause, never the app.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable

import sqlite_utils

from allianz import config, database
from allianz.mail import outbox

log = logging.getLogger(__name__)

POLL_S = 1.0
ERROR_PAUSE_S = 30.0

_state = "off"  # off (no [smtp]) | running | stopped; shown by /healthz


def state() -> str:
    return _state


def worker_name() -> str:
    """Unique per loop: host, process and a random part (a thread id can be reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def run(
    open_db: Callable[[], sqlite_utils.Database],
    settings: outbox.SmtpSettings,
    stop: threading.Event,
    *,
    name: str | None = None,
    poll_s: float = POLL_S,
) -> None:
    """Deliver until `stop` is set: at once while there is work, then every `poll_s`."""
    name = name or worker_name()
    db: sqlite_utils.Database | None = None
    try:
        while not stop.is_set():
            pause = poll_s
            try:
                if db is None:
                    db = open_db()
                if outbox.deliver_pending(db, settings, name, due_only=True):
                    pause = 0
            except Exception:  # noqa: BLE001 - the loop must outlive a bad moment
                log.warning("E-Mail-Versand: Datenbank nicht bereit", exc_info=True)
                if db is not None:
                    db.close()
                    db = None
                pause = ERROR_PAUSE_S
            stop.wait(pause)
    finally:
        if db is not None:
            db.close()


class Delivery:
    """The app's delivery thread; `stop()` ends it after the message being sent."""

    def __init__(self, open_db: Callable[[], sqlite_utils.Database], settings) -> None:
        self._stop = threading.Event()
        self.thread = threading.Thread(
            target=run,
            args=(open_db, settings, self._stop),
            name="allianz-mail",
            daemon=True,
        )

    def start(self) -> Delivery:
        global _state
        _state = "running"
        self.thread.start()
        return self

    def stop(self, timeout: float = outbox.SMTP_TIMEOUT_S + 5) -> None:
        global _state
        self._stop.set()
        self.thread.join(timeout)
        _state = "stopped"


def start(settings: outbox.SmtpSettings | None) -> Delivery | None:
    """Start delivering for the configured alliance; without [smtp] mail stays queued."""
    if settings is None:
        log.info("Kein Abschnitt [smtp]: E-Mails bleiben im Ausgang.")
        return None
    selector = os.environ.get("ALLIANZ_CONFIG")
    return Delivery(lambda: database.open_for(config.load(selector)), settings).start()
