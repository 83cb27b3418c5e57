"""The embeddable city map: only the configured websites of the member asked for may frame
the embed page; every other page keeps `frame-ancestors 'self'` and X-Frame-Options."""

from __future__ import annotations

import pytest

from allianz import config
from allianz.places import embed
from tests.unit.test_security_headers import _call, _directives, _headers

NAUNHOF = "14729300"
SITE = "https://www.naunhof.example"


@pytest.fixture
def configured(monkeypatch):
    real = config.section

    def section(alliance, name):
        if name == "places":
            return {"embed_origins": {NAUNHOF: [SITE]}}
        return real(alliance, name)

    monkeypatch.setattr(config, "section", section)
    monkeypatch.setenv("ALLIANZ_CONFIG", "partheland")


def _policy(path: str, query: bytes) -> tuple[dict, dict]:
    headers = _headers(
        _call({"type": "http", "path": path, "query_string": query,
               "headers": [(b"host", b"allianz.example")]})
    )  # fmt: skip
    return _directives(headers[b"content-security-policy"][0].decode()), headers


def test_the_members_website_may_frame_its_map(configured):
    directives, headers = _policy("/places_embed", b"gemeinde=14729300&ebenen=rathaus")
    assert directives["frame-ancestors"] == ["'self'", SITE]
    assert b"x-frame-options" not in headers


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/places_embed", b"gemeinde=14729060"),  # another member: no website configured
        ("/places_embed", b""),
        ("/places", b"gemeinde=14729300"),  # the full page is never framed by others
        ("/places_embedded", b"gemeinde=14729300"),
    ],
)
def test_everything_else_stays_unframeable(configured, path, query):
    directives, headers = _policy(path, query)
    assert directives["frame-ancestors"] == ["'self'"]
    assert headers[b"x-frame-options"] == [b"SAMEORIGIN"]


def test_bad_origins_in_the_alliance_file_are_refused_in_german(monkeypatch):
    monkeypatch.setattr(
        config, "section", lambda a, n: {"embed_origins": {NAUNHOF: ["https://x.example/pfad"]}}
    )
    with pytest.raises(config.ConfigError, match="ohne Pfad"):
        embed.origins(config.load("partheland"), NAUNHOF)


def test_layers_and_snippet():
    assert embed.layers("rathaus,kino,bauhof") == ["rathaus", "bauhof"]
    assert len(embed.layers("")) == 16
    html = embed.snippet("https://allianz.example", NAUNHOF, ["rathaus"])
    assert 'src="https://allianz.example/places_embed?gemeinde=14729300&ebenen=rathaus' in html
