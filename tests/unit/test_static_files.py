import gzip
import json

from allianz import assets
from allianz.static_files import StaticFiles
from tests.unit.test_html_lang import _run


def _get(path: str, static_dir, status: int = 200, headers=(), request_headers=()) -> list:
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        await send({"type": "http.response.body", "body": b"from streamlit"})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": list(request_headers)}
    _run(StaticFiles(app, static_dir=static_dir)(scope, None, send))
    return [dict(sent[0]["headers"]), sent[1]["body"]]


GZIP = [(b"accept-encoding", b"gzip, deflate, br")]


def test_published_rows_go_out_precompressed_and_are_kept_for_good(tmp_path):
    url = assets.publish("points-0123abcd.json", json.dumps([[51.3, 12.6, "H-1", 0]]), tmp_path)
    headers, body = _get(url, tmp_path, request_headers=GZIP)
    assert headers[b"content-encoding"] == b"gzip"
    assert json.loads(gzip.decompress(body)) == [[51.3, 12.6, "H-1", 0]]
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"cache-control"] == b"public, max-age=31536000, immutable"
    # a client without gzip gets Streamlit's plain file, with the same caching
    headers, body = _get(url, tmp_path)
    assert body == b"from streamlit" and b"content-encoding" not in headers
    assert headers[b"cache-control"] == b"public, max-age=31536000, immutable"


def test_vendor_scripts_are_kept_for_a_day(tmp_path):
    headers, _ = _get("/app/static/vendor/leaflet/leaflet.js", tmp_path, status=304)
    assert headers[b"cache-control"] == b"public, max-age=86400"


def test_other_requests_are_left_alone(tmp_path):
    assets.publish("points-a.json", "[]", tmp_path)
    assert b"cache-control" not in _get("/suggestions", tmp_path)[0]
    assert b"cache-control" not in _get("/app/static/data/gone.json", tmp_path, status=404)[0]
    own = _get("/app/static/vendor/x.js", tmp_path, headers=[(b"Cache-Control", b"no-store")])
    assert own[0] == {b"Cache-Control": b"no-store"}
    # only published names, never a path out of the folder
    for path in ("/app/static/data/../data/points-a.json", "/app/static/data/points-a.json.gz"):
        assert _get(path, tmp_path, request_headers=GZIP)[1] == b"from streamlit"
