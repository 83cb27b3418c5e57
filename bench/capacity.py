"""How many citizens at once: load levels against 1 and 2 app processes behind HAProxy.

Data: the demo alliance with its demo content (so the start page has what it has in use)
plus 50,000 generated suggestions (district scale for the suggestions map). For every
number of processes and every level of simultaneous sessions, a fresh cluster on a fresh copy
of that database; the sessions (`allianz.capacity.load`) walk start page → suggestions
overview → a suggestion → "unterstützen" with 1–3 s of think time, arriving over 10 s and
measured for 30 s after the last arrived. Reported per level: p50/p95 of every interaction
(send → script finished), errors, interactions per second, the app processes' CPU (percent of
one core), the proxy's and this client's CPU, resident memory before and at the peak and per
session, acknowledged supports against the database (lost writes), and the knee: the first
level whose p95 passes 1 s. With --profile N, py-spy samples the single process at N sessions.

Only loopback addresses are contacted; every level is bounded by its session count and time.

Usage: python bench/capacity.py [--levels 10,50,100,200,400] [--processes 1,2] [--json OUT]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from allianz import audit, config, database, demo  # noqa: E402
from allianz.capacity import cluster, heartbeat, load  # noqa: E402
from allianz.municipalities import service as municipalities  # noqa: E402
from allianz.suggestions import store as suggestion_store  # noqa: E402
from bench import district  # noqa: E402
from db.connection import connect  # noqa: E402

ACTOR = audit.Actor("bench", "manager")


def prepare(folder: Path, suggestions: int) -> Path:
    alliance = config.load("partheland")
    path = folder / "template.sqlite3"
    db = database.initialise(alliance, path)
    demo.load(db, alliance, ACTOR)
    district.suggestions(db, alliance, municipalities.areas(db), suggestions, 27)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def _open_refs(db_path: Path) -> list[str]:
    db = connect(db_path)
    try:
        return suggestion_store.supportable_refs(db)
    finally:
        db.close()


def _supports(db_path: Path, refs: list[str]) -> dict[str, int]:
    db = connect(db_path)
    try:
        found = {}
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT ref, supports FROM suggestions WHERE ref IN ({marks})",  # noqa: S608
                chunk,
            )
            found.update(dict(rows.fetchall()))
        return found
    finally:
        db.close()


class Sampler:
    """Resident memory of the app processes, once a second, while a level runs."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError):  # a process may just be restarting
                self.peak = max(self.peak, sum(heartbeat.resources(p)[0] for p in self.pids))
            self._stop.wait(1)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


def _cpu(pids: list[int]) -> float:
    return sum(heartbeat.resources(p)[1] for p in pids)


