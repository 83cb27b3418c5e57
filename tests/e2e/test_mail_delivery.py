"""Mail leaves on its own: a running app delivers a status-change mail without anyone opening a
page, and three delivering processes on one database send 100 queued mails exactly once.

No browser: the status changes through the service in the test process, as the CLI or another
app process would; the app's background thread (allianz.mail.worker) is what sends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

import pytest

from allianz import config, database
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import PROJECT_ROOT
from allianz.mail import outbox
from allianz.municipalities import service as municipalities
from allianz.suggestions import service
from db.connection import connect, write_transaction
from tests.e2e.conftest import free_port, json_get, prepare_database, start_app
from tests.smtp_server import LocalSmtp

pytestmark = pytest.mark.slow


def _secrets(port: int) -> str:
    return f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsender = "allianz@example.org"\n'


def _wait_for(condition, timeout: float) -> float:
    """Seconds until `condition()` held; fails after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - started


def test_status_change_mail_arrives_without_a_page(tmp_path):
    with LocalSmtp(free_port()) as smtp:
        prepare_database(tmp_path / "e2e.sqlite3")
        server = start_app(tmp_path, secrets=_secrets(smtp.port))
        try:
            health = json_get(server.url + "/healthz")
            assert health["mail"] == {
                "delivery": "running",
                "queued": 0,
                "oldest_queued_s": None,
                "failed": 0,
            }
            alliance = config.load("partheland")
            db = connect(server.db_path)
            created = service.submit(
                db,
                alliance,
                municipalities.areas(db),
                service.Submission(
                    "lighting",
                    "Laterne dunkel",
                    "Seit Tagen.",
                    51.2778,
                    12.5883,
                    email="anwohner@example.org",
                    email_consent=True,
                ),
            )
            staff = User("x", "X", Role.STAFF, created.municipality_ags, id=99)
            service.set_status(db, alliance, staff, created.id, "planned", "Wird repariert.")
            latency = _wait_for(lambda: smtp.messages, timeout=15)
            print(f"status change → mail received: {latency:.2f} s")
            assert latency < 5
            (message,) = smtp.messages
            assert message["To"] == "anwohner@example.org"
            assert created.ref in message["Subject"]
            assert "Wird repariert." in message.get_payload(decode=True).decode()
            _wait_for(lambda: outbox.pending_count(db) == 0, timeout=5)
            assert json_get(server.url + "/healthz")["mail"]["queued"] == 0
            db.close()
        finally:
            server.stop()


def test_three_processes_deliver_100_mails_exactly_once(tmp_path):
    db_path = tmp_path / "mail.sqlite3"
    db = database.initialise(config.load("partheland"), db_path)
    with LocalSmtp(free_port(), delay=0.03) as smtp:
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(_secrets(smtp.port), encoding="utf-8")
        env = {
            **os.environ,
            "ALLIANZ_DB": str(db_path),
            "ALLIANZ_CONFIG": "partheland",
            "PYTHONUNBUFFERED": "1",
        }
        cmd = [sys.executable, "-m", "allianz.cli", "mail", "worker", "--secrets", str(secrets)]
        workers = [
            subprocess.Popen(
                cmd, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            for _ in range(3)
        ]
        try:
            for proc in workers:  # all three are polling before anything is queued
                assert "läuft" in proc.stdout.readline().decode()
            with write_transaction(db):
                for n in range(100):
                    outbox.queue(db, f"person{n}@example.org", f"Nachricht {n:03d}", "Text")
            took = _wait_for(lambda: outbox.pending_count(db) == 0, timeout=60)
            time.sleep(2)  # a duplicate would arrive now
        finally:
            for proc in workers:
                proc.terminate()
            outputs = [proc.communicate(timeout=20)[0].decode() for proc in workers]
        assert [proc.returncode for proc in workers] == [0, 0, 0], outputs
        subjects = Counter(m["Subject"] for m in smtp.messages)
        assert len(smtp.messages) == 100 and len(subjects) == 100
        assert set(subjects) == {f"Nachricht {n:03d}" for n in range(100)}
    rows = db.execute("SELECT attempts, sent_at, claimed_by FROM mail_outbox").fetchall()
    assert all(attempts == 1 and sent for attempts, sent, _ in rows)
    by_worker = Counter(who for _, _, who in rows)
    print(f"100 mails by 3 processes in {took:.2f} s: {sorted(by_worker.values())}")
    assert len(by_worker) == 3
    db.close()
