"""Recurring events: the RFC 5545 RRULE built from the German form, its bounded expansion
(python-dateutil) with exceptions, and a German description of a rule.

A series is bounded: at most MAX_OCCURRENCES dates and at most MAX_YEARS from its first date.
The expansion itself never runs unbounded, whatever the rule says: the rule is expanded with
an UNTIL no later than the bound and stopped one past the maximum count, so a rule asking for
10.000 dates (or one that never matches) is refused without being expanded.

Times: a timed series recurs at the same wall-clock time in Europe/Berlin (18:00 stays 18:00
across the change to summer time); an all-day series recurs on dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from allianz import typed_dates
from allianz.errors import ValidationError
from allianz.events.model import (
    END_KINDS,
    FREQUENCIES,
    MAX_OCCURRENCES,
    MAX_YEARS,
    WEEKDAY_CODES,
    WEEKDAYS,
)
from allianz.formatting import BERLIN, de_date, de_int

RULE_MAX = 300
_ALLOWED_KEYS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST"}
_ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_UNTIL = re.compile(r"^(\d{8})(?:T(\d{6})(Z?))?$")
_DAY_CODE = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
INTERVAL_MAX = 12


class RuleError(ValidationError):
    """A recurrence the app does not accept; German message."""


@dataclass
class Recurrence:
    """What the German form asks: how often, on which weekdays, until when."""

    frequency: str = "none"
    interval: int | str = 1
    weekdays: tuple[int, ...] = field(default_factory=tuple)  # 0 = Montag
    end_kind: str = "count"
    count: int | str = 10
    until: date | str | None = None


def build_rule(rec: Recurrence, start: date, all_day: bool, errors: list[str]) -> str:
    """The RRULE value for the form's choice (empty for a single date); problems are added to
    `errors` in German."""
    if rec.frequency not in FREQUENCIES:
        errors.append("Bitte wählen, wie oft die Veranstaltung stattfindet.")
        return ""
    if rec.frequency == "none":
        return ""
    try:
        interval = int(str(rec.interval).strip() or "1")
    except ValueError:
        interval = 0
    if not 1 <= interval <= INTERVAL_MAX:
        errors.append(f"Der Abstand der Wiederholung muss 1 bis {INTERVAL_MAX} sein.")
        return ""
    parts: list[str] = []
    if rec.frequency == "daily":
        parts = ["FREQ=DAILY"]
    elif rec.frequency == "weekly":
        days = sorted(set(rec.weekdays or ()))
        if not days or any(d not in range(7) for d in days):
            errors.append("Bitte mindestens einen Wochentag für die Wiederholung wählen.")
            return ""
        parts = ["FREQ=WEEKLY", "BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in days)]
    elif rec.frequency == "monthly":
        parts = ["FREQ=MONTHLY", f"BYMONTHDAY={start.day}"]
    else:  # monthly_weekday: the n-th weekday of the month, the 5th as "the last"
        nth = (start.day - 1) // 7 + 1
        parts = ["FREQ=MONTHLY", f"BYDAY={-1 if nth == 5 else nth}{WEEKDAY_CODES[start.weekday()]}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if rec.end_kind not in END_KINDS:
        errors.append("Bitte wählen, wann die Wiederholung endet.")
        return ""
    if rec.end_kind == "count":
        try:
            count = int(str(rec.count).strip())
        except ValueError:
            count = 0
        if count < 2:
            errors.append("Die Anzahl der Termine muss eine ganze Zahl ab 2 sein.")
            return ""
        if count > MAX_OCCURRENCES:
            errors.append(_too_many())
            return ""
        parts.append(f"COUNT={count}")
    else:
        until = typed_dates.day(rec.until, errors, "Ende der Wiederholung")
        if until is None:
            return ""
        if until <= start:
            errors.append("Das Ende der Wiederholung muss nach dem ersten Termin liegen.")
            return ""
        parts.append(f"UNTIL={_until_value(until, all_day)}")
    return ";".join(parts)


def _until_value(until: date, all_day: bool) -> str:
    """UNTIL as RFC 5545 wants it: a DATE for all-day series, else the end of that local day
    in UTC (a DTSTART with TZID needs a UTC UNTIL)."""
    if all_day:
        return until.strftime("%Y%m%d")
    end = datetime.combine(until, time(23, 59, 59), BERLIN).astimezone(UTC)
    return end.strftime("%Y%m%dT%H%M%SZ")


def _too_many() -> str:
    return (
        f"Eine Terminreihe darf höchstens {de_int(MAX_OCCURRENCES)} Termine haben. Bitte die "
        "Reihe kürzer fassen oder in mehrere Reihen teilen."
    )


def _too_long() -> str:
    return (
        f"Eine Terminreihe darf höchstens {MAX_YEARS} Jahre nach dem ersten Termin laufen. "
        "Bitte ein früheres Ende wählen."
    )


def parts_of(rule: str) -> dict[str, str]:
    """The rule's KEY=VALUE parts, checked for what this app accepts."""
    text = rule.strip().upper()
    if text.startswith("RRULE:"):
        text = text[6:]
    if not text or len(text) > RULE_MAX or any(c.isspace() for c in text):
        raise RuleError("Die Wiederholungsregel ist ungültig.")
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        key, sep, value = piece.partition("=")
        if not sep or not value or key in parts:
            raise RuleError("Die Wiederholungsregel ist ungültig.")
        if key not in _ALLOWED_KEYS:
            raise RuleError(
                f"Die Wiederholungsregel enthält „{key[:20]}“; das wird nicht unterstützt."
            )
        parts[key] = value
    if parts.get("FREQ") not in _ALLOWED_FREQ:
        raise RuleError("Wiederholen lässt sich täglich, wöchentlich, monatlich oder jährlich.")
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleError(
            "Eine Wiederholung endet nach einer Anzahl oder an einem Datum, nicht beidem."
        )
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise RuleError("Eine Wiederholung braucht ein Ende: eine Anzahl Termine oder ein Datum.")
    if "COUNT" in parts:
        if not parts["COUNT"].isdigit() or int(parts["COUNT"]) < 1:
            raise RuleError("Die Anzahl der Termine ist ungültig.")
        if int(parts["COUNT"]) > MAX_OCCURRENCES:
            raise RuleError(_too_many())
    if "UNTIL" in parts and not _UNTIL.match(parts["UNTIL"]):
        raise RuleError("Das Ende der Wiederholung ist kein gültiges Datum.")
    if "INTERVAL" in parts and not (
        parts["INTERVAL"].isdigit() and 1 <= int(parts["INTERVAL"]) <= 99
    ):
        raise RuleError("Der Abstand der Wiederholung ist ungültig.")
    _check_by_parts(parts)
    return parts


