"""Rules of the operations view: who may see the processes, and what is shown of them."""

from __future__ import annotations

import sqlite_utils

from allianz.accounts.model import User
from allianz.auth import can
from allianz.capacity import store
from allianz.capacity.model import ProcessReport
from allianz.errors import PermissionDenied


def processes(db: sqlite_utils.Database, user: User) -> list[ProcessReport]:
    """Every app process that reported itself, for the alliance management only (the page
    shows host names and process ids: operating detail, not for the public)."""
    if not can(user.role, "capacity.view"):
        raise PermissionDenied("Nur das Allianzmanagement sieht den Betrieb der Anwendung.")
    return store.all_reports(db)
