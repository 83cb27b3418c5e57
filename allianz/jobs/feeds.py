"""`/feeds/stellen.xml`: the open postings as RSS 2.0, for the members' websites and feed
readers.

Filters in the query: `gemeinde` (AGS), `art` (stelle, ausbildung, praktikum,
freiwilligendienst), `umfang` (vollzeit, teilzeit). An unknown value is answered with 400 and
a German sentence. The feed holds no personal data: no contact person, no e-mail address;
each item links to the posting's page, where the way to apply is.
"""

from __future__ import annotations

from datetime import datetime

from feedgen.feed import FeedGenerator
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from allianz import config, database, rich_text
from allianz.config import Alliance
from allianz.jobs import service
from allianz.jobs.model import Filters, Posting

PATH = "/feeds/stellen.xml"
PAGE_PATH = "/jobs"
MAX_ITEMS = 500
TEASER_CHARS = 600


def page_url(base_url: str, posting_id: int) -> str:
    return f"{base_url}{PAGE_PATH}?stelle={posting_id}"


def rss(postings: list[Posting], alliance: Alliance, base_url: str, filters: Filters) -> bytes:
    """RSS 2.0 of the given postings (newest first)."""
    names = {m.ags: m.name for m in alliance.municipalities}
    feed = FeedGenerator()
    title = f"Stellenbörse {alliance.name}"
    if filters.municipality:
        title += f": {names.get(filters.municipality, filters.municipality)}"
    feed.title(title)
    feed.link(href=f"{base_url}{PAGE_PATH}", rel="alternate")
    feed.description(
        f"Offene Stellen, Ausbildungs- und Praktikumsplätze der Mitglieder der {alliance.name}."
    )
    feed.language("de")
    feed.generator("Allianz-Werkstatt")
    for posting in reversed(postings):  # feedgen puts the item added last first
        item = feed.add_entry()
        url = page_url(base_url, posting.id)
        item.title(posting.title)
        item.link(href=url)
        item.guid(url, permalink=True)
        text = rich_text.to_plain(posting.description, TEASER_CHARS)
        item.description(f"{service.summary_line(posting, names)}\n\n{text}")
        item.category(term=posting.kind_label)
        item.pubDate(datetime.fromisoformat(posting.created_at))
    return feed.rss_str(pretty=False)


def _feed(query: dict, base_url: str) -> bytes:
    alliance = config.load()
    filters = service.filters_from(
        alliance, query.get("gemeinde"), query.get("art"), query.get("umfang")
    )
    db = database.open_for(alliance)
    try:
        page = service.open_postings(db, filters, size=MAX_ITEMS)
        return rss(page.postings, alliance, base_url, filters)
    finally:
        db.close()


async def jobs_feed(request: Request) -> Response:
    try:
        body = await run_in_threadpool(
            _feed, dict(request.query_params), str(request.base_url).rstrip("/")
        )
    except service.FilterError as exc:
        return PlainTextResponse(str(exc), status_code=400)
    headers = {"Cache-Control": "public, max-age=300"}
    return Response(body, media_type="application/rss+xml; charset=utf-8", headers=headers)


ROUTES = [Route(PATH, jobs_feed)]
