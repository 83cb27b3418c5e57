"""Charts in German: Vega-Lite specifications for the pages (German number and date locale,
see `bar_spec`, `line_spec`; `ui.bar_chart` draws them) and static PNG charts for PDF
documents (matplotlib, German tick labels)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache

import pandas as pd

from allianz.formatting import de_number

COLORS = ("#1d6a96", "#e9a23b", "#2a9d8f", "#c8553d", "#6c757d")

# --- Page charts (Vega-Lite, drawn by Streamlit) ---------------------------------------------

# Vega formats numbers and dates with d3's en-US locale unless the specification names
# another one: with this, axes, tooltips and legends read 1.234,5 and 04.12.2026.
GERMAN_LOCALE = {
    "number": {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["", "\u00a0€"],
    },
    "time": {
        "dateTime": "%A, %e. %B %Y, %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": [
            "Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag",
        ],
        "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
        "months": [
            "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
            "September", "Oktober", "November", "Dezember",
        ],
        "shortMonths": [
            "Jan", "Feb", "Mrz", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
        ],
    },
}  # fmt: skip
NUMBER_FORMAT = ",.2~f"  # 1.234,5 · 0,25 · 3 (with the German locale)
DATE_FORMAT = "%d.%m.%Y"
# Field names of the long table a chart draws from: Vega-Lite reads dots in a field name as
# a path ("je 1.000 Einw."), so German headings only appear as titles.
_CATEGORY, _SERIES, _VALUE = "kategorie", "reihe", "wert"


def _config() -> dict:
    return {"locale": GERMAN_LOCALE, "numberFormat": NUMBER_FORMAT, "timeFormat": DATE_FORMAT}


def _long(
    frame: pd.DataFrame, category: str | None, values: str | Sequence[str], series: str | None
) -> pd.DataFrame:
    """One row per bar: category, series name and value (nothing as null)."""
    data = frame.reset_index() if category is None else frame
    category = category or (frame.index.name or "index")
    if isinstance(values, str):
        long = pd.DataFrame(
            {
                _CATEGORY: data[category].astype(str),
                _SERIES: data[series].astype(str) if series else values,
                _VALUE: pd.to_numeric(data[values], errors="coerce"),
            }
        )
    else:
        long = data.melt(
            id_vars=[category], value_vars=list(values), var_name=_SERIES, value_name=_VALUE
        ).rename(columns={category: _CATEGORY})
        long[_CATEGORY] = long[_CATEGORY].astype(str)
        long[_VALUE] = pd.to_numeric(long[_VALUE], errors="coerce")
    return long.astype({_VALUE: "float64"}).reset_index(drop=True)


def bar_spec(
    frame: pd.DataFrame,
    category: str | None,
    values: str | Sequence[str],
    *,
    series: str | None = None,
    value_title: str | None = None,
    category_title: str | None = None,
    horizontal: bool = True,
    stacked: bool = True,
    height: int | None = None,
) -> tuple[pd.DataFrame, dict]:
    """A bar chart: one bar (or a stack or group of bars) per `category` (a column, or the
    index when None), values from one column or several (each a series), or from one
    column split by a `series` column. Categories keep the frame's order."""
    data = _long(frame, category, values, series)
    several = series is not None or not isinstance(values, str)
    series_title = series or "Reihe"
    if value_title is None:
        value_title = values if isinstance(values, str) else ""
    if category_title is None:
        category_title = category or frame.index.name or ""
    order = list(dict.fromkeys(data[_CATEGORY]))
    category_axis = "y" if horizontal else "x"
    value_axis = "x" if horizontal else "y"
    encoding = {
        category_axis: {
            "field": _CATEGORY,
            "type": "nominal",
            "sort": order,
            "title": category_title,
            "axis": {"labelLimit": 260, **({} if horizontal else {"labelAngle": 0})},
        },
        value_axis: {
            "field": _VALUE,
            "type": "quantitative",
            "title": value_title,
            "axis": {"format": NUMBER_FORMAT},
            **({} if stacked else {"stack": None}),
        },
        "tooltip": [
            {"field": _CATEGORY, "type": "nominal", "title": category_title or "Kategorie"},
            *([{"field": _SERIES, "type": "nominal", "title": series_title}] if several else []),
            {
                "field": _VALUE,
                "type": "quantitative",
                "title": value_title or "Wert",
                "format": NUMBER_FORMAT,
            },
        ],
    }
    if several:
        encoding["color"] = {
            "field": _SERIES,
            "type": "nominal",
            "title": None if series is None else series_title,
            "sort": list(dict.fromkeys(data[_SERIES])),
            "legend": {"orient": "bottom"},
        }
        if not stacked:
            encoding[f"{category_axis}Offset"] = {"field": _SERIES}
    spec = {
        "mark": {"type": "bar"},
        "encoding": encoding,
        "config": _config(),
    }
    if height:
        spec["height"] = height
    return data, spec


