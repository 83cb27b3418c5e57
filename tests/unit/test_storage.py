import sqlite3
import threading

import pytest

from allianz import audit, config, database
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
