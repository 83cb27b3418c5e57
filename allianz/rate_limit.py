"""In-memory rate limiting keyed by short-lived salted hashes: no IP address is stored.

The salt changes every day and lives only in memory, so a key cannot be turned back into an
address, and yesterday's keys cannot be linked to today's.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, limit: int, window_seconds: float, clock=time.monotonic) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._salt = secrets.token_bytes(16)
        self._salt_day = time.gmtime().tm_yday

    def _key(self, client: str) -> str:
        today = time.gmtime().tm_yday
        if today != self._salt_day:
            self._salt, self._salt_day, self._hits = secrets.token_bytes(16), today, {}
        return hashlib.sha256(self._salt + client.encode()).hexdigest()[:32]

    def allow(self, client: str) -> bool:
        """Count a hit for `client`; False when it is over the limit in the window."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(self._key(client), deque())
            while hits and now - hits[0] > self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True