def line_spec(
    frame: pd.DataFrame,
    date: str,
    value: str,
    series: str | None = None,
    *,
    height: int | None = None,
) -> tuple[pd.DataFrame, dict]:
    """A line over the days in column `date` (ISO dates or dates), one line per `series`;
    the axis reads 04.12.2026."""
    data = pd.DataFrame(
        {
            _CATEGORY: pd.to_datetime(frame[date]).dt.strftime("%Y-%m-%d"),
            _SERIES: frame[series].astype(str) if series else value,
            _VALUE: pd.to_numeric(frame[value], errors="coerce").astype("float64"),
        }
    )
    day = {
        "field": _CATEGORY,
        "type": "temporal",
        "timeUnit": "utcyearmonthdate",
        "title": date,
        "axis": {"format": DATE_FORMAT, "labelAngle": 0},
    }
    encoding = {
        "x": day,
        "y": {"field": _VALUE, "type": "quantitative", "title": value},
        "tooltip": [
            {**day, "format": DATE_FORMAT},
            *([{"field": _SERIES, "type": "nominal", "title": series}] if series else []),
            {"field": _VALUE, "type": "quantitative", "title": value, "format": NUMBER_FORMAT},
        ],
    }
    encoding["tooltip"][0].pop("axis")
    if series:
        encoding["color"] = {
            "field": _SERIES,
            "type": "nominal",
            "title": series,
            "legend": {"orient": "bottom"},
        }
    spec = {
        "mark": {"type": "line", "point": True},
        "encoding": encoding,
        "config": _config(),
    }
    if height:
        spec["height"] = height
    return data, spec


# --- Static charts for PDF documents (matplotlib) ---------------------------------------------


@cache
def _pyplot():
    """matplotlib only when a document needs a chart (the pages never load it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def bars(
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    title: str,
    unit: str = "",
) -> bytes:
    """Grouped horizontal bars, one group per label; readable with long German labels."""
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    height = max(2.2, 0.45 * len(labels) * max(1, len(series)) + 1.2)
    fig, ax = plt.subplots(figsize=(7.5, height), dpi=130)
    try:
        count = max(1, len(series))
        bar = 0.8 / count
        positions = range(len(labels))
        for index, (name, values) in enumerate(series.items()):
            offsets = [p + index * bar for p in positions]
            ax.barh(offsets, values, height=bar, label=_safe(name), color=COLORS[index % 5])
            for y, value in zip(offsets, values, strict=True):
                ax.text(value, y, f" {de_number(value)}", va="center", fontsize=7)
        ax.set_yticks([p + bar * (count - 1) / 2 for p in positions])
        ax.set_yticklabels([_safe(_short(str(label))) for label in labels], fontsize=8)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(FuncFormatter(lambda tick, _: de_number(tick)))
        ax.set_title(_safe(title), fontsize=10)
        if unit:
            ax.set_xlabel(unit, fontsize=8)
        if len(series) > 1:
            ax.legend(fontsize=7, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


def _safe(text: str) -> str:
    """Literal text: matplotlib would read $...$ as a formula."""
    from allianz.pdf import printable  # fpdf and matplotlib only for documents

    return printable(text).replace("$", r"\$")


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
