"""Who a visitor is for the limits (account, else address and cookie), the limiter that counts
all of a visitor's keys, its German refusal, and the middleware that provides address and
cookie to the pages."""

from __future__ import annotations

from datetime import datetime

import pytest

from allianz import config, forwarded, limits, visitors
from allianz.visitors import Visitor
from db.connection import connect
from tests.unit.test_html_lang import _run

NOW = datetime(2026, 12, 4, 14, 30, 10, tzinfo=limits.BERLIN).timestamp()
COOKIE = "A" * 16 + "b-_9" * 4
LIMIT = limits.Limit("test.action", 2, 15 * 60, "Zu viele Aktionen. Bitte {wann} erneut.")


# --- keys ---------------------------------------------------------------------------------


def test_a_signed_in_visitor_is_the_account_only():
    visitor = Visitor(account="verwaltung", address="198.51.100.7", cookie=COOKIE, session="s")
    assert visitor.identities() == ("konto:verwaltung",)


def test_an_anonymous_visitor_is_the_address_and_the_cookie():
    visitor = Visitor(address="198.51.100.7", cookie=COOKIE, session="s")
    assert visitor.identities() == ("adresse:198.51.100.7", f"besucher:{COOKIE}")
    # a reload is a new Streamlit session with the same cookie and address
    assert Visitor(address="198.51.100.7", cookie=COOKIE, session="t").identities() == (
        visitor.identities()
    )


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("2001:db8:1:2:3:4:5:6", "adresse:2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "adresse:2001:db8:1:2::/64"),
        ("::ffff:198.51.100.7", "adresse:198.51.100.7"),
        ("127.0.0.1", "adresse:127.0.0.1"),  # not hidden like st.context.ip_address does
        (" 198.51.100.7 ", "adresse:198.51.100.7"),
    ],
)
def test_addresses_are_counted_by_connection(address, key):
    assert Visitor(address=address).identities() == (key,)


@pytest.mark.parametrize("cookie", ["", "kurz", "x" * 33, "a" * 31 + "!", "a" * 10_000, None])
def test_a_cookie_of_another_shape_is_no_key(cookie):
    assert Visitor(address="198.51.100.7", cookie=cookie).identities() == ("adresse:198.51.100.7",)


def test_without_address_and_cookie_the_session_or_one_shared_bucket():
    assert Visitor(session="abc").identities() == ("sitzung:abc",)
    assert Visitor().identities() == ("unbekannt",)


def test_new_cookies_have_the_accepted_shape_and_differ():
    made = {visitors.new_cookie() for _ in range(50)}
    assert len(made) == 50 and all(visitors.valid_cookie(c) for c in made)


# --- the limiter over all keys -------------------------------------------------------------


def test_either_key_over_the_limit_refuses_and_a_refusal_counts_nothing(db):
    first = Visitor(address="198.51.100.7", cookie=COOKIE)
    for n in range(LIMIT.count):
        limits.admit(db, LIMIT, first.identities(), NOW + n)
    new_context = Visitor(address="198.51.100.7", cookie="c" * 32)  # same address
    new_network = Visitor(address="203.0.113.9", cookie=COOKIE)  # same cookie
    for visitor in (new_context, new_network):
        with pytest.raises(limits.LimitReached) as refused:
            limits.admit(db, LIMIT, visitor.identities(), NOW + 5)
        # allowed again at 14:45:10; the message rounds up to the minute
        assert refused.value.errors == ["Zu viele Aktionen. Bitte ab 14:46 Uhr erneut."]
        assert refused.value.until == NOW + 15 * 60
    # the refusals counted nothing: the new cookie and the new address still have both turns
    for n in range(LIMIT.count):
        fresh_address = Visitor(address="192.0.2.1", cookie="c" * 32)
        fresh_cookie = Visitor(address="203.0.113.9", cookie="d" * 32)
        limits.admit(db, LIMIT, fresh_address.identities(), NOW + 6 + n)
        limits.admit(db, LIMIT, fresh_cookie.identities(), NOW + 6 + n)
    # after the window the first visitor may act again
    limits.admit(db, LIMIT, first.identities(), NOW + 15 * 60 + 1)


def test_limits_are_kept_in_the_database_for_every_connection(db):
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    other = connect(path)  # another process, or the server after a restart
    visitor = Visitor(address="198.51.100.7", cookie=COOKIE)
    for n in range(LIMIT.count):
        limits.admit(db, LIMIT, visitor.identities(), NOW + n)
    with pytest.raises(limits.LimitReached):
        limits.admit(other, LIMIT, visitor.identities(), NOW + 3)
    stored = " ".join(str(r) for r in other.execute("SELECT * FROM limit_events").fetchall())
    assert "198.51" not in stored and COOKIE not in stored
    other.close()


