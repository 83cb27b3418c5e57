"""Benchmark: time to save a suggestion and server-side page run times, on generated data.

Usage: python bench/run.py [--suggestions N] [--segments N] [--network-km KM] [--runs R]
                           [--json OUT]
Runs against a temporary database (demo alliance, N generated suggestions, a generated network
imported through the real importer); prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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

from allianz import audit, config, database, demo, geo, navigation  # noqa: E402
from allianz.accounts import service as accounts  # noqa: E402
from allianz.auth import Role, can  # noqa: E402
from allianz.municipalities import service as municipalities  # noqa: E402
from allianz.networks import service as networks  # noqa: E402
from allianz.networks import store as network_store  # noqa: E402
from allianz.networks.model import Network  # noqa: E402
from allianz.suggestions import service as suggestions  # noqa: E402

ACTOR = audit.Actor("bench", "manager")
BENCH_PASSWORD = "bench-passwort-1"  # noqa: S105 - throw-away accounts in a temporary database
ROLE_ACCOUNTS = {
    Role.WORKING_GROUP: None,
    Role.STAFF: "14729060",
    Role.MAYOR: "14729060",
    Role.MANAGER: None,
    Role.HOST: None,
}


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


def page_times(runs: int, user_ids: dict) -> list[dict]:
    rows = []
    for page in navigation.PAGES:
        for role in Role:
            if not can(role, page.action):
                continue
            times = []
            for _ in range(runs):
                at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=120)
                if user_ids.get(role):
                    at.session_state["user_id"] = user_ids[role]
                at.run()
                start = time.perf_counter()
                at.switch_page(page.path).run()
                times.append(time.perf_counter() - start)
                if at.exception:
                    raise RuntimeError(f"{page.path} as {role}: {at.exception}")
            rows.append(
                {
                    "page": page.title,
                    "role": role.value,
                    "median_s": round(statistics.median(times), 3),
                    "max_s": round(max(times), 3),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--suggestions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument("--network-km", type=float, default=2_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ALLIANZ_DB"] = str(Path(tmp) / "bench.sqlite3")
        alliance = config.load("partheland")
        os.environ["ALLIANZ_CONFIG"] = alliance.slug
        db = database.initialise(alliance)
        demo.load(db, alliance, ACTOR)
        user_ids = {}
        for role, ags in ROLE_ACCOUNTS.items():
            user_ids[role] = accounts.create_user(
                db,
                alliance,
                ACTOR,
                username=f"bench-{role.value}",
                role=role,
                password=BENCH_PASSWORD,
                municipality_ags=ags,
            ).id
        saves = generate(db, alliance, args.suggestions, random.Random(1))  # noqa: S311
        network = {}
        if args.segments:
            network_file = Path(tmp) / "network.geojson"
            rng = random.Random(2)  # noqa: S311 - reproducible test data
            generate_network_file(db, args.segments, args.network_km, network_file, rng)
            network = network_import(db, network_file)
        db.close()
        pages = page_times(args.runs, user_ids)
    result = {
        "suggestions": args.suggestions,
        "save_median_ms": round(statistics.median(saves) * 1000, 1) if saves else None,
        "save_p95_ms": round(sorted(saves)[int(len(saves) * 0.95) - 1] * 1000, 1)
        if saves
        else None,
        "network_import": network,
        "pages": pages,
    }
    print(
        f"suggestions: {args.suggestions}; save median {result['save_median_ms']} ms, "
        f"p95 {result['save_p95_ms']} ms"
    )
    if network:
        print(f"network import: {network}")
    print(f"{'page':<22}{'role':<15}{'median s':>10}{'max s':>8}")
    for row in pages:
        print(f"{row['page']:<22}{row['role']:<15}{row['median_s']:>10}{row['max_s']:>8}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
