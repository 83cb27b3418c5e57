"""Sign-in sessions, database-kept limits and form tokens: the rules behind the sign-in routes."""

from __future__ import annotations

import pytest

from allianz import form_tokens, limits
from allianz.accounts import service, sessions
from allianz.auth import Role
from tests.conftest import TEST_ACTOR

NOW = 1_800_000_000.0
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture
def staff(db, alliance):
    return service.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="verwaltung",
        role=Role.STAFF,
        password="test-passwort-123",
        municipality_ags="14729060",
    )


def test_a_session_keeps_only_a_hash_and_finds_its_user(db, staff):
    token = sessions.start(db, staff, CHROME, now=NOW)
    assert sessions.user_for(db, token, now=NOW + 10).username == "verwaltung"
    [row] = list(db.query("SELECT * FROM web_sessions"))
    assert token not in str(row) and row["user_agent"] == "Chrome · Linux"


@pytest.mark.parametrize(
    "cookie",
    [None, "", "x" * 10_000, "a" * 43 + "!", "../../etc/passwd", "a" * 43, "A" * 42 + "=="],
)
def test_missing_tampered_huge_or_foreign_cookies_mean_signed_out(db, staff, cookie):
    sessions.start(db, staff, now=NOW)
    assert sessions.user_for(db, cookie, now=NOW) is None


def test_sessions_end_after_idle_hours_and_after_seven_days(db, staff):
    token = sessions.start(db, staff, now=NOW)
    assert sessions.user_for(db, token, now=NOW + sessions.IDLE_SECONDS - 5) is not None
    later = NOW + sessions.IDLE_SECONDS - 5
    # used every few hours it still ends 7 days after the sign-in
    step = sessions.IDLE_SECONDS - 60
    when = later
    while when + step < NOW + sessions.ABSOLUTE_SECONDS:
        when += step
        assert sessions.user_for(db, token, now=when) is not None
    assert sessions.user_for(db, token, now=NOW + sessions.ABSOLUTE_SECONDS + 1) is None
    assert list(db.query("SELECT * FROM web_sessions")) == []  # the expired row is gone
    idle = sessions.start(db, staff, now=NOW)
    assert sessions.user_for(db, idle, now=NOW + sessions.IDLE_SECONDS + 1) is None


def test_sign_out_disable_and_new_password_end_sessions(db, staff):
    laptop, phone, tablet = (sessions.start(db, staff, now=NOW) for _ in range(3))
    sessions.end(db, laptop)
    assert sessions.user_for(db, laptop, now=NOW) is None
    assert sessions.user_for(db, phone, now=NOW) is not None
    service.set_password(db, TEST_ACTOR, "verwaltung", "neues-passwort-42", keep_session=phone)
    assert sessions.user_for(db, phone, now=NOW) is not None  # where it was changed
    assert sessions.user_for(db, tablet, now=NOW) is None
    service.set_active(db, TEST_ACTOR, "verwaltung", False)
    assert sessions.user_for(db, phone, now=NOW) is None
    assert list(db.query("SELECT * FROM web_sessions")) == []


def test_sign_out_everywhere_lists_and_ends_all(db, staff):
    tokens = [sessions.start(db, staff, CHROME, now=NOW + n) for n in range(3)]
    listed = sessions.open_sessions(db, staff.id)
    assert len(listed) == 3 and sessions.current_key(tokens[2]) == listed[0].key
    assert sessions.end_all(db, staff.id) == 3
    assert all(sessions.user_for(db, t, now=NOW) is None for t in tokens)


def test_limits_count_per_key_and_window_across_connections(db, db_path):
    from db.connection import connect

    limit = limits.Limit("test", 3, 60)
    other = connect(db_path)  # another process's connection sees the same count
    assert [limits.hit(db, limit, "a", NOW + n) for n in range(3)] == [True] * 3
    assert limits.hit(other, limit, "a", NOW + 3) is False
    assert limits.hit(other, limit, "b", NOW + 3) is True
    assert limits.retry_at(db, limit, "a", NOW + 3) == NOW + 60
    assert limits.retry_at(db, limit, "a", NOW + 61) is None and limits.hit(
        db, limit, "a", NOW + 61
    )
    limits.clear(db, limit, "b", NOW + 62)
    assert limits.retry_at(db, limit, "b", NOW + 62) is None
    stored = [r[0] for r in db.execute("SELECT bucket FROM limit_events")]
    assert all(b != "a" and len(b) == 32 for b in stored)  # salted hashes, no raw keys
    other.close()


def test_limit_salt_changes_daily_so_old_keys_do_not_link(db):
    limit = limits.Limit("test", 5, 3 * 86400)
    limits.hit(db, limit, "10.0.0.1", NOW)
    first_salt = db.execute("SELECT value FROM meta WHERE key = 'limit_salt'").fetchone()[0]
    limits.hit(db, limit, "10.0.0.1", NOW + 86400)
    buckets = {r[0] for r in db.execute("SELECT bucket FROM limit_events")}
    assert len(buckets) == 2  # the same client under two unrelated keys
    salts = [r[0] for r in db.execute("SELECT value FROM meta WHERE key = 'limit_salt'")]
    assert salts != [first_salt] and len(salts) == 1  # yesterday's salt is gone


def test_form_tokens_are_signed_recent_and_bound_to_their_purpose(db):
    token = form_tokens.issue(db, "signin", now=NOW)
    assert form_tokens.valid(db, "signin", token, now=NOW + 60)
    assert not form_tokens.valid(db, "signout", token, now=NOW + 60)
    assert not form_tokens.valid(db, "signin", token, now=NOW + form_tokens.MAX_AGE_SECONDS + 1)
    issued, nonce, mac = token.split(".")
    for forged in (
        f"{int(issued) + 1}.{nonce}.{mac}",
        f"{issued}.{nonce}.{'0' * 32}",
        "",
        "x" * 5000,
    ):
        assert not form_tokens.valid(db, "signin", forged, now=NOW + 60)


def test_sessions_are_in_the_export_ended_by_erasure_and_purged_when_expired(db, alliance):
    import time

    from allianz import privacy

    user = service.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="bm",
        role=Role.MAYOR,
        password="test-passwort-123",
        municipality_ags="14729070",
        email="bm@brandis.example",
    )
    live = sessions.start(db, user, CHROME)
    # (a sign-in removes expired sessions itself; this one expired since)
    sessions.start(db, user, CHROME, now=time.time() - sessions.ABSOLUTE_SECONDS - 60)
    exported = privacy.export(db, "BM@brandis.example", TEST_ACTOR)["sessions"]
    assert [s["user_agent"] for s in exported] == ["Chrome · Linux"] * 2
    assert privacy.purge(db, 24, TEST_ACTOR)["sessions"] == 1
    assert sessions.user_for(db, live) is not None
    assert privacy.erase(db, "bm@brandis.example", TEST_ACTOR)["sessions"] == 1
    assert sessions.user_for(db, live) is None


def test_a_cookie_from_another_alliances_database_signs_nobody_in(db, staff, tmp_path):
    from allianz import config, database

    token = sessions.start(db, staff, now=NOW)
    other = database.initialise(config.load("partheland"), tmp_path / "other.sqlite3")
    try:
        service.create_user(
            other,
            config.load("partheland"),
            TEST_ACTOR,
            username="verwaltung",  # the same name and id there
            role=Role.STAFF,
            password="test-passwort-123",
            municipality_ags="14729060",
        )
        assert sessions.user_for(other, token, now=NOW) is None
    finally:
        other.close()
