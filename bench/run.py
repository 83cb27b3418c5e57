"""Benchmark at district scale: a generated alliance (30 municipalities, 50,000 suggestions,
10,000 vacancy sites, 3,000 km of network in 30,000 segments with reviews, 200 workshops with
100 cards each, 300,000 addresses, five years of meetings with appointments and press entries,
ten years of building developments between members, the Bauhof pool with three years of
bookings, 5,000 job postings, 5,000 news items, 20,000 places on the city map) in a temporary
database; measures saves, the network import, the address search, every page for every
role (server-side median and map bytes), documents and feeds, our map against the naive folium
map, and with --browser the map and click times in Chromium and the server's peak memory
with 10 sessions; with --live-viewers N, N viewers of one live consultation hour.

Usage: python bench/run.py [--municipalities N] [--suggestions N] ... [--browser] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import math  # noqa: E402

import geopandas as gpd  # noqa: E402
from shapely.geometry import LineString  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from allianz import apptest_sessions, assets, audit, config, database, demo, features, geo  # noqa: E402
from allianz.accounts import service as accounts  # noqa: E402
from allianz.auth import MUNICIPAL_ROLES, Role, can  # noqa: E402
from allianz.developments import district as development_district  # noqa: E402
from allianz.events import district as events_district  # noqa: E402
from allianz.events import feeds as events_feeds  # noqa: E402
from allianz.jobs import district as jobs_district  # noqa: E402
from allianz.measures import demo as measure_demo  # noqa: E402
from allianz.municipalities import service as municipalities  # noqa: E402
from allianz.networks import service as networks  # noqa: E402
from allianz.networks import store as network_store  # noqa: E402
from allianz.networks.model import Network  # noqa: E402
from allianz.news import district as news_district  # noqa: E402
from allianz.places import district as places_district  # noqa: E402
from allianz.sharing import district as sharing_district  # noqa: E402
from allianz.suggestions import service as suggestions  # noqa: E402
from bench import district, live_viewers  # noqa: E402
from bench.browser import browser_figures  # noqa: E402

ACTOR = audit.Actor("bench", "manager")
BENCH_PASSWORD = "bench-passwort-1"  # noqa: S105 - throw-away accounts in a temporary database
ROLES = (Role.WORKING_GROUP, Role.STAFF, Role.MAYOR, Role.MANAGER, Role.HOST)


def generate(db, alliance, count: int, rng: random.Random) -> list[float]:
    """Submit `count` suggestions through the service; returns the seconds each save took."""
    areas = municipalities.areas(db)
    codes = [c.code for c in alliance.categories]
    durations = []
    for i in range(count):
        area = areas[i % len(areas)]
        minx, miny, maxx, maxy = area.geometry.bounds
        while True:
            lat, lon = rng.uniform(miny, maxy), rng.uniform(minx, maxx)
            location = municipalities.locate(areas, lat, lon)
            if location.municipality is not None and not location.near:
                break
        start = time.perf_counter()
        suggestions.submit(
            db,
            alliance,
            areas,
            suggestions.Submission(
                rng.choice(codes), f"Hinweis {i}", "Generiert für den Benchmark.", lat, lon
            ),
        )
        durations.append(time.perf_counter() - start)
    return durations


def generate_network_file(db, count: int, km: float, path: Path, rng: random.Random) -> None:
    """`count` straight segments totalling about `km`, inside the member municipalities."""
    areas = municipalities.areas(db)
    metric = [geo.to_metric(a.geometry) for a in areas]
    step = km * 1000 / count
    lines = []
    while len(lines) < count:
        area = metric[len(lines) % len(metric)]
        minx, miny, maxx, maxy = area.bounds
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        angle = rng.uniform(0, 3.1416)
        line = LineString([(x, y), (x + step * math.cos(angle), y + step * math.sin(angle))])
        if area.contains(line):
            lines.append(line)
    frame = gpd.GeoDataFrame(
        {"BEZ": [f"Weg {i}" for i in range(count)]}, geometry=lines, crs=geo.METRIC_CRS
    ).to_crs(geo.STORAGE_CRS)
    frame.to_file(path, driver="GeoJSON")


def network_import(db, path: Path) -> dict:
    areas = municipalities.areas(db)
    start = time.perf_counter()
    preview = networks.prepare_import(path, areas, {"name": "BEZ"})
    prepared = time.perf_counter() - start
    start = time.perf_counter()
    count = networks.commit_import(db, preview, {Network.RAD}, ACTOR)
    committed = time.perf_counter() - start
    start = time.perf_counter()
    networks.key_figures(network_store.all_segments(db), areas)
    figures = time.perf_counter() - start
    return {
        "segments": count,
        "km": round(preview.km, 1),
        "read_check_s": round(prepared, 2),
        "save_s": round(committed, 2),
        "key_figures_s": round(figures, 2),
    }


def _map_bytes(at: AppTest) -> int:
    """The map's arguments plus the data files it fetches (`assets.publish`)."""
    args = [
        e.proto.json_args
        for e in at.get("component_instance")
        if e.proto.component_name == "streamlit_folium.st_folium"
    ]
    return sum(map(len, args)) + _published_bytes("".join(args))


