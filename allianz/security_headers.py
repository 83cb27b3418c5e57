"""ASGI middleware: security headers on every HTTP response the app sends.

The Content-Security-Policy is the strictest the pages and maps work under (checked by the
browser tests, which fail on any CSP report in the console):
- scripts and styles only from this server, inline allowed: Streamlit's front end injects
  styles at run time (emotion), streamlit-folium writes each map as inline script into its
  component frame, and `maps.PointCluster` starts fetching its rows from a `data:` script
  (no more than inline scripts already may). No `eval`: no page needed it (every browser
  test and a walk through all pages as manager showed no report without 'unsafe-eval');
- images from this server (uploads, marker icons, `data:`/`blob:` that Streamlit makes) and
  from the alliance's tile server, the only third party (see the privacy page);
- connections to this server only: HTTP and its WebSocket (named with the request's host, as
  not every browser counts ws: under 'self');
- frames (st_folium's component iframes, `srcdoc` frames inherit this policy) from this
  server; nobody else may frame the app (`frame-ancestors 'self'`), except a page a slice
  declares embeddable (`Feature.frame_ancestors`, e.g. the city map of one member for the
  member's own website): that response names those origins and drops X-Frame-Options;
  no plugins.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlsplit

from allianz import config

# A Host header as browsers send it (name or IPv4/IPv6 literal, optional port): anything else
# must not reach the policy (it could add directives for its own response).
log = logging.getLogger(__name__)
# An origin that may frame an embeddable page: scheme, host, optional port, nothing else.
ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?")
_HOST = re.compile(r"[A-Za-z0-9.-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


def tile_origin(url: str) -> str:
    """`https://host[:port]` of a tile URL template such as `https://t.example/{z}/{x}/{y}.png`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def policy(tile_origins: tuple[str, ...], host: str | None, ancestors: tuple[str, ...] = ()) -> str:
    framing = "".join(f" {origin}" for origin in ancestors if ORIGIN.fullmatch(origin))
    sockets = f" ws://{host} wss://{host}" if host and _HOST.fullmatch(host) else ""
    tiles = "".join(f" {origin}" for origin in tile_origins)
    directives = [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' data:",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob:{tiles}",
        "font-src 'self' data:",
        f"connect-src 'self'{sockets}",
        "frame-src 'self' blob: data:",
        "worker-src 'self' blob:",
        "media-src 'self' blob: data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors 'self'{framing}",
    ]
    return "; ".join(directives)


FIXED = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),  # frame-ancestors for browsers without CSP 2
)
OURS = {name for name, _ in FIXED} | {b"content-security-policy"}


def _configured_tiles() -> tuple[str, ...]:
    try:
        return (tile_origin(config.load().tiles.url),)
    except config.ConfigError:
        return ()  # the app cannot start its pages either; the policy stays strict


class SecurityHeaders:
    def __init__(self, app, tile_origins: tuple[str, ...] | None = None) -> None:
        self.app = app
        self._tiles = tile_origins

    def _tile_origins(self) -> tuple[str, ...]:
        if self._tiles is None:  # read once, on the first request (config is not ready at import)
            self._tiles = _configured_tiles()
        return self._tiles

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
        ancestors = _ancestors(scope)
        csp = policy(self._tile_origins(), host, ancestors).encode()
        fixed = [h for h in FIXED if h[0] != b"x-frame-options"] if ancestors else list(FIXED)

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in OURS]
                message = {
                    **message,
                    "headers": [*kept, *fixed, (b"content-security-policy", csp)],
                }
            await send(message)

        await self.app(scope, receive, with_headers)


def _ancestors(scope) -> tuple[str, ...]:
    """The valid origins the slices allow to frame this request's page."""
    from allianz import features  # noqa: PLC0415 - the registry imports the app's slices

    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    try:
        found = features.frame_ancestors(scope.get("path", ""), query)
    except (config.ConfigError, OSError, ValueError) as exc:
        log.warning("frame-ancestors not read: %s", exc)
        return ()
    return tuple(origin for origin in found if ORIGIN.fullmatch(origin))
