"""The hostile corpus through every feature's service and every export: stored as typed
(minus control characters), written as inert text in CSV, Markdown, PDF and map data."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pypdf
import pytest

from allianz import maps
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.exports import markdown_text
from allianz.measures import service as measures
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from allianz.summary import report
from allianz.summary import service as figures
from allianz.vacancies import files as vacancy_files
from allianz.vacancies import service as vacancies
from allianz.vacancies import store as vacancy_store
from allianz.workshops import protocol
from allianz.workshops import service as workshops
from allianz.workshops import store as workshop_store
from tests.hostile import CORPUS, expected_stored

MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
FORMULA_START = ("=", "+", "-", "@")


def _csv_cells(data: bytes | str) -> list[str]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def _inert_csv(cells: list[str]) -> None:
    assert not any(c[:1] in FORMULA_START for c in cells), [
        c for c in cells if c[:1] in FORMULA_START
    ]


@pytest.fixture
def areas(db):
    return municipalities.areas(db)


def test_suggestions(db, alliance, areas):
    seat = alliance.municipality("14729060")
    made = []
    for text in CORPUS:
        made.append(
            suggestions.submit(
                db, alliance, areas,
                suggestions.Submission("other", (text * 3)[:120] or "x", text, seat.seat_lat,
                                       seat.seat_lon, address_text=text[:200]),
            )
        )  # fmt: skip
    for sub, text in zip(made, CORPUS, strict=True):
        stored = suggestions.store.get(db, sub.id)
        assert stored.description == expected_stored(text)
    items = [suggestions.store.get(db, s.id) for s in made]
    _inert_csv(_csv_cells(suggestions.export_csv(items, alliance)))
    geojson = json.loads(suggestions.export_geojson(items, alliance))
    assert {f["properties"]["description"] for f in geojson["features"]} == {
        expected_stored(t) for t in CORPUS
    }


def test_workshop_cards_and_protocols(db, alliance, areas):
    wid = workshops.create(
        db, alliance, MANAGER,
        workshops.WorkshopDraft(CORPUS[0], datetime(2026, 1, 1), place=CORPUS[1],
                                tables=[workshops.TableDraft(CORPUS[2], host=CORPUS[4])]),
    )  # fmt: skip
    workshops.set_phase(db, MANAGER, wid, "live")
    table = workshop_store.get(db, wid).tables[0].id
    for text in CORPUS:
        workshops.add_card(db, alliance, areas, MANAGER, wid,
                           workshops.CardDraft(table, text[:500], tags=text[:20]))  # fmt: skip
    cards = workshop_store.cards(db, wid)
    assert {c.text for c in cards} == {expected_stored(t)[:500] for t in CORPUS}
    md = protocol.build(db, alliance, wid, "md").decode()
    assert "<script" not in md and "<img" not in md and "<svg" not in md
    assert markdown_text(expected_stored(CORPUS[0])) in md
    _inert_csv(_csv_cells(protocol.build(db, alliance, wid, "csv")))
    pdf = protocol.build(db, alliance, wid, "pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "<script>window.__pwned=1</script>" in text  # literal text, nothing interpreted


def test_vacancy_fields_and_files(db, alliance, areas, tmp_path):
    seat = alliance.municipality("14729060")
    for text in CORPUS:
        vacancies.create(
            db, alliance, areas, MANAGER,
            {"type": "leerstand", "lat": seat.seat_lat, "lon": seat.seat_lon,
             "description": text, "address": text[:200], "source": text[:200],
             "publication_consent": True},
            vacancies.Owner(text[:200], text[:300]),
        )  # fmt: skip
    sites = vacancy_store.search(db)
    assert {s.description for s in sites} == {expected_stored(t) for t in CORPUS}
    csv_data = vacancy_files.write(sites, alliance, "csv", vacancy_store.owners(db))
    _inert_csv(_csv_cells(csv_data))
    path = tmp_path / "zurueck.xlsx"
    path.write_bytes(vacancy_files.write(sites, alliance, "xlsx"))
    rows = vacancy_files.read_rows(path, alliance)
    result = vacancies.import_rows(db, alliance, areas, MANAGER, rows)
    assert result.count == len(CORPUS)


def test_measures_and_report(db, alliance, areas):
    for text in CORPUS[:6]:
        measures.create(db, alliance, MANAGER,
                        {"handlungsfeld": 1, "priority": "A", "title": text, "assessment": text},
                        [measures.StepDraft(text, date(2020, 1, 1), text[:100])])  # fmt: skip
    assert {m.title for m in measures.all_measures(db)} == {expected_stored(t) for t in CORPUS[:6]}
    summary = figures.build(db, alliance, areas, figures.Period(date(2020, 1, 1), date(2026, 1, 1)))
    text = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(report.pdf(alliance, summary))).pages
    )
    assert "<script>window.__pwned=1</script>" in text


def test_map_layers_escape_every_property(db, alliance):
    import geopandas as gpd
    from shapely.geometry import Point

    frame = gpd.GeoDataFrame(
        {"text": list(CORPUS)}, geometry=[Point(12.5, 51.3)] * len(CORPUS), crs="EPSG:4326"
    )
    fmap = maps.base_map(alliance)
    maps.add_point_layer(
        fmap, frame, layer_name="x", tooltip=[maps.Field("text", "T")],
        popup=[maps.Field("text", "P")],
    )  # fmt: skip
    html = fmap.get_root().render()
    for raw in ("<script>window.__pwned", "<img src=x", "<svg/onload", "`${window"):
        assert raw not in html


def test_network_import_names_and_exports(db, tmp_path):
    import geopandas as gpd
    from shapely.geometry import LineString

    from allianz.networks import service as networks
    from allianz.networks import store as network_store
    from allianz.networks.model import Network
    from tests.conftest import TEST_ACTOR

    lines = [
        LineString([(12.55, 51.30 + i * 0.001), (12.56, 51.30 + i * 0.001)])
        for i in range(len(CORPUS))
    ]
    path = tmp_path / "netz.geojson"
    gpd.GeoDataFrame({"BEZ": list(CORPUS)}, geometry=lines, crs="EPSG:4326").to_file(
        path, driver="GeoJSON"
    )
    preview = networks.prepare_import(path, municipalities.areas(db), {"name": "BEZ"})
    assert not preview.errors, preview.errors
    networks.commit_import(db, preview, {Network.RAD}, TEST_ACTOR)
    names = {s.name for s in network_store.all_segments(db)}
    # GDAL reads strings up to a NUL character; everything else arrives as typed (cleaned).
    typed = {expected_stored(t.split("\x00")[0])[:200] for t in CORPUS}  # names: 200 chars
    assert typed == names
    db.execute("UPDATE segments SET priority = 'A'")
    _inert_csv(_csv_cells(networks.gaps_and_priority_csv(db)))
    exported = json.loads(networks.export_bytes(db, ".geojson"))
    assert {f["properties"]["name"] for f in exported["features"]} == names


def test_no_secret_is_committed():
    """No private key, OIDC client secret or cookie secret lives in the repository."""
    import re
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    pattern = re.compile(
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----"
        r"|(client_secret|cookie_secret|password)\s*=\s*\"[^\"]{8,}\""
    )
    offenders = []
    for name in files:
        if name.startswith("tests/") or not name.endswith(
            (".py", ".toml", ".json", ".md", ".cfg", ".ini", ".env", ".yaml", ".yml")
        ):
            continue
        text = (root / name).read_text(encoding="utf-8", errors="ignore")
        if pattern.search(text):
            offenders.append(name)
    assert offenders == []
