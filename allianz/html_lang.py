"""ASGI middleware: serve Streamlit's HTML page as German (`<html lang="de">`).

Streamlit writes `lang="en"` and has no setting for it; screen readers then pronounce the
German UI with English rules (BITV 2.0 / WCAG 3.1.1). Only uncompressed HTML responses are
touched.
"""

from __future__ import annotations

OLD = b'<html lang="en"'
NEW = b'<html lang="de"'


class GermanHtmlLang:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: dict = {}
        chunks: list[bytes] = []

        async def rewrite(message) -> None:
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                is_html = headers.get(b"content-type", b"").startswith(b"text/html")
                if is_html and b"content-encoding" not in headers:
                    held["start"] = message
                    return
            elif message["type"] == "http.response.body" and "start" in held:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks).replace(OLD, NEW, 1)
                start = held.pop("start")
                headers = [
                    (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
                ]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, rewrite)
