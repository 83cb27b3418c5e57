"""The capacity slice's rules: the proxy configuration (checked by HAProxy itself), the
process reports, the statistics of the load benchmark and the protocol client's reading of
what the server drew."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.capacity import cluster, heartbeat, load, service, store
from allianz.capacity.model import ProcessReport
from allianz.capacity.protocol import Drawn
from allianz.errors import PermissionDenied

MANAGER = User("leitung", "Leitung", Role.MANAGER)
NOW = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)


def _config(tmp_path, **extra) -> str:
    return cluster.haproxy_config(
        bind="127.0.0.1",
        port=8501,
        servers={"p1": 40001, "p2": 40002},
        admin_socket=tmp_path / "haproxy.sock",
        **extra,
    )


def test_proxy_pins_sessions_checks_health_and_drops_client_forwarded_for(tmp_path):
    text = _config(tmp_path)
    lines = [line.strip() for line in text.splitlines()]
    assert "cookie allianz_prozess insert indirect nocache httponly attr SameSite=Lax" in lines
    assert "option httpchk GET /healthz" in lines
    assert "option redispatch" in lines
    assert "server p1 127.0.0.1:40001 cookie p1 check" in lines
    assert "server p2 127.0.0.1:40002 cookie p2 check" in lines
    # the client's own header is dropped before the proxy adds the address it saw
    assert lines.index("http-request del-header X-Forwarded-For") < lines.index("option forwardfor")
    assert "timeout tunnel 1h" in lines  # WebSockets outlive the ordinary timeouts
    assert "http-request set-header X-Forwarded-Proto http" in lines


def test_tls_binds_with_the_certificate_and_says_https(tmp_path):
    lines = _config(tmp_path, tls_cert=tmp_path / "site.pem").splitlines()
    assert f"    bind 127.0.0.1:8501 ssl crt {tmp_path / 'site.pem'}" in lines
    assert "    http-request set-header X-Forwarded-Proto https" in lines


def test_haproxy_accepts_the_configuration(tmp_path):
    if not os.access(cluster.HAPROXY, os.X_OK):
        if os.environ.get("ALLIANZ_REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail("HAProxy is not installed: required in CI")
        pytest.skip("HAProxy is not installed")
    path = tmp_path / "haproxy.cfg"
    path.write_text(_config(tmp_path), encoding="utf-8")
    checked = subprocess.run(
        [cluster.HAPROXY, "-c", "-f", str(path)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    path.write_text(_config(tmp_path).replace("balance leastconn", "balance nonsense"))
    refused = subprocess.run(
        [cluster.HAPROXY, "-c", "-f", str(path)], capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0  # the check itself can fail


def _report(name: str, seen: datetime, pid: int = 100, sessions: int = 3) -> ProcessReport:
    return ProcessReport(name, "host", pid, 40001, NOW - timedelta(hours=1), seen, sessions,
                         300 * 2**20, 12.5)  # fmt: skip


def test_reports_are_kept_per_process_and_refreshed(db):
    store.report(db, _report("p1", NOW))
    store.report(db, _report("p2", NOW))
    store.report(db, _report("p1", NOW + timedelta(seconds=5), sessions=7))
    reports = {r.name: r for r in store.all_reports(db)}
    assert set(reports) == {"p1", "p2"}
    assert reports["p1"].sessions == 7
    assert reports["p1"].seen_at == NOW + timedelta(seconds=5)


def test_a_process_forgets_only_its_own_report(db):
    store.report(db, _report("p1", NOW, pid=100))
    store.forget(db, "p1", pid=200)  # a successor of the same name started meanwhile
    assert [r.name for r in store.all_reports(db)] == ["p1"]
    store.forget(db, "p1", pid=100)
    assert store.all_reports(db) == []


def test_old_reports_are_removed_and_quiet_processes_show_as_silent(db):
    store.report(db, _report("p1", NOW - timedelta(days=2)))
    store.report(db, _report("p2", NOW - timedelta(seconds=31)))
    store.report(db, _report("p3", NOW - timedelta(seconds=29)))
    store.forget_older_than(db, NOW - heartbeat.KEEP)
    reports = {r.name: r for r in store.all_reports(db)}
    assert set(reports) == {"p2", "p3"}
    assert reports["p2"].silent(NOW)
    assert not reports["p3"].silent(NOW)


def test_only_the_management_sees_the_processes(db):
    store.report(db, _report("p1", NOW))
    assert [r.name for r in service.processes(db, MANAGER)] == ["p1"]
    for role in (Role.CITIZEN, Role.STAFF, Role.MAYOR, Role.WORKING_GROUP, Role.HOST):
        with pytest.raises(PermissionDenied):
            service.processes(db, User("x", "x", role, "14729060"))


def test_a_snapshot_reads_this_process_from_proc(monkeypatch):
    monkeypatch.setenv("ALLIANZ_PROCESS", "p9")
    report = heartbeat.snapshot(NOW, NOW)
    assert report.name == "p9"
    assert report.pid == os.getpid()
    assert 10 * 2**20 < report.rss_bytes < 8 * 2**30
    assert report.cpu_seconds > 0


def test_spread_uses_nearest_rank_percentiles():
    values = [float(n) for n in range(1, 101)]  # 1 … 100 s
    assert load.spread(values) == {"count": 100, "p50": 50.5, "p95": 95.0, "max": 100.0}
    assert load.spread([0.2]) == {"count": 1, "p50": 0.2, "p95": 0.2, "max": 0.2}
    assert load.spread([])["p95"] is None


def _level(sessions: int, p95: float, errors: int = 0) -> dict:
    return {"sessions": sessions, "all": {"p95": p95}, "errors": errors}


def test_the_knee_is_the_first_level_over_one_second_or_with_errors():
    assert load.knee([_level(10, 0.1), _level(100, 1.4), _level(50, 0.9)]) == 100
    assert load.knee([_level(10, 0.1), _level(50, 0.3, errors=2)]) == 50
    assert load.knee([_level(10, 0.1), _level(50, 1.0)]) is None


def _delta(kind: str, **fields) -> ForwardMsg:
    message = ForwardMsg()
    element = message.delta.new_element
    target = getattr(element, kind)
    for key, value in fields.items():
        setattr(target, key, value)
    return message


def test_the_client_reads_buttons_texts_and_exceptions_of_a_run():
    drawn = Drawn()
    drawn.add(_delta("button", id="$$ID-abc-None", label="Diesen Hinweis unterstützen (+1)"))
    drawn.add(_delta("metric", label="Unterstützungen", body="1234"))
    drawn.add(_delta("markdown", body="**Antwort der Gemeinde**"))
    drawn.add(_delta("exception", type="KeyError", message="'ref'"))
    assert drawn.buttons == {"Diesen Hinweis unterstützen (+1)": "$$ID-abc-None"}
    assert drawn.contains("Antwort der Gemeinde")
    assert load._supports(drawn) == 1234
    assert drawn.exceptions == ["KeyError: 'ref'"]
