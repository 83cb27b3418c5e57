"""ASGI middleware for the files the app serves from `static/`: browsers may keep them, and
published map rows go out precompressed.

Streamlit's static handler sends no Cache-Control, so a returning visitor asks again for
Leaflet and for the map rows; and it compresses a 2 MB rows file anew for every visitor
(~0.1 s each). Published rows (`static/data/`) are named by a hash of their content and never
change under that name, and `assets.publish` writes their gzip copy once. The vendor scripts
and our own map scripts (`static/js/`, linked with a content version) change only with an
upgrade at set-up, so a day is enough there.
"""

from __future__ import annotations

import re
from pathlib import Path

from allianz import assets

DATA_PREFIX = f"/app/static/{assets.DATA}/"
RULES = (
    (DATA_PREFIX, b"public, max-age=31536000, immutable"),
    (f"{assets.URL_PREFIX}/", b"public, max-age=86400"),
    (f"{assets.OWN_JS_PREFIX}/", b"public, max-age=86400"),
)
_PUBLISHED = re.compile(r"[\w-]+\.json")


def cache_control(path: str) -> bytes | None:
    return next((value for prefix, value in RULES if path.startswith(prefix)), None)


def _accepts_gzip(scope) -> bool:
    return any(
        key == b"accept-encoding" and b"gzip" in value.lower()
        for key, value in scope.get("headers", [])
    )


class StaticFiles:
    def __init__(self, app, static_dir: Path = assets.STATIC_DIR) -> None:
        self.app = app
        self.data_dir = static_dir / assets.DATA

    def _gzip_copy(self, scope) -> Path | None:
        name = scope["path"].removeprefix(DATA_PREFIX)
        if scope["path"] == name or scope.get("method") != "GET" or not _accepts_gzip(scope):
            return None
        if not _PUBLISHED.fullmatch(name):
            return None
        copy = self.data_dir / f"{name}.gz"
        return copy if copy.is_file() else None

    async def __call__(self, scope, receive, send) -> None:
        value = cache_control(scope.get("path", "")) if scope["type"] == "http" else None
        if value is None:
            await self.app(scope, receive, send)
            return
        copy = self._gzip_copy(scope)
        if copy is not None:
            body = copy.read_bytes()
            headers = [
                (b"content-type", b"application/json"),
                (b"content-encoding", b"gzip"),
                (b"content-length", str(len(body)).encode()),
                (b"vary", b"Accept-Encoding"),
                (b"cache-control", value),
            ]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return

        async def with_header(message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = message.get("headers", [])
                if all(k.lower() != b"cache-control" for k, _ in headers):
                    message = {**message, "headers": [*headers, (b"cache-control", value)]}
            await send(message)

        await self.app(scope, receive, with_header)
