"""The app processes that serve this alliance's database report themselves every few seconds
(allianz/capacity/heartbeat.py), so the "Betrieb" page shows every process behind the proxy,
whichever process draws it: its sessions, memory and CPU, and when it last reported."""

from db.migrations import migrations


@migrations(name="0031_app_processes")
def app_processes(db):
    db.execute(
        """CREATE TABLE app_processes (
            process TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            port INTEGER,
            started_at TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            sessions INTEGER NOT NULL DEFAULT 0,
            rss_bytes INTEGER NOT NULL DEFAULT 0,
            cpu_seconds REAL NOT NULL DEFAULT 0
        )"""
    )
