"""Opening hours in the OpenStreetMap `opening_hours` syntax: checked, evaluated against a
clock in Europe/Berlin with German public holidays (`PH`), and shown in German.

The evaluation is the maintained `opening-hours-py` parser (the Rust `opening-hours` crate);
this module adds what people here type besides OSM's English weekdays (Di, Mi, Do, So and
"Feiertag"), German error messages, and the German presentation: the state now ("jetzt
geöffnet") and one line per weekday of the coming week.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import opening_hours

from allianz.errors import ValidationError
from allianz.formatting import BERLIN

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
SHORT_DAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
# German weekday abbreviations and words, translated to OSM before parsing. OSM itself has no
# token "Di", "Mi", "Do" or "So", so the translation cannot change a valid OSM expression.
_GERMAN = {
    "Di": "Tu",
    "Mi": "We",
    "Do": "Th",
    "So": "Su",
    "Feiertag": "PH",
    "Feiertage": "PH",
    "geschlossen": "off",
}
_GERMAN_WORDS = re.compile(r"(?<![\w\"])(" + "|".join(_GERMAN) + r")(?![\w\"])")
_EXAMPLE = "Mo-Fr 08:00-12:00; Di 14:00-18:00; PH off"


class OpeningHoursError(ValidationError):
    """An opening-hours text the parser refuses; the message is German."""


def _osm(text: str) -> str:
    return _GERMAN_WORDS.sub(lambda m: _GERMAN[m.group(1)], text.strip())


def _parse(text: str) -> opening_hours.OpeningHours:
    try:
        return opening_hours.OpeningHours(_osm(text), timezone=BERLIN, country="DE")
    except (opening_hours.ParserError, SyntaxError, ValueError) as exc:
        raise OpeningHoursError(
            "Die Öffnungszeiten sind nicht im OpenStreetMap-Format lesbar. "
            f"Beispiel: {_EXAMPLE} (Wochentage Mo, Di, Mi, Do, Fr, Sa, So; Zeiten "
            "hh:mm-hh:mm; Regeln mit Semikolon trennen; PH = Feiertag)."
        ) from exc


def normalise(text: str) -> str:
    """The text in OSM syntax as stored (empty stays empty); OpeningHoursError if unreadable."""
    if not text.strip():
        return ""
    return str(_parse(text))


def _berlin(at: datetime) -> datetime:
    # the parser wants a zoneinfo-aware time (or a naive local one)
    return at.astimezone(BERLIN)


@dataclass(frozen=True)
class Status:
    is_open: bool | None  # None: unknown (no hours, or the rule says "unknown")
    text: str  # "jetzt geöffnet (bis 12:00 Uhr)", "geschlossen (öffnet Di 14:00 Uhr)"


def _when(moment: datetime, now: datetime) -> str:
    local = moment.astimezone(BERLIN)
    clock = f"{local:%H:%M} Uhr"
    today = now.astimezone(BERLIN).date()
    if local.date() == today:
        return clock
    if local.date() == today + timedelta(days=1):
        return f"morgen {clock}"
    if local.date() - today < timedelta(days=7):
        return f"{SHORT_DAYS[local.weekday()]} {clock}"
    return f"{local:%d.%m.%Y} {clock}"


def status(text: str, now: datetime) -> Status:
    """The state at `now` in German; unknown for an empty or unreadable text (never raises:
    stored texts were checked, but the parser's holiday calendar may change)."""
    if not text.strip():
        return Status(None, "Öffnungszeiten nicht angegeben")
    try:
        parsed = _parse(text)
        at = _berlin(now)
        state = parsed.state(at)[0]
        change = parsed.next_change(at)
    except (OpeningHoursError, ValueError, OverflowError):
        return Status(None, "Öffnungszeiten nicht lesbar")
    if state == opening_hours.State.OPEN:
        return Status(True, "jetzt geöffnet" + (f" (bis {_when(change, now)})" if change else ""))
    if state == opening_hours.State.CLOSED:
        return Status(False, "geschlossen" + (f" (öffnet {_when(change, now)})" if change else ""))
    return Status(None, "Öffnungszeiten unbestimmt")


def week(text: str, start: date) -> list[tuple[str, str]]:
    """(weekday with date, German hours) for the seven days from `start`: "Dienstag, 01.12.",
    "08:00–12:00 und 14:00–18:00 Uhr" or "geschlossen" (holidays included)."""
    parsed = _parse(text)
    out = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        begin = datetime.combine(day, time.min, BERLIN)
        end = begin + timedelta(days=1)
        spans = []
        for opened, closed, state, _comment in parsed.intervals(begin, end):
            if state != opening_hours.State.OPEN:
                continue
            a, b = max(opened, begin).astimezone(BERLIN), min(closed, end).astimezone(BERLIN)
            until = "24:00" if b >= end else f"{b:%H:%M}"
            spans.append(f"{a:%H:%M}–{until}")
        label = f"{WEEKDAYS[day.weekday()]}, {day:%d.%m.}"
        out.append((label, " und ".join(spans) + " Uhr" if spans else "geschlossen"))
    return out


def holidays_closed(text: str) -> bool:
    """Whether the rule closes on public holidays (shown as a note under the week)."""
    return bool(re.search(r"\bPH\s+(off|closed)\b", normalise(text))) if text.strip() else False


_BACK = {"Tu": "Di", "We": "Mi", "Th": "Do", "Su": "So", "PH": "Feiertag", "off": "geschlossen",
         "closed": "geschlossen", "open": "geöffnet"}  # fmt: skip
_BACK_WORDS = re.compile(r"(?<![\w\"])(" + "|".join(_BACK) + r")(?![\w\"])")


def german(text: str) -> str:
    """The stored rule with German weekdays: "Mo-Fr 08:00-12:00; Di 14:00-18:00; Feiertag
    geschlossen" (a compact form for lists and contacts)."""
    return _BACK_WORDS.sub(lambda m: _BACK[m.group(1)], text)
