"""Account rules: who may exist with which role, sign-in, and OIDC identity mapping."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import time

import sqlite_utils

from allianz import audit, submissions
from allianz.accounts import sessions, store
from allianz.accounts.model import User
from allianz.auth import MUNICIPAL_ROLES, ROLE_LABELS, Role, hash_password, verify_password
from allianz.config import Alliance
from allianz.errors import ValidationError
from allianz.text import clean
from db.connection import write_transaction

_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


class AccountError(ValidationError):
    """Refused account change; the message is German and says what to fix."""


def by_id(db: sqlite_utils.Database, user_id: int) -> User | None:
    """The account behind a session, read on every run so a disabled account loses access."""
    return store.by_id(db, user_id)


def _checked_profile(
    alliance: Alliance, role: Role | str, municipality_ags: str | None, email: str | None
) -> Role:
    """Role, municipality and e-mail that fit together; German errors otherwise."""
    try:
        role = Role(role)
    except ValueError as exc:
        roles = ", ".join(r.value for r in Role if r is not Role.CITIZEN)
        raise AccountError(f"Unbekannte Rolle '{role}'. Erlaubt: {roles}") from exc
    if role is Role.CITIZEN:
        raise AccountError("Bürgerinnen und Bürger brauchen kein Konto.")
    if role in MUNICIPAL_ROLES:
        if not municipality_ags:
            raise AccountError(f"Die Rolle „{ROLE_LABELS[role]}“ braucht eine Gemeinde.")
        try:
            alliance.municipality(municipality_ags)
        except KeyError as exc:
            raise AccountError(
                f"AGS {municipality_ags} gehört nicht zur Allianz {alliance.name}."
            ) from exc
    elif municipality_ags:
        raise AccountError(f"Die Rolle „{ROLE_LABELS[role]}“ ist an keine Gemeinde gebunden.")
    if email is not None and not _EMAIL.match(email):
        raise AccountError(f"'{email}' ist keine gültige E-Mail-Adresse.")
    return role


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
    invite: bool = False,
    token: str | None = None,
) -> User:
    """A new account. With `invite` it may start without a password: its owner sets one
    with a one-time code (`issue_setup_code`)."""
    display_name = clean(display_name or "")[:100] or None
    email = (email or "").strip() or None
    role = _checked_profile(alliance, role, municipality_ags, email)
    if not _USERNAME.match(username):
        raise AccountError(
            "Benutzername: 2–40 Zeichen, Buchstaben, Ziffern, Punkt, Binde- oder Unterstrich."
        )
    if password is None and email is None and not invite:
        raise AccountError("Ein Konto braucht ein Passwort oder eine E-Mail-Adresse für OIDC.")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError(f"Das Passwort muss mindestens {MIN_PASSWORD} Zeichen lang sein.")
    with write_transaction(db):
        submissions.claim(db, token, "user.create")
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


def update_user(
    db: sqlite_utils.Database,
    alliance: Alliance,
    actor: audit.Actor,
    username: str,
    *,
    display_name: str,
    role: Role | str,
    municipality_ags: str | None,
    email: str | None,
    active: bool,
) -> bool:
    """Change an account's name, role, municipality, e-mail or state; False when nothing
    changed. Disabling ends its sessions; a new role or municipality does too (the next
    sign-in gets the new rights at once, and no open page keeps the old ones)."""
    email = (email or "").strip() or None
    role = _checked_profile(alliance, role, municipality_ags, email)
    name = clean(display_name)[:100]
    if not name:
        raise AccountError("Bitte einen Namen angeben.")
    with write_transaction(db):
        old = store.user_row(db, username)
        if old is None:
            raise AccountError(f"Den Benutzer '{username}' gibt es nicht.")
        if email and email.casefold() != (old["email"] or "").casefold():
            other = store.by_email(db, email)
            if other is not None and other.username != username:
                raise AccountError(f"Die E-Mail-Adresse {email} ist schon einem Konto zugeordnet.")
        new = {
            "display_name": name,
            "role": role.value,
            "municipality_ags": municipality_ags,
            "email": email,
            "active": int(active),
        }
        changed = sorted(k for k, v in new.items() if old[k] != v)
        if not changed:
            return False
        store.set_fields(db, username, new)
        if {"active", "role", "municipality_ags"} & set(changed):
            store.delete_sessions_of(db, old["id"])
        audit.record(
            db,
            actor,
            "user.update",
            "user",
            username,
            municipality_ags=municipality_ags,
            details={"fields": changed},
        )
    return True


SETUP_HOURS = 72
_CODE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def issue_setup_code(
    db: sqlite_utils.Database, actor: audit.Actor, username: str, now: float | None = None
) -> str:
    """A one-time code (valid 72 hours, replaces any earlier one) with which the account's
    owner sets a password; shown once, only its hash is kept."""
    now = time.time() if now is None else now
    code = secrets.token_urlsafe(24)
    with write_transaction(db):
        row = store.user_row(db, username)
        if row is None:
            raise AccountError(f"Den Benutzer '{username}' gibt es nicht.")
        if not row["active"]:
            raise AccountError("Das Konto ist gesperrt. Bitte zuerst wieder freischalten.")
        digest = hashlib.sha256(code.encode()).hexdigest()
        store.replace_setup_code(db, row["id"], digest, now + SETUP_HOURS * 3600)
        audit.record(db, actor, "user.setup_code", "user", username)
    return code


def redeem_setup_code(
    db: sqlite_utils.Database, code: str, password: str, repeated: str, now: float | None = None
) -> User:
    """Set the password with a one-time code; the code is used up, every session ends."""
    now = time.time() if now is None else now
    if password != repeated:
        raise AccountError("Die beiden Passwörter stimmen nicht überein.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Das Passwort muss mindestens {MIN_PASSWORD} Zeichen lang sein.")
    code = (code or "").strip()
    invalid = AccountError(
        "Der Code ist ungültig, schon benutzt oder abgelaufen. Bitte beim Allianzmanagement "
        "einen neuen anfordern."
    )
    if not _CODE.fullmatch(code):
        raise invalid
    with write_transaction(db):
        user_id = store.take_setup_code(db, hashlib.sha256(code.encode()).hexdigest(), now)
        user = store.by_id(db, user_id) if user_id is not None else None
        if user is None:
            raise invalid
        store.set_fields(db, user.username, {"password_hash": hash_password(password)})
        store.delete_sessions_of(db, user.id)
        audit.record(db, user.actor, "user.password", "user", user.username)
    return user


def change_own_password(
    db: sqlite_utils.Database,
    user: User,
    current: str,
    password: str,
    repeated: str,
    keep_session: str | None = None,
) -> None:
    """A signed-in user's new password; their other browsers are signed out."""
    found = store.by_username(db, user.username)
    if found is None or not found[1] or not verify_password(current, found[1]):
        raise AccountError("Das bisherige Passwort stimmt nicht.")
    if password != repeated:
        raise AccountError("Die beiden neuen Passwörter stimmen nicht überein.")
    set_password(db, user.actor, user.username, password, keep_session=keep_session)


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
    """Map a verified OIDC identity to its account by e-mail (case-insensitive); unknown
    people are citizens. An address the identity provider marks as not verified
    (`email_verified` false) maps to no account: anyone could enter someone else's there."""
    email = str(claims.get("email") or "").strip()
    name = str(claims.get("name") or email or claims.get("sub") or "OIDC")
    unverified = str(claims.get("email_verified", True)).strip().lower() in ("false", "0")
    if email and not unverified:
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


def display_names(db: sqlite_utils.Database) -> dict[str, str]:
    """Login name -> name to show: audit trails name people, not their logins."""
    return {u["username"]: u["display_name"] for u in store.all_users(db)}


def contact_addresses(db: sqlite_utils.Database, ags: str | None) -> list[str]:
    """Where a municipality's mail goes: its active staff with an e-mail address, else the
    alliance office (managers)."""
    staff = store.active_emails(db, Role.STAFF.value, ags)
    return staff or store.active_emails(db, Role.MANAGER.value, None)


def ids_for_email(db: sqlite_utils.Database, address: str) -> list[int]:
    """The accounts (active or not) an e-mail address belongs to: other slices find their
    rows about a person by these ids when the privacy rights are exercised."""
    return store.ids_by_email(db, address)
