"""Who acts on a public page, in terms that a reload, a new tab or a new browser window keep.

Public actions (a suggestion, a support, an online idea or ballot, an interest request) are
limited in the database (`allianz.limits`) per visitor:

- signed in: the account;
- otherwise the client's address and a first-party random cookie, `allianz_besucher`, both
  counted: a reload keeps both, a new browser context keeps the address, a new network keeps
  the cookie. IPv6 clients count by their /64 network (one connection's privacy addresses).

`VisitorMiddleware` provides both to the pages: it writes the client address as computed by
`allianz.forwarded.ClientAddress` into a request header the pages read with
`st.context.headers` (Streamlit's own `st.context.ip_address` hides 127.0.0.1 and ::1), after
dropping any such header the request brought along; and it sets the cookie on an HTML page
when the browser has none (HttpOnly, SameSite=Lax, Secure on https, one year). The cookie is
a random number and nothing else; only salted hashes of keys are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass

import sqlite_utils
from starlette.requests import cookie_parser

from db.connection import write_transaction

COOKIE = "allianz_besucher"
COOKIE_SECONDS = 365 * 86400
ADDRESS_HEADER = "x-allianz-client-address"
_ADDRESS_HEADER = ADDRESS_HEADER.encode("latin-1")
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{32}")
_SALT_KEY = "visitor_salt"


def new_cookie() -> str:
    return secrets.token_urlsafe(24)  # 32 characters


def valid_cookie(value: object) -> bool:
    """Only cookies of our own shape count (a made-up or huge value is no visitor key)."""
    return isinstance(value, str) and _COOKIE_VALUE.fullmatch(value) is not None


def address_key(address: str) -> str:
    """The address as counted: IPv4 as it is, IPv6 by its /64 network (devices change their
    privacy address within it at will), an IPv4-mapped IPv6 address as IPv4."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:100]
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class Visitor:
    """`session` is a per-browser-session fallback for runs without a request (AppTest)."""

    account: str | None = None
    address: str | None = None
    cookie: str | None = None
    session: str | None = None

    def identities(self) -> tuple[str, ...]:
        """Every key one action counts under; an action is refused when any one is over."""
        if self.account:
            return (f"konto:{self.account}",)
        keys = []
        if self.address:
            keys.append(f"adresse:{address_key(self.address)}")
        if valid_cookie(self.cookie):
            keys.append(f"besucher:{self.cookie}")
        if not keys:
            keys.append(f"sitzung:{self.session}" if self.session else "unbekannt")
        return tuple(keys)


def pseudonyms(db: sqlite_utils.Database, purpose: str, visitor: Visitor) -> list[str]:
    """Lasting salted hashes of the visitor's keys for one purpose (one workshop's online
    ballot): the same tomorrow, unlike the limits' daily ones, and not linkable between
    purposes. The salt lives in the database; the caller deletes the hashes when the purpose
    ends (the online phase)."""
    salt = _lasting_salt(db)
    return [
        hmac.new(salt, f"{purpose}\0{key}".encode(), hashlib.sha256).hexdigest()[:32]
        for key in visitor.identities()
    ]


def _lasting_salt(db: sqlite_utils.Database) -> bytes:
    sql = "SELECT value FROM meta WHERE key = ?"
    row = db.execute(sql, [_SALT_KEY]).fetchone()
    if row is None:
        # another process may be doing the same: the first one wins, everyone reads it
        with write_transaction(db):
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                [_SALT_KEY, secrets.token_hex(16)],
            )
        row = db.execute(sql, [_SALT_KEY]).fetchone()
    return bytes.fromhex(row[0])


def _cookie_header(secure: bool) -> bytes:
    parts = [
        f"{COOKIE}={new_cookie()}",
        "Path=/",
        f"Max-Age={COOKIE_SECONDS}",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


class VisitorMiddleware:
    """ASGI middleware; goes after `forwarded.ClientAddress` (which decides scope["client"])."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope.get("headers") or [] if k.lower() != _ADDRESS_HEADER]
        client = scope.get("client")
        if client and client[0]:
            headers.append((_ADDRESS_HEADER, client[0].encode("latin-1")))
        scope = {**scope, "headers": headers}
        cookies = cookie_parser(
            "; ".join(v.decode("latin-1") for k, v in headers if k.lower() == b"cookie")
        )
        if scope["type"] != "http" or valid_cookie(cookies.get(COOKIE)):
            await self.app(scope, receive, send)
            return
        set_cookie = _cookie_header(scope.get("scheme") == "https")

        async def send_with_cookie(message) -> None:
            if message["type"] == "http.response.start":
                start = message.get("headers", [])
                kind = next((v for k, v in start if k.lower() == b"content-type"), b"")
                if kind.startswith(b"text/html"):
                    # a shared cache must not hand this visitor's cookie to the next one
                    kept = [(k, v) for k, v in start if k.lower() != b"cache-control"]
                    message = {
                        **message,
                        "headers": [
                            *kept,
                            (b"set-cookie", set_cookie),
                            (b"cache-control", b"private, no-store"),
                        ],
                    }
            await send(message)

        await self.app(scope, receive, send_with_cookie)
