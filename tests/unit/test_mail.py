"""The outbox and its delivery: claims with a lease, retry with exponential backoff, the
background loop, and what /healthz reports."""

from __future__ import annotations

import smtplib
import threading
import time
from datetime import datetime, timedelta

import pytest

from allianz import health, privacy
from allianz.devserver import free_port
from allianz.mail import outbox, worker
from db.connection import connect
from tests.conftest import TEST_ACTOR
from tests.smtp_server import LocalSmtp


def _queue(db, count: int, created_at: str | None = None) -> None:
    for n in range(count):
        outbox.queue(db, f"person{n}@example.org", f"Nachricht {n}", "Guten Tag")
    if created_at:
        db.execute("UPDATE mail_outbox SET created_at = ?", [created_at])


def _settings(port: int) -> outbox.SmtpSettings:
    return outbox.SmtpSettings("127.0.0.1", port, "allianz@example.org")


def test_backoff_doubles_from_a_minute_up_to_six_hours():
    waits = [outbox.backoff_s(n) for n in range(1, 12)]
    assert waits[:5] == [60, 120, 240, 480, 960]
    assert max(waits) == 6 * 3600 and waits == sorted(waits)


def test_two_workers_never_claim_the_same_message(empty_db):
    _queue(empty_db, 7)
    first = outbox.claim(empty_db, "a", limit=5)
    second = outbox.claim(empty_db, "b", limit=5)
    assert len(first) == 5 and len(second) == 2
    assert not {r["id"] for r in first} & {r["id"] for r in second}
    assert outbox.claim(empty_db, "c") == []
    rows = empty_db.execute("SELECT claimed_by, lease_until FROM mail_outbox").fetchall()
    assert sorted(r[0] for r in rows) == ["a"] * 5 + ["b"] * 2
    assert all(r[1] > time.time() + outbox.LEASE_S - 5 for r in rows)


def test_a_lease_that_ran_out_is_claimed_again(empty_db):
    _queue(empty_db, 1)
    (row,) = outbox.claim(empty_db, "dead-process")
    later = time.time() + outbox.LEASE_S + 1
    assert [r["id"] for r in outbox.claim(empty_db, "b", now=later)] == [row["id"]]


def test_failure_waits_with_backoff_then_succeeds(empty_db):
    _queue(empty_db, 1)
    dead = _settings(free_port())
    assert outbox.deliver_pending(empty_db, dead, "w", due_only=True) == 0
    attempts, error, due, lease = empty_db.execute(
        "SELECT attempts, last_error, next_attempt_at, lease_until FROM mail_outbox"
    ).fetchone()
    assert attempts == 1 and error and lease is None
    assert due == pytest.approx(time.time() + 60, abs=5)
    port = free_port()
    with LocalSmtp(port) as smtp:
        # not due yet: the loop leaves it; by hand it is sent now
        assert outbox.deliver_pending(empty_db, _settings(port), "w", due_only=True) == 0
        assert outbox.deliver_pending(empty_db, _settings(port)) == 1
        assert len(smtp.messages) == 1
    row = empty_db.execute("SELECT attempts, sent_at, last_error FROM mail_outbox").fetchone()
    assert row[0] == 2 and row[1] and row[2] is None


def test_a_pass_tries_each_message_once(empty_db):
    _queue(empty_db, 3)
    assert outbox.deliver_pending(empty_db, _settings(free_port())) == 0
    assert [r[0] for r in empty_db.execute("SELECT attempts FROM mail_outbox")] == [1, 1, 1]


def test_given_up_after_max_attempts(empty_db):
    _queue(empty_db, 1)
    empty_db.execute("UPDATE mail_outbox SET attempts = ?", [outbox.MAX_ATTEMPTS])
    assert outbox.claim(empty_db, "w", due_only=False) == []
    assert outbox.queue_state(empty_db) == {"queued": 0, "oldest_queued_s": None, "failed": 1}


def test_recipient_refused_for_good_is_not_retried(empty_db, monkeypatch):
    _queue(empty_db, 1)

    class Refusing:
        def send_message(self, message):
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})

        def quit(self):
            pass

    monkeypatch.setattr(outbox, "_connect", lambda settings: Refusing())
    assert outbox.deliver_pending(empty_db, _settings(1)) == 0
    assert outbox.queue_state(empty_db)["failed"] == 1


def test_queue_state_reports_count_and_age(empty_db):
    assert outbox.queue_state(empty_db) == {"queued": 0, "oldest_queued_s": None, "failed": 0}
    now = datetime.fromisoformat("2026-03-01T12:00:00+00:00")
    _queue(empty_db, 2, created_at=(now - timedelta(minutes=5)).isoformat())
    assert outbox.queue_state(empty_db, now) == {
        "queued": 2,
        "oldest_queued_s": 300,
        "failed": 0,
    }


def test_healthz_reports_the_mail_queue(empty_db):
    _queue(empty_db, 3)
    status, body = health.check()
    assert status == 200
    assert body["mail"]["queued"] == 3 and body["mail"]["oldest_queued_s"] >= 0
    assert body["mail"]["delivery"] in ("off", "running", "stopped")


def test_the_loop_delivers_what_is_queued_later_and_stops(empty_db, db_path):
    port = free_port()
    stop = threading.Event()
    with LocalSmtp(port) as smtp:
        loop = threading.Thread(
            target=worker.run,
            args=(lambda: connect(db_path), _settings(port), stop),
            kwargs={"poll_s": 0.1},
        )
        loop.start()
        try:
            time.sleep(0.3)  # running with nothing to do
            _queue(empty_db, 2)
            queued = time.monotonic()
            while len(smtp.messages) < 2 and time.monotonic() - queued < 10:
                time.sleep(0.02)
            assert len(smtp.messages) == 2
            assert time.monotonic() - queued < 2
        finally:
            stop.set()
            loop.join(5)
        assert not loop.is_alive()
    assert outbox.pending_count(empty_db) == 0


def test_the_loop_survives_a_missing_database(tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "ERROR_PAUSE_S", 0.05)
    calls = []

    def broken():
        calls.append(1)
        raise OSError("nicht da")

    stop = threading.Event()
    loop = threading.Thread(target=worker.run, args=(broken, _settings(1), stop))
    loop.start()
    time.sleep(0.3)
    stop.set()
    loop.join(5)
    assert not loop.is_alive() and len(calls) >= 2


def test_no_smtp_settings_no_thread():
    assert worker.start(None) is None


def test_undeliverable_mail_is_purged_with_the_retention_period(empty_db):
    _queue(empty_db, 2, created_at="2025-01-01T00:00:00+00:00")
    empty_db.execute("UPDATE mail_outbox SET attempts = ? WHERE id = 1", [outbox.MAX_ATTEMPTS])
    counts = privacy.purge(
        empty_db, 12, TEST_ACTOR, now=datetime.fromisoformat("2026-06-01T00:00:00+00:00")
    )
    assert counts["undeliverable_mails"] == 1
    assert outbox.pending_count(empty_db) == 1  # still being tried: it stays
