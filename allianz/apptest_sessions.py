"""Signing in under Streamlit's AppTest (page tests and the benchmark's page timings).

AppTest runs pages without a browser, so there is no sign-in cookie. `install` makes pages
read the cookie from the AppTest's session state instead, and `sign_in` puts a real session
token there: the pages still go through `accounts.sessions` as in production.
"""

from __future__ import annotations

import sqlite_utils
import streamlit as st
from streamlit.testing.v1 import AppTest

from allianz import web_session
from allianz.accounts import service as accounts
from allianz.accounts import sessions

STATE_KEY = "_apptest_session_cookie"


def _cookie_from_state() -> str | None:
    return st.session_state.get(STATE_KEY)


def install(monkeypatch=None) -> None:
    """Read the cookie from session state (with pytest's monkeypatch: undone after the test)."""
    if monkeypatch is not None:
        monkeypatch.setattr(web_session, "session_cookie", _cookie_from_state)
    else:
        web_session.session_cookie = _cookie_from_state


def sign_in(at: AppTest, db: sqlite_utils.Database, user_id: int) -> None:
    at.session_state[STATE_KEY] = sessions.start(db, accounts.by_id(db, user_id))
