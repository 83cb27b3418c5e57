"""Streamlit endpoints the app does not offer to the internet.

`/_stcore/metrics` reports sessions and cache sizes in OpenMetrics format to anyone who asks;
Streamlit has no setting to switch it off, and behind a reverse proxy every request comes from
loopback, so "local only" would not hold either. Operators read `/healthz` instead.
"""

from __future__ import annotations

CLOSED = ("/_stcore/metrics",)


class ClosedEndpoints:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("path", "").rstrip("/") in CLOSED:
            headers = [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"cache-control", b"no-store"),
            ]
            await send({"type": "http.response.start", "status": 404, "headers": headers})
            await send({"type": "http.response.body", "body": b"Nicht gefunden."})
            return
        await self.app(scope, receive, send)
