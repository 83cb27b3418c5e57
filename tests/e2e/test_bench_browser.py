"""The benchmark's browser figures at a small scale: enough suggestions for the clustered map
(above DETAILED_UP_TO), every figure present, and every suggestion counted on the map."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from allianz.suggestions import overview_map

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_browser_figures_at_small_scale(tmp_path, chromium_path):
    count = overview_map.DETAILED_UP_TO + 100
    out = tmp_path / "bench.json"
    small = {"--municipalities": 3, "--suggestions": count, "--service-sample": 5,
             "--vacancies": 10, "--workshops": 1, "--cards": 3, "--segments": 20,
             "--network-km": 2, "--runs": 1}  # fmt: skip
    args = [str(part) for pair in small.items() for part in pair]
    result = subprocess.run(
        [sys.executable, "-m", "allianz.cli", "bench", *args, "--page", "Start", "--browser",
         "--json", str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    browser = json.loads(out.read_text())["browser"]
    assert browser["suggestions_on_map"] == f"{count} of {count}"
    for figure in ("suggestions_map_visible_s", "suggestions_map_visible_return_visit_s",
                   "text_page_first_visit_s"):  # fmt: skip
        assert 0 < browser[figure]["median"] <= browser[figure]["max"]
    assert browser["suggestions_map_visible_right_after_start_s"] > 0
    assert browser["server_preparation_s"] > 0 and browser["click_round_trip_s"] > 0
    assert browser["server_peak_rss_mb_10_sessions"] > 50
