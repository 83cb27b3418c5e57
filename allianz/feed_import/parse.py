"""Reading a fetched feed into entries: RSS 2.0 and Atom with feedparser after the XML was
checked with defusedxml (a DTD with entities — XXE, billion laughs — is refused before any
parser expands it), iCalendar with icalendar (VEVENTs with their RRULE and EXDATE kept; the
events slice bounds the series when the entry is saved). An HTML page instead of a feed is
refused with a German message. Text is taken as text: markup in a summary is removed, what
remains is stored as it came and escaped wherever it is shown."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser

import feedparser
import icalendar
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeTree

from allianz.errors import ValidationError
from allianz.feed_import.model import MAX_ENTRIES
from allianz.formatting import BERLIN


class FeedError(ValidationError):
    """The answer is no feed we can take over; German message, nothing is stored."""


@dataclass(frozen=True)
class NewsEntry:
    guid: str
    title: str
    summary: str  # plain text
    content: str  # plain text, may be empty
    link: str  # http(s) or empty


@dataclass(frozen=True)
class EventEntry:
    uid: str
    title: str
    description: str
    location: str
    organiser: str
    link: str
    start: datetime | date
    end: datetime | date | None
    rrule: str
    exdates: tuple[date, ...] = field(default_factory=tuple)


_HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)\b", re.I | re.S
)
NOT_A_FEED = (
    "Unter dieser Adresse steht eine Webseite, kein Feed. Bitte die Adresse des RSS-, Atom- "
    "oder iCal-Feeds eintragen (oft verlinkt mit „RSS“, „Abonnieren“ oder „Kalender "
    "exportieren“)."
)


def looks_like_html(body: bytes, content_type: str) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf")
    return "text/html" in content_type or bool(_HTML_START.match(head))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "table"):
            self.parts.append("\n\n")
        elif tag in ("br", "li", "tr"):
            self.parts.append("\n")


def plain_text(markup: str) -> str:
    """The text of an HTML fragment (tags dropped, entities resolved, blank lines squeezed)."""
    reader = _Text()
    reader.feed(markup or "")
    reader.close()
    text = "".join(reader.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _text(value: str, detail) -> str:
    """Text as the feed gave it; HTML (a summary, an RSS description) as its plain text."""
    if detail is not None and "html" in str(detail.get("type", "")):
        return plain_text(value)
    return (value or "").strip()


def _http(link: str | None) -> str:
    link = (link or "").strip()
    return link if link.lower().startswith(("http://", "https://")) else ""


def check_xml(body: bytes) -> None:
    """defusedxml refuses entity declarations and external references before expanding any."""
    try:
        SafeTree.fromstring(body)
    except DefusedXmlException as exc:
        raise FeedError(
            "Der Feed enthält Entity-Definitionen oder Verweise auf externe Dateien (DTD). Das "
            "ist ein bekanntes Angriffsmuster (XXE, „Billion Laughs“); der Feed wurde aus "
            "Sicherheitsgründen abgelehnt und nichts übernommen."
        ) from exc
    except SafeTree.ParseError as exc:
        raise FeedError("Der Feed ist kein gültiges XML und kann nicht gelesen werden.") from exc


def news_entries(body: bytes, content_type: str = "") -> list[NewsEntry]:
    if looks_like_html(body, content_type):
        raise FeedError(NOT_A_FEED)
    check_xml(body)
    parsed = feedparser.parse(body, sanitize_html=True, resolve_relative_uris=False)
    if parsed.version == "" or not parsed.version.startswith(("rss", "atom")):
        raise FeedError(
            "Das ist kein RSS- oder Atom-Feed. Für Termine bitte die Art „Veranstaltungen "
            "(iCal)“ wählen."
        )
    found = []
    for entry in parsed.entries[:MAX_ENTRIES]:
        title = _text(entry.get("title", ""), entry.get("title_detail"))
        summary = _text(entry.get("summary", ""), entry.get("summary_detail"))
        contents = entry.get("content") or []
        content = _text(contents[0].get("value", ""), contents[0]) if contents else ""
        link = _http(entry.get("link"))
        guid = (entry.get("id") or link or title).strip()
        if not guid:
            continue
        found.append(NewsEntry(guid[:500], title, summary, "" if content == summary else content,
                               link))  # fmt: skip
    return found


def _moment(value) -> datetime | date:
    """An aware Berlin datetime, or a date for an all-day value."""
    if isinstance(value, datetime):
        if value.tzinfo is None:  # floating time: the local time of the place
            return value.replace(tzinfo=BERLIN)
        return value.astimezone(BERLIN)
    if isinstance(value, date):
        return value
    raise FeedError("Ein Termin im Kalender hat kein lesbares Datum.")


def event_entries(body: bytes, content_type: str = "") -> list[EventEntry]:
    if looks_like_html(body, content_type):
        raise FeedError(NOT_A_FEED)
    if not body.lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCALENDAR"):
        raise FeedError(
            "Das ist kein iCal-Kalender (er beginnt nicht mit BEGIN:VCALENDAR). Für Meldungen "
            "bitte die Art „Neuigkeiten (RSS oder Atom)“ wählen."
        )
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except ValueError as exc:
        raise FeedError("Der Kalender ist fehlerhaft und kann nicht gelesen werden.") from exc
    found = []
    for component in calendar.walk("VEVENT")[:MAX_ENTRIES]:
        uid = str(component.get("UID", "")).strip()
        if not uid or component.get("RECURRENCE-ID") is not None:
            continue  # without a UID nothing can be matched; changed single dates of a series
        try:
            start = _moment(component.decoded("DTSTART"))
            if component.get("DTEND") is not None:
                end = _moment(component.decoded("DTEND"))
            elif component.get("DURATION") is not None:
                end = start + component.decoded("DURATION")
            else:
                end = None
        except (KeyError, ValueError) as exc:
            raise FeedError(
                f"Der Termin „{str(component.get('SUMMARY', uid))[:80]}“ hat kein lesbares "
                "Datum; der Kalender wurde nicht übernommen."
            ) from exc
        rule = component.get("RRULE")
        rrule = rule.to_ical().decode() if rule is not None else ""
        exdates: list[date] = []
        listed = component.get("EXDATE")
        for group in listed if isinstance(listed, list) else [listed] if listed else []:
            for value in group.dts:
                moment = _moment(value.dt)
                exdates.append(moment.date() if isinstance(moment, datetime) else moment)
        organiser = component.get("ORGANIZER")
        found.append(
            EventEntry(
                uid=uid[:500],
                title=str(component.get("SUMMARY", "")).strip(),
                description=str(component.get("DESCRIPTION", "")).strip(),
                location=str(component.get("LOCATION", "")).strip(),
                organiser=str(organiser.params.get("CN", "")).strip() if organiser else "",
                link=_http(str(component.get("URL", ""))),
                start=start,
                end=end,
                rrule=rrule,
                exdates=tuple(sorted(set(exdates))),
            )
        )
    return found


def all_day(entry: EventEntry) -> bool:
    return not isinstance(entry.start, datetime)


def span(entry: EventEntry) -> tuple[datetime | date, datetime | date]:
    """Start and end; without an end a timed date lasts an hour, an all-day one its day."""
    if entry.end is not None and type(entry.end) is type(entry.start):
        return entry.start, entry.end
    if isinstance(entry.start, datetime):
        return entry.start, entry.start + timedelta(hours=1)
    return entry.start, entry.start + timedelta(days=1)


def local_time(moment: datetime) -> time:
    return moment.astimezone(BERLIN).time().replace(second=0, microsecond=0)
