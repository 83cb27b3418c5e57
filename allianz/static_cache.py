"""ASGI middleware: let browsers keep the map files the app serves from `static/`.

Streamlit's static handler sends no Cache-Control, so a returning visitor asks again for
Leaflet and for the map rows. Published rows (`static/data/`) are named by a hash of their
content and never change under that name; the vendor scripts change only with an upgrade at
set-up, so a day is enough there.
"""

from __future__ import annotations

from allianz import assets

RULES = (
    (f"/app/static/{assets.DATA}/", b"public, max-age=31536000, immutable"),
    (f"{assets.URL_PREFIX}/", b"public, max-age=86400"),
)


def cache_control(path: str) -> bytes | None:
    return next((value for prefix, value in RULES if path.startswith(prefix)), None)


class StaticCache:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        value = cache_control(scope.get("path", "")) if scope["type"] == "http" else None
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
