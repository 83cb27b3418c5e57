import sqlite3
import threading

import pytest

from allianz import audit, config, database
from allianz.errors import Busy
from db import migrations
from db.connection import connect, write_transaction


def test_fresh_database_migrates_to_latest(tmp_path, alliance):
    db = database.initialise(alliance, tmp_path / "a.sqlite3")
    assert migrations.schema_version(db) == migrations.LATEST_VERSION >= 1
    assert {"meta", "users", "municipalities", "audit"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migrate_is_idempotent(tmp_path, alliance):
    path = tmp_path / "a.sqlite3"
    database.initialise(alliance, path).close()
    db = database.initialise(alliance, path)
    applied = migrations.migrations.applied(db)
    assert len(applied) == migrations.LATEST_VERSION
    assert len({m.name for m in applied}) == len(applied)


def test_open_refuses_missing_unmigrated_or_foreign_database(tmp_path, alliance):
    with pytest.raises(database.DatabaseStateError, match="fehlt"):
        database.open_for(alliance, tmp_path / "none.sqlite3")
    raw = tmp_path / "raw.sqlite3"
    connect(raw).close()
    with pytest.raises(database.DatabaseStateError, match="Version 0"):
        database.open_for(alliance, raw)
    path = tmp_path / "p.sqlite3"
    database.initialise(alliance, path).close()
    other = config.load("thueringer-becken")
    with pytest.raises(database.DatabaseStateError, match="gehört zur Allianz 'partheland'"):
        database.open_for(other, path)


def test_write_transaction_rolls_back_everything(empty_db):
    with pytest.raises(RuntimeError), write_transaction(empty_db):
        audit.record(empty_db, audit.SYSTEM, "x", "thing")
        raise RuntimeError("boom")
    assert empty_db["audit"].count == 0


def test_a_writer_starved_past_the_busy_timeout_gets_a_german_refusal(db_path, empty_db):
    holder = connect(db_path)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        empty_db.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(Busy, match="nichts gespeichert"), write_transaction(empty_db):
            audit.record(empty_db, audit.SYSTEM, "never", "thing")
        assert not empty_db.conn.in_transaction
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with write_transaction(empty_db):  # the lock is free again: the next try lands
        audit.record(empty_db, audit.SYSTEM, "later", "thing")
    assert [r["action"] for r in audit.recent(empty_db)] == ["later"]


def test_nested_write_transaction_uses_savepoint(empty_db):
    with write_transaction(empty_db):
        audit.record(empty_db, audit.SYSTEM, "outer", "thing")
        with write_transaction(empty_db):
            audit.record(empty_db, audit.SYSTEM, "inner", "thing")
    assert [r["action"] for r in audit.recent(empty_db)] == ["inner", "outer"]


def test_eight_threads_two_hundred_writes_each_lose_nothing(db_path, alliance):
    database.initialise(alliance, db_path).close()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        db = connect(db_path)  # one connection per thread, never shared
        try:
            for i in range(200):
                with write_transaction(db):
                    audit.record(
                        db,
                        audit.Actor(f"t{n}", "staff"),
                        "load.write",
                        "test",
                        str(i),
                        details={"thread": n, "i": i},
                    )
                    # a second statement in the same transaction, as real writes have
                    db.execute("UPDATE meta SET value = value WHERE key = 'alliance'")
        except (sqlite3.Error, RuntimeError) as exc:  # pragma: no cover - the failure case
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db = connect(db_path)
    assert (
        db.execute("SELECT count(*) FROM audit WHERE action = 'load.write'").fetchone()[0] == 1600
    )
    per_thread = dict(
        db.execute(
            "SELECT actor, count(*) FROM audit WHERE action='load.write' GROUP BY actor"
        ).fetchall()
    )
    assert per_thread == {f"t{n}": 200 for n in range(8)}


def test_database_of_the_first_schema_version_migrates_forward_without_loss(tmp_path, alliance):
    """A database made by schema version 1 (as the first release wrote it), with data, is
    brought to the latest version by `initialise`; nothing is lost and the app can use it."""
    from sqlite_utils.migrations import Migrations

    from allianz.accounts import service as accounts_service
    from allianz.accounts import store as account_store
    from allianz.municipalities import service as municipalities_service

    path = tmp_path / "old.sqlite3"
    old = connect(path)
    first = Migrations("allianz")
    first._migrations = migrations.migrations._migrations[:1]  # only 0001_initial
    old.execute("BEGIN IMMEDIATE")
    first.ensure_migrations_table(old)
    first.apply(old)
    old.execute("COMMIT")
    assert migrations.schema_version(old) == 1
    assert "suggestions" not in old.table_names()
    with write_transaction(old):
        old["meta"].insert({"key": "alliance", "value": alliance.slug})
    accounts_service.create_user(
        old, alliance, audit.SYSTEM, username="alt", role="manager", password="altes-passwort-1"
    )
    municipalities_service.load_demo_areas(old, alliance, audit.SYSTEM)
    audit_rows = [dict(r) for r in old.query("SELECT * FROM audit ORDER BY id")]
    old.close()

    db = database.initialise(alliance, path)
    assert migrations.schema_version(db) == migrations.LATEST_VERSION
    assert account_store.exists(db, "alt")
    assert accounts_service.authenticate(db, "alt", "altes-passwort-1") is not None
    assert len(municipalities_service.areas(db)) == len(alliance.municipalities)
    after = [dict(r) for r in db.query("SELECT * FROM audit ORDER BY id")]
    assert after[: len(audit_rows)] == audit_rows
    assert {"suggestions", "segments", "workshops", "vacancy_sites", "measures"} <= set(
        db.table_names()
    )
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