def _profile(pid: int, seconds: int, out: Path) -> subprocess.Popen | None:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        return None
    return subprocess.Popen(  # noqa: S603 - our own tool on our own process
        [spy, "record", "--pid", str(pid), "--duration", str(seconds), "--format", "raw",
         "--rate", "50", "--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip


def where_time_goes(raw: Path, top: int = 12) -> dict:
    """From py-spy's collapsed stacks: the functions of ours on the stack in the largest share
    of samples (inclusive), and the functions that were running themselves (self), any code."""
    total = 0
    ours: collections.Counter[str] = collections.Counter()
    leaves: collections.Counter[str] = collections.Counter()
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit() or not stack:
            continue
        total += int(count)
        frames = [_frame(f) for f in stack.split(";")]
        leaves[frames[-1]] += int(count)
        for frame in {f for f in frames if f.startswith(("allianz/", "main.py", "app.py"))}:
            ours[frame] += int(count)

    def share(counter: collections.Counter[str]) -> list[dict]:
        return [
            {"function": name, "percent": round(100 * n / total, 1)}
            for name, n in counter.most_common(top)
        ]

    return {"samples": total, "ours_inclusive": share(ours), "self": share(leaves)} if total else {}


def _frame(frame: str) -> str:
    """ "render (allianz/x.py:12)" -> "allianz/x.py:render" (line numbers dropped)."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{path}:{name}"


def level(template: Path, folder: Path, processes: int, sessions: int, args) -> dict:
    run_dir = folder / f"p{processes}-n{sessions}"
    run_dir.mkdir()
    db_path = run_dir / "db.sqlite3"
    shutil.copy(template, db_path)
    node = cluster.Cluster(
        processes,
        cluster.free_port(),
        run_dir,
        env={"ALLIANZ_DB": str(db_path), "ALLIANZ_CONFIG": "partheland"},
        secrets_file=run_dir / "no-secrets.toml",
    )
    node.start()
    try:
        pids = [app.proc.pid for app in node.apps]
        refs = _open_refs(db_path)
        before = _supports(db_path, refs)
        # one session walks every page first: imports and caches are warm, as in operation
        load.measure(node.url, load.Plan(processes, refs[-50:], 0.1, 1, (0, 0)))
        time.sleep(2)
        idle_rss = sum(heartbeat.resources(p)[0] for p in pids)
        plan = load.Plan(sessions, refs[:-50], args.arrival, args.window, timeout_s=args.timeout)
        spy = None
        if processes == 1 and sessions == args.profile:
            spy = _profile(pids[0], int(plan.arrival_s + plan.window_s), run_dir / "profile.txt")
        cpu_before, proxy_before = _cpu(pids), _cpu([node.proxy.pid])
        own_before = time.process_time()
        began = time.monotonic()
        with Sampler(pids) as sampler:
            tally = load.measure(node.url, plan)
        wall = time.monotonic() - began
        cpu = _cpu(pids) - cpu_before
        proxy_cpu = _cpu([node.proxy.pid]) - proxy_before
        own_cpu = time.process_time() - own_before
        if spy is not None:
            spy.wait(timeout=60)
        after = _supports(db_path, list(tally.acknowledged))
        lost = sum(
            max(0, before.get(ref, 0) + n - after.get(ref, 0))
            for ref, n in tally.acknowledged.items()
        )
        every = [s for values in tally.seconds.values() for s in values]
        result = {
            "processes": processes,
            "sessions": sessions,
            "connected": tally.sessions_connected,
            "all": load.spread(every),
            "steps": {step: load.spread(values) for step, values in tally.seconds.items()},
            "interactions_per_second": round(len(every) / wall, 1),
            "errors": len(tally.errors),
            "first_errors": tally.errors[:3],
            "supports_acknowledged": sum(tally.acknowledged.values()),
            "supports_lost": lost,
            "app_cpu_percent_of_one_core": round(100 * cpu / wall, 1),
            "proxy_cpu_percent_of_one_core": round(100 * proxy_cpu / wall, 1),
            "client_cpu_percent_of_one_core": round(100 * own_cpu / wall, 1),
            "app_cpu_ms_per_interaction": round(1000 * cpu / len(every), 1) if every else None,
            "rss_idle_mb": round(idle_rss / 2**20),
            "rss_peak_mb": round(sampler.peak / 2**20),
            "rss_per_session_mb": round((sampler.peak - idle_rss) / 2**20 / sessions, 2),
            "window_seconds": round(wall, 1),
        }
        if tally.errors:  # what the servers said, for the reader of the figures
            result["server_log_tail"] = {
                app.name: app.log.read_text(errors="replace").splitlines()[-8:] for app in node.apps
            }
            result["exited"] = {app.name: app.proc.poll() for app in node.apps}
        profile = run_dir / "profile.txt"
        if profile.exists():
            result["profile"] = where_time_goes(profile)
        return result
    finally:
        node.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench/capacity.py", description=__doc__)
    parser.add_argument("--levels", default="10,50,100,200,400")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--suggestions", type=int, default=50_000)
    parser.add_argument("--arrival", type=float, default=10.0)
    parser.add_argument("--window", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--profile", type=int, default=0, help="py-spy the 1-process level N")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",")]
    counts = [int(n) for n in args.processes.split(",")]
    with tempfile.TemporaryDirectory(prefix="capacity-") as scratch:
        folder = Path(scratch)
        started = time.monotonic()
        template = prepare(folder, args.suggestions)
        results = {"prepare_seconds": round(time.monotonic() - started, 1), "cores": os.cpu_count()}
        for processes in counts:
            rows = []
            for sessions in levels:
                row = level(template, folder, processes, sessions, args)
                rows.append(row)
                print(json.dumps({k: v for k, v in row.items() if k not in ("steps", "profile")},
                                 ensure_ascii=False), flush=True)  # fmt: skip
            results[f"processes_{processes}"] = {
                "levels": rows,
                "knee_sessions_p95_over_1s": load.knee(rows),
            }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
