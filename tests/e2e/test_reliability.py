"""Heavy use against a running server: parallel clients through the Open311 API and the web
form, an online backup while they write, and a hard kill in the middle of a burst.

Figures (p95, counts) are printed for the closing note; the assertions are about correctness
(every acknowledged submission stored exactly once, nothing locked, a consistent database),
never about wall-clock limits.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from allianz.municipalities import service as municipalities
from db.connection import connect
from tests.e2e.conftest import choose, prepare_database, start_app, wait_http, wait_idle

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
ROOT = Path(__file__).resolve().parents[2]
CLIENTS, PER_CLIENT = 20, 50
LOAD_ENV = {"ALLIANZ_API_POST_LIMIT": "100000"}


def _points(db_path: Path, count: int, seed: int) -> list[tuple[float, float, str]]:
    """Points well inside the member municipalities (no boundary question)."""
    db = connect(db_path)
    areas = municipalities.areas(db)
    db.close()
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    points = []
    while len(points) < count:
        area = areas[len(points) % len(areas)]
        minx, miny, maxx, maxy = area.geometry.buffer(-0.003).bounds
        lat, lon = rng.uniform(miny, maxy), rng.uniform(minx, maxx)
        found = municipalities.locate(areas, lat, lon)
        if found.municipality is not None and not found.near:
            points.append((lat, lon, found.municipality.ags))
    return points


def _post(url: str, lat: float, lon: float, text: str) -> tuple[int, str | None, float]:
    body = urllib.parse.urlencode(
        {"service_code": "waste", "lat": lat, "long": lon, "description": text}
    ).encode()
    request = urllib.request.Request(url + "/open311/v2/requests.json", data=body)  # noqa: S310
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            data = json.loads(response.read())
            status, ref = response.status, data[0]["service_request_id"]
    except urllib.error.HTTPError as exc:
        status, ref = exc.code, None
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
        status, ref = 0, None  # no complete answer (e.g. the server was killed): not acknowledged
    return status, ref, time.perf_counter() - start


def _run_clients(url: str, points, prefix: str, results: list, stop: threading.Event | None = None):
    def client(index: int) -> None:
        for n in range(PER_CLIENT):
            if stop is not None and stop.is_set():
                return
            lat, lon, _ = points[index * PER_CLIENT + n]
            text = f"{prefix} Client {index} Meldung {n}"
            results.append((text, *_post(url, lat, lon, text)))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    return threads


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def test_parallel_clients_web_form_and_backup(browser, tmp_path):
    db_path = tmp_path / "e2e.sqlite3"
    prepare_database(db_path)
    points = _points(db_path, CLIENTS * PER_CLIENT + 10, seed=3)
    server = start_app(tmp_path, env=LOAD_ENV)
    results: list = []
    probes: list[float] = []
    done = threading.Event()

    def probe() -> None:  # is the app responsive while the load runs?
        while not done.is_set():
            start = time.perf_counter()
            wait_http(server.url + "/open311/v2/services.json", timeout=60)
            probes.append(time.perf_counter() - start)
            time.sleep(0.25)

    try:
        started = time.perf_counter()
        prober = threading.Thread(target=probe)
        prober.start()
        threads = _run_clients(server.url, points, "Last", results)
        # the web flow at the same time: a citizen fills the form in the browser
        page = browser.page
        web_refs = []
        for n in range(3):
            page.goto(server.url + "/suggest")
            wait_idle(page)
            lat, lon, _ = points[-(n + 1)]
            page.get_by_label("Koordinaten (Breite, Länge)").fill(f"{lat:.6f}, {lon:.6f}")
            page.get_by_role("button", name="Ort übernehmen").first.click()
            choose(page, "Kategorie", "Straßenbel", "Straßenbeleuchtung")
            page.get_by_label("Titel").fill(f"Web unter Last {n}")
            page.get_by_label("Beschreibung").fill("Über das Formular während der Last.")
            page.wait_for_timeout(3200)
            page.get_by_role("button", name="Hinweis senden").click()
            notice = page.get_by_text(re.compile(r"Ihre Nummer: H-\d{4}-\d{5}"))
            expect(notice).to_be_visible(timeout=60_000)
            web_refs.append(re.search(r"H-\d{4}-\d{5}", notice.inner_text()).group(0))
            if n == 1:  # an online backup in the middle of the writes
                backup = tmp_path / "backup.sqlite3"
                env = {**os.environ, "ALLIANZ_DB": str(db_path), "ALLIANZ_CONFIG": "partheland"}
                copied = subprocess.run(
                    [sys.executable, "-m", "allianz.cli", "db", "backup", str(backup)],
                    env=env, cwd=ROOT, capture_output=True, text=True, check=False,
                )  # fmt: skip
                assert copied.returncode == 0, copied.stderr
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        done.set()
        prober.join()
    finally:
        done.set()
        server.stop()
    statuses = [r[1] for r in results]
    assert statuses.count(201) == CLIENTS * PER_CLIENT, {
        s: statuses.count(s) for s in set(statuses)
    }
    assert "database is locked" not in server.log.read_text(errors="replace")
    db = connect(db_path)
    stored = {
        row["description"]: row["ref"]
        for row in db.query(
            "SELECT ref, description FROM suggestions WHERE description LIKE 'Last %'"
        )
    }
    count = db.execute(
        "SELECT count(*) FROM suggestions WHERE description LIKE 'Last %'"
    ).fetchone()[0]
    assert count == CLIENTS * PER_CLIENT  # exactly once each
    assert all(stored[text] == ref for text, _, ref, _ in results)
    assert {
        r["ref"] for r in db.query("SELECT ref FROM suggestions WHERE title LIKE 'Web unter Last%'")
    } == set(web_refs)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()

    copy = sqlite3.connect(tmp_path / "backup.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    in_backup = copy.execute("SELECT count(*) FROM suggestions").fetchone()[0]
    copy.close()
    restored_dir = tmp_path / "restored"
    restored_dir.mkdir()
    (tmp_path / "backup.sqlite3").rename(restored_dir / "e2e.sqlite3")
    restored = start_app(restored_dir)
    try:
        listing = json.loads(wait_http(restored.url + "/open311/v2/requests.json?status=open"))
        assert len(listing) > 0 and in_backup > 0
    finally:
        restored.stop()
    latencies = [r[3] for r in results]
    print(
        f"\nLOAD {len(results)} API posts + {len(web_refs)} web forms in {elapsed:.1f} s; "
        f"API p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {_p95(latencies) * 1000:.0f} ms; "
        f"probe p95 {_p95(probes) * 1000:.0f} ms over {len(probes)} probes; "
        f"backup held {in_backup} suggestions"
    )


def test_hard_kill_during_a_burst_loses_no_acknowledged_submission(tmp_path):
    db_path = tmp_path / "e2e.sqlite3"
    prepare_database(db_path)
    points = _points(db_path, CLIENTS * PER_CLIENT, seed=4)
    survived = 0
    for run in range(3):
        server = start_app(tmp_path, env=LOAD_ENV)
        results: list = []
        stop = threading.Event()
        threads = _run_clients(server.url, points, f"Crash{run}", results, stop)
        deadline = time.monotonic() + 30
        while (
            sum(1 for r in results if r[1] == 201) < 100 + 50 * run and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        server.proc.send_signal(signal.SIGKILL)  # no shutdown, no flush: a power cut
        server.proc.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join()
        acknowledged = {text: ref for text, status, ref, _ in results if status == 201}
        assert len(acknowledged) >= 100
        db = connect(db_path)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = {
            row["description"]: row["ref"]
            for row in db.query(
                "SELECT ref, description FROM suggestions WHERE description LIKE ?",
                [f"Crash{run} %"],
            )
        }
        db.close()
        missing = [t for t in acknowledged if rows.get(t) != acknowledged[t]]
        assert missing == [], missing[:5]
        survived += 1
        restarted = start_app(tmp_path)  # the app comes back on the same file
        restarted.stop()
    print(f"\nCRASH runs survived: {survived}, each after at least 100 acknowledged writes")
