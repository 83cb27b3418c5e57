"""SQL for accounts only."""

from __future__ import annotations

import sqlite_utils

from allianz.accounts.model import User
from allianz.auth import Role


def _user(row: dict) -> User:
    return User(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        municipality_ags=row["municipality_ags"],
        email=row["email"],
    )


def by_username(db: sqlite_utils.Database, username: str) -> tuple[User, str | None] | None:
    """The active user and its password hash."""
    rows = list(db.query("SELECT * FROM users WHERE username = ? AND active = 1", [username]))
    return (_user(rows[0]), rows[0]["password_hash"]) if rows else None


def by_id(db: sqlite_utils.Database, user_id: int) -> User | None:
    rows = list(db.query("SELECT * FROM users WHERE id = ? AND active = 1", [user_id]))
    return _user(rows[0]) if rows else None


def by_email(db: sqlite_utils.Database, email: str) -> User | None:
    """The active account with this address in any letter case (`users.email` is COLLATE
    NOCASE, and unique in that sense)."""
    rows = list(db.query("SELECT * FROM users WHERE email = ? AND active = 1", [email]))
    return _user(rows[0]) if rows else None


def exists(db: sqlite_utils.Database, username: str) -> bool:
    return bool(list(db.query("SELECT 1 FROM users WHERE username = ?", [username])))


def insert(db: sqlite_utils.Database, row: dict) -> int:
    return db["users"].insert(row).last_pk


def all_users(db: sqlite_utils.Database) -> list[dict]:
    """Without password hashes: nothing that lists users ever needs them."""
    return [
        dict(r)
        for r in db.query(
            "SELECT id, username, display_name, role, municipality_ags, email, active, created_at"
            " FROM users ORDER BY username"
        )
    ]


def set_fields(db: sqlite_utils.Database, username: str, values: dict) -> bool:
    cursor = db.execute(
        f"UPDATE users SET {', '.join(f'{k} = ?' for k in values)} WHERE username = ?",
        [*values.values(), username],
    )
    return cursor.rowcount == 1


def active_emails(db: sqlite_utils.Database, role: str, ags: str | None) -> list[str]:
    sql = (
        "SELECT email FROM users WHERE active = 1 AND email IS NOT NULL AND role = ? "
        "AND (? IS NULL OR municipality_ags = ?) ORDER BY id"
    )
    return [r["email"] for r in db.query(sql, [role, ags, ags])]


# --- sign-in sessions (only a hash of the browser's token is kept) ----------------------------


def add_session(db: sqlite_utils.Database, row: dict) -> None:
    db["web_sessions"].insert(row)


def session(db: sqlite_utils.Database, token_hash: str) -> dict | None:
    rows = list(db.query("SELECT * FROM web_sessions WHERE token_hash = ?", [token_hash]))
    return rows[0] if rows else None


def touch_session(db: sqlite_utils.Database, token_hash: str, now: float) -> None:
    db.execute("UPDATE web_sessions SET last_seen = ? WHERE token_hash = ?", [now, token_hash])


def delete_session(db: sqlite_utils.Database, token_hash: str) -> None:
    db.execute("DELETE FROM web_sessions WHERE token_hash = ?", [token_hash])


def delete_sessions_of(db: sqlite_utils.Database, user_id: int, keep: str | None = None) -> int:
    sql = "DELETE FROM web_sessions WHERE user_id = ? AND token_hash IS NOT ?"
    return db.execute(sql, [user_id, keep]).rowcount


def sessions_of(db: sqlite_utils.Database, user_id: int) -> list[dict]:
    sql = "SELECT * FROM web_sessions WHERE user_id = ? ORDER BY last_seen DESC"
    return list(db.query(sql, [user_id]))


def delete_expired_sessions(db: sqlite_utils.Database, now: float, idle_seconds: float) -> int:
    sql = "DELETE FROM web_sessions WHERE expires_at < ? OR last_seen < ?"
    return db.execute(sql, [now, now - idle_seconds]).rowcount


def user_id_of(db: sqlite_utils.Database, username: str) -> int | None:
    row = db.execute("SELECT id FROM users WHERE username = ?", [username]).fetchone()
    return row[0] if row else None


# --- one-time codes to set a password (only a hash is kept) --------------------------------


def replace_setup_code(db: sqlite_utils.Database, user_id: int, code_hash: str, expires: float):
    db.execute("DELETE FROM password_setups WHERE user_id = ?", [user_id])
    db["password_setups"].insert(
        {"code_hash": code_hash, "user_id": user_id, "expires_at": expires}
    )


def take_setup_code(db: sqlite_utils.Database, code_hash: str, now: float) -> int | None:
    """The user of a valid code; the code is used up either way."""
    row = db.execute(
        "SELECT user_id, expires_at FROM password_setups WHERE code_hash = ?", [code_hash]
    ).fetchone()
    db.execute(
        "DELETE FROM password_setups WHERE code_hash = ? OR expires_at < ?", [code_hash, now]
    )
    return row[0] if row and row[1] >= now else None


def user_row(db: sqlite_utils.Database, username: str) -> dict | None:
    rows = list(db.query("SELECT * FROM users WHERE username = ?", [username]))
    return rows[0] if rows else None


def ids_by_email(db: sqlite_utils.Database, email: str) -> list[int]:
    """Every account with this address, disabled ones too (for the privacy rights)."""
    sql = "SELECT id FROM users WHERE email = ? COLLATE NOCASE ORDER BY id"
    return [r["id"] for r in db.query(sql, [email])]
