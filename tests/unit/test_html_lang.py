import gzip

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from allianz.html_lang import GermanHtmlLang

PAGE = '<!doctype html><html lang="en"><body>Hallo</body></html>'


def _client() -> TestClient:
    async def html(_request):
        return HTMLResponse(PAGE)

    async def data(_request):
        return JSONResponse({"html": '<html lang="en"'})

    async def gzipped(_request):
        return Response(
            gzip.compress(PAGE.encode()),
            media_type="text/html",
            headers={"content-encoding": "gzip"},
        )

    app = Starlette(
        routes=[Route("/", html), Route("/data", data), Route("/gz", gzipped)],
        middleware=[Middleware(GermanHtmlLang)],
    )
    return TestClient(app)


def test_html_pages_are_german():
    response = _client().get("/")
    assert response.text.startswith('<!doctype html><html lang="de">')
    assert response.headers["content-length"] == str(len(response.content))


def test_other_responses_are_untouched():
    client = _client()
    assert client.get("/data").json() == {"html": '<html lang="en"'}
    assert client.get("/gz").text == PAGE  # compressed bodies are passed through as they are
