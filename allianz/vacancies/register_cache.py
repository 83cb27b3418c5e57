"""The register as the pages read it, kept per data version.

Reading 10,000 sites and their history and summing them takes a second or two; the register
changes a few times a day and is read on every rerun of four pages. Each result is kept per
register version (`store.version`) and its own parameters. Results are shared between
sessions: callers must not modify them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import geopandas as gpd
import pandas as pd
import sqlite_utils

from allianz.config import Alliance
from allianz.vacancies import analysis, store
from allianz.vacancies.model import TYPES, Site
from allianz.versioned_cache import VersionedCache

T = TypeVar("T")
_cache: VersionedCache = VersionedCache(keep=64)


def _kept(db: sqlite_utils.Database, key: tuple, compute: Callable[[], T]) -> T:
    return _cache.get((store.version(db), *key), compute)


def sites(db: sqlite_utils.Database, filters: store.Filters) -> list[Site]:
    return _kept(db, ("sites", filters), lambda: store.search(db, filters))


def records(db: sqlite_utils.Database) -> list[dict]:
    """Every site's public fields today."""
    return _kept(db, ("records",), lambda: analysis.records(store.search(db)))


def records_as_of(db: sqlite_utils.Database, day: date) -> list[dict]:
    return _kept(db, ("as_of", day), lambda: store.snapshots_as_of(db, day.isoformat()))


def summary(
    db: sqlite_utils.Database, alliance: Alliance, today: date, per_ha: float
) -> pd.DataFrame:
    return _kept(
        db,
        ("summary", alliance.slug, today, per_ha),
        lambda: analysis.summary(records(db), alliance, today, per_ha),
    )


def by_type(db: sqlite_utils.Database, alliance: Alliance) -> pd.DataFrame:
    return _kept(db, ("by_type", alliance.slug), lambda: analysis.by_type(records(db), alliance))


def change(db: sqlite_utils.Database, alliance: Alliance, since: date) -> pd.DataFrame:
    return _kept(
        db,
        ("change", alliance.slug, since),
        lambda: analysis.change(records_as_of(db, since), records(db), alliance),
    )


def hexbins(db: sqlite_utils.Database, size_m: float) -> gpd.GeoDataFrame:
    return _kept(db, ("hexbins", size_m), lambda: analysis.hexbins(records(db), size_m))


@dataclass(frozen=True)
class Shared:
    """Sites whose owners agreed to publication, and their map rows [lat, lon, ref, type
    index into TYPES] for `maps.PointCluster` (no owner data, no free text)."""

    sites: list[Site]
    map_rows: str


def shared(db: sqlite_utils.Database, filters: store.Filters) -> Shared:
    def build() -> Shared:
        found = sites(db, filters)
        order = {key: i for i, key in enumerate(TYPES)}
        rows = [[round(s.lat, 5), round(s.lon, 5), s.ref, order[s.type]] for s in found]
        return Shared(found, json.dumps(rows, separators=(",", ":")))

    return _kept(db, ("shared", filters), build)
