"""The demo alliance: every slice loads its demo data, in registry order (idempotent)."""

from __future__ import annotations

import sqlite_utils

from allianz import audit, features
from allianz.accounts.demo import DemoAccount
from allianz.config import Alliance

__all__ = ["DemoAccount", "load"]


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> list[DemoAccount]:
    """Returns the demo accounts, with the passwords of those created now."""
    accounts: list[DemoAccount] = []
    for feature in features.registry():
        if feature.demo is not None:
            accounts += feature.demo(db, alliance, actor) or []
    return accounts
