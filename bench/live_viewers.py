"""Many viewers of one live consultation hour ("Frag den Bürgermeister").

Each viewer is a real Streamlit session over the app's websocket, speaking the browser's
protocol: it opens the hour's public page, and whenever the server asks for it (the live
list is a fragment with `run_every`) it sends the fragment's automatic rerun, as the browser
does. The bench process then answers questions as the mayor would, and notes when each
viewer receives the answer text. Reported: connected viewers, the server's CPU while they
watch, CPU seconds per refresh, and the delay from the answer to each viewer.

No wall-clock limit is asserted anywhere; `tests/e2e/test_live_viewers.py` runs a few
viewers and checks only that every one of them sees every answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import websockets
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from allianz import config, database
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.capacity.heartbeat import resources
from allianz.capacity.protocol import STREAM_PATH, heartbeat, rerun
from allianz.devserver import Server, start_app
from allianz.mayor_hours import service
from bench.district import load_areas
from db.connection import connect

PAGE_NAME = "mayor_hours"
HEARTBEAT_SECONDS = 5  # the browser keeps its connection alive the same way
MANAGER = User("bench-live", "Bench", Role.MANAGER)
MAYOR = User("bench-mayor", "Bürgermeister Borsdorf", Role.MAYOR, municipality_ags="14729060")


@dataclass
class Viewer:
    """One simulated browser: what it saw and when."""

    number: int
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    refreshes: int = 0
    seen: dict[str, float] = field(default_factory=dict)
    error: str = ""


def prepare(tmp: Path, questions: int) -> tuple[int, list[int]]:
    """A district-free alliance with one hour that runs now and its approved questions."""
    alliance = config.load("partheland")
    db = database.initialise(alliance, tmp / "e2e.sqlite3")
    load_areas(db, alliance)
    start = datetime.now(UTC) - timedelta(minutes=5)
    tomorrow = (start + timedelta(days=1)).date()
    draft = service.HourDraft("mayor", "14729060", "Bürgermeister Borsdorf", tomorrow, "18:00",
                              "19:00", "Radwege und Ortsdurchfahrt")  # fmt: skip
    hour = service.create_hour(db, alliance, MANAGER, draft)
    db["mayor_hours"].update(  # move it to now: the service only announces future hours
        hour.id,
        {
            "starts_at": start.isoformat(timespec="seconds"),
            "ends_at": (start + timedelta(hours=2)).isoformat(timespec="seconds"),
        },
    )
    ids = []
    for n in range(questions):
        body = f"Frage {n + 1}: Wann kommt der Radweg zwischen Ort {n} und Ort {n + 1}?"
        asked = service.ask(db, hour.id, service.QuestionDraft(body, token=f"bench-{n}"))
        service.approve(db, MANAGER, asked.id)
        ids.append(asked.id)
    db.close()
    return hour.id, ids


async def watch(url: str, query: str, viewer: Viewer, marks: list[str], stop: asyncio.Event):
    """Open the page, then follow the server's automatic reruns until `stop`."""
    stream = url.replace("http", "ws", 1) + STREAM_PATH
    try:
        async with websockets.connect(
            stream,
            origin=url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=60,
            ping_interval=None,  # browsers send no pings; a busy server must not lose viewers
        ) as ws:
            await ws.send(rerun(query, PAGE_NAME))
            page_hash, timers, fragments = "", [], {}

            async def every(seconds: float, payload) -> None:
                while not stop.is_set():
                    await asyncio.sleep(seconds)
                    await ws.send(payload())
                    if payload is not heartbeat:
                        viewer.refreshes += 1

            timers.append(asyncio.create_task(every(HEARTBEAT_SECONDS, heartbeat)))
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), 1)
                except TimeoutError:
                    continue
                arrived = time.monotonic()
                for mark in marks:
                    if mark not in viewer.seen and mark.encode() in raw:
                        viewer.seen[mark] = arrived
                message = ForwardMsg.FromString(raw)
                kind = message.WhichOneof("type")
                if kind == "new_session":
                    page_hash = message.new_session.page_script_hash or page_hash
                elif kind == "navigation":
                    page_hash = message.navigation.page_script_hash or page_hash
                elif kind == "script_finished":
                    viewer.ready.set()
                elif kind == "auto_rerun" and message.auto_rerun.fragment_id not in fragments:
                    fragment, seconds = message.auto_rerun.fragment_id, message.auto_rerun.interval
                    again = partial(rerun, query, PAGE_NAME, page_hash, fragment)
                    fragments[fragment] = asyncio.create_task(every(seconds, again))
            for timer in (*timers, *fragments.values()):
                timer.cancel()
    except Exception as exc:  # noqa: BLE001 - a failed viewer is counted, not fatal
        viewer.error = f"{type(exc).__name__}: {exc}"
        viewer.ready.set()


