"""Browser figures for the benchmark: suggestions map visible with all items, the city map
visible with all places, the click round trip on the report map, and the server's peak memory
with 10 concurrent sessions."""

from __future__ import annotations

import json
import os
import re
import statistics
import time
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

from allianz import config, database
from allianz.devserver import CHROMIUM, CHROMIUM_ARGS, start_app, wait_http, wait_idle
from allianz.suggestions import overview_map, store


def _peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


# Installed in the page before it loads: watches the map's frame and notes, on the animation
# frame after the clustered points were drawn, the milliseconds since navigation start and how
# many suggestions the drawn cluster bubbles and single points hold. Noted by the page itself
# because Playwright's own checks lag 0.1-0.5 s behind on a busy 2-core machine. The municipal
# areas are drawn before the points and do not count as "visible".
_WATCH_MAP = """(() => {
    if (window.top !== window) { return; }
    const drawn = (doc, height) => {
        const bubbles = doc.querySelectorAll(".marker-cluster span");
        const points = doc.querySelectorAll(".allianz-point");
        if (height < 100 || (!bubbles.length && !points.length)) { return null; }
        let count = points.length;
        bubbles.forEach((b) => { count += parseInt(b.textContent, 10); });
        return count;
    };
    const watch = (frame) => frame.addEventListener("load", () => {
        const doc = frame.contentDocument;
        if (!doc) { return; }
        new MutationObserver(() => {
            const count = window.mapDrawn ? null : drawn(doc, frame.clientHeight);
            if (count !== null) {
                requestAnimationFrame(() => {
                    window.mapDrawn = window.mapDrawn || {ms: performance.now(), count: count};
                });
            }
        }).observe(doc, {subtree: true, childList: true, attributes: true});
    });
    new MutationObserver(() => document.querySelectorAll("iframe").forEach((frame) => {
        if (!frame.watched) { frame.watched = true; watch(frame); }
    })).observe(document, {subtree: true, childList: true});
})();"""


def _map_visible(page, url: str, path: str = "/suggestions") -> tuple[float, int]:
    """Seconds from navigation start until the clustered points are drawn, and how many
    suggestions (or places, with path="/places") they hold."""
    page.set_default_timeout(120_000)
    page.add_init_script(_WATCH_MAP)
    page.goto(url + path, wait_until="commit")
    drawn = page.wait_for_function("() => window.mapDrawn", polling="raf").json_value()
    return drawn["ms"] / 1000, drawn["count"]


def _expected_on_map(config_file: Path) -> int:
    """Suggestions in the overview's default view, which the map must show in full."""
    alliance = config.load(str(config_file))
    db = database.open_for(alliance, Path(os.environ["ALLIANZ_DB"]))
    try:
        period = overview_map.default_period(date.today())
        return store.count(db, overview_map.filters_for(period))
    finally:
        db.close()


def _wait_prepared(url: str, timeout: float = 180) -> float:
    """How long the server's start-up preparation (`allianz.warmup`) took, once it is done."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        health = json.loads(wait_http(url + "/healthz"))
        if health["warmup"] == "done":
            return health["warmup_s"]
        if health["warmup"] != "running":
            raise RuntimeError(f"server preparation: {health['warmup']}")
        time.sleep(0.1)
    raise TimeoutError("server preparation")


VIEWPORT = {"width": 1280, "height": 1000}
VISITS = 3  # per figure; the machine's own noise is ±0.3 s


def _text_page(browser, url: str) -> float:
    """Reference: Streamlit's own start in an empty browser cache, on a page of text."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    start = time.perf_counter()
    page.goto(url + "/privacy")
    page.get_by_role("heading", name="Datenschutz").first.wait_for()
    seconds = time.perf_counter() - start
    page.context.close()
    return seconds


def _spread(seconds: list[float]) -> dict:
    return {"median": round(statistics.median(seconds), 2), "max": round(max(seconds), 2)}


def browser_figures(tmp: Path, config_file: Path) -> dict:
    expected = _expected_on_map(config_file)
    server = start_app(
        tmp, env={"ALLIANZ_DB": os.environ["ALLIANZ_DB"], "ALLIANZ_CONFIG": str(config_file)}
    )
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            # the rare case: the very first visitor right after a (re)start, while the server
            # still imports and prepares what the other figures find ready
            context = browser.new_context(viewport=VIEWPORT)
            after_restart, _ = _map_visible(context.new_page(), server.url)
            context.close()
            preparation = _wait_prepared(server.url)
            text_page = [_text_page(browser, server.url) for _ in range(VISITS)]
            first, back, drawn = [], [], set()
            for _ in range(VISITS):
                context = browser.new_context(viewport=VIEWPORT)
                seconds, count = _map_visible(context.new_page(), server.url)  # empty cache
                first.append(seconds)
                drawn.add(count)
                back.append(_map_visible(context.new_page(), server.url)[0])  # cached scripts
                context.close()

            places, places_drawn = [], set()  # the city map: every layer, all members
            for _ in range(VISITS):
                context = browser.new_context(viewport=VIEWPORT)
                seconds, count = _map_visible(context.new_page(), server.url, "/places")
                places.append(seconds)
                places_drawn.add(count)
                context.close()

            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.set_default_timeout(120_000)
            page.goto(server.url + "/suggest")
            wait_idle(page)
            element = page.locator('iframe[src*="/component/streamlit_folium.st_folium/"]').first
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
        "suggestions_map_visible_s": _spread(first),
        "suggestions_on_map": f"{' / '.join(map(str, sorted(drawn)))} of {expected}",
        "suggestions_map_visible_return_visit_s": _spread(back),
        "text_page_first_visit_s": _spread(text_page),
        "suggestions_map_visible_right_after_start_s": round(after_restart, 2),
        "server_preparation_s": round(preparation, 2),
        "click_round_trip_s": round(click_round_trip, 2),
        "places_map_visible_s": _spread(places),
        "places_on_map": " / ".join(map(str, sorted(places_drawn))),
        "server_peak_rss_mb_10_sessions": round(peak),
    }
