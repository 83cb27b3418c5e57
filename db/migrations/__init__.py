"""Versioned schema: one module per version, applied in order by sqlite-utils Migrations.

Add a schema change as a new module `vNNNN_<what>.py` that registers one function with
`migrations`; never edit a migration that has shipped.
"""

from __future__ import annotations

import importlib
import pkgutil

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("allianz")


def _load_all() -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("v"))
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    return len(names)


LATEST_VERSION = _load_all()


def migrate(db: sqlite_utils.Database) -> int:
    """Apply pending migrations under the write lock; returns the resulting schema version."""
    # Migrations.apply() uses a deferred BEGIN per step; a concurrent migrator (a second
    # process starting) would fail on the lock. Serialise the whole run instead.
    db.execute("BEGIN IMMEDIATE")
    try:
        migrations.ensure_migrations_table(db)
        migrations.apply(db)
    except BaseException:
        db.rollback()
        raise
    db.execute("COMMIT")
    return schema_version(db)


def schema_version(db: sqlite_utils.Database) -> int:
    """Number of applied migrations: 0 for an empty database."""
    return len(migrations.applied(db))
