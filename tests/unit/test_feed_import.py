"""Feeds übernehmen: sources (who registers what, pause, delete), a run against feeds served by
a local HTTP server in a thread (RSS, Atom, iCal with a series, an HTML page, a 20 MB feed,
XXE, billion laughs, a 10.000-times RRULE, hostile text), de-duplication and updates, one
transaction per source, the address checks and the command line."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from allianz import audit, clock
from allianz import cli as root_cli
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import Conflict, NotFound, PermissionDenied
from allianz.events import service as events
from allianz.events import store as event_store
from allianz.feed_import import fetch, parse, service, store
from allianz.feed_import.model import Kind, SourceDraft
from allianz.municipalities import service as municipalities
from allianz.news import service as news
from allianz.news import store as news_store
from allianz.news.model import Draft
from allianz.submissions import AlreadySubmitted
from tests.hostile import CORPUS, expected_stored

BORSDORF, BRANDIS = "14729060", "14729070"
STAFF = User("verwaltung", "Verwaltung", Role.STAFF, BORSDORF)
OTHER_STAFF = User("brandis", "Verwaltung Brandis", Role.STAFF, BRANDIS)
OFFICE = User("leitung", "Leitung", Role.MANAGER)
MAYOR = User("bm", "Bürgermeister", Role.MAYOR, BORSDORF)
LOCAL = ("127.0.0.1/32",)


def rss(*items: tuple[str, str, str]) -> bytes:
    """(guid, title, description) items; the text is escaped as XML needs it."""
    body = "".join(
        f"<item><guid>{escape(g)}</guid><title>{escape(t)}</title><link>https://www.borsdorf.de/"
        f"n/{escape(g)}</link><description>{escape(d)}</description></item>"
        for g, t, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Borsdorf'
        f"</title><link>https://www.borsdorf.de/</link>{body}</channel></rss>"
    ).encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Brandis</title><id>urn:brandis</id>
<updated>2026-11-01T10:00:00Z</updated>
<entry><id>urn:brandis:1</id><title type="text">Neue Kita er&#246;ffnet</title>
<link href="https://www.brandis.de/kita"/><updated>2026-11-01T10:00:00Z</updated>
<summary type="html">&lt;p&gt;Die &lt;b&gt;Kita&lt;/b&gt; ist offen.&lt;/p&gt;</summary></entry>
</feed>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><guid>1</guid><title>&xxe;</title></item>
</channel></rss>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><guid>1</guid><title>&lol3;</title>
</item></channel></rss>"""

HTML = b"<!DOCTYPE html><html><head><title>Gemeinde</title></head><body>Willkommen</body></html>"


def ics(*events_: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Borsdorf//DE\r\n" + "".join(events_)
            + "END:VCALENDAR\r\n").encode()  # fmt: skip


def vevent(uid: str, title: str, start, end=None, extra: str = "", all_day: bool = False) -> str:
    if all_day:
        times = f"DTSTART;VALUE=DATE:{start:%Y%m%d}\r\n"
    else:
        times = f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%dT%H%M%S}\r\n" + (
            f"DTEND;TZID=Europe/Berlin:{end:%Y%m%dT%H%M%S}\r\n" if end else ""
        )
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{title}\r\n{times}{extra}"
            "LOCATION:Rathaus\r\nEND:VEVENT\r\n")  # fmt: skip


