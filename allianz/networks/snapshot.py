"""The network as the views need it, prepared once per data version.

Reading 30,000 segments, cutting them at the municipal boundaries and serialising their map
rows takes seconds; the network changes seldom and is read on every rerun. So the prepared
form is kept per data version (`store.version`) and per set of boundaries, and every rerun only
filters and sums arrays.
"""

from __future__ import annotations

import threading
from functools import cached_property

import pandas as pd
import sqlite_utils

from allianz.municipalities.service import MunicipalityArea
from allianz.networks import presentation, service, store


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


_KEEP = 4
_cache: dict[tuple, Snapshot] = {}
_lock = threading.Lock()


def current(db: sqlite_utils.Database, areas: list[MunicipalityArea]) -> Snapshot:
    key = (store.version(db), tuple((a.ags, a.geometry.wkb) for a in areas))
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    snapshot = Snapshot(service.prepare(store.all_segments(db), areas))
    with _lock:
        while len(_cache) >= _KEEP:
            _cache.pop(next(iter(_cache)))
        _cache[key] = snapshot
    return snapshot