def _published_bytes(text: str) -> int:
    """Size of the data files (`assets.publish`) a map's script fetches."""
    urls = set(re.findall(r"/app/static/data/[\w.-]+\.json", text))
    return sum((assets.STATIC_DIR / u.removeprefix("/app/static/")).stat().st_size for u in urls)


def page_times(
    runs: int, user_ids: dict, only: str = "", roles: tuple[Role, ...] = tuple(Role)
) -> list[dict]:
    rows = []
    apptest_sessions.install()  # pages read the sign-in from the AppTest's state
    db = database.open_for(config.load(os.environ.get("ALLIANZ_CONFIG")))
    for page in features.pages():
        if only.lower() not in page.title.lower():
            continue
        for role in roles:
            if not can(role, page.permission):
                continue
            times, sent = [], 0
            for _ in range(runs):
                at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=300)
                if user_ids.get(role):
                    apptest_sessions.sign_in(at, db, user_ids[role])
                at.run()
                start = time.perf_counter()
                at.switch_page(page.path).run()
                times.append(time.perf_counter() - start)
                if at.exception:
                    raise RuntimeError(f"{page.path} as {role}: {at.exception}")
                sent = _map_bytes(at)
            rows.append(
                {
                    "page": page.title,
                    "role": role.value,
                    "median_s": round(statistics.median(times), 3),
                    "max_s": round(max(times), 3),
                    "map_kb": round(sent / 1024),
                }
            )
    db.close()
    return rows


def demo_citizen_pages(tmp: Path, runs: int) -> list[dict]:
    """The public pages on the demo alliance as `make run` creates it (budget: 0.1 s)."""
    saved = {k: os.environ.get(k) for k in ("ALLIANZ_DB", "ALLIANZ_CONFIG")}
    os.environ["ALLIANZ_DB"] = str(tmp / "demo.sqlite3")
    os.environ.pop("ALLIANZ_CONFIG", None)
    try:
        alliance = config.load()
        db = database.initialise(alliance, tmp / "demo.sqlite3")
        demo.load(db, alliance, ACTOR)
        db.close()
        return page_times(runs, {}, roles=(Role.CITIZEN,))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def naive_ratio(db, alliance) -> dict:
    """Our suggestions map against one folium Marker with popup per item, same data."""
    import folium

    from allianz import maps
    from allianz.suggestions import overview_map
    from allianz.suggestions import service as suggestion_service
    from allianz.suggestions import store as suggestion_store

    items = suggestion_store.map_rows(db, suggestion_store.Filters())
    start = time.perf_counter()
    ours = maps.base_map(alliance)
    layer = overview_map.prepare(items, alliance, suggestion_service.public_layer(db))
    overview_map.add(ours, layer)
    ours_html = ours.get_root().render()
    ours_s = time.perf_counter() - start
    ours_bytes = len(ours_html) + _published_bytes(ours_html)  # page and its rows file
    start = time.perf_counter()
    naive = folium.Map(location=[51.3, 12.6], zoom_start=10, tiles=None)
    for lat, lon, _ref, _status, title, _category in items:
        folium.Marker([lat, lon], popup=folium.Popup(maps.escape(title))).add_to(naive)
    naive_html = naive.get_root().render()
    naive_s = time.perf_counter() - start
    return {
        "items": len(items),
        "ours_s": round(ours_s, 2),
        "ours_mb": round(ours_bytes / 2**20, 2),
        "naive_s": round(naive_s, 2),
        "naive_mb": round(len(naive_html) / 2**20, 2),
        "ratio": round(naive_s / ours_s, 1) if ours_s else None,
    }


