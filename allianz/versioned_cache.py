"""Results kept per data version.

Pages rerun on every click, while the data they prepare from (a network, a register) changes
seldom. A cache keyed by a cheap data version (index lookups such as the newest id and the
newest audit row) serves reruns and other sessions until something is written; the first run
after a write computes afresh. Shared by all sessions of the server process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class VersionedCache(Generic[T]):
    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self._gates: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for `key` (which must include the data version), computed on a miss.
        Sessions that miss the same key at once wait for the first one's computation instead
        of each computing it: after a write under load, dozens of sessions missed together
        and each rebuilt the same large layer."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            gate = self._gates.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._items:  # computed by the session we waited for
                    self._items.move_to_end(key)
                    return self._items[key]
            try:
                value = compute()
                with self._lock:
                    self._items[key] = value
                    while len(self._items) > self._keep:
                        self._items.popitem(last=False)
            finally:
                with self._lock:
                    self._gates.pop(key, None)
        return value
