"""A reproducible district-scale data set for the benchmark: a generated alliance of N member
municipalities (Voronoi areas) filled with suggestions, vacancy sites, workshops and cards,
an address index, and the office's history of meetings, appointments and press entries.

Bulk rows are written with plain SQL in one transaction each (the benchmark measures the app,
not the generator); a sample of each kind also goes through the real services, timed.
"""

from __future__ import annotations

import hashlib
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
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.addresses import district as address_district
from allianz.addresses import service as addresses
from allianz.auth import Role
from allianz.formatting import BERLIN
from allianz.measures import service as measures
from allianz.meetings import service as meeting_service
from allianz.meetings.model import WORKING_GROUPS
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


# --- address index --------------------------------------------------------------------------

ACTOR = audit.Actor("bench", "manager")


def address_index(db, alliance, areas, count: int, seed: int, log: dict) -> int:
    """About `count` generated addresses (allianz.addresses.district) stored through the
    import's service call (`addresses.replace`); generating and storing are timed apart."""
    start = time.perf_counter()
    rows = address_district.rows(areas, count, seed)
    log["addresses_generate_s"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    stored = addresses.replace(db, alliance, rows, address_district.SOURCE, ACTOR)
    log["addresses_import_s"] = round(time.perf_counter() - start, 2)
    return sum(stored.values())


# --- meetings, appointments, press ------------------------------------------------------------

OFFICE = User("bench", "Geschäftsstelle", Role.MANAGER)
# kind, working group, meetings a year, local start, end (60 a year in all)
MEETING_PLAN = (
    ("steering_group", "", 11, "18:00", "20:30"),
    ("assembly", "", 1, "18:00", "21:00"),
    *(("working_group", group, 9, "14:00", "16:00") for group in WORKING_GROUPS),
    ("network_working", "", 7, "09:00", "15:00"),
    ("network_decision", "", 4, "10:00", "13:00"),
    ("public_event", "", 10, "18:30", "21:00"),
)
PUBLIC_EVENTS = (
    "Bürgerabend Radwegekonzept", "Infoabend Leerstand teilen", "Ortsbegehung",
    "Auftakt Bürgerwerkstatt", "Tag der Regionen", "Radtour der Allianz",
    "Infoabend Förderprogramm",
)  # fmt: skip
TOPICS = (
    "Radwegekonzept: Prioritäten", "Kernwegenetz: Stand der Förderung", "Leerstandsbörse",
    "Ferienprogramm", "Ärztliche Versorgung", "E-Bike-Ladestationen",
    "Kommunales Förderprogramm", "Beteiligungsplattform", "Mobilitätskonzept",
    "Interkommunaler Biotopverbund", "Gemeinsame Beschaffung", "Digitale Akte", "Winterdienst",
    "Gemeinsame Gerätenutzung", "Öffentlichkeitsarbeit", "Hinweise aus dem Bürgermelder",
    "Befahrung der Radwege", "LEADER-Förderung", "Haushalt der Allianz",
    "Jahresbericht der Geschäftsstelle", "Exkursion", "Nahversorgung", "Schulwegsicherheit",
    "Corporate Design", "Fachkräftegewinnung", "Ortskernentwicklung",
)  # fmt: skip
INTERNAL_TOPICS = (
    "Personalangelegenheit Geschäftsstelle", "Vertragsangelegenheiten",
    "Grundstücksangelegenheit", "Vergabe von Planungsleistungen", "Stellungnahme Bauvorhaben",
)  # fmt: skip
OPENING, PREVIOUS, CLOSING = (
    "Begrüßung und Feststellung der Beschlussfähigkeit",
    "Protokoll der letzten Sitzung",
    "Verschiedenes",
)
OUTCOMES = (  # (share, result, with a resolution text)
    (0.45, "einstimmig beschlossen", True),
    (0.10, "mehrheitlich beschlossen", True),
    (0.30, "zur Kenntnis genommen", False),
)
APPOINTMENT_EVENTS = (
    ("Expertenworkshop Mobilitätskonzept", "Landkreis", "Mobilität"),
    ("Treffen mit der LAG", "LAG", "LEADER-Förderung"),
    ("Treffen mit dem Amt für Ländliche Entwicklung", "ALE", "Kernwegenetz"),
    ("ILE-Erfahrungsaustausch", "Nachbar-ILE", "Austausch"),
    ("Informationsveranstaltung medizinische Versorgung", "Landkreis", "Ärztliche Versorgung"),
    ("Austausch der Regionalentwicklungsinitiativen", "Regionalmanagement", "Vernetzung"),
    ("Fachtagung Nahversorgung und Mobilität", "Bezirk", "Nahversorgung"),
    ("Abstimmung Radverkehr", "Verkehrsverbund", "Radwege"),
)
PRESS_OUTLETS = ("Tageszeitung", "Amtsblatt", "Regionalfernsehen", "Lokalradio", "Wochenblatt")
# A small, valid PDF: the body of every generated document.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _weekday(day):
    """Meetings fall on Tuesday to Thursday, as the offices hold them."""
    while day.weekday() not in (1, 2, 3):
        day += timedelta(days=1)
    return day


def _invitees(kind: str) -> list[tuple[str, str]]:
    if kind in ("working_group", "network_working"):
        return [("role", Role.STAFF.value), ("role", Role.WORKING_GROUP.value)]
    if kind == "public_event":
        return [("role", Role.MANAGER.value), ("role", Role.HOST.value)]
    return [("role", Role.MAYOR.value), ("role", Role.MANAGER.value)]


def _plan(alliance, areas, years: int, rng: random.Random, today) -> list[dict]:
    """Every meeting of `years` years up to three months from today, earliest first, as the
    service's draft plus its agenda, links to come and the state it has reached by today."""
    end = today + timedelta(days=91)
    names = {m.ags: m.name for m in alliance.municipalities}
    points = {a.ags: a.geometry.representative_point() for a in areas}
    plan = []
    for year in range(years):
        first = end - timedelta(days=365 * (years - year))
        for kind, group, count, begin, finish in MEETING_PLAN:
            for n in range(count):
                day = _weekday(
                    first + timedelta(days=int((n + rng.uniform(0.1, 0.9)) * 365 / count))
                )
                ags = rng.choice(list(names))
                online = kind == "working_group" and rng.random() < 0.3
                title = {
                    "steering_group": "Allianzsitzung",
                    "assembly": f"Mitgliederversammlung {day.year}",
                    "working_group": f"Treffen {group}",
                    "network_working": "Netzwerkveranstaltung der Verwaltungen",
                    "network_decision": "Netzwerkveranstaltung der Bürgermeister",
                    "public_event": f"{rng.choice(PUBLIC_EVENTS)} in {names[ags]}",
                }[kind]
                place = {
                    "steering_group": f"Rathaus {names[ags]}, Sitzungssaal",
                    "assembly": f"Rathaus {names[ags]}, Sitzungssaal",
                    "public_event": f"Bürgerhaus {names[ags]}",
                }.get(kind, "" if online else f"Verwaltung {names[ags]}, Beratungsraum")
                local = kind == "public_event"
                draft = meeting_service.MeetingDraft(
                    kind=kind,
                    title=title,
                    day=day,
                    start_time=begin,
                    end_time=finish,
                    place=place,
                    online_url="https://konferenz.example.org/allianz" if online else "",
                    organiser="Geschäftsstelle",
                    working_group=group,
                    municipality_ags=ags if local else None,
                    lat=round(points[ags].y, 6) if local else None,
                    lon=round(points[ags].x, 6) if local else None,
                )
                plan.append({"draft": draft, "agenda": _agenda(kind, rng)})
    plan.sort(key=lambda p: (p["draft"].day, p["draft"].start_time))
    return plan


def _agenda(kind: str, rng: random.Random) -> list[dict]:
    """6–10 items; 10–20 % non-public (at the end, before "Verschiedenes", as offices do)."""
    count = rng.randint(6, 10)
    internal = max(1, round(count * rng.uniform(0.10, 0.20)))
    fixed = [OPENING, *([PREVIOUS] if kind != "public_event" else [])]
    topics = rng.sample(TOPICS, count - len(fixed) - internal - 1)
    titles = [(t, True) for t in (*fixed, *topics)]
    titles += [(t, False) for t in rng.sample(INTERNAL_TOPICS, internal)] + [(CLOSING, True)]
    return [{"title": t, "public": public, "topic": t in topics} for t, public in titles]


def _state(starts_at: datetime, now: datetime, rng: random.Random) -> str:
    if rng.random() < 0.03:
        return "cancelled"
    if starts_at > now:
        return "invited" if starts_at - now < timedelta(days=28) else "planned"
    if now - starts_at < timedelta(days=14):
        return "held"
    return "commenting" if now - starts_at < timedelta(days=35) else "released"


def _links(agenda: list[dict], measure_ids: list[int], refs: list[str], rng) -> None:
    for item in agenda:
        links = []
        if item["topic"] and measure_ids and rng.random() < 0.35:
            links.append(("measure", str(rng.choice(measure_ids))))
        if item["topic"] and refs and rng.random() < 0.2:
            links.append(("suggestion", rng.choice(refs)))
        item["links"] = links


def _outcomes(agenda: list[dict], rng) -> None:
    for item in agenda:
        item["result"] = item["resolution"] = ""
        if item["title"] in (OPENING, CLOSING):
            continue
        draw = rng.random()
        for share, result, resolved in OUTCOMES:
            if draw < share:
                item["result"] = result
                if resolved:
                    item["resolution"] = (
                        f"Beschluss zu „{item['title']}“: Die Geschäftsstelle bereitet die "
                        "Umsetzung vor und berichtet in der nächsten Sitzung."
                    )
                break
            draw -= share


def _minutes(day, agenda: list[dict], public: bool) -> str:
    lines = [f"Protokoll der Sitzung vom {day:%d.%m.%Y}.", ""]
    for number, item in enumerate(agenda, start=1):
        if item["public"] == public:
            lines += [
                f"## TOP {number}: {item['title']}",
                "",
                "Die Geschäftsstelle berichtete; es gab Fragen und Anregungen. "
                + (f"Ergebnis: {item['result']}." if item["result"] else ""),
                "",
            ]
    return "\n".join(lines) if len(lines) > 2 else ""


def meetings(db, alliance, years: int = 5, seed: int = 16, service_sample: int = 10) -> dict:
    """The office's history: ~60 meetings a year over `years` years (the last three months
    ahead of today), with agendas, links to measures and suggestions, the bench accounts
    invited, answers, attendance, results, resolutions, minutes, documents and comments; and
    ~40 external appointments and ~40 press entries a year. `service_sample` meetings live
    their whole life through the meetings service (timed); the rest are written in bulk."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.astimezone(BERLIN).date()
    areas = municipalities.areas(db)
    measure_ids = [m.id for m in measures.all_measures(db)]
    refs = [r[0] for r in db.execute("SELECT ref FROM suggestions ORDER BY id LIMIT 2000")]
    people = [u for u in accounts.list_users(db) if u["active"] and u["role"] != "citizen"]
    plan = _plan(alliance, areas, years, rng, today)
    for entry in plan:
        draft = entry["draft"]
        starts = datetime.combine(
            draft.day, datetime.strptime(draft.start_time, "%H:%M").time(), BERLIN
        )
        entry["starts_at"] = starts.astimezone(UTC)
        entry["state"] = _state(entry["starts_at"], now, rng)
        _links(entry["agenda"], measure_ids, refs, rng)
        _outcomes(entry["agenda"], rng)
    done = [i for i, e in enumerate(plan) if e["state"] == "released"]
    chosen = set(done[:: max(1, len(done) // service_sample)][:service_sample]) if done else set()
    _bulk(db, [e for i, e in enumerate(plan) if i not in chosen], people, now, rng)
    lives = [_through_service(db, alliance, plan[i], people, now, rng) for i in sorted(chosen)]
    _office_lists(db, years, today, rng)
    counts = {
        table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - constants
        for table in (
            "meetings",
            "meeting_items",
            "meeting_item_links",
            "meeting_participants",
            "meeting_documents",
            "office_appointments",
            "press_log",
        )
    }
    counts["non_public_items"] = db.execute(
        "SELECT count(*) FROM meeting_items WHERE public = 0"
    ).fetchone()[0]
    counts["service_sample"] = len(lives)
    counts["service_life_median_ms"] = (
        round(sorted(lives)[len(lives) // 2] * 1000, 1) if lives else None
    )
    return counts


def _participants(kind: str, people: list[dict]) -> list[dict]:
    roles = {value for _kind, value in _invitees(kind)}
    return [p for p in people if p["role"] in roles]


def _bulk(db, plan: list[dict], people: list[dict], now: datetime, rng) -> None:
    """The meetings of the plan as rows, in one transaction."""
    iso = lambda moment: moment.astimezone(UTC).isoformat(timespec="seconds")  # noqa: E731
    next_id = {
        t: db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {t}").fetchone()[0]  # noqa: S608
        for t in ("meetings", "meeting_items", "meeting_documents")
    }
    meetings_rows, items, links, invitees, participants, documents, comments = (
        [] for _ in range(7)
    )
    for entry in plan:
        draft, state, starts = entry["draft"], entry["state"], entry["starts_at"]
        finish = datetime.combine(
            draft.day, datetime.strptime(draft.end_time, "%H:%M").time(), BERLIN
        )
        meeting_id = next_id["meetings"]
        next_id["meetings"] += 1
        created = min(now - timedelta(days=1), starts - timedelta(days=42))
        invited = (
            starts - timedelta(days=21)
            if state != "planned" and starts - timedelta(days=21) < now
            else None
        )
        held = state in ("held", "commenting", "released")
        released = min(now, starts + timedelta(days=20)) if state == "released" else None
        minutes = (
            _minutes(draft.day, entry["agenda"], True)
            if state in ("commenting", "released")
            else ""
        )
        internal = _minutes(draft.day, entry["agenda"], False) if minutes else ""
        version = {
            "planned": 1,
            "invited": 2,
            "held": 4,
            "commenting": 6,
            "released": 7,
            "cancelled": 3,
        }[state]
        meetings_rows.append(
            (
                meeting_id,
                draft.kind,
                draft.working_group,
                draft.title,
                iso(starts),
                iso(finish),
                draft.place,
                draft.lat,
                draft.lon,
                draft.online_url,
                draft.organiser,
                draft.municipality_ags,
                int(meeting_service.PUBLIC_BY_DEFAULT[draft.kind]),
                state,
                "Terminkonflikt mehrerer Bürgermeister; ein neuer Termin folgt."
                if state == "cancelled"
                else "",
                iso(invited) if invited else None,
                minutes,
                internal,
                (now + timedelta(days=7)).date().isoformat() if state == "commenting" else None,
                iso(released) if released else None,
                version,
                0,
                "bench",
                iso(created),
                iso(released or invited or created),
            )
        )
        for position, item in enumerate(entry["agenda"], start=1):
            item_id = next_id["meeting_items"]
            next_id["meeting_items"] += 1
            decided = held and (item["result"] or item["resolution"])
            items.append(
                (
                    item_id,
                    meeting_id,
                    position,
                    item["title"],
                    int(item["public"]),
                    item["result"] if held else "",
                    item["resolution"] if held else "",
                    draft.day.isoformat() if decided else None,
                )
            )
            links += [(item_id, kind, target) for kind, target in item["links"]]
            if item["links"] and draft.kind in ("steering_group", "assembly") and invited:
                documents.append(
                    (
                        next_id["meeting_documents"],
                        meeting_id,
                        item_id,
                        f"Beschlussvorlage TOP {position}.pdf",
                        iso(invited),
                    )
                )
                next_id["meeting_documents"] += 1
        if draft.kind in ("steering_group", "assembly") and invited:
            documents.append(
                (
                    next_id["meeting_documents"],
                    meeting_id,
                    None,
                    "Einladung und Tagesordnung.pdf",
                    iso(invited),
                )
            )
            next_id["meeting_documents"] += 1
        invitees += [(meeting_id, kind, value) for kind, value in _invitees(draft.kind)]
        if not invited:
            continue
        for person in _participants(draft.kind, people):
            answer = rng.choices(["yes", "maybe", "no", None], [70, 10, 15, 5])[0]
            attended = None
            if held:
                attended = int(rng.random() < (0.9 if answer == "yes" else 0.1))
            participants.append(
                (
                    meeting_id,
                    person["id"],
                    answer,
                    iso(invited + timedelta(days=2)) if answer else None,
                    attended,
                )
            )
            if state == "commenting" and rng.random() < 0.5:
                comments.append(
                    (
                        meeting_id,
                        person["id"],
                        person["display_name"],
                        "Bitte bei TOP 3 ergänzen, dass die Gemeinde zugestimmt hat.",
                        iso(now - timedelta(days=2)),
                    )
                )
    sha1 = hashlib.sha1(PDF, usedforsecurity=False).hexdigest()
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO meetings (id, kind, working_group, title, starts_at, ends_at, place, "
            "lat, lon, online_url, organiser, municipality_ags, public, state, cancel_reason, "
            "invited_at, minutes, minutes_internal, comments_until, released_at, version, "
            "is_demo, created_by, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            meetings_rows,
        )
        db.conn.executemany(
            "INSERT INTO meeting_items (id, meeting_id, position, title, public, result, "
            "resolution, decided_at) VALUES (?,?,?,?,?,?,?,?)",
            items,
        )
        db.conn.executemany(
            "INSERT INTO meeting_item_links (item_id, kind, target) VALUES (?,?,?)", links
        )
        db.conn.executemany(
            "INSERT INTO meeting_invitees (meeting_id, kind, value) VALUES (?,?,?)", invitees
        )
        db.conn.executemany(
            "INSERT INTO meeting_participants (meeting_id, user_id, answer, answered_at, "
            "attended) VALUES (?,?,?,?,?)",
            participants,
        )
        db.conn.executemany(
            "INSERT INTO meeting_documents (id, meeting_id, item_id, file_title, mime_type, "
            "size, sha1, content, uploaded_by, uploaded_at) "
            "VALUES (?,?,?,?,'application/pdf',?,?,?,'bench',?)",
            [(i, m, item, title, len(PDF), sha1, PDF, at) for i, m, item, title, at in documents],
        )
        db.conn.executemany(
            "INSERT INTO meeting_comments (meeting_id, user_id, author, body, created_at) "
            "VALUES (?,?,?,?,?)",
            comments,
        )


def _through_service(db, alliance, entry: dict, people: list[dict], now: datetime, rng) -> float:
    """One past meeting's whole life through the meetings service; returns the seconds."""
    start = time.perf_counter()
    draft = entry["draft"]
    meeting_id = meeting_service.create(db, alliance, OFFICE, draft)
    item_ids = []
    for item in entry["agenda"]:
        item_id = meeting_service.add_item(db, OFFICE, meeting_id, item["title"], item["public"])
        item_ids.append(item_id)
        for kind, target in item["links"]:
            meeting_service.link_item(db, OFFICE, item_id, kind, target)
    if draft.kind in ("steering_group", "assembly"):
        meeting_service.attach(db, OFFICE, meeting_id, None, "Einladung und Tagesordnung.pdf", PDF)
    meeting_service.set_invitees(db, alliance, OFFICE, meeting_id, _invitees(draft.kind))
    meeting_service.send_invitations(db, alliance, OFFICE, meeting_id, "", notify=False)
    for person in _participants(draft.kind, people):
        user = User(
            person["username"],
            person["display_name"],
            Role(person["role"]),
            person["municipality_ags"],
            id=person["id"],
        )
        meeting_service.answer(db, user, meeting_id, rng.choice(["yes", "yes", "maybe", "no"]))
    meeting_service.transition(db, OFFICE, meeting_id, "held", now=now)
    present = [p.user_id for p in meeting_service.participants(db, OFFICE, meeting_id)]
    meeting_service.record_attendance(db, OFFICE, meeting_id, present[: max(1, len(present) - 1)])
    for item, item_id in zip(entry["agenda"], item_ids, strict=True):
        if item["result"]:
            meeting_service.decide(
                db, alliance, OFFICE, item_id, item["result"], item["resolution"]
            )
    meeting_service.save_minutes(
        db,
        OFFICE,
        meeting_id,
        _minutes(draft.day, entry["agenda"], True),
        _minutes(draft.day, entry["agenda"], False),
    )
    meeting_service.transition(db, OFFICE, meeting_id, "released", now=now)
    return time.perf_counter() - start


def _office_lists(db, years: int, today, rng) -> None:
    """~40 external appointments and ~40 press entries a year, through the service."""
    for n in range(40 * years):
        event, partner, topic = rng.choice(APPOINTMENT_EVENTS)
        day = today - timedelta(days=int((n + rng.random()) * 365 / 40))
        meeting_service.add_appointment(db, OFFICE, day, event, partner, topic)
    for n in range(40 * years):
        day = today - timedelta(days=int((n + rng.random()) * 365 / 40))
        meeting_service.add_press(
            db,
            OFFICE,
            day,
            rng.choice(PRESS_OUTLETS),
            f"Allianz: {rng.choice(TOPICS)}",
            f"https://zeitung.example.org/artikel/{n}",
        )