def document_times(db, alliance, areas) -> dict:
    """Card saves through the service, a 500-card protocol, and the council report PDF."""
    from datetime import date, datetime, timedelta

    from allianz.accounts.model import User
    from allianz.summary import report
    from allianz.summary import service as figures
    from allianz.workshops import protocol
    from allianz.workshops import service as workshop_service
    from allianz.workshops import store as workshop_store

    host = User("bench-host", "Bench", Role.MANAGER)
    workshop_id = workshop_service.create(
        db,
        alliance,
        host,
        workshop_service.WorkshopDraft(
            "Große Werkstatt",
            datetime(2026, 10, 1, 18),
            tables=workshop_service.default_tables(alliance),
        ),
    )
    workshop_service.set_phase(db, host, workshop_id, "live")
    tables = [t.id for t in workshop_store.get(db, workshop_id).tables]
    saves = []
    for n in range(500):
        start = time.perf_counter()
        workshop_service.add_card(
            db,
            alliance,
            areas,
            host,
            workshop_id,
            workshop_service.CardDraft(tables[n % len(tables)], f"Idee {n}", tags="rad, ort"),
        )
        saves.append(time.perf_counter() - start)
    result = {"card_save_median_ms": round(statistics.median(saves) * 1000, 2)}
    for fmt in ("md", "csv", "pdf"):
        start = time.perf_counter()
        protocol.build(db, alliance, workshop_id, fmt)
        result[f"protocol_500_cards_{fmt}_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    summary = figures.build(
        db, alliance, areas, figures.Period(date.today() - timedelta(days=365), date.today())
    )
    result["summary_figures_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    report.pdf(alliance, summary)
    result["report_pdf_s"] = round(time.perf_counter() - start, 2)
    return result


def meeting_documents(db, alliance) -> dict:
    """The activity report for the last year (collect, PDF, Word), the public iCal feed and
    the first page of the OParl meetings list, each built once as its route or page does."""
    from datetime import date, timedelta

    from allianz.accounts.model import ANONYMOUS, COMMAND_LINE
    from allianz.meetings import feeds, oparl, report

    period = report.Period(date.today() - timedelta(days=365), date.today())
    result = {}
    start = time.perf_counter()
    made = report.collect(db, alliance, COMMAND_LINE, period)
    result["activity_report_collect_s"] = round(time.perf_counter() - start, 2)
    for fmt, build in (("pdf", report.pdf), ("docx", report.docx)):
        start = time.perf_counter()
        body = build(made)
        result[f"activity_report_{fmt}_s"] = round(time.perf_counter() - start, 2)
        result[f"activity_report_{fmt}_kb"] = round(len(body) / 1024)
    start = time.perf_counter()
    body = feeds._feed(ANONYMOUS, {}, "http://localhost:8501", "")  # the route's body
    result["ical_public_feed_s"] = round(time.perf_counter() - start, 2)
    result["ical_public_feed_events"] = body.count(b"BEGIN:VEVENT")
    start = time.perf_counter()
    view = oparl.View(db, alliance, "http://localhost:8501", {})
    page = oparl.body_list(view, alliance.slug, "meetings")
    result["oparl_meetings_page_s"] = round(time.perf_counter() - start, 2)
    result["oparl_meetings_total"] = page["pagination"]["totalElements"]
    return result


def address_search_times(db, rounds: int = 3) -> dict:
    """The address search as people type (allianz.addresses.district.QUERIES), `rounds` times
    each: median, p95 and slowest in milliseconds."""
    from allianz.addresses import district as address_district
    from allianz.addresses import service as address_service

    timings, empty = [], set()
    for _ in range(rounds):
        for text in address_district.QUERIES:
            start = time.perf_counter()
            hits = address_service.search(db, text)
            timings.append((time.perf_counter() - start) * 1000)
            if not hits:
                empty.add(text)
    timings.sort()
    return {
        "addresses": address_service.total(db),
        "searches": len(timings),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 1),
        "max_ms": round(timings[-1], 1),
        "without_hits": sorted(empty),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="allianz bench", description=__doc__)
    parser.add_argument("--municipalities", type=int, default=30)
    parser.add_argument("--suggestions", type=int, default=50_000)
    parser.add_argument("--service-sample", type=int, default=200)
    parser.add_argument("--vacancies", type=int, default=10_000)
    parser.add_argument("--segments", type=int, default=30_000)
    parser.add_argument("--network-km", type=float, default=3_000)
    parser.add_argument("--workshops", type=int, default=200)
    parser.add_argument("--cards", type=int, default=100)
    parser.add_argument("--addresses", type=int, default=300_000)
    parser.add_argument("--meeting-years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also measure in Chromium")
    parser.add_argument(
        "--live-viewers",
        type=int,
        default=0,
        help="viewers of one live consultation hour (bench/live_viewers.py; make bench: 200)",
    )
    parser.add_argument(
        "--live-refresh", type=int, default=5, help="their refresh interval in seconds"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--data",
        type=Path,
        help="keep the generated district in this folder; if it already holds one, only time "
        "the pages (and the browser figures) on it, e.g. while profiling a page",
    )
    parser.add_argument("--page", default="", help="only pages whose title contains this")
    args = parser.parse_args(argv)
    if args.data and (args.data / "bench.sqlite3").exists():
        reuse(args)
        return
    generation: dict = {}
    with tempfile.TemporaryDirectory() as scratch:
        tmp = str(args.data or scratch)
        Path(tmp).mkdir(parents=True, exist_ok=True)
        os.environ["ALLIANZ_DB"] = str(Path(tmp) / "bench.sqlite3")
        config_file = district.write_config(
            Path(tmp) / "bench-district.toml",
            args.municipalities,
            config.ALLIANCES_DIR / "partheland.toml",
        )
        os.environ["ALLIANZ_CONFIG"] = str(config_file)
        alliance = config.load(str(config_file))
        db = database.initialise(alliance)
        district.load_areas(db, alliance)
        areas = municipalities.areas(db)
        first = alliance.municipalities[0].ags
        user_ids = {}
        for role in ROLES:
            user_ids[role] = accounts.create_user(
                db,
                alliance,
                ACTOR,
                username=f"bench-{role.value}",
                role=role,
                password=BENCH_PASSWORD,
                municipality_ags=first if role in MUNICIPAL_ROLES else None,
            ).id
        sample = min(args.service_sample, args.suggestions)
        saves = generate(db, alliance, sample, random.Random(1))  # noqa: S311
        district.timed(
            "suggestions_s",
            lambda: district.suggestions(db, alliance, areas, args.suggestions - sample, 11),
            generation,
        )
        district.timed(
            "vacancies_s", lambda: district.vacancies(db, areas, args.vacancies, 12), generation
        )
        district.timed(
            "workshops_s",
            lambda: district.workshops(db, alliance, args.workshops, args.cards, 13),
            generation,
        )
        measure_demo.load(db, alliance, ACTOR)
        if args.addresses:
            district.address_index(db, alliance, areas, args.addresses, 15, generation)
        meetings: dict = {}
        if args.meeting_years:
            district.timed(
                "meetings_s",
                lambda: meetings.update(district.meetings(db, alliance, args.meeting_years, 16)),
                generation,
            )
        slices: dict = {}  # the slices' own generators: ten years of developments, the pool
        district.timed(
            "developments_s",
            lambda: slices.update(developments=development_district.generate(db, alliance)),
            generation,
        )
        district.timed(
            "sharing_s",
            lambda: slices.update(sharing=sharing_district.generate(db, alliance)),
            generation,
        )
        district.timed(
            "news_s",
            lambda: slices.update(news=news_district.generate(db, alliance)),
            generation,
        )
        district.timed(
            "jobs_s",
            lambda: slices.update(jobs=jobs_district.generate(db, alliance)),
            generation,
        )
        district.timed(
            "events_s",
            lambda: slices.update(events=events_district.generate(db, alliance)),
            generation,
        )
        district.timed(  # the unfiltered calendar feed, first build (then kept per version)
            "events_feed_s",
            lambda: events_feeds.build(db, alliance, {}, "http://bench.example"),
            generation,
        )
        district.timed(
            "places_s",
            lambda: slices.update(places=places_district.generate(db, alliance)),
            generation,
        )
        network = {}
        if args.segments:
            network_file = Path(tmp) / "network.geojson"
            rng = random.Random(2)  # noqa: S311 - reproducible test data
            generate_network_file(db, args.segments, args.network_km, network_file, rng)
            network = network_import(db, network_file)
            district.reviews(db, 0.3, 14)
        naive = naive_ratio(db, alliance)
        documents = document_times(db, alliance, areas)
        if args.meeting_years:
            documents |= meeting_documents(db, alliance)
        address_search = address_search_times(db) if args.addresses else {}
        db.close()
        pages = page_times(args.runs, user_ids, args.page)
        demo_pages = demo_citizen_pages(Path(tmp), args.runs)
        browser = browser_figures(Path(tmp), config_file) if args.browser else {}
    live = live_viewers.run(live_viewers.parser().parse_args(
        ["--viewers", str(args.live_viewers), "--refresh", str(args.live_refresh)]
    )) if args.live_viewers else {}  # fmt: skip
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "scale": {k: getattr(args, k) for k in ("municipalities", "suggestions", "vacancies",
                                                 "segments", "network_km", "workshops", "cards",
                                                 "addresses", "meeting_years")},
        "generation": generation,
        "meetings": meetings,
        "slices": slices,
        "address_search": address_search,
        "save_median_ms": round(statistics.median(saves) * 1000, 1) if saves else None,
        "save_p95_ms": round(sorted(saves)[max(0, int(len(saves) * 0.95) - 1)] * 1000, 1)
        if saves
        else None,
        "network_import": network,
        "naive_map": naive,
        "documents": documents,
        "browser": browser,
        "live_viewers": live,
        "pages": pages,
        "demo_citizen_pages": demo_pages,
    }  # fmt: skip
    print(f"scale: {result['scale']}; generation: {generation}")
    print(f"suggestion save median {result['save_median_ms']} ms, p95 {result['save_p95_ms']} ms")
    if network:
        print(f"network import: {network}")
    print(f"naive map: {naive}")
    if meetings:
        print(f"meetings: {meetings}")
    print(f"slices: {slices}")
    if address_search:
        print(f"address search: {address_search}")
    print(f"documents: {documents}")
    if browser:
        print(f"browser: {browser}")
    if live:
        print(f"live hour viewers: {live}")
    print_pages(pages)
    print("demo alliance, citizen:")
    print_pages(demo_pages)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