def _spread(values: list[float]) -> dict:
    if not values:
        return {"median": None, "p95": None, "max": None}
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 2),
        "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
        "max": round(ordered[-1], 2),
    }


async def _session(server: Server, hour_id: int, ids: list[int], args) -> dict:
    stop = asyncio.Event()
    marks = [f"Antwort{n}x{os.getpid()}" for n in range(args.answers)]  # no Markdown escapes
    viewers = [Viewer(n) for n in range(args.viewers)]
    query = f"sprechstunde={hour_id}"
    began = time.monotonic()
    tasks = []
    for viewer in viewers:  # browsers arrive over a few seconds, not in one instant
        tasks.append(asyncio.create_task(watch(server.url, query, viewer, marks, stop)))
        await asyncio.sleep(args.arrival / max(1, args.viewers))
    try:
        await asyncio.wait_for(asyncio.gather(*(v.ready.wait() for v in viewers)), args.timeout)
    except TimeoutError:
        for viewer in viewers:  # counted as failed: the server did not serve it in time
            if not viewer.ready.is_set():
                viewer.error = f"Seite nicht binnen {args.timeout:.0f} s geladen"
    connected = time.monotonic() - began
    await asyncio.sleep(5)  # the first automatic reruns settle in

    refreshes_before = sum(v.refreshes for v in viewers)
    cpu_before, wall_before = resources(server.proc.pid)[1], time.monotonic()
    db = connect(server.db_path)
    answered_at = {}
    for mark, question_id in zip(marks, ids, strict=False):
        await asyncio.sleep(args.pause)
        answered_at[mark] = time.monotonic()
        service.answer(db, MAYOR, question_id, f"{mark}: bewilligt.")  # a few ms
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline and not all(
        len(v.seen) == len(marks) for v in viewers if not v.error
    ):
        await asyncio.sleep(0.2)
    cpu = resources(server.proc.pid)[1] - cpu_before
    wall = time.monotonic() - wall_before
    refreshes = sum(v.refreshes for v in viewers) - refreshes_before
    db.close()
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)

    delays = [v.seen[m] - answered_at[m] for v in viewers for m in marks if m in v.seen]
    failed = [v for v in viewers if v.error]
    return {
        "viewers": args.viewers,
        "connected_seconds": round(connected, 1),
        "failed": len(failed),
        "first_error": failed[0].error if failed else "",
        "answers": len(marks),
        "answers_seen": len(delays),
        "answers_expected": len(marks) * (args.viewers - len(failed)),
        "window_seconds": round(wall, 1),
        "refreshes": refreshes,
        "server_cpu_percent_of_one_core": round(100 * cpu / wall, 1) if wall else None,
        "server_cpu_ms_per_refresh": round(1000 * cpu / refreshes, 2) if refreshes else None,
        "refresh_seconds": args.refresh,
        "delay_seconds": _spread(delays),
        "cores": os.cpu_count(),
    }


def _alliance_file(tmp: Path, refresh: int) -> Path:
    """The demo alliance's file with the live list's refresh interval set."""
    text = (config.ALLIANCES_DIR / "partheland.toml").read_text(encoding="utf-8")
    path = tmp / "partheland.toml"
    path.write_text(f"{text}\n[mayor_hours]\nrefresh_seconds = {refresh}\n", encoding="utf-8")
    return path


def run(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="live-viewers-") as folder:
        tmp = Path(folder)
        hour_id, ids = prepare(tmp, max(args.answers, args.questions))
        alliance_file = _alliance_file(tmp, args.refresh)
        server = start_app(tmp, env={"ALLIANZ_CONFIG": str(alliance_file)})
        try:
            # a thread of its own: the caller may already run an event loop (Playwright's)
            with ThreadPoolExecutor(1) as thread:
                return thread.submit(asyncio.run, _session(server, hour_id, ids, args)).result()
        finally:
            server.stop()


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog="bench/live_viewers.py", description=__doc__)
    found.add_argument("--viewers", type=int, default=200)
    found.add_argument("--questions", type=int, default=30, help="approved questions in the list")
    found.add_argument("--answers", type=int, default=5, help="answers given while they watch")
    found.add_argument("--pause", type=float, default=8.0, help="seconds between two answers")
    found.add_argument("--arrival", type=float, default=20.0, help="seconds until all arrived")
    found.add_argument("--timeout", type=float, default=180.0)
    found.add_argument(
        "--refresh", type=int, default=service.REFRESH_SECONDS, help="seconds between refreshes"
    )
    found.add_argument("--json", type=Path)
    return found


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    result = run(args)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
