"""Tokens for the plain HTML forms that post to the app's own routes (sign-in, sign-out).

Streamlit's XSRF protection covers its websocket and uploads, not our routes. Each form
carries a token signed with a secret kept in the database (all processes share it): issued
time, random nonce and an HMAC. A POST without a valid, recent token changes nothing, so
another site cannot sign a visitor in or out behind their back.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import sqlite_utils

from db.connection import write_transaction

MAX_AGE_SECONDS = 4 * 3600
_META_ROW = "form_secret"


def _secret(db: sqlite_utils.Database) -> bytes:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [_META_ROW]).fetchone()
    if row is None:
        with write_transaction(db):
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                [_META_ROW, secrets.token_hex(32)],
            )
        row = db.execute("SELECT value FROM meta WHERE key = ?", [_META_ROW]).fetchone()
    return bytes.fromhex(row[0])


def _mac(db: sqlite_utils.Database, purpose: str, issued: str, nonce: str) -> str:
    message = f"{purpose}\0{issued}\0{nonce}".encode()
    return hmac.new(_secret(db), message, hashlib.sha256).hexdigest()[:32]


def issue(db: sqlite_utils.Database, purpose: str, now: float | None = None) -> str:
    issued = str(int(time.time() if now is None else now))
    nonce = secrets.token_hex(8)
    return f"{issued}.{nonce}.{_mac(db, purpose, issued, nonce)}"


def valid(db: sqlite_utils.Database, purpose: str, token: str, now: float | None = None) -> bool:
    parts = token.split(".") if isinstance(token, str) and len(token) <= 80 else []
    if len(parts) != 3 or not parts[0].isdigit():
        return False
    issued, nonce, mac = parts
    age = (time.time() if now is None else now) - int(issued)
    if not 0 <= age <= MAX_AGE_SECONDS:
        return False
    return hmac.compare_digest(mac, _mac(db, purpose, issued, nonce))
