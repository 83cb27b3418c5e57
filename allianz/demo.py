"""The demo alliance: areas from geodata/ and one demo account per role (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from allianz import audit
from allianz.accounts import service as accounts
from allianz.accounts import store as account_store
from allianz.auth import Role, generate_password
from allianz.config import Alliance
from allianz.municipalities import service as municipalities


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
    ]


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> list[DemoAccount]:
    municipalities.load_demo_areas(db, alliance, actor)
    result = []
    for username, role, ags, display in demo_accounts_spec(alliance):
        if account_store.exists(db, username):
            result.append(DemoAccount(username, role, ags, None))
            continue
        password = generate_password()
        accounts.create_user(
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
