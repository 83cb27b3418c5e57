"""Many citizens at once: simulated browser sessions against a running server, with think time.

Each session is a `protocol.BrowserSession` that walks what a citizen does after reading
about a consultation in the paper: the start page, the suggestions overview (map and list),
one suggestion's page, and a click on "unterstützen" — then starts over with the next
suggestion until the measuring window closes. Every interaction is timed from sending it to
the server's "script finished"; a support counts as acknowledged when the page drawn after
the click no longer offers the button and shows the raised count. The caller checks the
database afterwards: every acknowledged support must be there (no write lost).

Only loopback servers are driven; the count of sessions and the window bound every run.
"""

from __future__ import annotations

import asyncio
import math
import random
import statistics
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from allianz.capacity.protocol import BrowserSession, Drawn, SessionError

SUPPORT_BUTTON = "Diesen Hinweis unterstützen (+1)"
STEPS = ("start", "overview", "detail", "support")


@dataclass
class Tally:
    """What all sessions of one load level saw."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: list[str] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)  # suggestion ref -> supports
    sessions_connected: int = 0

    def error(self, text: str) -> None:
        self.errors.append(text[:200])


@dataclass(frozen=True)
class Plan:
    """One load level: how many sessions, how they arrive, how long they are measured."""

    sessions: int
    refs: Sequence[str]  # suggestions to open and support, handed out without repeats
    arrival_s: float = 10.0
    window_s: float = 30.0
    think_s: tuple[float, float] = (1.0, 3.0)
    timeout_s: float = 60.0
    seed: int = 27


def _supports(drawn: Drawn) -> int | None:
    for text in drawn.texts:
        if text.startswith("Unterstützungen: "):
            return int(text.split(": ", 1)[1].replace(".", ""))
    return None


async def _citizen(url: str, number: int, plan: Plan, refs: list[str], tally: Tally,
                   stop: float, rng: random.Random) -> None:  # fmt: skip
    """One session, until the window closes; failures are counted, never raised."""

    async def think() -> None:
        await asyncio.sleep(rng.uniform(*plan.think_s))

    try:
        async with BrowserSession(url, timeout=plan.timeout_s) as session:
            tally.sessions_connected += 1
            while time.monotonic() < stop and refs:
                ref = refs.pop()
                _drawn, took = await session.open("", "")
                tally.seconds["start"].append(took)
                await think()
                _drawn, took = await session.open("suggestions", "")
                tally.seconds["overview"].append(took)
                await think()
                drawn, took = await session.open("suggestions", f"ref={ref}")
                tally.seconds["detail"].append(took)
                before = _supports(drawn)
                await think()
                after, took = await session.click(SUPPORT_BUTTON, drawn)
                tally.seconds["support"].append(took)
                if (
                    SUPPORT_BUTTON in after.buttons
                    or before is None
                    or _supports(after) != before + 1
                ):
                    tally.error(f"Unterstützung von {ref} nicht bestätigt")
                else:
                    tally.acknowledged[ref] = tally.acknowledged.get(ref, 0) + 1
                await think()
    except (SessionError, OSError, TimeoutError) as exc:
        tally.error(f"Sitzung {number}: {type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001 - a protocol failure counts as the user's error
        tally.error(f"Sitzung {number}: {type(exc).__name__}: {exc}")


async def run_level(url: str, plan: Plan) -> Tally:
    """Start `plan.sessions` sessions spread over the arrival time; measure until the window
    after the last arrival closes; wait for the interactions under way to finish."""
    tally = Tally()
    refs = list(plan.refs)
    random.Random(plan.seed).shuffle(refs)  # noqa: S311 - an order, not a secret
    stop = time.monotonic() + plan.arrival_s + plan.window_s
    tasks = []
    for number in range(plan.sessions):
        rng = random.Random(plan.seed * 1000 + number)  # noqa: S311 - think times, not secrets
        tasks.append(asyncio.create_task(_citizen(url, number, plan, refs, tally, stop, rng)))
        await asyncio.sleep(plan.arrival_s / max(1, plan.sessions))
    await asyncio.gather(*tasks)
    return tally


def measure(url: str, plan: Plan) -> Tally:
    """`run_level` from synchronous code, in a thread of its own: the caller may already run
    an event loop in its thread (Playwright's sync API does)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, run_level(url, plan)).result()


def spread(values: Sequence[float]) -> dict:
    """Median, 95th percentile and maximum in seconds (nearest-rank percentile)."""
    if not values:
        return {"count": 0, "p50": None, "p95": None, "max": None}
    ordered = sorted(values)
    rank = max(0, math.ceil(0.95 * len(ordered)) - 1)
    return {
        "count": len(ordered),
        "p50": round(statistics.median(ordered), 3),
        "p95": round(ordered[rank], 3),
        "max": round(ordered[-1], 3),
    }


def knee(levels: Sequence[dict], limit_s: float = 1.0) -> int | None:
    """The smallest number of sessions whose p95 over all interactions passed `limit_s`
    (or that had errors); None when every level stayed within it."""
    for level in sorted(levels, key=lambda item: item["sessions"]):
        p95 = level["all"]["p95"]
        if level["errors"] or (p95 is not None and p95 > limit_s):
            return level["sessions"]
    return None
