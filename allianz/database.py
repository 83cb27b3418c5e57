"""Opening the alliance's database: the right file, the right alliance, the right schema."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from allianz.config import Alliance
from allianz.errors import Conflict
from db import migrations
from db.connection import connect, default_path, write_transaction


class DatabaseStateError(Conflict):
    """The database is missing, outdated or belongs to another alliance (German message)."""


def open_for(alliance: Alliance, path: Path | None = None) -> sqlite_utils.Database:
    """Connection for a script run; refuses a database that is not ready for this alliance."""
    path = path or default_path(alliance.slug)
    if not Path(path).exists():
        raise DatabaseStateError(f"Datenbank {path} fehlt. Bitte `allianz db init` ausführen.")
    db = connect(path)
    version = migrations.schema_version(db)
    if version != migrations.LATEST_VERSION:
        db.close()
        raise DatabaseStateError(
            f"Datenbankschema ist Version {version}, erwartet {migrations.LATEST_VERSION}. "
            "Bitte `allianz db init` ausführen."
        )
    _check_alliance(db, alliance)
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
