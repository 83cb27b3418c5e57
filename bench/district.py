"""A reproducible district-scale data set for the benchmark: a generated alliance of N member
municipalities (Voronoi areas) filled with suggestions, vacancy sites, workshops and cards.

Bulk rows are written with plain SQL in one transaction each (the benchmark measures the app,
not the generator); a sample of each kind also goes through the real services, timed.
"""

from __future__ import annotations

import json
import math
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping

from allianz import audit, config, demo_geodata, geo
from allianz.municipalities import service as municipalities
from allianz.suggestions.model import Status
from allianz.vacancies.model import FIELDS
from db.connection import write_transaction

CENTER = (51.30, 12.60)
STATUSES = [s.value for s in Status]


def write_config(path: Path, count: int, base: Path) -> Path:
    """A TOML like the demo alliance's, with `count` municipalities on a jittered grid."""
    rng = random.Random(7)  # noqa: S311 - reproducible data
    side = math.ceil(math.sqrt(count))
    lines = [base.read_text(encoding="utf-8").split("[[municipalities]]")[0]]
    lines[0] = (
        lines[0]
        .replace('slug = "partheland"', 'slug = "bench-district"')
        .replace('name = "Region Partheland"', 'name = "Benchmark-Landkreis"')
    )
    tail = "[workshops]" + base.read_text(encoding="utf-8").split("[workshops]", 1)[1]
    for i in range(count):
        row, col = divmod(i, side)
        lat = CENTER[0] + (row - side / 2) * 0.075 + rng.uniform(-0.015, 0.015)
        lon = CENTER[1] + (col - side / 2) * 0.12 + rng.uniform(-0.02, 0.02)
        lines.append(
            "[[municipalities]]\n"
            f'ags = "14999{i + 1:03d}"\nname = "Gemeinde {i + 1:02d}"\n'
            f"seat = [{lat:.4f}, {lon:.4f}]\narea_km2 = 45.0\n"
            f"inhabitants = {rng.randint(2000, 20000)}\ninhabitants_year = 2024\n"
            f'ortsteile = ["Ort {i + 1}-A", "Ort {i + 1}-B"]\n'
        )
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")
    return path


def load_areas(db, alliance: config.Alliance) -> None:
    frame = demo_geodata.municipality_areas(alliance).to_crs(geo.STORAGE_CRS)
    geometries = {row.ags: mapping(row.geometry) for row in frame.itertuples()}
    municipalities.load_areas(db, alliance, geometries, audit.Actor("bench", "manager"))


def random_points(areas, count: int, rng: np.random.Generator) -> list[tuple[float, float, str]]:
    """Points inside the areas (vectorised rejection sampling), spread over all of them."""
    per_area = math.ceil(count / len(areas))
    points = []
    for area in areas:
        inner = area.geometry.buffer(-0.002)
        minx, miny, maxx, maxy = inner.bounds
        found: list[tuple[float, float]] = []
        while len(found) < per_area:
            xs = rng.uniform(minx, maxx, per_area * 2)
            ys = rng.uniform(miny, maxy, per_area * 2)
            inside = shapely.contains_xy(inner, xs, ys)
            found += list(zip(ys[inside].tolist(), xs[inside].tolist(), strict=True))
        points += [(lat, lon, area.ags) for lat, lon in found[:per_area]]
    return points[:count]


