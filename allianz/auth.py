"""Roles, the access check over the one permission table (role × action), the municipal scope
of an action, password hashing, OIDC settings.

Each slice declares its actions and the roles allowed in its feature manifest; the table is
their union. Every page, action and export asks `can(role, action)`; nothing else decides
which role may act. Where an action touches an object of a municipality, the service then asks
`acts_in(user, municipalities)` (or `require_municipality`): one rule for every slice.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol

from allianz.errors import PermissionDenied


class Role(StrEnum):
    CITIZEN = "citizen"
    WORKING_GROUP = "working_group"
    STAFF = "staff"
    MAYOR = "mayor"
    MANAGER = "manager"
    HOST = "host"


ROLE_LABELS = {
    Role.CITIZEN: "Bürgerin/Bürger (ohne Anmeldung)",
    Role.WORKING_GROUP: "Arbeitskreis Radwege",
    Role.STAFF: "Verwaltung einer Mitgliedsgemeinde",
    Role.MAYOR: "Bürgermeisterin/Bürgermeister",
    Role.MANAGER: "Allianzmanagement",
    Role.HOST: "Tischmoderation (Bürgerwerkstatt)",
}

# Roles that always act for exactly one member municipality.
MUNICIPAL_ROLES = frozenset({Role.STAFF, Role.MAYOR})

EVERYONE = frozenset(Role)
SIGNED_IN = EVERYONE - {Role.CITIZEN}
MUNICIPAL_DESK = frozenset({Role.STAFF, Role.MAYOR, Role.MANAGER})
STAFF_AND_MANAGER = frozenset({Role.STAFF, Role.MANAGER})
MANAGER_ONLY = frozenset({Role.MANAGER})


def permissions() -> dict[str, frozenset[Role]]:
    """The one permission table: every slice's declared actions with the roles allowed."""
    from allianz import features  # noqa: PLC0415 - the registry imports the slices, which import us

    return features.permission_table()


def can(role: Role | str, action: str) -> bool:
    """Unknown actions are refused: a typo must never open a door."""
    allowed = permissions().get(action)
    return allowed is not None and Role(role) in allowed


class Actor(Protocol):
    """What the scope check needs of a user (allianz.accounts.model.User)."""

    role: Role
    municipality_ags: str | None


def acts_in(user: Actor, municipalities: str | Iterable[str] | None) -> bool:
    """Whether `user` may act on an object that belongs to `municipalities` (AGS).

    An object belongs to every municipality given: a network segment to each municipality it
    crosses. `None` stands for the whole alliance, an object of every member municipality; an
    empty collection for an object of no municipality. The alliance manager acts everywhere.
    A user bound to a municipality (staff, mayor, or any other role given one) acts only on
    objects that belong to it. A user bound to none (working group, table host) acts
    alliance-wide, except a municipal role, which without its municipality acts nowhere.
    This decides the place only; `can` decides the role.
    """
    role = Role(user.role)
    if role is Role.MANAGER:
        return True
    if not user.municipality_ags:
        return role not in MUNICIPAL_ROLES
    if municipalities is None:
        return True
    if isinstance(municipalities, str):
        municipalities = (municipalities,)
    return user.municipality_ags in set(municipalities)


def require_municipality(
    user: Actor, municipalities: str | Iterable[str] | None, message: str
) -> None:
    """Raise PermissionDenied with the German `message` unless `acts_in` allows it."""
    if not acts_in(user, municipalities):
        raise PermissionDenied(message)


# scrypt parameters: ~16 MiB memory per hash, well inside OWASP's recommendation.
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate.hex(), digest)


def generate_password() -> str:
    return secrets.token_urlsafe(12)


MIN_COOKIE_SECRET = 32


def oidc_settings_errors(auth_section: dict | None) -> list[str]:
    """Why an [auth] secrets section is unusable; empty when fine or absent."""
    if not auth_section:
        return []
    errors = []
    for key in ("redirect_uri", "client_id", "client_secret", "server_metadata_url"):
        if not auth_section.get(key):
            errors.append(f"[auth] {key} fehlt")
    cookie = str(auth_section.get("cookie_secret") or "")
    if len(cookie) < MIN_COOKIE_SECRET:
        errors.append(f"[auth] cookie_secret fehlt oder ist kürzer als {MIN_COOKIE_SECRET} Zeichen")
    redirect = str(auth_section.get("redirect_uri") or "")
    if redirect and not redirect.endswith("/oauth2callback"):
        errors.append("[auth] redirect_uri muss auf /oauth2callback enden")
    return errors
