"""Work the server does once after it starts, so that the first visitor after a restart does
not wait for it: importing the geo stack (about 1.5 s) and preparing the layers the public
map pages open with (the suggestions map for the default period, the prepared network).

Runs in a thread of its own with a connection of its own; a failure only costs the first
visitor the time it would have saved, so it is logged and nothing else.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import date

from allianz import config, database, features

log = logging.getLogger(__name__)
_state = "off"  # off | running | done | failed; shown by /healthz with its duration
_seconds: float | None = None


def state() -> str:
    return _state


def seconds() -> float | None:
    """How long the preparation took, once it has ended."""
    return _seconds


def prepare(alliance: config.Alliance, today: date) -> None:
    """Fill the shared caches for the default views: each slice's `warmup` (what its public
    pages ask first)."""
    db = database.open_for(alliance)
    try:
        for feature in features.registry():
            if feature.warmup is not None:
                feature.warmup(db, alliance, today)
    finally:
        db.close()


def _prepare_logged(selector: str | None) -> None:
    global _state, _seconds
    started = time.perf_counter()
    try:
        prepare(config.load(selector), date.today())
    except Exception:  # noqa: BLE001 - a warm-up must never stop the server
        log.warning("Vorbereitung beim Start fehlgeschlagen", exc_info=True)
        outcome = "failed"
    else:
        outcome = "done"
    _seconds = round(time.perf_counter() - started, 2)
    _state = outcome


def start() -> threading.Thread:
    global _state
    _state = "running"
    thread = threading.Thread(
        target=_prepare_logged,
        args=(os.environ.get("ALLIANZ_CONFIG"),),
        name="allianz-warmup",
        daemon=True,
    )
    thread.start()
    return thread
