"""What the operations page and the load benchmark talk about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# A process that has not reported for this long is shown as silent (stopped or hanging).
SILENT_AFTER_SECONDS = 30


@dataclass(frozen=True)
class ProcessReport:
    """One app process as it last reported itself."""

    name: str
    host: str
    pid: int
    port: int | None
    started_at: datetime
    seen_at: datetime
    sessions: int
    rss_bytes: int
    cpu_seconds: float

    def silent(self, now: datetime) -> bool:
        return (now - self.seen_at).total_seconds() > SILENT_AFTER_SECONDS
