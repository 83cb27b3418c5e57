"""GET /healthz: is the app up, is its database reachable, is the schema current, has the
start-up preparation of the public maps finished (`warmup`), and does mail leave (`mail`: the
delivery thread's state, how many messages wait, the age of the oldest in seconds, how many
were given up)."""

from __future__ import annotations

import sqlite3

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from allianz import config, database, warmup
from allianz.mail import outbox
from allianz.mail import worker as mail_worker
from db import migrations


def check() -> tuple[int, dict]:
    body = {
        "status": "ok",
        "database": "reachable",
        "schema_version": None,
        "schema_expected": migrations.LATEST_VERSION,
        "warmup": warmup.state(),
        "warmup_s": warmup.seconds(),
    }
    try:
        alliance = config.load()
        body["alliance"] = alliance.slug
        db = database.open_for(alliance)
        try:
            body["schema_version"] = migrations.schema_version(db)
            db.execute("SELECT 1").fetchone()
            body["mail"] = {"delivery": mail_worker.state(), **outbox.queue_state(db)}
        finally:
            db.close()
    except (config.ConfigError, database.DatabaseStateError, OSError, sqlite3.Error) as exc:
        body.update(status="error", database="unavailable", detail=str(exc))
        return 503, body
    return 200, body


async def healthz(_request: Request) -> JSONResponse:
    status, body = await run_in_threadpool(check)
    return JSONResponse(body, status_code=status)
