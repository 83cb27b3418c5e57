"""Two app processes behind HAProxy: sessions stay with their process, a killed process's
users reconnect to the other one still signed in and can upload there, no acknowledged write is
lost, the proxy takes the process out and back in, and a rolling restart replaces every
process while the proxy keeps serving."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from playwright.sync_api import expect

from allianz import config
from allianz.auth import Role
from allianz.capacity import cluster, load
from allianz.devserver import wait_idle
from allianz.suggestions import store as suggestion_store
from db.connection import connect
from tests.e2e.conftest import ACCOUNTS, PASSWORD, login, nav, prepare_database

pytestmark = pytest.mark.e2e


def _haproxy() -> None:
    if not os.access(cluster.HAPROXY, os.X_OK):
        message = "HAProxy is not installed (Debian package haproxy)"
        if os.environ.get("ALLIANZ_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(message + ": required in CI")
        pytest.skip(message)


class Running(NamedTuple):
    node: cluster.Cluster
    db_path: Path

    @property
    def url(self) -> str:
        return self.node.url


@pytest.fixture
def two_processes(tmp_path) -> Iterator[Running]:
    _haproxy()
    db_path = tmp_path / "e2e.sqlite3"
    prepare_database(db_path)
    node = cluster.Cluster(
        2,
        cluster.free_port(),
        tmp_path,
        env={"ALLIANZ_DB": str(db_path), "ALLIANZ_CONFIG": "partheland"},
        secrets_file=tmp_path / "no-secrets.toml",
        check_interval_ms=500,
    )
    node.start()
    yield Running(node, db_path)
    node.stop()


def _open_refs(running: Running) -> list[str]:
    db = connect(running.db_path)
    try:
        return suggestion_store.supportable_refs(db)
    finally:
        db.close()


def _supports(running: Running, ref: str) -> int:
    db = connect(running.db_path)
    try:
        return db.execute("SELECT supports FROM suggestions WHERE ref = ?", (ref,)).fetchone()[0]
    finally:
        db.close()


def _wait_status(node: cluster.Cluster, name: str, prefix: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        status = cluster.server_states(node.admin_socket)[name]["status"]
        if status.startswith(prefix) or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


def _segments(running: Running) -> int:
    db = connect(running.db_path)
    try:
        return db.execute("SELECT count(*) FROM segments").fetchone()[0]
    finally:
        db.close()


def _upload_works(page, running: Running, folder: Path) -> None:
    """An upload goes to the process that holds the page's session (Streamlit keeps the file
    there): a network file imported through the proxy lands once."""
    seat = config.load("partheland").municipality("14729060")
    line = [[seat.seat_lon, seat.seat_lat], [seat.seat_lon + 0.004, seat.seat_lat + 0.002]]
    upload = folder / "radweg.geojson"
    upload.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Radweg nach dem Neustart"},
         "geometry": {"type": "LineString", "coordinates": line}}]}))  # fmt: skip
    before = _segments(running)
    nav(page, "Netz importieren")
    wait_idle(page)
    page.locator("input[type=file]").set_input_files(str(upload))
    save = page.get_by_role("button", name="Speichern")
    expect(save).to_be_enabled()
    save.click()
    expect(page.get_by_text(re.compile(r"Abschnitte? \(.*\) gespeichert")).first).to_be_visible()
    assert _segments(running) == before + 1


def test_simulated_citizens_through_the_proxy_land_every_support_once(two_processes):
    refs = _open_refs(two_processes)
    before = {ref: _supports(two_processes, ref) for ref in refs}
    plan = load.Plan(6, refs, arrival_s=1, window_s=4, think_s=(0.1, 0.3), timeout_s=60)
    tally = load.measure(two_processes.url, plan)
    assert tally.errors == []
    assert tally.sessions_connected == 6
    assert tally.acknowledged, "no session reached the support button"
    for ref, count in tally.acknowledged.items():
        assert _supports(two_processes, ref) == before[ref] + count
    served = cluster.server_states(two_processes.node.admin_socket)
    assert all(int(record["stot"]) > 0 for record in served.values()), served


@pytest.mark.timeout(600)
def test_killing_the_serving_process_keeps_the_user_signed_in(two_processes, browser, tmp_path):
    page = browser.page
    running, node = two_processes, two_processes.node
    username, display_name = ACCOUNTS[Role.MANAGER]
    login(page, running.url, username, PASSWORD, display_name)

    # an acknowledged write on the process that is about to die
    ref = _open_refs(running)[0]
    before = _supports(running, ref)
    page.goto(f"{node.url}/suggestions?ref={ref}")
    wait_idle(page)
    page.get_by_role("button", name=load.SUPPORT_BUTTON).click()
    expect(page.get_by_role("button", name=load.SUPPORT_BUTTON)).to_have_count(0)
    expect(page.get_by_test_id("stMetric").filter(has_text="Unterstützungen")).to_contain_text(
        str(before + 1)
    )

    nav(page, "Betrieb")
    wait_idle(page)
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()  # its script chunk has loaded
    serving = next(c["value"] for c in page.context.cookies() if c["name"] == "allianz_prozess")
    expect(page.get_by_text(f"Diese Seite kommt von Prozess {serving}")).to_be_visible()
    other = next(a.name for a in node.apps if a.name != serving)
    victim = next(a for a in node.apps if a.name == serving)

    os.kill(victim.proc.pid, signal.SIGKILL)
    victim.proc.wait(timeout=10)
    assert _wait_status(node, serving, "DOWN").startswith("DOWN")

    # the page reconnects to the other process within seconds; a click made while it is still
    # reconnecting is not sent, so the user (and the test) clicks again until it is served
    killed_at = time.monotonic()
    served_by_other = page.get_by_text(f"Diese Seite kommt von Prozess {other}")
    for _attempt in range(12):
        nav(page, "Betrieb")
        try:
            expect(served_by_other).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            continue
    expect(served_by_other).to_be_visible()
    print(f"first page served by {other} {time.monotonic() - killed_at:.1f} s after the kill")
    expect(page.get_by_text(f"Angemeldet: {display_name}")).to_be_visible()
    # the proxy re-pinned the browser, so uploads and media go to the process of its session
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies["allianz_prozess"] == other
    page.reload()
    wait_idle(page)
    expect(page.get_by_text(f"Diese Seite kommt von Prozess {other}")).to_be_visible()
    expect(page.get_by_text(f"Angemeldet: {display_name}")).to_be_visible()
    assert _supports(running, ref) == before + 1  # the acknowledged support is in the database
    _upload_works(page, running, tmp_path)  # on the process that took the session over

    # the supervisor starts the process again, and the proxy takes it back
    assert node.supervise_once() == [serving]
    node.wait_healthy(victim)
    assert _wait_status(node, serving, "UP").startswith("UP")


def test_a_rolling_restart_replaces_every_process_and_the_proxy_keeps_serving(two_processes):
    node = two_processes.node
    before = {app.name: app.proc.pid for app in node.apps}
    node.rolling_restart(grace=1)
    after = {app.name: app.proc.pid for app in node.apps}
    assert set(after) == set(before) and all(after[n] != before[n] for n in before)
    for app in node.apps:
        assert _wait_status(node, app.name, "UP").startswith("UP"), app.name
    assert all(app.starts == 2 for app in node.apps)
    refs = _open_refs(two_processes)
    plan = load.Plan(2, refs, arrival_s=0.5, window_s=2, think_s=(0.1, 0.2), timeout_s=60)
    tally = load.measure(two_processes.url, plan)
    assert tally.errors == [] and tally.acknowledged