# Which BY… parts each frequency may carry: only those that match at least once in every
# few years, so the expansion never searches on for a date that does not exist (the library
# checks UNTIL only on dates it finds).
_BY_PARTS = {
    "DAILY": set(),
    "WEEKLY": {"BYDAY"},
    "MONTHLY": {"BYDAY", "BYMONTHDAY"},
    "YEARLY": {"BYMONTH", "BYMONTHDAY"},
}
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _numbers(value: str, low: int, high: int, label: str) -> list[int]:
    try:
        numbers = [int(v) for v in value.split(",")]
    except ValueError:
        numbers = []
    if not numbers or not all(low <= abs(n) <= high for n in numbers):
        raise RuleError(f"{label} der Wiederholung sind ungültig.")
    return numbers


def _check_by_parts(parts: dict[str, str]) -> None:
    freq = parts["FREQ"]
    extra = {k for k in parts if k.startswith("BY")} - _BY_PARTS[freq]
    if extra:
        raise RuleError(
            f"„{sorted(extra)[0]}“ passt nicht zu dieser Wiederholung; das wird nicht unterstützt."
        )
    for code in parts["BYDAY"].split(",") if "BYDAY" in parts else ():
        found = _DAY_CODE.match(code)
        if not found or (
            found.group(1) and (freq != "MONTHLY" or not 1 <= abs(int(found.group(1))) <= 5)
        ):
            raise RuleError("Die Wochentage der Wiederholung sind ungültig.")
    days = _numbers(parts["BYMONTHDAY"], 1, 31, "Die Monatstage") if "BYMONTHDAY" in parts else []
    months = _numbers(parts["BYMONTH"], 1, 12, "Die Monate") if "BYMONTH" in parts else []
    if (
        months
        and days
        and not any(abs(d) <= _MONTH_DAYS[m - 1] for m in months if m > 0 for d in days)
    ):
        raise RuleError("Nach dieser Regel gibt es keinen einzigen Termin.")


def _until_moment(value: str, all_day: bool) -> datetime:
    """UNTIL as a moment comparable with the series' dates (aware for timed series)."""
    day, clock, zulu = _UNTIL.match(value).groups()
    moment = datetime.strptime(day + (clock or "235959"), "%Y%m%d%H%M%S")
    if all_day:
        return moment
    return moment.replace(tzinfo=UTC) if zulu or not clock else moment.replace(tzinfo=BERLIN)


