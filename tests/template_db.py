"""Template databases: migrate and seed once per test session, copy the file for each test.

Migrating the schema and hashing passwords (scrypt is slow on purpose) for every test was
most of the fixture setup time. A closed SQLite file with an empty WAL is the whole database,
so copying it gives each test a fresh, independent database in well under a millisecond.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlite_utils

from allianz import database
from allianz.config import Alliance

Seed = Callable[[sqlite_utils.Database, Alliance], Any]


@dataclass(frozen=True)
class Recipe:
    """The state one fixture builds: `seed` run on top of the `base` recipe's state.

    `name` is the fixture's name; what `seed` returns is what that fixture returns.
    """

    name: str
    seed: Seed
    base: Recipe | None = None


@dataclass(frozen=True)
class _Template:
    path: Path
    seeded: dict[str, Any]  # fixture name -> what it returned while the template was built


class Templates:
    """Built lazily, once per recipe, alliance and day (demo data is dated relative to today)."""

    def __init__(self, directory: Path) -> None:
        self._dir = directory
        self._built: dict[tuple[str, str, str], _Template] = {}

    def copy(self, recipe: Recipe, alliance: Alliance, target: Path) -> dict[str, Any]:
        """Copy the template's main file to `target`; returns the fixtures' values (a copy)."""
        template = self._get(recipe, alliance)
        shutil.copyfile(template.path, target)
        return copy.deepcopy(template.seeded)

    def _get(self, recipe: Recipe, alliance: Alliance) -> _Template:
        key = (recipe.name, alliance.slug, date.today().isoformat())
        if key not in self._built:
            self._built[key] = self._build(recipe, alliance, "-".join(key))
        return self._built[key]

    def _build(self, recipe: Recipe, alliance: Alliance, stem: str) -> _Template:
        path = self._dir / f"{stem}.sqlite3"
        for leftover in (path, _wal(path), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)  # from a build that failed earlier
        seeded: dict[str, Any] = {}
        if recipe.base is not None:
            base = self._get(recipe.base, alliance)
            shutil.copyfile(base.path, path)
            seeded.update(copy.deepcopy(base.seeded))
        db = database.initialise(alliance, path)
        try:
            seeded[recipe.name] = recipe.seed(db, alliance)
            busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            db.close()
        # Only the main file is copied: every page must be in it, none left in the WAL.
        wal = _wal(path)
        if busy or (wal.exists() and wal.stat().st_size):
            raise RuntimeError(f"template {path.name}: WAL not empty (a connection left open?)")
        return _Template(path, seeded)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")
