"""The server's start-up preparation: fills the caches the public pages ask first, in a way
that neither declares the map component nor stops the server when it fails."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import date
from pathlib import Path

from allianz import warmup
from allianz.municipalities import service as municipalities
from allianz.networks import snapshot
from allianz.networks import store as network_store
from allianz.suggestions import overview_map
from allianz.suggestions import store as suggestion_store
from tests.unit.test_suggestions import make

# The suggestion below is stamped with the real clock, so the default period must end today.
TODAY = date.today()


def test_prepare_fills_what_the_default_views_ask_for(db, alliance, monkeypatch):
    from allianz.suggestions import service

    areas = municipalities.areas(db)
    service.submit(db, alliance, areas, make())
    warmup.prepare(alliance, TODAY)

    def no_read(*_args, **_kwargs):
        raise AssertionError("read again although the warm-up prepared it")

    monkeypatch.setattr(suggestion_store, "map_rows", no_read)
    monkeypatch.setattr(network_store, "all_segments", no_read)
    filters = overview_map.filters_for(overview_map.default_period(TODAY))
    assert overview_map.current(db, filters, alliance).count == 1
    snapshot.current(db, municipalities.areas(db))
    # another period is not prepared: the page computes it on its own
    with_end_open = overview_map.filters_for((TODAY,))
    assert with_end_open.until is None and with_end_open.since == TODAY.isoformat()


def test_a_failed_warm_up_is_logged_and_the_server_goes_on(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("ALLIANZ_DB", str(tmp_path / "missing.sqlite3"))
    monkeypatch.setenv("ALLIANZ_CONFIG", "partheland")
    with caplog.at_level(logging.WARNING, logger="allianz.warmup"):
        warmup.start().join(timeout=60)
    assert "Vorbereitung beim Start fehlgeschlagen" in caplog.text
    assert warmup.state() == "failed"
    assert not (tmp_path / "missing.sqlite3").exists()  # nothing created on the way


def test_warm_up_does_not_declare_the_map_component(db_path, db):
    """streamlit-folium imported outside a script run would leave every map empty."""
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys, datetime, app; from allianz import config, warmup; "
        "warmup.prepare(config.load('partheland'), datetime.date.today()); "
        "print('streamlit_folium' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_state_and_duration_are_reported(db, monkeypatch):
    monkeypatch.setattr(warmup, "_state", "off")
    warmup.start().join(timeout=60)
    assert warmup.state() == "done" and warmup.seconds() >= 0
    from allianz import health

    status, body = health.check()
    assert status == 200 and body["warmup"] == "done" and body["warmup_s"] == warmup.seconds()
