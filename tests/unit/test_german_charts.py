"""German charts, map scale and widget hints (issue 19, items 7, 8 and 10): chart axes and
tooltips with 1.234,5 and 04.12.2026, the map scale in metres only, a German placeholder on
every choice box instead of Streamlit's "Choose an option"."""

from __future__ import annotations

import ast
import json
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from allianz import charts, formatting, maps

ROOT = Path(__file__).resolve().parents[2]


def test_short_german_numbers_and_table_dates():
    assert [formatting.de_number(v) for v in (1234.5, 0.25, 3.0, 1e6, 13.3125)] == [
        "1.234,5",
        "0,25",
        "3",
        "1.000.000",
        "13,31",
    ]
    assert formatting.de_number(-0.001) == "0"
    assert formatting.de_cell(date(2026, 12, 4)) == "04.12.2026"
    # stored as UTC, shown in Berlin (CET, UTC+1 in December)
    assert formatting.de_cell(pd.Timestamp("2026-12-04T19:25:19+00:00")) == "04.12.2026 20:25"
    assert formatting.de_cell(datetime(2026, 7, 1, 10, 0)) == "01.07.2026 12:00"
    assert formatting.de_cell(pd.NaT) == ""


def _locale(spec: dict) -> dict:
    return spec["config"]["locale"]


def test_bar_spec_draws_with_the_german_locale_and_safe_field_names():
    frame = pd.DataFrame(
        {"Gemeinde": ["Borsdorf", "Brandis", "Allianz"], "je 1.000 Einw.": [1.25, None, 2.0]}
    )
    data, spec = charts.bar_spec(frame.iloc[:-1], "Gemeinde", "je 1.000 Einw.")
    text = json.dumps(spec)
    assert _locale(spec)["number"] == {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["", "\u00a0€"],
    }
    assert spec["config"]["numberFormat"] == ",.2~f" and spec["config"]["timeFormat"] == "%d.%m.%Y"
    # no field name with a dot (Vega-Lite would read "je 1.000 Einw." as a path)
    fields = re.findall(r'"field": "([^"]+)"', text)
    assert fields and not [f for f in fields if "." in f]
    assert spec["encoding"]["x"]["title"] == "je 1.000 Einw."
    assert spec["encoding"]["y"]["sort"] == ["Borsdorf", "Brandis"]  # the frame's order
    assert spec["encoding"]["x"]["axis"]["format"] == ",.2~f"
    assert list(data["kategorie"]) == ["Borsdorf", "Brandis"]
    assert data["wert"].isna().tolist() == [False, True]  # nothing is null, not "None"


def test_bar_spec_with_several_series_stacked_or_side_by_side():
    frame = pd.DataFrame(
        {"Karten vor Ort": [3, 0], "Karten online": [1, 2]},
        index=pd.Index(["Radwege", "Ortsmitte"], name="Thementisch"),
    )
    data, spec = charts.bar_spec(frame, None, ["Karten vor Ort", "Karten online"])
    assert spec["encoding"]["y"]["title"] == "Thementisch"
    assert spec["encoding"]["color"]["sort"] == ["Karten vor Ort", "Karten online"]
    assert "yOffset" not in spec["encoding"]  # stacked
    assert len(data) == 4 and set(data["reihe"]) == {"Karten vor Ort", "Karten online"}
    _, grouped = charts.bar_spec(
        frame, None, ["Karten vor Ort", "Karten online"], stacked=False, horizontal=False
    )
    assert grouped["encoding"]["xOffset"] == {"field": "reihe"}
    assert grouped["encoding"]["y"]["stack"] is None
    long = pd.DataFrame({"Gemeinde": ["A", "A", "B"], "Art": ["x", "y", "x"], "Anzahl": [1, 2, 3]})
    data, spec = charts.bar_spec(long, "Gemeinde", "Anzahl", series="Art")
    assert spec["encoding"]["color"]["title"] == "Art" and list(data["reihe"]) == ["x", "y", "x"]


def test_line_spec_has_german_dates():
    frame = pd.DataFrame(
        {"Thema": ["Rad", "Rad"], "Datum": [date(2026, 3, 1), date(2026, 12, 4)], "Karten": [4, 7]}
    )
    data, spec = charts.line_spec(frame, "Datum", "Karten", "Thema")
    assert spec["encoding"]["x"]["axis"]["format"] == "%d.%m.%Y"
    assert spec["encoding"]["x"]["timeUnit"] == "utcyearmonthdate"  # the day, in any zone
    assert spec["encoding"]["tooltip"][0]["format"] == "%d.%m.%Y"
    assert _locale(spec)["time"]["months"][2] == "März"
    assert list(data["kategorie"]) == ["2026-03-01", "2026-12-04"]


def test_pdf_chart_pages_do_not_load_matplotlib():
    """Pages import the chart module; matplotlib and fpdf load only for documents."""
    import subprocess
    import sys

    code = "import sys, allianz.charts; print('matplotlib' in sys.modules, 'fpdf' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]
    assert charts.bars(["Borsdorf"], {"km": [1234.5]}, "Test").startswith(b"\x89PNG")


def test_map_scale_is_metric_only(alliance):
    html = maps.base_map(alliance).get_root().render()
    assert "L.control.scale({metric: true, imperial: false})" in html
    assert "L.control.scale()" not in html  # folium's default shows miles and feet too


# Every page follows the rule (no exceptions left).
ELSEWHERE: tuple[str, ...] = ()
CHOICES = {"selectbox", "multiselect"}


def _missing_in(source: str, name: str) -> list[str]:
    return [
        f"{name}:{node.lineno}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in CHOICES
        and not any(k.arg == "placeholder" for k in node.keywords)
    ]


def test_every_choice_box_has_a_german_placeholder():
    """Without one Streamlit shows "Choose an option" / "Choose options" (our script replaces
    them in the browser, but the page should not depend on it)."""
    missing = []
    for path in sorted((ROOT / "allianz").rglob("pages/*.py")):
        name = str(path.relative_to(ROOT))
        if not name.startswith(ELSEWHERE):
            missing += _missing_in(path.read_text(encoding="utf-8"), name)
    assert missing == []


def test_the_placeholder_rule_finds_a_box_without_one():
    source = (
        'a = st.selectbox("Gemeinde", [1, 2])\n'
        'b = left.multiselect("Art", [1], placeholder="alle")\n'
        'c = st.sidebar.selectbox("Rolle", [1], format_func=str)\n'
    )
    assert _missing_in(source, "x.py") == ["x.py:1", "x.py:3"]
