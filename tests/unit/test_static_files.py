import gzip
import json

from allianz import assets
from allianz.static_files import StaticFiles
from tests.unit.test_html_lang import _run


def _get(
    path: str, static_dir, status: int = 200, headers=(), request_headers=(), method="GET"
) -> list:
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        await send({"type": "http.response.body", "body": b"from streamlit"})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": list(request_headers)}
    _run(StaticFiles(app, static_dir=static_dir)(scope, None, send))
    return [sent[0]["status"], dict(sent[0]["headers"]), sent[1]["body"]]


GZIP = [(b"accept-encoding", b"gzip, deflate, br")]
ROWS = [[51.3, 12.6, "H-1", 0]]


def test_published_rows_go_out_precompressed_and_are_revalidated(tmp_path):
    url = assets.publish("points_x", json.dumps(ROWS), tmp_path)
    status, headers, body = _get(url, tmp_path, request_headers=GZIP)
    assert status == 200 and headers[b"content-encoding"] == b"gzip"
    assert json.loads(gzip.decompress(body)) == ROWS
    assert headers[b"content-length"] == str(len(body)).encode()
    # browsers keep it but ask before each use, so a withdrawn file stops at once
    assert headers[b"cache-control"] == b"no-cache"
    etag = headers[b"etag"]
    assert etag == f'"{url.rsplit("/", 1)[1]}"'.encode()
    status, headers, body = _get(url, tmp_path, request_headers=[*GZIP, (b"if-none-match", etag)])
    assert (status, body) == (304, b"") and headers[b"etag"] == etag
    # a client without gzip gets the plain file, with the same caching
    status, headers, body = _get(url, tmp_path)
    assert status == 200 and json.loads(body) == ROWS and b"content-encoding" not in headers
    assert headers[b"cache-control"] == b"no-cache"


def test_a_retracted_file_is_gone_for_everyone_at_once(tmp_path):
    url = assets.publish("points_x", json.dumps(ROWS), tmp_path)
    etag = _get(url, tmp_path, request_headers=GZIP)[1][b"etag"]
    assets.retract("points_x", tmp_path)
    for request_headers in (GZIP, [*GZIP, (b"if-none-match", etag)], ()):
        status, headers, body = _get(url, tmp_path, request_headers=request_headers)
        assert status == 404 and b"H-1" not in body
        assert headers[b"cache-control"] == b"no-store"


def test_vendor_scripts_are_kept_for_a_day(tmp_path):
    headers = _get("/app/static/vendor/leaflet/leaflet.js", tmp_path, status=304)[1]
    assert headers[b"cache-control"] == b"public, max-age=86400"


def test_other_requests_are_left_alone(tmp_path):
    assert b"cache-control" not in _get("/suggestions", tmp_path)[1]
    own = _get("/app/static/vendor/x.js", tmp_path, headers=[(b"Cache-Control", b"no-store")])
    assert own[1] == {b"Cache-Control": b"no-store"}


def test_data_folder_serves_published_names_only(tmp_path):
    url = assets.publish("points_x", "[]", tmp_path)
    name = url.rsplit("/", 1)[1]
    (tmp_path / "data" / "points-0123.json").write_text("[[51.3, 12.6]]")  # an older scheme
    for path in (
        f"/app/static/data/../data/{name}",
        f"/app/static/data/{name}.gz",
        "/app/static/data/points-0123.json",
        "/app/static/data/gone.json",
    ):
        status, _, body = _get(path, tmp_path, request_headers=GZIP)
        assert status == 404 and body == b""
    assert _get(url, tmp_path, method="POST")[0] == 404
    assert _get(url, tmp_path, method="HEAD")[:1] == [200]
