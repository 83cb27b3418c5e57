"""The network as the views need it, prepared once per data version.

Reading 30,000 segments, cutting them at the municipal boundaries and serialising their map
rows takes seconds; the network changes seldom and is read on every rerun. So the prepared
form is kept per data version (`store.version`) and per set of boundaries, and every rerun only
filters and sums arrays.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd
import sqlite_utils

from allianz.municipalities.service import MunicipalityArea
from allianz.networks import presentation, service, store
from allianz.versioned_cache import VersionedCache


class Snapshot:
    """Prepared segments plus their display forms, built on first use."""

    def __init__(self, prepared: service.Prepared) -> None:
        self.prepared = prepared

    @cached_property
    def row_tails(self) -> list[str]:
        return presentation.row_tails(self.prepared.data)

    @cached_property
    def table(self) -> pd.DataFrame:
        return presentation.table(self.prepared.segments)


_cache: VersionedCache[Snapshot] = VersionedCache(keep=4)


def current(db: sqlite_utils.Database, areas: list[MunicipalityArea]) -> Snapshot:
    key = (store.version(db), tuple((a.ags, a.geometry.wkb) for a in areas))
    return _cache.get(key, lambda: Snapshot(service.prepare(store.all_segments(db), areas)))