def print_pages(pages: list[dict]) -> None:
    print(f"{'page':<26}{'role':<15}{'median s':>10}{'max s':>8}{'map KB':>8}")
    for row in pages:
        print(
            f"{row['page']:<26}{row['role']:<15}{row['median_s']:>10}{row['max_s']:>8}"
            f"{row['map_kb']:>8}"
        )


def reuse(args: argparse.Namespace) -> None:
    """Time the pages on a district kept by an earlier `--data` run."""
    os.environ["ALLIANZ_DB"] = str(args.data / "bench.sqlite3")
    os.environ["ALLIANZ_CONFIG"] = str(args.data / "bench-district.toml")
    db = database.initialise(config.load(os.environ["ALLIANZ_CONFIG"]), args.data / "bench.sqlite3")
    user_ids = {
        Role(role): user_id
        for user_id, role in db.execute(
            "SELECT id, role FROM users WHERE username LIKE 'bench-%'"
        ).fetchall()
    }
    db.close()
    print_pages(page_times(args.runs, user_ids, args.page))
    with tempfile.TemporaryDirectory() as scratch:
        print("demo alliance, citizen:")
        print_pages(demo_citizen_pages(Path(scratch), args.runs))
    if args.browser:
        print(browser_figures(args.data, args.data / "bench-district.toml"))


if __name__ == "__main__":
    main()
