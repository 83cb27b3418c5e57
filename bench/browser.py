"""Browser figures for the benchmark: suggestions map visible with all items, the click round
trip on the report map, and the server's peak memory with 10 concurrent sessions."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_app, wait_idle


def _peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def _map_visible(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url + "/suggestions")
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    frame.locator(".leaflet-marker-icon, path.leaflet-interactive").first.wait_for()
    return time.perf_counter() - start


def browser_figures(tmp: Path, config_file: Path) -> dict:
    server = start_app(
        tmp, env={"ALLIANZ_DB": os.environ["ALLIANZ_DB"], "ALLIANZ_CONFIG": str(config_file)}
    )
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            # reference: Streamlit's own start in an empty browser cache, on a text page
            page = browser.new_context().new_page()
            start = time.perf_counter()
            page.goto(server.url + "/privacy")
            page.get_by_role("heading", name="Datenschutz").first.wait_for()
            text_page = time.perf_counter() - start
            context = browser.new_context(viewport={"width": 1280, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(120_000)
            map_visible = _map_visible(page, server.url)  # empty browser cache
            page.close()
            page = context.new_page()
            map_visible_again = _map_visible(page, server.url)  # scripts cached, as on a return

            page.goto(server.url + "/suggest")
            wait_idle(page)
            element = page.locator('iframe[title="streamlit_folium.st_folium"]').first
            element.wait_for()
            page.wait_for_timeout(1500)
            box = element.bounding_box()
            start = time.perf_counter()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.get_by_text(re.compile("Gewählter Ort")).wait_for()
            click_round_trip = time.perf_counter() - start

            contexts = [browser.new_context() for _ in range(10)]
            pages = [c.new_page() for c in contexts]
            for other in pages:
                other.goto(server.url + "/suggestions", wait_until="commit")
            for other in pages:
                other.set_default_timeout(180_000)
                wait_idle(other)
            peak = _peak_rss_mb(server.proc.pid)
            browser.close()
    finally:
        server.stop()
    return {
        "suggestions_map_visible_s": round(map_visible, 2),
        "suggestions_map_visible_return_visit_s": round(map_visible_again, 2),
        "text_page_first_visit_s": round(text_page, 2),
        "click_round_trip_s": round(click_round_trip, 2),
        "server_peak_rss_mb_10_sessions": round(peak),
    }