class FeedServer:
    """path -> (content type, body); `/gross` sends 20 MB, `/gross-ohne-laenge` too without a
    Content-Length header."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, bytes]] = {}
        self.hits: dict[str, int] = {}
        routes, hits = self.routes, self.hits

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                hits[self.path] = hits.get(self.path, 0) + 1
                if self.path.startswith("/gross"):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    if self.path == "/gross":
                        self.send_header("Content-Length", str(20 * 1024 * 1024))
                    self.end_headers()
                    try:
                        for _ in range(20 * 16):
                            self.wfile.write(b"<!-- " + b"x" * (64 * 1024 - 9) + b" -->")
                    except OSError:
                        pass
                    return
                if self.path == "/langsam":
                    time.sleep(1.5)
                    self.send_response(200)
                    self.end_headers()
                    return
                if self.path == "/weiter":
                    self.send_response(302)
                    self.send_header("Location", "http://10.0.0.1/intern")
                    self.end_headers()
                    return
                if self.path not in routes:
                    self.send_error(404)
                    return
                kind, body = routes[self.path]
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    served = FeedServer()
    served.thread.start()
    yield served
    served.server.shutdown()
    served.server.server_close()


def _source(db, alliance, server, path, kind=Kind.NEWS, body=b"", content_type="", ags=BORSDORF,
            category="kultur"):  # fmt: skip
    server.routes[path] = (content_type or "application/rss+xml", body)
    user = STAFF if ags == BORSDORF else OFFICE
    draft = SourceDraft(ags, kind, server.url(path), category if kind is Kind.EVENTS else "")
    return service.add_source(db, alliance, user, draft)


def _run(db, alliance, source_id):
    return service.run_source(db, alliance, municipalities.areas(db), source_id, audit.SYSTEM,
                              allowed=LOCAL)  # fmt: skip


def _news(db) -> list:
    return news_store.desk(db, None, limit=1000)


# --- sources --------------------------------------------------------------------------------


def test_staff_register_sources_for_their_own_municipality_only(db, alliance):
    made = service.add_source(
        db, alliance, STAFF, SourceDraft(BORSDORF, Kind.NEWS, " https://www.borsdorf.de/feed ")
    )
    assert (made.url, made.website, made.paused, made.last_run_at) == (
        "https://www.borsdorf.de/feed", "www.borsdorf.de", False, None)  # fmt: skip
    assert service.last_run(made) == "noch nicht abgerufen"
    with pytest.raises(PermissionDenied):
        service.add_source(db, alliance, STAFF, SourceDraft(BRANDIS, Kind.NEWS, "https://b.de/f"))
    with pytest.raises(PermissionDenied):
        service.add_source(db, alliance, MAYOR, SourceDraft(BORSDORF, Kind.NEWS, "https://b.de/"))
    with pytest.raises(Conflict):
        service.add_source(
            db, alliance, OFFICE, SourceDraft(BORSDORF, Kind.NEWS, "https://www.borsdorf.de/feed")
        )
    office = service.add_source(
        db, alliance, OFFICE, SourceDraft(BRANDIS, Kind.EVENTS, "https://brandis.de/k.ics", "sport")
    )
    assert [s.id for s in service.sources(db, STAFF)] == [made.id]
    assert {s.id for s in service.sources(db, OFFICE)} == {made.id, office.id}
    assert service.sources(db, OTHER_STAFF) == [office]
    with pytest.raises(PermissionDenied):
        service.get(db, OTHER_STAFF, made.id)


def test_a_second_click_registers_nothing(db, alliance):
    draft = SourceDraft(BORSDORF, Kind.NEWS, "https://www.borsdorf.de/rss")
    first = service.add_source(db, alliance, STAFF, draft, token="t-1")
    with pytest.raises(AlreadySubmitted) as again:
        service.add_source(db, alliance, STAFF, draft, token="t-1")
    assert again.value.result == str(first.id)
    assert len(service.sources(db, STAFF)) == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://www.borsdorf.de/feed", "Nur Adressen mit http:// oder https://"),
        ("file:///etc/passwd", "Nur Adressen mit http:// oder https://"),
        ("https://", "fehlt der Name"),
        ("https://nutzer:geheim@borsdorf.de/f", "Benutzername oder Passwort"),
        ("", "Bitte die Adresse des Feeds angeben."),
        ("https://borsdorf.de/" + "x" * 500, "höchstens 500 Zeichen"),
    ],
)
def test_bad_addresses_are_refused_in_german(db, alliance, url, message):
    with pytest.raises(service.SourceError) as refused:
        service.add_source(db, alliance, STAFF, SourceDraft(BORSDORF, Kind.NEWS, url))
    assert message in " ".join(refused.value.errors)


def test_kind_and_category_are_required(db, alliance):
    with pytest.raises(service.SourceError) as refused:
        service.add_source(db, alliance, STAFF, SourceDraft(BORSDORF, None, "https://a.de/f"))
    assert "Neuigkeiten oder Veranstaltungen" in refused.value.errors[0]
    with pytest.raises(service.SourceError) as refused:
        service.add_source(db, alliance, STAFF, SourceDraft(BORSDORF, "events", "https://a.de/k"))
    assert "Kategorie" in refused.value.errors[0]


def test_pause_resume_and_delete_keep_what_was_imported(db, alliance, server):
    source = _source(db, alliance, server, "/pause.xml", body=rss(("p1", "Baustelle", "Text")))
    assert _run(db, alliance, source.id).created == 1
    paused = service.set_paused(db, STAFF, source.id, True)
    assert paused.paused
    assert service.run_all(db, alliance, municipalities.areas(db), allowed=LOCAL) == []
    with pytest.raises(Conflict):
        service.run_now(db, alliance, municipalities.areas(db), STAFF, source.id, allowed=LOCAL)
    with pytest.raises(Conflict):
        service.set_paused(db, STAFF, source.id, True)
    with pytest.raises(PermissionDenied):
        service.set_paused(db, OTHER_STAFF, source.id, False)
    assert not service.set_paused(db, STAFF, source.id, False).paused
    with pytest.raises(PermissionDenied):
        service.delete_source(db, OTHER_STAFF, source.id)
    service.delete_source(db, STAFF, source.id)
    with pytest.raises(NotFound):
        service.get(db, STAFF, source.id)
    assert [i.title for i in _news(db)] == ["Baustelle"]
    assert db.execute("SELECT count(*) FROM feed_imports").fetchone()[0] == 0
    actions = [r[0] for r in db.execute("SELECT action FROM audit WHERE entity = 'feed_source'")]
    assert actions == ["feed_import.add", "feed_import.run", "feed_import.pause",
                       "feed_import.resume", "feed_import.delete"]  # fmt: skip


# --- news feeds -----------------------------------------------------------------------------


def test_rss_becomes_published_news_of_the_member_and_a_second_run_creates_nothing(
    db, alliance, server
):
    feed = rss(("g1", "Straßenfest am Samstag", "<p>Alle sind <b>eingeladen</b>.</p>"),
               ("g2", "Wasserrohrbruch", "Die Straße ist gesperrt."))  # fmt: skip
    source = _source(db, alliance, server, "/news.xml", body=feed)
    first = _run(db, alliance, source.id)
    assert (first.created, first.updated, first.unchanged, first.error) == (2, 0, 0, "")
    items = {i.title: i for i in _news(db)}
    fest = items["Straßenfest am Samstag"]
    assert fest.teaser == "Alle sind eingeladen."
    assert fest.municipality_ags == BORSDORF and not fest.by_office
    assert news.is_public(fest)
    assert news.publisher(alliance, fest) == alliance.municipality(BORSDORF).name
    assert fest.body == "*Übernommen von [127.0.0.1](https://www.borsdorf.de/n/g1)*"
    second = _run(db, alliance, source.id)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert len(_news(db)) == 2
    shown = service.get(db, STAFF, source.id)
    assert service.last_run(shown).endswith(": 0 neu, 0 geändert")
    # a changed entry updates its item, a new one is added
    server.routes["/news.xml"] = ("application/rss+xml", rss(
        ("g1", "Straßenfest am Sonntag", "Verschoben."), ("g2", "Wasserrohrbruch",
                                                          "Die Straße ist gesperrt."),
        ("g3", "Neue Bänke", "Im Park.")))  # fmt: skip
    third = _run(db, alliance, source.id)
    assert (third.created, third.updated, third.unchanged) == (1, 1, 1)
    assert sorted(i.title for i in _news(db)) == [
        "Neue Bänke", "Straßenfest am Sonntag", "Wasserrohrbruch"]  # fmt: skip
    assert news_store.get(db, fest.id).teaser == "Verschoben."


def test_atom_feed_with_html_summary(db, alliance, server):
    source = _source(db, alliance, server, "/brandis.atom", body=ATOM,
                     content_type="application/atom+xml", ags=BRANDIS)  # fmt: skip
    assert _run(db, alliance, source.id).created == 1
    [item] = _news(db)
    assert (item.title, item.teaser, item.municipality_ags) == (
        "Neue Kita eröffnet", "Die Kita ist offen.", BRANDIS)  # fmt: skip
    assert item.body.endswith("(https://www.brandis.de/kita)*")


def test_a_withdrawn_item_stays_withdrawn_when_its_entry_changes(db, alliance, server):
    source = _source(db, alliance, server, "/zurueck.xml", body=rss(("w1", "Alt", "Text")))
    _run(db, alliance, source.id)
    [item] = _news(db)
    news.withdraw(db, STAFF, item.id)
    server.routes["/zurueck.xml"] = ("application/rss+xml", rss(("w1", "Neu", "Anders")))
    assert _run(db, alliance, source.id).updated == 1
    changed = news_store.get(db, item.id)
    assert (changed.title, changed.state.value) == ("Neu", "withdrawn")


@pytest.mark.parametrize(
    ("path", "body", "content_type", "message"),
    [
        ("/seite.html", HTML, "text/html; charset=utf-8", "Webseite, kein Feed"),
        ("/seite-ohne-typ", HTML, "application/octet-stream", "Webseite, kein Feed"),
        ("/xxe.xml", XXE, "application/rss+xml", "Entity-Definitionen"),
        ("/laughs.xml", LAUGHS, "application/rss+xml", "Billion Laughs"),
        ("/kaputt.xml", b"<rss><channel><item>", "application/rss+xml", "kein gültiges XML"),
        ("/kein-feed.xml", b"<?xml version='1.0'?><liste/>", "application/xml",
         "kein RSS- oder Atom-Feed"),
    ],
)  # fmt: skip
def test_refused_feeds_store_nothing_and_say_why(db, alliance, server, path, body,
                                                 content_type, message):  # fmt: skip
    source = _source(db, alliance, server, path, body=body, content_type=content_type)
    result = _run(db, alliance, source.id)
    assert not result.ok and message in result.error
    assert _news(db) == []
    shown = service.get(db, STAFF, source.id)
    assert shown.last_error == result.error
    assert service.last_run(shown).endswith(": fehlgeschlagen")


@pytest.mark.parametrize("path", ["/gross", "/gross-ohne-laenge"])
def test_a_20_mb_feed_is_refused_without_reading_it_all(db, alliance, server, path):
    source = service.add_source(db, alliance, STAFF, SourceDraft(BORSDORF, Kind.NEWS,
                                                                 server.url(path)))  # fmt: skip
    result = _run(db, alliance, source.id)
    assert "zu groß" in result.error or "größer als 5 MB" in result.error
    assert _news(db) == []


def test_internal_addresses_are_refused_unless_the_caller_allows_them(db, alliance, server):
    source = _source(db, alliance, server, "/lokal.xml", body=rss(("l1", "Lokal", "Text")))
    refused = service.run_source(db, alliance, municipalities.areas(db), source.id, audit.SYSTEM)
    assert "interne Adresse (127.0.0.1)" in refused.error
    with pytest.raises(fetch.FetchError, match="interne Adresse"):
        fetch.get("http://localhost:9/")
    with pytest.raises(fetch.FetchError, match="interne Adresse"):
        fetch.get("http://10.1.2.3/feed.xml")
    with pytest.raises(fetch.FetchError, match="interne Adresse"):
        fetch.get("http://[::1]/feed.xml")
    with pytest.raises(fetch.FetchError, match="interne Adresse"):
        fetch.get("http://169.254.169.254/latest/meta-data/")
    # a redirect to an internal address is checked too
    with pytest.raises(fetch.FetchError, match="interne Adresse"):
        fetch.get(server.url("/weiter"), fetch.networks(LOCAL))
    assert _run(db, alliance, source.id).created == 1


def test_a_slow_website_runs_into_the_timeout(server):
    with pytest.raises(fetch.FetchError, match="nicht innerhalb von 0,3 Sekunden"):
        fetch.get(server.url("/langsam"), fetch.networks(LOCAL), timeout=0.3)


def test_my_municipality_lists_the_sources_whose_last_run_failed(db, alliance, server):
    from allianz.feed_import import FEATURE  # noqa: PLC0415

    good = _source(db, alliance, server, "/gut.xml", body=rss(("g", "Gute Meldung", "x")))
    bad = _source(db, alliance, server, "/schlecht.html", body=HTML, content_type="text/html")
    _run(db, alliance, good.id)
    _run(db, alliance, bad.id)
    heading, teasers = FEATURE.municipality_desk(db, STAFF, BORSDORF)
    assert heading == "Feeds übernehmen: letzter Abruf fehlgeschlagen (1)"
    assert [t.query for t in teasers] == [{"quelle": str(bad.id)}]
    assert "Webseite, kein Feed" in teasers[0].text
    assert FEATURE.municipality_desk(db, OTHER_STAFF, BORSDORF)[1] == []
    service.set_paused(db, STAFF, bad.id, True)
    assert service.failing(db, STAFF, BORSDORF) == []


def test_unreachable_and_missing_feeds(db, alliance, server):
    with pytest.raises(fetch.FetchError, match="Fehler 404"):
        fetch.get(server.url("/gibt-es-nicht"), fetch.networks(LOCAL))
    with pytest.raises(fetch.FetchError, match="nicht erreichbar"):
        fetch.get("http://127.0.0.1:1/feed.xml", fetch.networks(LOCAL))


def _xml_safe(text: str) -> bool:
    return not any(ord(c) < 32 and c not in "\t\n\r" for c in text)


def test_hostile_text_is_stored_literally(db, alliance, server):
    corpus = [text for text in CORPUS if _xml_safe(text)]
    items = [(f"h{n}", f"Titel {text}"[:150], escape(text)) for n, text in enumerate(corpus)]
    source = _source(db, alliance, server, "/boese.xml", body=rss(*items))
    result = _run(db, alliance, source.id)
    assert result.created == len(corpus), result.skipped
    stored = {i.title: i for i in _news(db)}
    for _guid, title, _ in items:  # XML itself reads a line end CR LF as LF
        assert expected_stored(title.replace("\r\n", "\n")) in stored, sorted(stored)
    shown = stored["Titel <script>window.__pwned=1</script>"]
    assert shown.teaser == "<script>window.__pwned=1</script>"
    # control characters are not allowed in XML 1.0: such a feed is refused as a whole
    bad = [text for text in CORPUS if not _xml_safe(text)]
    source = _source(db, alliance, server, "/steuer.xml", body=rss(("s1", bad[0], "x")))
    assert "kein gültiges XML" in _run(db, alliance, source.id).error


def test_an_entry_the_news_rules_refuse_is_left_out_and_named(db, alliance, server):
    feed = rss(("k1", "Ab", "zu kurzer Titel"), ("k2", "Richtig lang", "Gut"))
    source = _source(db, alliance, server, "/kurz.xml", body=feed)
    result = _run(db, alliance, source.id)
    assert (result.created, len(result.skipped)) == (1, 1)
    assert "„Ab“: Der Titel braucht 3 bis 150 Zeichen." in result.skipped[0]
    shown = service.get(db, STAFF, source.id)
    assert shown.last_error.startswith("1 Eintrag nicht übernommen: „Ab“")
    assert service.last_run(shown).endswith("1 neu, 0 geändert, 1 nicht übernommen")


def test_one_transaction_per_source_nothing_half_stored(db, alliance, server, monkeypatch):
    feed = rss(("a", "Erste Meldung", "x"), ("b", "Zweite Meldung", "y"))
    source = _source(db, alliance, server, "/halb.xml", body=feed)
    real = news.save_imported
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("Platte voll")
        return real(*args, **kwargs)

    monkeypatch.setattr(news, "save_imported", failing)
    with pytest.raises(RuntimeError):
        _run(db, alliance, source.id)
    assert _news(db) == []
    assert store.imported(db, source.id) == {}


# --- calendars ------------------------------------------------------------------------------


def test_ical_events_with_a_series_and_a_refused_10000_times_rule(db, alliance, server):
    day = clock.today() + timedelta(days=20)
    start = clock.now().replace(year=day.year, month=day.month, day=day.day, hour=18, minute=0,
                                second=0, microsecond=0, tzinfo=None)  # fmt: skip
    calendar = ics(
        vevent("fest@borsdorf", "Dorffest", start, start + timedelta(hours=4),
               "DESCRIPTION:Mit Musik\r\nURL:https://www.borsdorf.de/fest\r\n"),
        vevent("chor@borsdorf", "Chorprobe", start, start + timedelta(hours=2),
               "RRULE:FREQ=WEEKLY;COUNT=5\r\n"),
        vevent("endlos@borsdorf", "Endlosreihe", start, start + timedelta(hours=1),
               "RRULE:FREQ=DAILY;COUNT=10000\r\n"),
        vevent("markt@borsdorf", "Markttag", day, all_day=True),
        vevent("vorbei@borsdorf", "Vorbei", start - timedelta(days=60),
               start - timedelta(days=60, hours=-1)),
    )  # fmt: skip
    source = _source(db, alliance, server, "/kalender.ics", Kind.EVENTS, calendar,
                     "text/calendar")  # fmt: skip
    result = _run(db, alliance, source.id)
    assert (result.created, len(result.skipped)) == (3, 1), result.skipped
    assert "„Endlosreihe“" in result.skipped[0] and "500" in result.skipped[0]
    found = {e.title: e for e in event_store.latest(db, 50)}
    assert set(found) == {"Dorffest", "Chorprobe", "Markttag"}
    fest = found["Dorffest"]
    assert fest.municipality_ags == BORSDORF and fest.category == "kultur"
    assert fest.venue == "Rathaus" and fest.organiser == alliance.municipality(BORSDORF).name
    assert fest.description == (
        "Mit Musik\n\n*Übernommen von [127.0.0.1](https://www.borsdorf.de/fest)*")  # fmt: skip
    assert events.public(db, fest.id).state.value == "published"
    chor = found["Chorprobe"]
    assert chor.rrule == "FREQ=WEEKLY;COUNT=5" and len(events.dates(db, chor.id)) == 5
    assert found["Markttag"].all_day
    again = _run(db, alliance, source.id)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert len(event_store.latest(db, 50)) == 3


def test_ical_that_is_not_a_calendar(db, alliance, server):
    source = _source(db, alliance, server, "/falsch.ics", Kind.EVENTS, rss(("x", "Xyz", "y")),
                     "text/calendar")  # fmt: skip
    assert "kein iCal-Kalender" in _run(db, alliance, source.id).error
    source = _source(db, alliance, server, "/seite.ics", Kind.EVENTS, HTML, "text/html")
    assert "Webseite, kein Feed" in _run(db, alliance, source.id).error


def test_plain_text_of_html():
    assert (
        parse.plain_text("<p>Eins &amp; zwei</p><p>drei<br>vier</p>") == "Eins & zwei\n\ndrei\nvier"
    )
    assert parse.looks_like_html(b"\n <!doctype html><html>", "application/xml")
    assert not parse.looks_like_html(b"<?xml version='1.0'?><rss/>", "application/rss+xml")


def test_the_mark_keeps_the_link_inside_its_markdown():
    line = service.mark("www.borsdorf.de", "https://www.borsdorf.de/a (b)")
    assert line == "*Übernommen von [www.borsdorf.de](https://www.borsdorf.de/a%20%28b%29)*"


# --- command line ---------------------------------------------------------------------------


def test_cli_run_and_list(db, db_path, alliance):
    service.add_source(
        db, alliance, STAFF, SourceDraft(BORSDORF, Kind.NEWS, "http://127.0.0.1:1/f")
    )
    runner = CliRunner()
    ran = runner.invoke(root_cli.command_tree(), ["feed-import", "run"])
    assert ran.exit_code == 0, ran.output
    assert "Fehler: „127.0.0.1“ zeigt auf eine interne Adresse" in ran.output
    assert "1 Quellen abgerufen, 1 mit Fehler." in ran.output
    listed = runner.invoke(root_cli.command_tree(), ["feed-import", "list"])
    assert "http://127.0.0.1:1/f" in listed.output and "fehlgeschlagen" in listed.output


# --- the services of the news and events slices used by the import --------------------------


def test_news_save_imported_publishes_for_the_member_and_updates(db, alliance):
    made = news.save_imported(db, alliance, audit.SYSTEM, Draft("Titel", "Vorspann", "", BORSDORF))
    item = news_store.get(db, made)
    assert (item.state.value, item.by_office, item.author_id, item.municipality_ags) == (
        "published", False, None, BORSDORF)  # fmt: skip
    assert news.save_imported(db, alliance, audit.SYSTEM,
                              Draft("Neuer Titel", "", "Text", BORSDORF), made) == made  # fmt: skip
    assert news_store.get(db, made).title == "Neuer Titel"
    with pytest.raises(news.NewsError):
        news.save_imported(db, alliance, audit.SYSTEM, Draft("Titel", "x", "", None))
    with pytest.raises(news.NewsError):
        news.save_imported(db, alliance, audit.SYSTEM, Draft("T", "x", "", BORSDORF))
    actions = [r[0] for r in db.execute("SELECT action FROM audit WHERE entity = 'news'")]
    assert actions == ["news.create", "news.update"]


def test_events_save_imported_applies_the_events_rules(db, alliance):
    areas = municipalities.areas(db)
    day = clock.today() + timedelta(days=10)
    draft = events.EventDraft("Konzert", "kultur", BORSDORF, day, "19:00", "21:00",
                              venue="Kirche", organiser="Kantorei")  # fmt: skip
    made = events.save_imported(db, alliance, areas, audit.SYSTEM, draft)
    event = events.public(db, made)
    assert (event.source, event.municipality_ags, event.created_by) == (
        "municipality", BORSDORF, "system")  # fmt: skip
    events.save_imported(db, alliance, areas, audit.SYSTEM,
                         events.EventDraft("Konzert", "kultur", BORSDORF, day, "20:00", "22:00",
                                           venue="Kirche", organiser="Kantorei"), made)  # fmt: skip
    assert len(events.dates(db, made)) == 1
    assert events.when(*events.dates(db, made)[0], False).endswith("20:00–22:00 Uhr")
    endless = events.EventDraft("Reihe", "kultur", BORSDORF, day, "19:00", "20:00", venue="K",
                                organiser="K", rrule="FREQ=DAILY;COUNT=10000")  # fmt: skip
    with pytest.raises(events.EventError):
        events.save_imported(db, alliance, areas, audit.SYSTEM, endless)
    with pytest.raises(events.EventError):  # an import always belongs to a member
        events.save_imported(db, alliance, areas, audit.SYSTEM,
                             events.EventDraft("Fest", "kultur", None, day, "19:00", "20:00",
                                               venue="K", organiser="K"))  # fmt: skip
