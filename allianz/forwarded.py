"""Who is the client? The TCP peer, or, behind a proxy named in ALLIANZ_TRUSTED_PROXIES, the
hop that proxy saw. Limits (allianz/limits.py, allianz/visitors.py) and idempotency keys rely
on the answer.

uvicorn, which `streamlit run` starts, has its own proxy-header handling: it rewrites
scope["client"] from X-Forwarded-For for peers in FORWARDED_ALLOW_IPS (default 127.0.0.1 and
::1). It reads that variable when the server is configured, before app.py is imported, and
keeps no copy of the real peer; so anyone connecting from the same host (a local tunnel, a
proxy that passes the client's header on unchanged) chose their own address. Therefore
uvicorn must trust nobody (FORWARDED_ALLOW_IPS set and empty; `make run` and
allianz.devserver do that, app.py refuses to start otherwise), and `ClientAddress` applies
our own list instead: X-Forwarded-For counts only when the peer is a trusted proxy, and then
the rightmost hop that is not a trusted proxy is the client (everything left of it could
have been written by the client itself).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable

from allianz import config

UVICORN_SETTING = "FORWARDED_ALLOW_IPS"


def uvicorn_trust_errors(environ=os.environ) -> list[str]:
    """German errors when uvicorn would evaluate X-Forwarded-For itself."""
    if environ.get(UVICORN_SETTING) == "":
        return []
    return [
        f"{UVICORN_SETTING} ist nicht leer gesetzt: uvicorn würde X-Forwarded-For von "
        f"{environ.get(UVICORN_SETTING) or '127.0.0.1 und ::1'} selbst auswerten, und jeder "
        f"Absender könnte seine Adresse (und damit die Anfragegrenzen) frei wählen. Mit "
        f"{UVICORN_SETTING}= starten (make run tut das) und Reverse-Proxys in "
        "ALLIANZ_TRUSTED_PROXIES nennen."
    ]


def _address(hop: str) -> str:
    """The address part of an X-Forwarded-For entry ("1.2.3.4", "1.2.3.4:80", "[::1]:80")."""
    hop = hop.strip()
    if hop.startswith("[") and "]" in hop:
        return hop[1 : hop.index("]")]
    if hop.count(":") == 1:
        return hop.split(":", 1)[0]
    return hop


def _is_trusted(address: str | None, trusted: tuple[config.TrustedNetwork, ...]) -> bool:
    if not address or not trusted:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in trusted)


def client_address(
    peer: str | None, forwarded_for: Iterable[str], trusted: tuple[config.TrustedNetwork, ...]
) -> str | None:
    """The client: `peer` unless it is a trusted proxy; then the rightmost hop of the
    X-Forwarded-For values (in header order) that is not a trusted proxy."""
    if not _is_trusted(peer, trusted):
        return peer
    hops = [_address(h) for value in forwarded_for for h in value.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    # Every hop is a trusted proxy: the request started on one of them.
    return hops[0] if hops else peer


class ClientAddress:
    """ASGI middleware: sets scope["client"] (and the scheme, from X-Forwarded-Proto) as
    `client_address` decides, so request.client is the same answer everywhere."""

    def __init__(self, app, trusted: tuple[config.TrustedNetwork, ...] | None = None) -> None:
        self.app = app
        self.trusted = config.trusted_proxies() if trusted is None else trusted

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket") or not self.trusted:
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        if peer and _is_trusted(peer[0], self.trusted):
            headers = scope.get("headers") or []
            forwarded = [v.decode("latin-1") for k, v in headers if k == b"x-forwarded-for"]
            client = client_address(peer[0], forwarded, self.trusted)
            scope = {**scope, "client": (client, 0 if client != peer[0] else peer[1])}
            proto = [v.decode("latin-1") for k, v in headers if k == b"x-forwarded-proto"]
            scheme = proto[-1].split(",")[-1].strip().lower() if proto else ""
            if scheme in ("http", "https"):
                websocket = scope["type"] == "websocket"
                scope["scheme"] = scheme.replace("http", "ws") if websocket else scheme
        await self.app(scope, receive, send)