def test_the_refusal_says_when_in_berlin_time_rounded_up():
    assert limits.when_again(NOW + 50, NOW) == "ab 14:31 Uhr"
    assert limits.when_again(NOW - 10, NOW) == "ab 14:30 Uhr"
    tomorrow = datetime(2026, 12, 5, 1, 0, tzinfo=limits.BERLIN).timestamp()
    assert limits.when_again(tomorrow, NOW) == "am 05.12.2026 ab 01:00 Uhr"
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=limits.BERLIN).timestamp()  # CEST
    assert limits.when_again(summer + 600, summer) == "ab 12:10 Uhr"


def test_a_count_ends_at_midnight_utc_when_the_salt_changes(db):
    day = limits.Limit("test.day", 1, 24 * 3600)
    late = datetime(2026, 12, 4, 23, 0, tzinfo=limits.BERLIN).timestamp()  # 22:00 UTC
    limits.admit(db, day, ["x"], late)
    midnight_utc = datetime(2026, 12, 5, 1, 0, tzinfo=limits.BERLIN).timestamp()
    assert limits.retry_at(db, day, "x", late + 60) == midnight_utc
    limits.admit(db, day, ["x"], midnight_utc + 1)


# --- lasting pseudonyms (online ballots) ---------------------------------------------------


def test_pseudonyms_last_and_differ_per_purpose_without_the_key(db):
    visitor = Visitor(address="198.51.100.7", cookie=COOKIE)
    first = visitors.pseudonyms(db, "workshop-ballot:1", visitor)
    assert visitors.pseudonyms(db, "workshop-ballot:1", visitor) == first
    assert len(first) == 2
    assert set(visitors.pseudonyms(db, "workshop-ballot:2", visitor)).isdisjoint(first)
    # a pseudonym is a hex digest: it may contain "198" by chance, never the address itself
    assert not any("198.51.100.7" in p or COOKIE in p for p in first)


# --- the middleware ------------------------------------------------------------------------


def _call(scope_overrides: dict, response_type: bytes = b"text/html; charset=utf-8"):
    seen: dict = {}
    sent: list = []

    async def app(scope, receive, send):
        seen["scope"] = scope
        if scope["type"] == "http":
            headers = [(b"content-type", response_type), (b"cache-control", b"public")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"<html></html>"})

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "scheme": "http",
        "path": "/",
        "headers": [],
        "client": ("198.51.100.7", 50000),
        **scope_overrides,
    }
    _run(visitors.VisitorMiddleware(app)(scope, None, send))
    start = next((m for m in sent if m["type"] == "http.response.start"), None)
    return seen["scope"], (start or {}).get("headers", [])


def _set_cookie(headers) -> str | None:
    return next((v.decode() for k, v in headers if k == b"set-cookie"), None)


def test_the_page_gets_the_client_address_and_a_forged_header_is_dropped():
    forged = [(b"x-allianz-client-address", b"10.9.9.9"), (b"X-Allianz-Client-Address", b"1.1.1.1")]
    scope, _ = _call({"headers": forged})
    assert [v for k, v in scope["headers"] if k.lower() == b"x-allianz-client-address"] == [
        b"198.51.100.7"
    ]
    socket_scope, _ = _call({"type": "websocket", "headers": forged})
    assert (b"x-allianz-client-address", b"198.51.100.7") in socket_scope["headers"]


def test_behind_a_trusted_proxy_the_page_gets_the_address_forwarded_py_decided():
    seen: dict = {}

    async def app(scope, receive, send):
        seen["scope"] = scope

    stack = forwarded.ClientAddress(
        visitors.VisitorMiddleware(app), config.trusted_proxies("127.0.0.1")
    )
    headers = [
        (b"x-forwarded-for", b"192.0.2.77, 198.51.100.7"),  # the first hop the client wrote
        (b"x-allianz-client-address", b"192.0.2.77"),
    ]
    scope = {"type": "websocket", "headers": headers, "client": ("127.0.0.1", 4000)}
    _run(stack(scope, None, None))
    sent = [v for k, v in seen["scope"]["headers"] if k == b"x-allianz-client-address"]
    assert sent == [b"198.51.100.7"]


def test_an_html_page_sets_the_visitor_cookie_when_missing():
    _, headers = _call({})
    cookie = _set_cookie(headers)
    name, value = cookie.split(";")[0].split("=")
    assert name == visitors.COOKIE and visitors.valid_cookie(value)
    assert all(
        part in cookie for part in ("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=31536000")
    )
    assert "Secure" not in cookie
    assert (b"cache-control", b"private, no-store") in headers
    assert (b"cache-control", b"public") not in headers
    _, https = _call({"scheme": "https"})
    assert "Secure" in _set_cookie(https)


def test_no_cookie_when_present_or_not_a_page():
    present = [(b"cookie", f"a=b; {visitors.COOKIE}={COOKIE}".encode())]
    assert _set_cookie(_call({"headers": present})[1]) is None
    assert _set_cookie(_call({}, b"application/json")[1]) is None
    tampered = [(b"cookie", f"{visitors.COOKIE}=kaputt".encode())]
    assert _set_cookie(_call({"headers": tampered})[1]) is not None
