"""German numbers (1.234,5), dates (04.12.2026) and times (Europe/Berlin) for the UI, in one
place."""

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from allianz.exports import neutralise

BERLIN = ZoneInfo("Europe/Berlin")


def de_int(value: float) -> str:
    return f"{round(value):,}".replace(",", ".")


def de_float(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def de_number(value: float, digits: int = 2) -> str:
    """Up to `digits` decimals, trailing zeros dropped: 1.234,5 · 0,25 · 3 (chart labels)."""
    text = de_float(value, digits)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return "0" if text == "-0" else text


def de_value(value) -> str:
    """A table cell: whole numbers without decimals, others with two (one from 100 on)."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return de_int(value)
    return de_float(value, 2 if abs(value) < 100 else 1)


def _nothing(value) -> bool:
    """None, NaN, NaT and pandas' NA."""
    return (
        value is None
        or (isinstance(value, float | datetime) and value != value)
        or type(value).__name__ == "NAType"
    )


def _plain(value):
    """numpy scalars from pandas as Python values; every kind of nothing as None."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    return None if _nothing(value) else value


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("ja" if value else "nein")


def de_cell(value) -> str:
    """A table cell on a page: empty for nothing (never "None"), "ja"/"nein", numbers as
    `de_value` (1.234,5), dates as 04.12.2026, times in Europe/Berlin, text as it is."""
    value = _plain(value)
    if value is None or isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime):  # pandas' Timestamp too; naive ones are UTC as stored
        return de_datetime(value.isoformat(), empty="")
    if isinstance(value, date):
        return de_date(value.isoformat(), empty="")
    return de_value(value)


def count_of(n: int, singular: str, plural: str) -> str:
    """1 Fläche, 2 Flächen, 1.234 Flächen."""
    return f"{de_int(n)} {singular if n == 1 else plural}"


def de_date(iso: str | None, empty: str = "–") -> str:
    """An ISO date (2026-12-04, or a timestamp starting with one) as 04.12.2026."""
    if not iso:
        return empty
    year, month, day = iso[:10].split("-")
    return f"{day}.{month}.{year}"


def de_datetime(iso: str | None, empty: str = "–") -> str:
    """A stored UTC timestamp (ISO 8601) as local time in Germany: 04.12.2026 23:41."""
    if not iso:
        return empty
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")


# --- CSV files for people (Excel, LibreOffice in German) -------------------------------------


def csv_cell(value) -> str:
    """One cell of a CSV for people: empty for nothing, "ja"/"nein", numbers with a decimal
    comma and no thousands separator (1234,5), dates as 04.12.2026, text with formulas
    neutralised. ISO text stays text: convert dates with `de_date(..., empty="")` first."""
    value = _plain(value)
    if value is None or isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value) if "e" not in repr(value) else f"{value:f}".rstrip("0").rstrip(".")
        return text.removesuffix(".0").replace(".", ",")
    if isinstance(value, datetime):
        return de_datetime(value.isoformat(), empty="")
    if isinstance(value, date):
        return de_date(value.isoformat(), empty="")
    return neutralise(value)


def de_csv(headings: list[str], rows) -> str:
    """A `;`-separated CSV with German headings; every cell through `csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()
