"""The live-viewers benchmark speaks Streamlit's protocol correctly: a few simulated viewers
of a live hour each receive every answer without reloading (no timing asserted)."""

import pytest

from bench import live_viewers

pytestmark = pytest.mark.e2e


def test_every_viewer_receives_every_answer():
    args = live_viewers.parser().parse_args(
        ["--viewers", "4", "--questions", "3", "--answers", "2", "--pause", "2", "--arrival", "1"]
    )
    result = live_viewers.run(args)
    assert result["failed"] == 0, result["first_error"]
    assert result["answers_seen"] == result["answers_expected"] == 8
    assert result["refreshes"] > 0  # they followed the live list's automatic reruns
