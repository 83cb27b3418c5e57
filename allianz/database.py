"""Opening the alliance's database: the right file, the right alliance, the right schema."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import sqlite_utils

from allianz.config import Alliance
from allianz.errors import Conflict
from db import migrations
from db.connection import connect, default_path, write_transaction


class DatabaseStateError(Conflict):
    """The database is missing, outdated or belongs to another alliance (German message)."""


# Database files (path, inode, alliance) found current and bound to the alliance by this
# process. Every page run opens a connection; reading the migrations table and the binding
# each time was an eighth of a busy process's time. A schema does not go back while the
# file stays the same: a restored or replaced file has a new inode and is checked again.
_checked: set[tuple[str, int, str]] = set()
_checked_lock = threading.Lock()


def open_for(alliance: Alliance, path: Path | None = None) -> sqlite_utils.Database:
    """Connection for a script run; refuses a database that is not ready for this alliance."""
    path = path or default_path(alliance.slug)
    try:
        identity = (str(path), os.stat(path).st_ino, alliance.slug)
    except FileNotFoundError:
        raise DatabaseStateError(
            f"Datenbank {path} fehlt. Bitte `allianz db init` ausführen."
        ) from None
    db = connect(path)
    if identity in _checked:
        return db
    version = migrations.schema_version(db)
    if version != migrations.LATEST_VERSION:
        db.close()
        raise DatabaseStateError(
            f"Datenbankschema ist Version {version}, erwartet {migrations.LATEST_VERSION}. "
            "Bitte `allianz db init` ausführen."
        )
    _check_alliance(db, alliance)
    with _checked_lock:
        _checked.add(identity)
    return db


def initialise(alliance: Alliance, path: Path | None = None) -> sqlite_utils.Database:
    """Create or migrate the database and bind it to the alliance."""
    db = connect(path or default_path(alliance.slug))
    migrations.migrate(db)
    with write_transaction(db):
        bound = _bound_alliance(db)
        if bound is None:
            db["meta"].insert({"key": "alliance", "value": alliance.slug})
    _check_alliance(db, alliance)
    return db


def _bound_alliance(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = 'alliance'").fetchone()
    return row[0] if row else None


def _check_alliance(db: sqlite_utils.Database, alliance: Alliance) -> None:
    bound = _bound_alliance(db)
    if bound is not None and bound != alliance.slug:
        raise DatabaseStateError(
            f"Diese Datenbank gehört zur Allianz '{bound}', konfiguriert ist '{alliance.slug}'. "
            "ALLIANZ_DB oder ALLIANZ_CONFIG prüfen."
        )
