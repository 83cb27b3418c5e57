"""ASGI middleware for the files the app serves from `static/`: browsers may keep them, and
published map rows go out precompressed and stop at once when withdrawn.

Streamlit's static handler sends no Cache-Control, so a returning visitor asks again for
Leaflet; and it would compress a 2 MB rows file anew for every visitor (~0.1 s each).
Published rows (`static/data/`, see `assets.publish`) are served here: their gzip copy is
written once, and their name (a hash of the content) is the ETag. Browsers must ask again
before each use ("no-cache") and get a body-less 304 while the file stands; once
`assets.retract` removed it (consent withdrawn, a suggestion hidden) the answer is 404 for
everyone, including shared caches. The vendor scripts and our own map scripts (`static/js/`,
linked with a content version) change only with an upgrade at set-up, so a day is enough.
"""

from __future__ import annotations

import re
from pathlib import Path

from allianz import assets

DATA_PREFIX = f"/app/static/{assets.DATA}/"
DATA_CACHE = b"no-cache"
RULES = (
    (f"{assets.URL_PREFIX}/", b"public, max-age=86400"),
    (f"{assets.OWN_JS_PREFIX}/", b"public, max-age=86400"),
)
_PUBLISHED = re.compile(r"[a-z0-9_]+\.[0-9a-f]{24}\.json")


def cache_control(path: str) -> bytes | None:
    return next((value for prefix, value in RULES if path.startswith(prefix)), None)


def _header(scope, name: bytes) -> bytes:
    return b", ".join(value for key, value in scope.get("headers", []) if key.lower() == name)


async def _answer(send, status: int, headers: list, body: bytes = b"") -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class StaticFiles:
    def __init__(self, app, static_dir: Path = assets.STATIC_DIR) -> None:
        self.app = app
        self.data_dir = static_dir / assets.DATA

    async def _published(self, scope, send) -> None:
        """A published rows file: 304 when the browser holds this name, gzip when accepted,
        404 (never Streamlit's handler) for anything not currently published."""
        name = scope["path"].removeprefix(DATA_PREFIX)
        plain = self.data_dir / name
        if scope.get("method") not in ("GET", "HEAD") or not _PUBLISHED.fullmatch(name):
            await _answer(send, 404, [(b"cache-control", b"no-store")])
            return
        etag = f'"{name}"'.encode()
        packed = plain.with_name(name + ".gz")
        gzip = b"gzip" in _header(scope, b"accept-encoding").lower()
        try:
            body = (packed if gzip else plain).read_bytes()
        except FileNotFoundError:
            await _answer(send, 404, [(b"cache-control", b"no-store")])
            return
        headers = [(b"cache-control", DATA_CACHE), (b"etag", etag), (b"vary", b"Accept-Encoding")]
        if etag in _header(scope, b"if-none-match"):
            await _answer(send, 304, headers)
            return
        headers.append((b"content-type", b"application/json"))
        if gzip:
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await _answer(send, 200, headers, b"" if scope.get("method") == "HEAD" else body)

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(DATA_PREFIX):
            await self._published(scope, send)
            return
        value = cache_control(path)
        if value is None:
            await self.app(scope, receive, send)
            return

        async def with_header(message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = message.get("headers", [])
                if all(k.lower() != b"cache-control" for k, _ in headers):
                    message = {**message, "headers": [*headers, (b"cache-control", value)]}
            await send(message)

        await self.app(scope, receive, with_header)
