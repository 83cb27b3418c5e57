"""SQL of the process reports (table `app_processes`)."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from allianz.capacity.model import ProcessReport


def report(db: sqlite_utils.Database, process: ProcessReport) -> None:
    """Insert or refresh one process's row (one statement, autocommitted)."""
    db.execute(
        "INSERT INTO app_processes (process, host, pid, port, started_at, seen_at, sessions, "
        "rss_bytes, cpu_seconds) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(process) DO UPDATE SET "
        "host=excluded.host, pid=excluded.pid, port=excluded.port, "
        "started_at=excluded.started_at, seen_at=excluded.seen_at, sessions=excluded.sessions, "
        "rss_bytes=excluded.rss_bytes, cpu_seconds=excluded.cpu_seconds",
        (
            process.name, process.host, process.pid, process.port,
            process.started_at.isoformat(timespec="seconds"),
            process.seen_at.isoformat(timespec="seconds"),
            process.sessions, process.rss_bytes, process.cpu_seconds,
        ),
    )  # fmt: skip


def forget(db: sqlite_utils.Database, name: str, pid: int) -> None:
    """A process that stops in order removes its own row (not a successor's of the same name)."""
    db.execute("DELETE FROM app_processes WHERE process = ? AND pid = ?", (name, pid))


def forget_older_than(db: sqlite_utils.Database, cutoff: datetime) -> None:
    db.execute(
        "DELETE FROM app_processes WHERE seen_at < ?", (cutoff.isoformat(timespec="seconds"),)
    )


def all_reports(db: sqlite_utils.Database) -> list[ProcessReport]:
    rows = db.execute(
        "SELECT process, host, pid, port, started_at, seen_at, sessions, rss_bytes, cpu_seconds "
        "FROM app_processes ORDER BY process"
    ).fetchall()
    return [
        ProcessReport(
            name,
            host,
            pid,
            port,
            datetime.fromisoformat(started),
            datetime.fromisoformat(seen),
            sessions,
            rss,
            cpu,
        )  # fmt: skip
        for name, host, pid, port, started, seen, sessions, rss, cpu in rows
    ]