def expand(
    rule: str, start: datetime, all_day: bool, exdates: Iterable[date] = ()
) -> list[datetime]:
    """Every start of the series, in order, without the exceptions. `start` is aware in
    Europe/Berlin for timed series, a naive midnight for all-day ones. Raises RuleError for a
    rule beyond the bound, an exception that is no date of the series, or no date left."""
    if not rule:
        found = [start]
    else:
        parts = parts_of(rule)
        limit = start + relativedelta(years=MAX_YEARS)
        if "UNTIL" in parts and _until_moment(parts["UNTIL"], all_day) > limit:
            raise RuleError(_too_long())
        bounded = {k: v for k, v in parts.items() if k not in ("COUNT", "UNTIL")}
        stop = _until_moment(parts["UNTIL"], all_day) if "UNTIL" in parts else limit
        bounded["UNTIL"] = (
            stop.strftime("%Y%m%dT%H%M%S")
            if all_day
            else stop.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        )
        try:
            series = rrulestr(";".join(f"{k}={v}" for k, v in bounded.items()), dtstart=start)
        except (ValueError, TypeError) as exc:
            raise RuleError("Die Wiederholungsregel ist ungültig.") from exc
        wanted = int(parts["COUNT"]) if "COUNT" in parts else MAX_OCCURRENCES + 1
        found = []
        for moment in series:
            found.append(moment)
            if len(found) > MAX_OCCURRENCES:
                raise RuleError(_too_many())
            if len(found) >= wanted:
                break
        if not found:
            raise RuleError("Nach dieser Regel gibt es keinen einzigen Termin.")
        if "COUNT" in parts and len(found) < wanted:
            raise RuleError(_too_long())
    days = {m.date() for m in found}
    skipped = set(exdates)
    strangers = sorted(skipped - days)
    if strangers:
        listed = ", ".join(de_date(d.isoformat()) for d in strangers[:5])
        raise RuleError(f"Keine Termine der Reihe, also keine Ausnahmen: {listed}.")
    kept = [m for m in found if m.date() not in skipped]
    if not kept:
        raise RuleError("Die Ausnahmen lassen keinen Termin übrig.")
    return kept


def parse_exceptions(text: str, errors: list[str]) -> tuple[date, ...]:
    """ "24.12.2026, 31.12.2026" (commas, semicolons, spaces or lines) as dates."""
    found: list[date] = []
    for piece in re.split(r"[,;\s]+", text or ""):
        if piece:
            day = typed_dates.day(piece, errors, "Ausnahme")
            if day is not None:
                found.append(day)
    if len(found) > MAX_OCCURRENCES:
        errors.append("Zu viele Ausnahmen.")
    return tuple(sorted(set(found)))


def describe(rule: str) -> str:
    """A rule in German: "wöchentlich am Montag und Mittwoch, 10 Termine"."""
    if not rule:
        return "einmalig"
    try:
        parts = parts_of(rule)
    except RuleError:
        return "wiederkehrend"
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts["FREQ"]
    base = {
        "DAILY": ("täglich", "alle {n} Tage"),
        "WEEKLY": ("wöchentlich", "alle {n} Wochen"),
        "MONTHLY": ("monatlich", "alle {n} Monate"),
        "YEARLY": ("jährlich", "alle {n} Jahre"),
    }[freq]
    text = base[0] if interval == 1 else base[1].format(n=interval)
    if "BYDAY" in parts:
        names = []
        for code in parts["BYDAY"].split(","):
            nth, day = _DAY_CODE.match(code).groups()
            name = WEEKDAYS[WEEKDAY_CODES.index(day)]
            if nth:
                number = int(nth)
                name = f"{'letzten' if number == -1 else f'{number}.'} {name}"
            names.append(name)
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]
        text += f" am {joined}"
    elif "BYMONTHDAY" in parts:
        text += f" am {parts['BYMONTHDAY']}."
    if "COUNT" in parts:
        text += f", {de_int(int(parts['COUNT']))} Termine"
    else:
        day = parts["UNTIL"][:8]
        text += f" bis {day[6:8]}.{day[4:6]}.{day[:4]}"
    return text


def exdate_list(days: Iterable[date]) -> list[str]:
    return [d.isoformat() for d in sorted(set(days))]


def form_of(rule: str) -> Recurrence:
    """The form's choice for a stored rule (to change an event); a rule the form cannot say
    (yearly, several monthly days) comes back as "einmalig" with the rule kept by the caller."""
    if not rule:
        return Recurrence()
    parts = parts_of(rule)
    days = parts.get("BYDAY", "")
    if parts["FREQ"] == "DAILY" and not days:
        frequency = "daily"
    elif parts["FREQ"] == "WEEKLY" and days and all(d in WEEKDAY_CODES for d in days.split(",")):
        frequency = "weekly"
    elif parts["FREQ"] == "MONTHLY" and "BYMONTHDAY" in parts and not days:
        frequency = "monthly"
    elif parts["FREQ"] == "MONTHLY" and days and "," not in days and days[-2:] != days:
        frequency = "monthly_weekday"
    else:
        return Recurrence()
    weekdays = (
        tuple(WEEKDAY_CODES.index(d) for d in days.split(",")) if frequency == "weekly" else ()
    )
    if "COUNT" in parts:
        return Recurrence(frequency, int(parts.get("INTERVAL", "1")), weekdays, "count",
                          int(parts["COUNT"]))  # fmt: skip
    until = datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
    if not parts["UNTIL"].endswith("Z") or "T" not in parts["UNTIL"]:
        shown = until
    else:
        shown = _until_moment(parts["UNTIL"], False).astimezone(BERLIN).date()
    return Recurrence(frequency, int(parts.get("INTERVAL", "1")), weekdays, "until", 10, shown)
