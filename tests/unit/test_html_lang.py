import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor

from allianz.html_lang import GermanHtmlLang

PAGE = b'<!doctype html><html lang="en"><body>Hallo</body></html>'


def _run(coroutine) -> None:
    """Own thread, own event loop: other tests (Playwright) may hold this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _call(content_type: bytes, body: bytes, extra_headers=(), chunked=False) -> list[dict]:
    async def app(scope, receive, send):
        headers = [
            (b"content-type", content_type),
            (b"content-length", str(len(body)).encode()),
            *extra_headers,
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        if chunked:
            half = len(body) // 2
            await send({"type": "http.response.body", "body": body[:half], "more_body": True})
            await send({"type": "http.response.body", "body": body[half:]})
        else:
            await send({"type": "http.response.body", "body": body})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    _run(GermanHtmlLang(app)({"type": "http"}, None, send))
    return sent


def _body(sent) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def _length(sent) -> bytes:
    return dict(sent[0]["headers"])[b"content-length"]


def test_html_pages_are_german_even_when_streamed():
    for chunked in (False, True):
        sent = _call(b"text/html; charset=utf-8", PAGE, chunked=chunked)
        assert _body(sent).startswith(b'<!doctype html><html lang="de">')
        assert _length(sent) == str(len(_body(sent))).encode()


def test_other_responses_are_untouched():
    assert _body(_call(b"application/json", b'{"x": "<html lang=\\"en\\""}')) == (
        b'{"x": "<html lang=\\"en\\""}'
    )
    packed = gzip.compress(PAGE)
    assert _body(_call(b"text/html", packed, [(b"content-encoding", b"gzip")])) == packed


def test_websockets_pass_through():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    _run(GermanHtmlLang(app)({"type": "websocket"}, None, None))
    assert seen == ["websocket"]
