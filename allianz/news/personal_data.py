"""What the news keep about people: the account that wrote an item (its id and user name, for
the desk and the audit trail; never shown publicly, where the publisher is a municipality or
the office). Found through the account's e-mail address; erased by removing the reference
(the item stays, published by its municipality or the office)."""

from __future__ import annotations

import sqlite_utils

from allianz.accounts import service as accounts
from allianz.features import PersonalData
from allianz.news import store

FORMER = "ehemaliges Konto"


def _export(db: sqlite_utils.Database, address: str) -> list[dict]:
    ids = accounts.ids_for_email(db, address)
    return store.by_author(db, ids) if ids else []


def _erase(db: sqlite_utils.Database, address: str) -> dict[str, int]:
    ids = accounts.ids_for_email(db, address)
    return {"news_items": store.forget_author(db, ids, FORMER) if ids else 0}


AUTHORS = PersonalData(
    table="news_items",
    columns=("author_id", "author"),
    export_key="news_items",
    export=_export,
    erase=_erase,
    via_account=True,
    retention=(
        "Neuigkeiten: das Konto, das eine Meldung geschrieben hat, solange die Meldung besteht; "
        "öffentlich steht nur die Gemeinde oder die Geschäftsstelle als Herausgeber."
    ),
)
