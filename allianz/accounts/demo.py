"""One demo account per role, with a generated password printed once (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from allianz import audit
from allianz.accounts import service, store
from allianz.auth import Role, generate_password
from allianz.config import Alliance


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    municipality_ags: str | None
    password: str | None  # None: existed already, password unchanged


def demo_accounts_spec(alliance: Alliance) -> list[tuple[str, Role, str | None, str]]:
    first = alliance.municipalities[0]
    return [
        ("demo-allianz", Role.MANAGER, None, "Allianzmanagement (Demo)"),
        ("demo-verwaltung", Role.STAFF, first.ags, f"Verwaltung {first.name} (Demo)"),
        ("demo-buergermeister", Role.MAYOR, first.ags, f"Bürgermeister {first.name} (Demo)"),
        ("demo-arbeitskreis", Role.WORKING_GROUP, None, "Arbeitskreis Radwege (Demo)"),
        ("demo-tisch", Role.HOST, None, "Tischmoderation (Demo)"),
    ]


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> list[DemoAccount]:
    result = []
    for username, role, ags, display in demo_accounts_spec(alliance):
        if store.exists(db, username):
            result.append(DemoAccount(username, role, ags, None))
            continue
        password = generate_password()
        service.create_user(
            db,
            alliance,
            actor,
            username=username,
            role=role,
            password=password,
            municipality_ags=ags,
            display_name=display,
        )
        result.append(DemoAccount(username, role, ags, password))
    return result
