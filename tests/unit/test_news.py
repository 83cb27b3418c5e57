"""News: who writes for which place, the review rule (from the alliance file), the publishing
window, edits and withdrawal, idempotent creates, filters and paging, RSS and Atom read back
with feedparser, JSON-LD read back with json, the photo route, Markdown rendered safely, the
hostile corpus through every text field, personal data, figures, demo data and the CLI."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette
from starlette.testclient import TestClient

from allianz import cli, jsonld, privacy
from allianz.accounts import service as accounts
from allianz.accounts.model import ANONYMOUS, User
from allianz.auth import Role
from allianz.errors import Conflict, PermissionDenied, ValidationError
from allianz.figures import FigureRequest, Period
from allianz.news import demo, feeds, figures, service
from allianz.news.model import TEASER_MAX, TITLE_MAX, Draft, State
from allianz.rich_text import to_html, to_plain
from allianz.submissions import AlreadySubmitted
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS, expected_stored
from tests.unit.test_suggestions import jpeg

BORSDORF, BRANDIS = "14729060", "14729070"
OFFICE = User("leitung", "Geschäftsstelle", Role.MANAGER)
STAFF = User("verw-borsdorf", "Verwaltung Borsdorf", Role.STAFF, BORSDORF, id=41)
OTHER_STAFF = User("verw-brandis", "Verwaltung Brandis", Role.STAFF, BRANDIS)
MAYOR = User("bm", "Bürgermeister", Role.MAYOR, BORSDORF)
BASE = "https://allianz.example"
NOW = datetime.now(UTC)


def draft(title="Neue Öffnungszeiten im Rathaus", place=BORSDORF, **change) -> Draft:
    values = {
        "title": title,
        "teaser": "Ab Montag länger geöffnet.",
        "body": "Das Bürgerbüro hat **donnerstags** bis 18 Uhr geöffnet.",
        "municipality_ags": place,
        "handlungsfeld": 1,
    }
    return Draft(**(values | change))


def no_review(alliance, tmp_path):
    path = tmp_path / "ohne-freigabe.toml"
    text = alliance.source_path.read_text(encoding="utf-8")
    path.write_text(f"{text}\n[news]\nreview = false\n", encoding="utf-8")
    return replace(alliance, source_path=path)


def client() -> TestClient:
    return TestClient(Starlette(routes=feeds.ROUTES))


# --- places and roles -----------------------------------------------------------------------


def test_office_publishes_at_once_for_the_whole_alliance(db, alliance):
    item = service.create(db, alliance, OFFICE, draft(place=None), submit=True)
    assert item.state is State.PUBLISHED and item.by_office and service.is_public(item)
    assert service.publisher(alliance, item) == "Geschäftsstelle Region Partheland"


def test_staff_items_wait_for_the_office_by_default(db, alliance):
    assert service.review_required(alliance) is True
    item = service.create(db, alliance, STAFF, draft(), submit=True)
    assert item.state is State.SUBMITTED and not service.is_public(item)
    assert service.item_at(db, ANONYMOUS, str(item.id)) is None
    assert [i.id for i in service.review_queue(db, OFFICE)] == [item.id]
    published = service.approve(db, OFFICE, item.id)
    assert service.is_public(published)
    assert service.publisher(alliance, published) == "Borsdorf"  # never the account
    with pytest.raises(Conflict):
        service.approve(db, OFFICE, item.id)


def test_review_can_be_switched_off_in_the_alliance_file(db, alliance, tmp_path):
    relaxed = no_review(alliance, tmp_path)
    assert service.review_required(relaxed) is False
    item = service.create(db, relaxed, STAFF, draft(), submit=True)
    assert item.state is State.PUBLISHED
    wrong = tmp_path / "falsch.toml"
    wrong.write_text(
        alliance.source_path.read_text(encoding="utf-8") + '\n[news]\nreview = "ja"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="review muss true oder false"):
        service.review_required(replace(alliance, source_path=wrong))


def test_staff_write_only_for_their_own_municipality(db, alliance):
    for place in (BRANDIS, None):
        with pytest.raises(PermissionDenied):
            service.create(db, alliance, STAFF, draft(place=place))
    for user in (MAYOR, ANONYMOUS, User("ak", "AK", Role.WORKING_GROUP)):
        with pytest.raises(PermissionDenied):
            service.create(db, alliance, user, draft())
    item = service.create(db, alliance, STAFF, draft(), submit=True)
    for user in (STAFF, OTHER_STAFF, MAYOR):
        with pytest.raises(PermissionDenied):
            service.approve(db, user, item.id)
    with pytest.raises(PermissionDenied):
        service.withdraw(db, OTHER_STAFF, item.id)
    with pytest.raises(PermissionDenied):
        service.update(db, alliance, OTHER_STAFF, item.id, draft(place=BRANDIS))
    office_item = service.create(db, alliance, OFFICE, draft(place=BORSDORF), submit=True)
    assert service.publisher(alliance, office_item).startswith("Geschäftsstelle")
    with pytest.raises(PermissionDenied):  # the office's item for Borsdorf stays the office's
        service.withdraw(db, STAFF, office_item.id)
    unbound = User("verw", "Verwaltung ohne Gemeinde", Role.STAFF, None)
    with pytest.raises(PermissionDenied):
        service.create(db, alliance, unbound, draft(place=None))


def test_send_back_with_a_note_edit_and_send_again(db, alliance):
    item = service.create(db, alliance, STAFF, draft(), submit=True)
    with pytest.raises(ValidationError):
        service.send_back(db, OFFICE, item.id, " ")
    returned = service.send_back(db, OFFICE, item.id, "Bitte das Datum ergänzen.")
    assert returned.state is State.DRAFT and returned.review_note == "Bitte das Datum ergänzen."
    again = service.update(db, alliance, STAFF, item.id, draft(body="Ab 1. März."), submit=True)
    assert again.state is State.SUBMITTED
    assert service.approve(db, OFFICE, item.id).review_note == ""


def test_a_members_change_to_a_published_item_goes_back_to_review(db, alliance):
    item = service.approve(db, OFFICE, service.create(db, alliance, STAFF, draft(), submit=True).id)
    changed = service.update(db, alliance, STAFF, item.id, draft(title="Geänderter Titel"))
    assert changed.state is State.SUBMITTED and not service.is_public(changed)
    again = service.approve(db, OFFICE, item.id)
    assert again.published_at == item.published_at  # datePublished stays the first one
    by_office = service.update(db, alliance, OFFICE, item.id, draft(title="Von der Stelle"))
    assert by_office.state is State.PUBLISHED and by_office.title == "Von der Stelle"


def test_withdraw_takes_the_item_off_the_list_and_the_feeds(db, alliance):
    item = service.create(db, alliance, OFFICE, draft(), submit=True)
    service.withdraw(db, OFFICE, item.id)
    assert service.public_page(db, service.Filters()).total == 0
    with pytest.raises(Conflict):
        service.withdraw(db, OFFICE, item.id)
    again = service.submit(db, alliance, OFFICE, item.id)
    assert service.is_public(again)


def test_every_step_is_audited(db, alliance):
    item = service.create(db, alliance, STAFF, draft(), submit=True)
    service.send_back(db, OFFICE, item.id, "Bitte kürzen.")
    service.submit(db, alliance, STAFF, item.id)
    service.approve(db, OFFICE, item.id)
    service.withdraw(db, STAFF, item.id)
    rows = db.execute(
        "SELECT action, actor, municipality_ags FROM audit WHERE entity = 'news' ORDER BY id"
    ).fetchall()
    assert [r[0] for r in rows] == [
        "news.create", "news.return", "news.submit", "news.approve", "news.withdraw",
    ]  # fmt: skip
    assert {r[2] for r in rows} == {BORSDORF}


def test_create_lands_once_for_one_token(db, alliance):
    service.create(db, alliance, STAFF, draft(), token="news-create:abc")
    with pytest.raises(AlreadySubmitted):
        service.create(db, alliance, STAFF, draft(), token="news-create:abc")
    assert service.desk(db, STAFF).total == 1
    with pytest.raises(ValidationError):  # a refused create does not use up its token
        service.create(db, alliance, STAFF, draft(title="x"), token="news-create:def")
    service.create(db, alliance, STAFF, draft(), token="news-create:def")


def test_input_is_checked(db, alliance):
    with pytest.raises(ValidationError) as refused:
        service.create(
            db, alliance, OFFICE,
            draft(title="x" * (TITLE_MAX + 1), teaser="y" * (TEASER_MAX + 1), body="",
                  handlungsfeld=99, publish_from=datetime(2026, 5, 2),
                  publish_until=datetime(2026, 5, 1)),
        )  # fmt: skip
    text = " ".join(refused.value.errors)
    for part in ("Titel", "Vorspann", "Handlungsfeld", "„Veröffentlichen bis“"):
        assert part in text
    with pytest.raises(ValidationError, match="Vorspann oder einen Text"):
        service.create(db, alliance, OFFICE, draft(teaser="", body="\u200b"))
    with pytest.raises(ValidationError, match="Mitgliedsgemeinde"):
        service.create(db, alliance, OFFICE, draft(place="99999999"))


# --- the publishing window ------------------------------------------------------------------


def test_publishing_window_from_and_until(db, alliance):
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    later = service.create(db, alliance, OFFICE, draft(publish_from=tomorrow), submit=True)
    assert later.state is State.PUBLISHED and not service.is_public(later)
    assert service.is_public(later, now=tomorrow + timedelta(minutes=1))
    ended = service.create(
        db, alliance, OFFICE,
        draft(title="Abgelaufen", publish_from=datetime.now(UTC) - timedelta(days=3),
              publish_until=datetime.now(UTC) - timedelta(days=1)),
        submit=True,
    )  # fmt: skip
    assert not service.is_public(ended)
    assert service.public_page(db, service.Filters()).total == 0
    assert service.public_page(db, service.Filters(), now=tomorrow).total == 1


def test_local_times_are_stored_in_utc(db, alliance):
    winter = service.create(
        db, alliance, OFFICE, draft(publish_from=datetime(2026, 12, 24, 9, 30)), submit=True
    )
    assert winter.publish_from == "2026-12-24T08:30:00+00:00"
    assert service.when(winter.publish_from) == "24.12.2026, 09:30 Uhr"


def test_an_approved_item_appears_when_it_was_approved_not_before(db, alliance):
    written = NOW - timedelta(days=2)
    item = service.create(db, alliance, STAFF, draft(), submit=True, now=written)
    assert item.publish_from == written.isoformat(timespec="seconds")
    approved = service.approve(db, OFFICE, item.id, now=NOW)
    assert approved.visible_from == NOW.isoformat(timespec="seconds")


# --- list, filters, paging ------------------------------------------------------------------


def test_filters_by_place_and_topic_and_pages(db, alliance):
    for n in range(25):
        service.create(
            db, alliance, OFFICE, draft(title=f"Borsdorf {n}", handlungsfeld=2), submit=True
        )
    service.create(db, alliance, OFFICE, draft(title="Brandis", place=BRANDIS), submit=True)
    service.create(
        db, alliance, OFFICE, draft(title="Alle", place=None, handlungsfeld=5), submit=True
    )
    assert service.public_page(db, service.Filters()).total == 27
    borsdorf = service.filters(alliance, {"gemeinde": BORSDORF})
    first = service.public_page(db, borsdorf)
    assert first.total == 26 and first.pages == 2 and len(first.items) == 20
    assert "Brandis" not in {i.title for i in first.items}
    second = service.public_page(db, borsdorf, 2)
    assert len(second.items) == 6 and second.number == 2
    assert service.public_page(db, borsdorf, 99).number == 2  # beyond the end: the last page
    only = service.public_page(db, service.filters(alliance, {"gemeinde": "allianz"}))
    assert [i.title for i in only.items] == ["Alle"]
    topic = service.public_page(db, service.filters(alliance, {"thema": "5"}))
    assert [i.title for i in topic.items] == ["Alle"]
    both = service.filters(alliance, {"gemeinde": BRANDIS, "thema": "2"})
    assert service.public_page(db, both).total == 0


@pytest.mark.parametrize(
    "query",
    [
        {"gemeinde": "12345678"},
        {"gemeinde": "<script>"},
        {"thema": "99"},
        {"thema": "eins"},
    ],  # fmt: skip
)
def test_unknown_filters_are_refused_in_german(alliance, query):
    with pytest.raises(service.FilterError, match="Unbekannt"):
        service.filters(alliance, query)


def test_the_list_query_uses_the_indexes(db, alliance):
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM news_items WHERE state = 'published' AND "
        "visible_from <= ? AND (publish_until IS NULL OR publish_until > ?) "
        "ORDER BY visible_from DESC, id DESC LIMIT 20",
        ["2026", "2026"],
    ).fetchall()
    assert any("news_public" in str(row[-1]) for row in plan), plan


# --- feeds ----------------------------------------------------------------------------------


@pytest.fixture
def published(db, alliance, db_path):
    """Three public items, one waiting, one in the future (feeds read the file in db_path)."""
    service.create(
        db, alliance, OFFICE, draft(title="Für alle", place=None, handlungsfeld=5), submit=True
    )
    service.create(db, alliance, OFFICE, draft(title="Brandis baut", place=BRANDIS), submit=True)
    photo = draft(title="Mit Foto", image=jpeg((60, 40)))
    pictured = service.create(db, alliance, OFFICE, photo, submit=True)
    service.create(db, alliance, STAFF, draft(title="Wartet"), submit=True)
    later = datetime.now(UTC) + timedelta(days=2)
    service.create(db, alliance, OFFICE, draft(title="Später", publish_from=later), submit=True)
    return pictured


def test_rss_feed_reads_back_with_only_public_items(published):
    answer = client().get(feeds.RSS_PATH)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/rss+xml")
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Neuigkeiten – Region Partheland"
    titles = [e.title for e in parsed.entries]
    assert sorted(titles) == ["Brandis baut", "Für alle", "Mit Foto"]
    pictured = next(e for e in parsed.entries if e.title == "Mit Foto")
    assert pictured.link.endswith(f"/news?meldung={published.id}")
    assert pictured.enclosures[0]["type"] == "image/jpeg"
    assert int(pictured.enclosures[0]["length"]) > 0
    assert "<strong>donnerstags</strong>" in pictured.content[0].value
    assert "verw-borsdorf" not in answer.text and "leitung" not in answer.text


def test_atom_feed_reads_back_and_filters(published):
    answer = client().get(feeds.ATOM_PATH, params={"gemeinde": BRANDIS})
    assert answer.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert sorted(e.title for e in parsed.entries) == ["Brandis baut", "Für alle"]
    entry = next(e for e in parsed.entries if e.title == "Brandis baut")
    assert entry.author == "Geschäftsstelle Region Partheland"
    assert {t.label for t in entry.tags} >= {"Stadt Brandis"}
    assert entry.published_parsed and entry.updated_parsed
    topic = feedparser.parse(client().get(feeds.ATOM_PATH, params={"thema": "5"}).content)
    assert [e.title for e in topic.entries] == ["Für alle"]


@pytest.mark.parametrize("query", [{"gemeinde": "x"}, {"thema": "<script>"}])
def test_feeds_answer_unknown_filters_with_400(db_path, query):
    for path in (feeds.RSS_PATH, feeds.ATOM_PATH):
        answer = client().get(path, params=query)
        assert answer.status_code == 400 and "Unbekannt" in answer.text


def test_photo_route_serves_public_items_only(published, db, alliance):
    answer = client().get(f"/bilder/neuigkeiten/{published.id}.jpg")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    assert b"SecretCam" not in answer.content  # re-encoded without EXIF
    service.withdraw(db, OFFICE, published.id)
    assert client().get(f"/bilder/neuigkeiten/{published.id}.jpg").status_code == 404
    assert client().get("/bilder/neuigkeiten/abc.jpg").status_code == 404


def test_a_file_that_is_no_photo_is_refused(db, alliance):
    with pytest.raises(ValidationError, match="JPEG oder PNG"):
        service.create(db, alliance, OFFICE, draft(image=b"GIF89a not a photo"))
    assert service.desk(db, OFFICE).items == []


# --- JSON-LD --------------------------------------------------------------------------------

REQUIRED = ("@context", "@type", "headline", "datePublished", "dateModified", "publisher", "url")


def _ld(html: str) -> dict:
    found = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', html, re.S)
    assert found, html
    return json.loads(found.group(1))


def test_json_ld_news_article_has_the_required_properties(published, alliance):
    data = _ld(jsonld.script(service.json_ld(alliance, published, BASE)))
    for key in REQUIRED:
        assert data[key], key
    assert data["@type"] == "NewsArticle" and data["@context"] == "https://schema.org"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Geschäftsstelle Region Partheland",
    }
    assert data["image"] == [f"{BASE}/bilder/neuigkeiten/{published.id}.jpg"]
    assert data["url"] == f"{BASE}/news?meldung={published.id}"
    assert datetime.fromisoformat(data["datePublished"]).tzinfo is not None
    assert data["description"] == "Ab Montag länger geöffnet."
    assert data["articleSection"] == alliance.handlungsfelder[0].title


def test_json_ld_cannot_end_its_script_element(db, alliance):
    item = service.create(
        db, alliance, OFFICE, draft(title="</script><script>alert(1)</script>"), submit=True
    )
    html = jsonld.script(service.json_ld(alliance, item, BASE))
    assert html.count("</script>") == 1 and "<script>" not in html[10:]
    assert _ld(html)["headline"] == "</script><script>alert(1)</script>"


# --- Markdown -------------------------------------------------------------------------------


def test_markdown_renders_without_raw_html_or_script_links():
    html = to_html(
        "**fett** <script>alert(1)</script> <img src=x onerror=alert(2)> "
        "[gut](https://partheland.de) [böse](javascript:alert(3)) [data](data:text/html,x) "
        "![bild](https://tracker.example/p.png)"
    )
    assert "<strong>fett</strong>" in html
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert 'href="https://partheland.de" rel="nofollow ugc noopener"' in html
    assert 'href="javascript' not in html and 'href="data' not in html
    assert "<img" not in html and 'href="https://tracker.example/p.png"' in html  # a link only
    assert to_plain("# Titel\n\nText mit **fett**.") == "Titel Text mit fett."
    assert to_plain("a " * 400, 20).endswith("…")


# --- hostile input --------------------------------------------------------------------------


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_hostile_text_is_stored_literally_and_never_markup(db, alliance, db_path, text):
    title = text[:TITLE_MAX] if len(expected_stored(text[:TITLE_MAX])) >= 3 else f"Titel {text}"
    title = title[:TITLE_MAX]
    item = service.create(
        db, alliance, OFFICE,
        draft(title=title, teaser=text[:TEASER_MAX], body=text, place=None),
        submit=True,
    )  # fmt: skip
    assert item.title == expected_stored(title)
    assert item.teaser == expected_stored(text[:TEASER_MAX])
    assert item.body == expected_stored(text)
    html = to_html(item.body)
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert 'href="javascript' not in html
    for path in (feeds.RSS_PATH, feeds.ATOM_PATH):
        parsed = feedparser.parse(client().get(path).content)
        assert not parsed.bozo, parsed.bozo_exception
        [entry] = parsed.entries
        assert "<script" not in entry.get("content", [{"value": ""}])[0]["value"]
    data = _ld(jsonld.script(service.json_ld(alliance, item, BASE)))
    assert data["headline"] == item.title[:110]


# --- personal data, figures, demo, command line ---------------------------------------------


def test_author_is_exported_and_erased_through_the_account(db, alliance):
    account = accounts.create_user(
        db, alliance, TEST_ACTOR, username="schreiberin", role="staff",
        password="geheim-genug-1", municipality_ags=BORSDORF, email="s@borsdorf.example",
    )  # fmt: skip
    item = service.create(db, alliance, account, draft(), submit=True)
    exported = privacy.export(db, "s@borsdorf.example", TEST_ACTOR)
    assert [row["title"] for row in exported["news_items"]] == [item.title]
    privacy.erase(db, "s@borsdorf.example", TEST_ACTOR)
    after = service.get(db, item.id)
    assert after.author_id is None and after.author == "ehemaliges Konto"
    assert after.title == item.title  # the item stays, published by Borsdorf


def test_figures_count_published_items_per_member(db, alliance):
    service.create(db, alliance, OFFICE, draft(place=None), submit=True)
    made = service.create(db, alliance, STAFF, draft(), submit=True)
    service.approve(db, OFFICE, made.id)
    service.create(db, alliance, STAFF, draft(title="Wartet"), submit=True)
    today = date.today()
    request = FigureRequest(db, alliance, [], Period(today - timedelta(days=7), today), today)
    [section] = figures.sections(request)
    assert section.value("published") == 2 and section.value("by_office") == 1
    assert section.value("published", BORSDORF) == 1
    assert section.value("waiting") == 1 and section.value("waiting", BORSDORF) == 1
    assert section.value("published", BRANDIS) == 0


def test_demo_news_are_marked_and_loaded_once(db, alliance):
    demo.load(db, alliance, TEST_ACTOR)
    demo.load(db, alliance, TEST_ACTOR)
    items = service.desk(db, OFFICE, size=500).items
    assert items and all(i.is_demo for i in items)
    assert len(items) == 3 + 2 * len(alliance.municipalities) + 2
    public = service.public_page(db, service.Filters(), size=500)
    assert public.total == 3 + 2 * len(alliance.municipalities)
    assert all(i.visible_from <= NOW.isoformat() for i in public.items)
    assert len(service.review_queue(db, OFFICE)) == 1


def test_command_line_lists_publishes_and_withdraws(db, alliance):
    waiting = service.create(db, alliance, STAFF, draft(title="Aus der Kommandozeile"), submit=True)
    runner = CliRunner()
    listed = runner.invoke(cli.command_tree(), ["news", "list", "--wartend"])
    assert listed.exit_code == 0 and "Aus der Kommandozeile" in listed.output
    assert "wartet auf Freigabe" in listed.output
    done = runner.invoke(cli.command_tree(), ["news", "publish", str(waiting.id)])
    assert done.exit_code == 0, done.output
    assert service.is_public(service.get(db, waiting.id))
    gone = runner.invoke(cli.command_tree(), ["news", "withdraw", str(waiting.id)])
    assert gone.exit_code == 0 and service.get(db, waiting.id).state is State.WITHDRAWN
    assert cli.main(["news", "publish", "99999"]) == 2


def test_an_office_edit_of_a_waiting_item_does_not_publish_it(db, alliance):
    item = service.create(db, alliance, STAFF, draft(), submit=True)
    fixed = service.update(db, alliance, OFFICE, item.id, draft(title="Tippfehler behoben"))
    assert fixed.state is State.SUBMITTED and fixed.title == "Tippfehler behoben"
    mine = service.update(db, alliance, STAFF, item.id, draft(title="Noch einmal"))
    assert mine.state is State.SUBMITTED
    sent = service.update(db, alliance, OFFICE, item.id, draft(), submit=True)
    assert sent.state is State.PUBLISHED


def test_feeds_stay_well_formed_with_cdata_ends_and_non_xml_characters(db, alliance, db_path):
    service.create(
        db, alliance, OFFICE,
        draft(title="Ende ]]> und \ufffe", body="Text ]]> <![CDATA[ x ]]> [a](https://a.de?x=]]>)"),
        submit=True,
    )  # fmt: skip
    for path in (feeds.RSS_PATH, feeds.ATOM_PATH):
        parsed = feedparser.parse(client().get(path).content)
        assert not parsed.bozo, parsed.bozo_exception
        [entry] = parsed.entries
        assert entry.title == "Ende ]]> und"  # U+FFFE, not allowed in XML, left out
        assert entry.content[0].value.startswith("<p>Text ]]&gt; &lt;![CDATA[ x ]]&gt;")


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_hostile_review_note_is_stored_literally(db, alliance, text):
    item = service.create(db, alliance, STAFF, draft(), submit=True)
    note = text if len(expected_stored(text)) >= 3 else f"Bitte: {text}"
    returned = service.send_back(db, OFFICE, item.id, note)
    assert returned.review_note == expected_stored(note)
    assert db.execute("SELECT reason FROM audit WHERE action = 'news.return'").fetchone()[0] == (
        expected_stored(note)
    )


def test_the_desk_lists_its_own_place_in_pages(db, alliance):
    for n in range(3):
        service.create(db, alliance, STAFF, draft(title=f"Borsdorf {n}"))
    service.create(db, alliance, OFFICE, draft(title="Von der Stelle für Borsdorf"))
    service.create(db, alliance, OTHER_STAFF, draft(title="Brandis", place=BRANDIS))
    mine = service.desk(db, STAFF, size=2)
    assert mine.total == 3 and mine.pages == 2 and len(mine.items) == 2
    assert [i.title for i in service.desk(db, STAFF, 2, size=2).items] == ["Borsdorf 0"]
    assert service.desk(db, OFFICE).total == 5
    with pytest.raises(PermissionDenied):
        service.desk(db, MAYOR)


def test_my_municipality_lists_returned_and_waiting_items(db, alliance):
    from allianz.news import FEATURE  # noqa: PLC0415

    waiting = service.create(db, alliance, STAFF, draft(title="Wartet"), submit=True)
    returned = service.create(db, alliance, STAFF, draft(title="Zurück"), submit=True)
    service.send_back(db, OFFICE, returned.id, "Bitte kürzen.")
    service.create(db, alliance, STAFF, draft(title="Nur ein Entwurf"))
    heading, teasers = FEATURE.municipality_desk(db, STAFF, BORSDORF)
    assert heading.endswith("(2)")
    assert [t.text for t in teasers] == [
        "Wartet · wartet auf Freigabe", "Zurück · zurückgegeben: Bitte kürzen.",
    ]  # fmt: skip
    assert teasers[0].query == {"meldung": str(waiting.id)}
    assert FEATURE.municipality_desk(db, MAYOR, BORSDORF)[1] == []
    assert FEATURE.municipality_desk(db, OTHER_STAFF, BORSDORF)[1] == []
    assert len(FEATURE.municipality_desk(db, OFFICE, BORSDORF)[1]) == 2
