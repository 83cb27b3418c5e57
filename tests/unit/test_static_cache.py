from allianz.static_cache import StaticCache
from tests.unit.test_html_lang import _run


def _headers(path: str, status: int = 200, headers=()) -> dict:
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        await send({"type": "http.response.body", "body": b"x"})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    _run(StaticCache(app)({"type": "http", "path": path}, None, send))
    assert sent[1]["body"] == b"x"
    return dict(sent[0]["headers"])


def test_published_rows_are_kept_for_good_vendor_scripts_for_a_day():
    rows = _headers("/app/static/data/points-0123abcd.json")
    assert rows[b"cache-control"] == b"public, max-age=31536000, immutable"
    leaflet = _headers("/app/static/vendor/leaflet/leaflet.js", status=304)
    assert leaflet[b"cache-control"] == b"public, max-age=86400"


def test_other_responses_are_left_alone():
    assert b"cache-control" not in _headers("/suggestions")
    assert b"cache-control" not in _headers("/app/static/data/gone.json", status=404)
    own = _headers("/app/static/vendor/x.js", headers=[(b"Cache-Control", b"no-store")])
    assert own == {b"Cache-Control": b"no-store"}
