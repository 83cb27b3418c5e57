"""Opening hours in the OpenStreetMap `opening_hours` syntax: checked, evaluated against a
clock in Europe/Berlin with German public holidays (`PH`), and shown in German.

The parser's calendar knows the holidays of all of Germany only; a state's own (Sachsen:
Reformationstag and Buß- und Bettag) are added at evaluation: every rule that selects `PH` is
followed by the same rule for the state's dates around the time asked (`state=`, the
alliance's state). The stored text stays as written.

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
from dateutil.easter import easter

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


def _fixed(month: int, day: int):
    return lambda year: date(year, month, day)


def _repentance_day(year: int) -> date:
    """Buß- und Bettag: the Wednesday before 23 November."""
    return date(year, 11, 22) - timedelta(days=(date(year, 11, 22).weekday() - 2) % 7)


_EPIPHANY, _WOMEN, _CHILDREN = _fixed(1, 6), _fixed(3, 8), _fixed(9, 20)
_ASSUMPTION, _REFORMATION, _ALL_SAINTS = _fixed(8, 15), _fixed(10, 31), _fixed(11, 1)


def _corpus_christi(year: int) -> date:
    return easter(year) + timedelta(days=60)


# public holidays of one state only (on workdays; the Sunday ones change nothing here)
STATE_HOLIDAYS = {
    "Baden-Württemberg": (_EPIPHANY, _corpus_christi, _ALL_SAINTS),
    "Bayern": (_EPIPHANY, _corpus_christi, _ALL_SAINTS),
    "Berlin": (_WOMEN,),
    "Brandenburg": (_REFORMATION,),
    "Bremen": (_REFORMATION,),
    "Hamburg": (_REFORMATION,),
    "Hessen": (_corpus_christi,),
    "Mecklenburg-Vorpommern": (_WOMEN, _REFORMATION),
    "Niedersachsen": (_REFORMATION,),
    "Nordrhein-Westfalen": (_corpus_christi, _ALL_SAINTS),
    "Rheinland-Pfalz": (_corpus_christi, _ALL_SAINTS),
    "Saarland": (_corpus_christi, _ASSUMPTION, _ALL_SAINTS),
    "Sachsen": (_REFORMATION, _repentance_day),
    "Sachsen-Anhalt": (_EPIPHANY, _REFORMATION),
    "Schleswig-Holstein": (_REFORMATION,),
    "Thüringen": (_CHILDREN, _REFORMATION),
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = r"[A-Za-z]{2}(?:-[A-Za-z]{2})?"  # Mo or Mo-Fr
_PH_RULE = re.compile(rf"^(?:{_DAYS},)*PH(?:,{_DAYS})*\s+(.+)$")  # "PH off", "Sa,PH 10:00-12:00"


def with_state_holidays(osm: str, state: str | None, around: date) -> str:
    """The rule with each `PH` rule repeated for the state's own holidays of the years around
    `around` (the one before to the one after)."""
    makers = STATE_HOLIDAYS.get(state or "", ())
    if not makers or "PH" not in osm:
        return osm
    days = sorted(make(y) for y in range(around.year - 1, around.year + 2) for make in makers)
    dates = ",".join(f"{d.year} {_MONTHS[d.month - 1]} {d.day:02d}" for d in days)
    parts = []
    for part in osm.split(";"):
        parts.append(part)
        if found := _PH_RULE.match(part.strip()):
            parts.append(f" {dates} {found.group(1)}")
    return ";".join(parts)


def _parse(
    text: str, state: str | None = None, around: date | None = None
) -> opening_hours.OpeningHours:
    try:
        osm = _osm(text)
        if state and around:
            osm = with_state_holidays(osm, state, around)
        return opening_hours.OpeningHours(osm, timezone=BERLIN, country="DE")
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


def status(text: str, now: datetime, state: str | None = None) -> Status:
    """The state at `now` in German (with the holidays of `state`); unknown for an empty or
    unreadable text (never raises: stored texts were checked, but the parser's holiday
    calendar may change)."""
    if not text.strip():
        return Status(None, "Öffnungszeiten nicht angegeben")
    try:
        at = _berlin(now)
        parsed = _parse(text, state, at.date())
        state = parsed.state(at)[0]
        change = parsed.next_change(at)
    except (OpeningHoursError, ValueError, OverflowError):
        return Status(None, "Öffnungszeiten nicht lesbar")
    if state == opening_hours.State.OPEN:
        return Status(True, "jetzt geöffnet" + (f" (bis {_when(change, now)})" if change else ""))
    if state == opening_hours.State.CLOSED:
        return Status(False, "geschlossen" + (f" (öffnet {_when(change, now)})" if change else ""))
    return Status(None, "Öffnungszeiten unbestimmt")


def week(text: str, start: date, state: str | None = None) -> list[tuple[str, str]]:
    """(weekday with date, German hours) for the seven days from `start`: "Dienstag, 01.12.",
    "08:00–12:00 und 14:00–18:00 Uhr" or "geschlossen" (holidays of `state` included)."""
    parsed = _parse(text, state, start)
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
