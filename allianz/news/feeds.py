"""`/feeds/neuigkeiten.xml` (RSS 2.0) and `/feeds/neuigkeiten.atom` (Atom, RFC 4287): the
published news within their window, newest first, filtered like the list
(`?gemeinde=<AGS>|allianz&thema=<Handlungsfeld>`); an unknown filter value is answered with 400
and a German sentence. `/bilder/neuigkeiten/<id>.jpg`: the photo of a public item.

Feeds carry the publisher (a municipality or the office), never the writer's account.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from allianz import config, database
from allianz.accounts.model import ANONYMOUS
from allianz.config import Alliance
from allianz.news import service
from allianz.news.model import NewsItem
from allianz.rich_text import to_html

RSS_PATH = "/feeds/neuigkeiten.xml"
ATOM_PATH = "/feeds/neuigkeiten.atom"
ITEMS = 50
# Characters XML 1.0 does not allow (beyond the controls `text.clean` removes already)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("", text or "")


def _stamp(iso: str | None) -> datetime:
    moment = datetime.fromisoformat(iso) if iso else datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _self_url(base_url: str, path: str, query: dict) -> str:
    chosen = "&".join(f"{k}={query[k]}" for k in ("gemeinde", "thema") if query.get(k))
    return f"{base_url}{path}" + (f"?{chosen}" if chosen else "")


def build(
    alliance: Alliance,
    items: list[NewsItem],
    base_url: str,
    kind: str,
    self_url: str,
    image_sizes: dict[int, int] | None = None,
) -> bytes:
    """The feed (`kind` "rss" or "atom") of `items`; pure, so tests can build it directly."""
    feed = FeedGenerator()
    feed.id(f"{base_url}{service.PUBLIC_PATH}")
    feed.title(_x(f"Neuigkeiten – {alliance.name}"))
    feed.subtitle(_x(f"Meldungen der Geschäftsstelle und der Gemeinden der {alliance.name}"))
    feed.author({"name": _x(f"Geschäftsstelle {alliance.name}")})
    feed.link(href=f"{base_url}{service.PUBLIC_PATH}", rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.language("de")
    feed.generator("Allianz-Werkstatt")
    feed.updated(max((_stamp(i.updated_at) for i in items), default=datetime.now(UTC)))
    topics = service.topics(alliance)
    for item in reversed(items):  # feedgen puts each new entry first
        link = service.url(base_url, item)
        entry = feed.add_entry()
        entry.id(link)
        entry.guid(link, permalink=True)
        entry.title(_x(item.title))
        entry.link(href=link)
        entry.published(_stamp(item.visible_from))
        entry.updated(_stamp(item.updated_at))
        entry.author({"name": _x(service.publisher(alliance, item))})
        entry.description(_x(service.description(item)))
        if item.body:
            entry.content(_x(to_html(item.body)), type="CDATA" if kind == "rss" else "html")
        entry.category(
            term=item.municipality_ags or "allianz",
            label=_x(service.place_label(alliance, item.municipality_ags)),
        )
        if item.handlungsfeld in topics:
            entry.category(term=f"thema-{item.handlungsfeld}", label=_x(topics[item.handlungsfeld]))
        if item.has_image:
            size = (image_sizes or {}).get(item.id, 0)
            entry.enclosure(service.image_url(base_url, item), str(size), "image/jpeg")
    if kind == "atom":
        return feed.atom_str(pretty=True)
    return feed.rss_str(pretty=True)


def _feed(kind: str, query: dict, base_url: str, path: str) -> bytes:
    alliance = config.load()
    chosen = service.filters(alliance, query)  # FilterError before the database is opened
    db = database.open_for(alliance)
    try:
        items = service.feed_items(db, chosen, ITEMS)
        sizes = {i.id: service.image_size(db, i.id) for i in items if i.has_image}
    finally:
        db.close()
    return build(alliance, items, base_url, kind, _self_url(base_url, path, query), sizes)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _answer(request: Request, kind: str, path: str, media_type: str) -> Response:
    try:
        body = await run_in_threadpool(
            _feed, kind, dict(request.query_params), _base_url(request), path
        )
    except service.FilterError as exc:
        return PlainTextResponse(" ".join(exc.errors), status_code=400)
    headers = {"Cache-Control": "public, max-age=300"}
    return Response(body, media_type=media_type, headers=headers)


async def rss_feed(request: Request) -> Response:
    return await _answer(request, "rss", RSS_PATH, "application/rss+xml; charset=utf-8")


async def atom_feed(request: Request) -> Response:
    return await _answer(request, "atom", ATOM_PATH, "application/atom+xml; charset=utf-8")


def _image(item_id: int) -> bytes | None:
    alliance = config.load()
    db = database.open_for(alliance)
    try:
        return service.image(db, ANONYMOUS, item_id)
    finally:
        db.close()


async def image(request: Request) -> Response:
    key = request.path_params["item"]
    body = await run_in_threadpool(_image, int(key)) if key.isdigit() and len(key) < 12 else None
    if body is None:
        return PlainTextResponse("Dieses Bild gibt es nicht (mehr).", status_code=404)
    return Response(body, media_type="image/jpeg", headers={"Cache-Control": "public, max-age=300"})


ROUTES = [
    Route(RSS_PATH, rss_feed),
    Route(ATOM_PATH, atom_feed),
    Route("/bilder/neuigkeiten/{item}.jpg", image),
]