def suggestions(db, alliance, areas, count: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    codes = [c.code for c in alliance.categories]
    # within the year before today: the overview's default period, so its map holds all of them
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM suggestions").fetchone()[0]
    rows = []
    for i, (lat, lon, ags) in enumerate(random_points(areas, count, rng), start=first):
        created = now - timedelta(minutes=int(rng.integers(0, 364 * 24 * 60)))
        status = STATUSES[int(rng.integers(0, len(STATUSES)))]
        answered = (
            min(now, created + timedelta(hours=int(rng.integers(2, 600))))
            if status != "new"
            else None
        )
        rows.append(
            (i, f"H-{created.year}-{i:05d}", codes[i % len(codes)], f"Hinweis {i}",
             "Generiert für den Benchmark.", lat, lon, 1, "", ags, status,
             "Antwort" if answered else None, int(rng.integers(0, 5)), 0, None, None, "bench",
             created.isoformat(timespec="seconds"), created.isoformat(timespec="seconds"),
             answered.isoformat(timespec="seconds") if answered else None)
        )  # fmt: skip
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO suggestions (id, ref, category, title, description, lat, lon, "
            "location_precise, address_text, municipality_ags, status, public_answer, supports, "
            "hidden, hidden_reason, merged_into, source, created_at, updated_at, first_answer_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )


def vacancies(db, areas, count: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    kinds = ["baulücke", "gering_bebaut", "brache", "leerstand", "hofstelle"]
    stamp = "2026-06-01T08:00:00+00:00"
    sites, history = [], []
    for i, (lat, lon, ags) in enumerate(random_points(areas, count, rng), start=1):
        kind = kinds[i % len(kinds)]
        values = {
            "municipality_ags": ags, "ortsteil": None, "address": f"Benchweg {i}",
            "lat": lat, "lon": lon, "location_precise": 1, "type": kind, "usage": "wohnen",
            "status": "active" if i % 9 else "reused",
            "vacant_since": f"{2010 + i % 15}-0{1 + i % 9}-01", "building_epoch": None,
            "condition": None, "area_m2": float(rng.integers(300, 3000)), "owner_type": "privat",
            "owner_contacted_on": None if i % 3 else "2026-01-15", "willingness": "unbekannt",
            "publication_consent": int(i % 4 == 0), "description": "", "source": "bench",
            "next_review": f"2026-{1 + i % 12:02d}-15",
        }  # fmt: skip
        sites.append({"id": i, "ref": f"L-{i:05d}", **values, "version": 1, "is_demo": 0,
                      "created_at": stamp, "updated_at": stamp})  # fmt: skip
        history.append({"site_id": i, "version": 1, "at": stamp, "actor": "bench",
                        "actor_role": "manager", "action": "import", "changes": "{}",
                        "snapshot": json.dumps({f: values[f] for f in FIELDS})})  # fmt: skip
    with write_transaction(db):
        db["vacancy_sites"].insert_all(sites, batch_size=2000)
        db["vacancy_history"].insert_all(history, batch_size=2000)


def workshops(db, alliance, count: int, cards_each: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible data
    names = [m.ags for m in alliance.municipalities]
    topics = alliance.workshop_topics
    stamp = "2026-01-01T00:00:00+00:00"
    with write_transaction(db):
        card_id = db.execute("SELECT coalesce(max(id), 0) FROM workshop_cards").fetchone()[0]
        for w in range(count):
            day = datetime(2022, 1, 1) + timedelta(days=w * 5)
            workshop_id = db["workshops"].insert(
                {"title": f"Werkstatt {w + 1}", "starts_at": day.isoformat(timespec="minutes"),
                 "place": "Bürgerhaus", "scope_ags": names[w % len(names)] if w % 4 else None,
                 "rounds": 3, "participants": rng.randint(15, 80), "dots_per_person": 5,
                 "phase": "closed", "created_by": "bench", "created_at": stamp,
                 "updated_at": stamp},
            ).last_pk  # fmt: skip
            table_ids = [
                db["workshop_tables"]
                .insert({"workshop_id": workshop_id, "position": p + 1, "topic": topic})
                .last_pk
                for p, topic in enumerate(topics)
            ]
            rows = []
            for c in range(cards_each):
                card_id += 1
                rows.append(
                    {"id": card_id, "workshop_id": workshop_id,
                     "table_id": table_ids[c % len(table_ids)], "text": f"Idee {c} aus {w}",
                     "round": 1 + c % 3, "tags": '["bench"]', "origin": "live",
                     "host_dots": rng.randint(0, 9), "created_by": "bench", "created_at": stamp}
                )  # fmt: skip
            db["workshop_cards"].insert_all(rows)


def reviews(db, share: float, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible data
    ids = [row[0] for row in db.execute("SELECT id FROM segments").fetchall()]
    chosen = rng.sample(ids, int(len(ids) * share))
    rows = [
        {"segment_id": s, "reviewer": "bench", "reviewer_role": "working_group",
         "at": "2026-05-01T10:00:00+00:00", "condition": rng.randint(1, 5),
         "defects": "[]", "gap": 0}
        for s in chosen
    ]  # fmt: skip
    with write_transaction(db):
        db["segment_reviews"].insert_all(rows, batch_size=2000)
        db.conn.executemany(
            "UPDATE segments SET condition = ?, priority = ? WHERE id = ?",
            [(r["condition"], "ABC"[r["segment_id"] % 3], r["segment_id"]) for r in rows],
        )


def timed(label: str, work, log: dict) -> None:
    start = time.perf_counter()
    work()
    log[label] = round(time.perf_counter() - start, 2)
