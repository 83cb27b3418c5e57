"""German numbers (1.234,5), dates (04.12.2026) and times (Europe/Berlin) for the UI, in one
place."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def de_int(value: float) -> str:
    return f"{round(value):,}".replace(",", ".")


def de_float(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def de_value(value) -> str:
    """A table cell: whole numbers without decimals, others with two (one from 100 on)."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return de_int(value)
    return de_float(value, 2 if abs(value) < 100 else 1)


def count_of(n: int, singular: str, plural: str) -> str:
    """1 Fläche, 2 Flächen, 1.234 Flächen."""
    return f"{de_int(n)} {singular if n == 1 else plural}"


def de_date(iso: str | None) -> str:
    """An ISO date (2026-12-04, or a timestamp starting with one) as 04.12.2026."""
    if not iso:
        return "–"
    year, month, day = iso[:10].split("-")
    return f"{day}.{month}.{year}"


def de_datetime(iso: str | None) -> str:
    """A stored UTC timestamp (ISO 8601) as local time in Germany: 04.12.2026 23:41."""
    if not iso:
        return "–"
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")
