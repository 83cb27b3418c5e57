"""The app's clock: every "now" and "today" of a rule asks here, so tests can set the time.

- `now()` is the current moment in UTC, `today()` the calendar day in Europe/Berlin (the day
  people in the alliance live in: a deadline "bis 31.05." holds through that day's midnight in
  Germany, not in UTC).
- Unit and page tests freeze it in-process: `with clock.frozen(moment): ...` (or pass `now=` to
  the service functions that take it).
- Browser tests cannot reach into the server process; they start a second app server on the
  same database with a shifted clock: `devserver.start_app(tmp, env=clock.shifted_env(offset))`.
  The offset (`ALLIANZ_TEST_CLOCK_OFFSET`, seconds) is honoured only when the server also runs
  in the browser tests' mode (`ALLIANZ_TEST_MODE=e2e`) *and* its database file (`ALLIANZ_DB`)
  lies in the system's temporary directory, where only test databases live. A production
  server (database under data/ or elsewhere) never shifts its clock, whatever its environment
  says; `shift()` tells what is in force (0 outside tests).

Slices that decide by the time (expiry, reminders, "coming" lists) use this module; older code
that calls `datetime.now(UTC)` directly can move here when touched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from allianz.formatting import BERLIN

OFFSET_ENV = "ALLIANZ_TEST_CLOCK_OFFSET"
MODE_ENV = "ALLIANZ_TEST_MODE"
TEST_MODE = "e2e"

_frozen: list[datetime] = []


def _in_temporary_directory(path: str) -> bool:
    try:
        resolved = Path(path).resolve()
        temporary = Path(tempfile.gettempdir()).resolve()
    except OSError:
        return False
    return resolved.is_relative_to(temporary)


def shift(environ=os.environ) -> timedelta:
    """The test offset in force: only in the browser tests' mode on a temporary database."""
    raw = environ.get(OFFSET_ENV)
    if not raw or environ.get(MODE_ENV) != TEST_MODE:
        return timedelta(0)
    if not _in_temporary_directory(environ.get("ALLIANZ_DB", "")):
        return timedelta(0)
    try:
        return timedelta(seconds=int(raw))
    except ValueError:
        return timedelta(0)


def now() -> datetime:
    """The current moment (UTC, aware)."""
    if _frozen:
        return _frozen[-1]
    return datetime.now(UTC) + shift()


def today() -> date:
    """Today's date in Europe/Berlin."""
    return now().astimezone(BERLIN).date()


def local_day(moment: datetime) -> date:
    """The Berlin calendar day of a moment (naive moments count as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BERLIN).date()


@contextmanager
def frozen(moment: datetime) -> Iterator[datetime]:
    """Within the block, `now()` answers `moment` (tests only; nests)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    _frozen.append(moment.astimezone(UTC))
    try:
        yield moment
    finally:
        _frozen.pop()


def shifted_env(offset: timedelta) -> dict[str, str]:
    """The environment of a browser test's server whose clock runs `offset` ahead."""
    return {MODE_ENV: TEST_MODE, OFFSET_ENV: str(int(offset.total_seconds()))}
