"""Account rules: who may exist with which role, sign-in, and OIDC identity mapping."""

from __future__ import annotations

import functools
import re
import secrets

import sqlite_utils

from allianz import audit
from allianz.accounts import sessions, store
from allianz.accounts.model import User
from allianz.auth import MUNICIPAL_ROLES, Role, hash_password, verify_password
from allianz.config import Alliance
from allianz.errors import ValidationError
from db.connection import write_transaction

_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


class AccountError(ValidationError):
    """Refused account change; the message is German and says what to fix."""


def by_id(db: sqlite_utils.Database, user_id: int) -> User | None:
    """The account behind a session, read on every run so a disabled account loses access."""
    return store.by_id(db, user_id)


def create_user(
    db: sqlite_utils.Database,
    alliance: Alliance,
    actor: audit.Actor,
    *,
    username: str,
    role: Role | str,
    password: str | None,
    municipality_ags: str | None = None,
    display_name: str | None = None,
    email: str | None = None,
) -> User:
    try:
        role = Role(role)
    except ValueError as exc:
        roles = ", ".join(r.value for r in Role if r is not Role.CITIZEN)
        raise AccountError(f"Unbekannte Rolle '{role}'. Erlaubt: {roles}") from exc
    if role is Role.CITIZEN:
        raise AccountError("Bürgerinnen und Bürger brauchen kein Konto.")
    if not _USERNAME.match(username):
        raise AccountError(
            "Benutzername: 2–40 Zeichen, Buchstaben, Ziffern, Punkt, Binde- oder Unterstrich."
        )
    if role in MUNICIPAL_ROLES:
        if not municipality_ags:
            raise AccountError(
                f"Die Rolle {role.value} braucht eine Gemeinde (--municipality AGS)."
            )
        try:
            alliance.municipality(municipality_ags)
        except KeyError as exc:
            raise AccountError(
                f"AGS {municipality_ags} gehört nicht zur Allianz {alliance.name}."
            ) from exc
    elif municipality_ags:
        raise AccountError(f"Die Rolle {role.value} ist an keine Gemeinde gebunden.")
    if email is not None and not _EMAIL.match(email):
        raise AccountError(f"'{email}' ist keine gültige E-Mail-Adresse.")
    if password is None and email is None:
        raise AccountError("Ein Konto braucht ein Passwort oder eine E-Mail-Adresse für OIDC.")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError(f"Das Passwort muss mindestens {MIN_PASSWORD} Zeichen lang sein.")
    with write_transaction(db):
        if store.exists(db, username):
            raise AccountError(f"Den Benutzer '{username}' gibt es schon.")
        if email and store.by_email(db, email):
            raise AccountError(f"Die E-Mail-Adresse {email} ist schon einem Konto zugeordnet.")
        user_id = store.insert(
            db,
            {
                "username": username,
                "display_name": display_name or username,
                "role": role.value,
                "municipality_ags": municipality_ags,
                "email": email,
                "password_hash": hash_password(password) if password else None,
                "active": 1,
                "created_at": audit.now_iso(),
            },
        )
        audit.record(
            db,
            actor,
            "user.create",
            "user",
            str(user_id),
            municipality_ags=municipality_ags,
            details={"username": username, "role": role.value},
        )
    return store.by_id(db, user_id)


def set_active(db: sqlite_utils.Database, actor: audit.Actor, username: str, active: bool) -> None:
    """Disable (or re-enable) an account; a disabled account loses access on its next click."""
    with write_transaction(db):
        if not store.set_fields(db, username, {"active": int(active)}):
            raise AccountError(f"Den Benutzer '{username}' gibt es nicht.")
        if not active:  # open sessions end with the account
            store.delete_sessions_of(db, store.user_id_of(db, username))
        audit.record(db, actor, "user.enable" if active else "user.disable", "user", username)


def set_password(
    db: sqlite_utils.Database,
    actor: audit.Actor,
    username: str,
    password: str,
    keep_session: str | None = None,
) -> None:
    """A new password ends every session of the account but `keep_session` (the browser in
    which its owner changed it)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Das Passwort muss mindestens {MIN_PASSWORD} Zeichen lang sein.")
    with write_transaction(db):
        if not store.set_fields(db, username, {"password_hash": hash_password(password)}):
            raise AccountError(f"Den Benutzer '{username}' gibt es nicht.")
        sessions.end_all(db, store.user_id_of(db, username), keep_session)
        audit.record(db, actor, "user.password", "user", username)


@functools.cache
def _unknown_user_hash() -> str:
    return hash_password(secrets.token_hex(16))


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> User | None:
    found = store.by_username(db, username.strip())
    if found is None:
        # One check against a stored hash, as for a real name: timing reveals no names.
        verify_password(password, _unknown_user_hash())
        return None
    user, password_hash = found
    if not verify_password(password, password_hash):
        return None
    with write_transaction(db):
        audit.record(
            db,
            user.actor,
            "user.login",
            "user",
            str(user.id),
            municipality_ags=user.municipality_ags,
        )
    return user


def user_for_oidc(db: sqlite_utils.Database, claims: dict) -> User:
    """Map a verified OIDC identity to its account by e-mail; unknown people are citizens."""
    email = str(claims.get("email") or "").strip()
    name = str(claims.get("name") or email or claims.get("sub") or "OIDC")
    if email:
        account = store.by_email(db, email)
        if account is not None:
            return User(
                id=account.id,
                username=account.username,
                display_name=account.display_name,
                role=account.role,
                municipality_ags=account.municipality_ags,
                email=account.email,
                via_oidc=True,
            )
    return User(
        username=f"oidc:{claims.get('sub', '?')}",
        display_name=name,
        role=Role.CITIZEN,
        via_oidc=True,
    )


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return store.all_users(db)


def contact_addresses(db: sqlite_utils.Database, ags: str | None) -> list[str]:
    """Where a municipality's mail goes: its active staff with an e-mail address, else the
    alliance office (managers)."""
    staff = store.active_emails(db, Role.STAFF.value, ags)
    return staff or store.active_emails(db, Role.MANAGER.value, None)
