"""Feed sources of the members' own websites and the limits of a run."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    NEWS = "news"  # RSS 2.0 or Atom: entries become news items
    EVENTS = "events"  # iCalendar: events become events (series with their RRULE)


KIND_LABELS = {
    Kind.NEWS: "Neuigkeiten (RSS oder Atom)",
    Kind.EVENTS: "Veranstaltungen (iCal)",
}

URL_MAX = 500
MAX_BYTES = 5 * 1024 * 1024  # a feed larger than this is refused without being read to the end
TIMEOUT_SECONDS = 10  # per connection step, and for the whole download
MAX_REDIRECTS = 3
MAX_ENTRIES = 500  # entries of one feed taken in one run (the newest first in feeds)
SKIPPED_SHOWN = 5  # refused entries named in the source's note


@dataclass(frozen=True)
class Source:
    id: int
    municipality_ags: str
    kind: Kind
    url: str
    website: str  # the host name, shown as "übernommen von <website>"
    category: str  # the events category of imported events (events only)
    paused: bool
    created_at: str
    last_run_at: str | None
    last_success_at: str | None
    last_error: str
    last_created: int
    last_updated: int
    last_skipped: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class SourceDraft:
    municipality_ags: str | None
    kind: Kind | str | None
    url: str
    category: str = ""


@dataclass(frozen=True)
class RunResult:
    """What one run of one source did; `error` is the German reason it stored nothing."""

    source_id: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: tuple[str, ...] = ()  # German notes on refused entries
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error
