"""Roles and the one permission table (role × action), password hashing, OIDC settings.

Every page, action and export asks `can(role, action)`; nothing else decides access.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import StrEnum


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

_EVERYONE = frozenset(Role)
_SIGNED_IN = _EVERYONE - {Role.CITIZEN}

PERMISSIONS: dict[str, frozenset[Role]] = {
    "page.home": _EVERYONE,
    "page.login": frozenset({Role.CITIZEN}),
    "page.account": _SIGNED_IN,
    "page.municipality_desk": frozenset({Role.STAFF, Role.MAYOR, Role.MANAGER}),
    "page.admin": frozenset({Role.MANAGER}),
    "audit.view_own_municipality": frozenset({Role.STAFF, Role.MAYOR, Role.MANAGER}),
    "audit.view_all": frozenset({Role.MANAGER}),
    "users.list": frozenset({Role.MANAGER}),
    "boundaries.import": frozenset({Role.MANAGER}),
    "page.suggest": _EVERYONE,
    "page.suggestions": _EVERYONE,
    "page.review": frozenset({Role.STAFF, Role.MANAGER}),
    "suggestions.review": frozenset({Role.STAFF, Role.MANAGER}),
    "suggestions.export": frozenset({Role.STAFF, Role.MANAGER}),
    "page.privacy": _EVERYONE,
    "page.accessibility": _EVERYONE,
    "page.networks": _EVERYONE,
    "page.network_review": frozenset({Role.WORKING_GROUP, Role.STAFF, Role.MANAGER}),
    "page.network_import": frozenset({Role.WORKING_GROUP, Role.STAFF, Role.MANAGER}),
    "networks.review": frozenset({Role.WORKING_GROUP, Role.STAFF, Role.MANAGER}),
    "networks.accept": frozenset({Role.STAFF, Role.MANAGER}),
    "networks.import": frozenset({Role.WORKING_GROUP, Role.STAFF, Role.MANAGER}),
    "networks.export": frozenset({Role.WORKING_GROUP, Role.STAFF, Role.MANAGER}),
    "page.workshops": _EVERYONE,
    "page.workshop_host": frozenset({Role.HOST, Role.STAFF, Role.MANAGER}),
    "page.workshop_admin": frozenset({Role.STAFF, Role.MANAGER}),
    "workshops.host": frozenset({Role.HOST, Role.STAFF, Role.MANAGER}),
    "workshops.manage": frozenset({Role.STAFF, Role.MANAGER}),
    "page.vacancies": frozenset({Role.STAFF, Role.MANAGER}),
    "page.vacancy_analysis": frozenset({Role.STAFF, Role.MAYOR, Role.MANAGER}),
    "page.vacancy_share": _EVERYONE,
    "vacancies.edit": frozenset({Role.STAFF, Role.MANAGER}),
    "vacancies.owner": frozenset({Role.STAFF, Role.MANAGER}),
    "vacancies.import": frozenset({Role.STAFF, Role.MANAGER}),
    "vacancies.export": frozenset({Role.STAFF, Role.MANAGER}),
    "vacancies.export_internal": frozenset({Role.MANAGER}),
    "page.measures": _EVERYONE,
    "measures.edit": frozenset({Role.MANAGER}),
    "page.summary": frozenset({Role.STAFF, Role.MAYOR, Role.MANAGER}),
    "summary.report": frozenset({Role.STAFF, Role.MAYOR, Role.MANAGER}),
}


def can(role: Role | str, action: str) -> bool:
    """Unknown actions are refused: a typo must never open a door."""
    allowed = PERMISSIONS.get(action)
    return allowed is not None and Role(role) in allowed


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
