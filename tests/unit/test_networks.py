import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point, box, shape

from allianz import audit, demo_geodata, geo
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import Conflict, PermissionDenied
from allianz.municipalities import service as municipalities
from allianz.networks import importer, presentation, service, snapshot, store
from allianz.networks.model import Network
from tests.conftest import TEST_ACTOR
from tests.unit.test_suggestions import jpeg

GPX_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "gpx"  # vendored gpxpy test files
WORLD = box(-180, -90, 180, 90)
AK = User("ak", "Arbeitskreis", Role.WORKING_GROUP, id=1)
STAFF = User("st", "Verwaltung", Role.STAFF, "14729060", id=2)
MAYOR = User("bm", "BM", Role.MAYOR, "14729060", id=3)
# a line inside Partheland, Naunhof → Brandis
INSIDE = LineString([(12.5883, 51.2778), (12.6089, 51.3347)])


def geodesic_km(line) -> float:
    return Geod(ellps="GRS80").geometry_length(line) / 1000


@pytest.mark.parametrize(
    ("name", "rows", "errors", "notes"),
    [
        ("Mojstrovka.gpx", 1, 0, 0),
        ("route.gpx", 1, 0, 0),
        ("track-with-small-floats.gpx", 1, 0, 0),
        ("track-with-empty-segment.gpx", 1, 0, 1),  # the empty segment is skipped, noted
        ("gpx1.0_with_all_fields.gpx", 2, 2, 2),  # both tracks: segments with < 2 points
        ("gpx1.1_with_all_fields.gpx", 2, 2, 2),
        ("cerknicko-jezero.gpx", 7, 1, 1),  # track 1 holds only an empty segment
        ("unicode_with_bom.gpx", 0, 1, 0),  # only a waypoint: no lines
    ],
)
def test_gpxpy_sample_files(name, rows, errors, notes):
    preview = importer.prepare(GPX_DIR / name, WORLD)
    assert (len(preview.rows), len(preview.errors), len(preview.notes)) == (rows, errors, notes)


def test_gpx_errors_name_the_feature():
    preview = importer.prepare(GPX_DIR / "gpx1.1_with_all_fields.gpx", WORLD)
    assert preview.errors[0].startswith("Track 1")
    assert "leere Geometrie" in preview.errors[0]


def test_gpx_length_matches_independent_geodesic_calculation():
    preview = importer.prepare(GPX_DIR / "Mojstrovka.gpx", WORLD)
    expected = sum(geodesic_km(r.geometry) for r in preview.rows)
    assert preview.km == pytest.approx(expected, rel=0.002)  # UTM scale distortion < 0.2 %


def test_service_length_against_geodesic():
    assert geo.length_km(INSIDE) == pytest.approx(geodesic_km(INSIDE), rel=0.002)
    assert 6.0 < geodesic_km(INSIDE) < 7.0


def _frame(lines, crs="EPSG:4326", **columns) -> gpd.GeoDataFrame:
    data = gpd.GeoDataFrame(
        columns or {"name": [f"L{i}" for i in range(len(lines))]}, geometry=lines, crs="EPSG:4326"
    )
    return data.to_crs(crs)


def _write(frame: gpd.GeoDataFrame, path: Path, driver: str) -> Path:
    frame.to_file(path, driver=driver)
    return path


@pytest.mark.parametrize(
    ("suffix", "driver", "crs"),
    [
        (".geojson", "GeoJSON", "EPSG:4326"),
        (".gpkg", "GPKG", "EPSG:25832"),
        (".kml", "KML", "EPSG:4326"),
        (".gpkg", "GPKG", "EPSG:31468"),  # Gauß-Krüger zone 4: any CRS is reprojected
    ],
)
def test_formats_and_crs(db, tmp_path, suffix, driver, crs):
    path = _write(_frame([INSIDE], crs), tmp_path / f"net{suffix}", driver)
    areas = municipalities.areas(db)
    preview = service.prepare_import(path, areas)
    assert preview.ok, preview.errors
    assert preview.km == pytest.approx(geodesic_km(INSIDE), rel=0.003)


def test_zipped_shapefile_with_attribute_mapping(db, tmp_path):
    frame = _frame(
        [INSIDE, INSIDE.parallel_offset(0.001)],
        crs="EPSG:25832",
        BEZ=["Parthe-Radweg", "Nebenweg"],
        BELAG=["Asphalt", "Schotter"],
        PRIO=["a", "C"],
        BREITE=["2,5", "3"],
    )
    folder = tmp_path / "shp"
    folder.mkdir()
    frame.to_file(folder / "wege.shp")
    archive = tmp_path / "wege.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    areas = municipalities.areas(db)
    preview = service.prepare_import(
        archive, areas, {"name": "BEZ", "surface": "BELAG", "priority": "PRIO", "width_m": "BREITE"}
    )
    assert preview.ok, preview.errors
    assert {"BEZ", "BELAG"} <= set(preview.columns)
    assert service.commit_import(db, preview, {Network.RAD, Network.KERN}, TEST_ACTOR) == 2
    first = store.all_segments(db)[0]
    assert (first.name, first.surface, first.priority, first.width_m) == (
        "Parthe-Radweg",
        "asphalt",
        "A",
        2.5,
    )
    assert first.in_rad and first.in_kern
    assert first.length_m / 1000 == pytest.approx(geodesic_km(INSIDE), rel=0.002)
    assert audit.recent(db)[0]["action"] == "network.import"


def test_refusals_write_nothing(db, tmp_path):
    areas = municipalities.areas(db)
    outside = LineString([(9.60, 49.84), (9.62, 49.85)])  # Marktheidenfeld
    mixed = _frame(
        [INSIDE, outside, Point(12.59, 51.28)],
        name=["gut", "draußen", "Punkt"],
        PRIO=["A", "A", "Z"],
    )
    path = _write(mixed, tmp_path / "mixed.geojson", "GeoJSON")
    preview = service.prepare_import(path, areas, {"priority": "PRIO"})
    assert len(preview.rows) == 1
    assert any("Objekt 2 „draußen“: liegt außerhalb" in e for e in preview.errors)
    assert any("Objekt 3 „Punkt“: Point statt Linie" in e for e in preview.errors)
    with pytest.raises(service.NetworkError):
        service.commit_import(db, preview, {Network.RAD}, TEST_ACTOR)
    assert store.count(db) == 0
    bad_value = _frame([INSIDE], PRIO=["Z"])
    preview = service.prepare_import(
        _write(bad_value, tmp_path / "p.geojson", "GeoJSON"), areas, {"priority": "PRIO"}
    )
    assert any("Priorität „Z“" in e for e in preview.errors)
    unknown_column = service.prepare_import(path, areas, {"name": "FEHLT"})
    assert any(e.startswith("Spalten nicht in der Datei: FEHLT") for e in unknown_column.errors)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.geojson", b"\x89PNG\r\n", "kein GeoJSON"),
        ("x.gpx", b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "b">]><gpx/>', "DOCTYPE"),
        ("x.gpx", b"<gpx><trk><trkseg><trkpt lat='x' lon='1'/></trkseg></trk></gpx>", "lat/lon"),
        ("x.gpx", b"<kml/>", "keine GPX-Datei"),
        ("x.gpx", b"<gpx><trk>", "kein gültiges XML"),
        ("x.kml", b"not xml", "kein XML"),
        ("x.zip", b"PK\x03\x04broken", "beschädigt"),
        ("x.txt", b"hello", "nicht unterstützt"),
    ],
)
def test_broken_files_are_reported(db, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    preview = service.prepare_import(path, municipalities.areas(db))
    assert not preview.ok and any(message in e for e in preview.errors)


def test_zip_traversal_is_refused(db, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("../../etc/x.shp", b"x")
    path = tmp_path / "evil.zip"
    path.write_bytes(buffer.getvalue())
    preview = service.prepare_import(path, municipalities.areas(db))
    assert any("Unzulässiger Pfad" in e for e in preview.errors)


def test_progress_is_reported(db, tmp_path):
    lines = [
        LineString([(12.58 + i * 1e-4, 51.28), (12.58 + i * 1e-4, 51.281)]) for i in range(450)
    ]
    path = _write(_frame(lines), tmp_path / "many.geojson", "GeoJSON")
    seen = []
    preview = service.prepare_import(path, municipalities.areas(db), progress=seen.append)
    assert preview.ok and len(preview.rows) == 450
    assert seen[-1] == 1.0 and len(seen) >= 3


@pytest.fixture
def net(db, alliance):
    service.load_demo(db, demo_geodata.load_networks(alliance), TEST_ACTOR)
    return db


def in_borsdorf(db):
    """The first segment crossing Borsdorf, the municipality of STAFF and MAYOR."""
    return next(s for s in store.all_segments(db) if STAFF.municipality_ags in s.municipalities)


def test_demo_network_and_key_figures(net):
    segments = store.all_segments(net)
    areas = municipalities.areas(net)
    figures = service.key_figures(segments, areas)
    rad = [s for s in segments if s.in_rad]
    assert figures.km_rad == pytest.approx(
        sum(geodesic_km(shape(s.geometry)) for s in rad), rel=0.002
    )
    assert figures.km_total == pytest.approx(figures.km_rad + figures.km_kern, abs=0.01)
    # split at municipality boundaries: the parts add up to the whole (all inside the area)
    by_m = figures.by_municipality
    assert by_m["Radwegenetz km"].sum() == pytest.approx(figures.km_rad, rel=0.001)
    assert by_m["Kernwegenetz km"].sum() == pytest.approx(figures.km_kern, rel=0.001)
    assert sum(figures.by_condition.values()) == pytest.approx(figures.km_total, abs=0.01)
    assert sum(figures.by_status.values()) == pytest.approx(figures.km_total, abs=0.01)
    assert figures.km_reviewed == 0
    gaps = sum(s.length_m for s in segments if s.gap) / 1000
    assert figures.km_gaps == pytest.approx(gaps, abs=0.001)


def test_review_history_and_acceptance(net):
    segment = in_borsdorf(net)
    first = service.record_review(
        net,
        AK,
        segment.id,
        service.ReviewInput(
            condition=4,
            surface="gravel",
            width_m="2,0",
            defects=("too_narrow", "crossing"),
            gap=True,
            suggested_priority="A",
            comment="<b>eng</b>",
            photo=jpeg(),
        ),
    )
    assert first.has_photo and first.width_m == 2.0 and first.defects == ("too_narrow", "crossing")
    second = service.record_review(net, STAFF, segment.id, service.ReviewInput(condition=5))
    history = store.reviews(net, segment.id)
    assert [r.id for r in history] == [second.id, first.id]
    updated = store.get(net, segment.id)
    assert updated.reviewed and updated.shown_condition == 5
    figures = service.key_figures(store.all_segments(net), municipalities.areas(net))
    assert figures.km_reviewed == pytest.approx(segment.length_m / 1000, abs=0.001)
    with pytest.raises(PermissionDenied, match="Verwaltung"):
        service.accept_review(net, AK, first.id)
    accepted = service.accept_review(net, STAFF, first.id)
    assert (
        accepted.condition,
        accepted.surface,
        accepted.width_m,
        accepted.gap,
        accepted.priority,
    ) == (4, "gravel", 2.0, True, "A")
    with pytest.raises(Conflict, match="schon übernommen"):
        service.accept_review(net, STAFF, first.id)
    entry = audit.recent(net)[0]
    assert entry["action"] == "segment.accept_review"
    assert json.loads(entry["details"])["new"]["condition"] == 4


@pytest.mark.parametrize(
    ("review", "message"),
    [
        (service.ReviewInput(condition=7), "1 bis 5"),
        (service.ReviewInput(condition=3, width_m="breit"), "Zahl"),
        (service.ReviewInput(condition=3, width_m=80), "zwischen 0 und 50"),
        (service.ReviewInput(condition=3, defects=("ufo",)), "Unbekannte Mängel"),
        (service.ReviewInput(condition=3, suggested_priority="D"), "A, B oder C"),
        (service.ReviewInput(condition=3, comment="x" * 2001), "höchstens"),
        (service.ReviewInput(condition=3, photo=b"GIF89a"), "JPEG oder PNG"),
        (service.ReviewInput(condition=3, defect_point=(48.1, 11.5)), "200 m"),
    ],
)
def test_bad_reviews_are_refused(net, review, message):
    segment = store.all_segments(net)[0]
    with pytest.raises(service.NetworkError, match=message):
        service.record_review(net, AK, segment.id, review)
    assert store.reviews(net, segment.id) == []


def test_mayor_cannot_review(net):
    with pytest.raises(PermissionDenied):
        service.record_review(net, MAYOR, 1, service.ReviewInput(condition=2))


def test_befahrung_lists_unreviewed_segments_of_a_municipality(net):
    areas = municipalities.areas(net)
    borsdorf = next(a.geometry for a in areas if a.ags == "14729300")
    touching = [s for s in store.all_segments(net) if shape(s.geometry).intersects(borsdorf)]
    todo, total = service.unreviewed_in(service.prepare(store.all_segments(net), areas), "14729300")
    assert todo and total == len(touching)
    assert {s.id for s in todo} == {s.id for s in touching}
    service.record_review(net, AK, todo[0].id, service.ReviewInput(condition=2))
    after, _ = service.unreviewed_in(service.prepare(store.all_segments(net), areas), "14729300")
    assert len(after) == len(todo) - 1


def test_exports(net, tmp_path):
    segment = store.all_segments(net)[0]
    service.record_review(
        net, AK, segment.id, service.ReviewInput(condition=3, comment="=HYPERLINK(1)", gap=True)
    )
    for name in ("net.gpkg", "net.geojson"):
        count = service.export_file(net, tmp_path / name)
        back = gpd.read_file(tmp_path / name)
        assert count == len(back) == store.count(net)
        assert "review_comment" in back.columns and "length_km" in back.columns
    with pytest.raises(service.NetworkError):
        service.export_file(net, tmp_path / "net.csv")
    text = service.gaps_and_priority_csv(net)
    assert "'=HYPERLINK(1)" in text


def _edit(segment, **changes) -> service.SegmentEdit:
    base = {
        "name": segment.name,
        "in_rad": segment.in_rad,
        "in_kern": segment.in_kern,
        "status": segment.status.value,
        "priority": segment.priority,
        "surface": segment.surface,
        "width_m": segment.width_m,
        "lighting": segment.lighting,
        "signage": segment.signage,
        "facility": segment.facility,
        "responsible": segment.responsible,
        "gap": segment.gap,
        "cost_eur": segment.cost_eur,
    }
    return service.SegmentEdit(**{**base, **changes})


def test_staff_edit_official_attributes_with_audit(net):
    segment = in_borsdorf(net)
    updated = service.edit_segment(
        net,
        STAFF,
        segment.id,
        _edit(
            segment,
            status="implementation",
            lighting=True,
            facility="separate_path",
            responsible="district",
            cost_eur="120.000,50".replace(".", ""),
            in_kern=True,
        ),
    )
    assert updated.status.value == "implementation" and updated.lighting is True
    assert updated.facility == "separate_path" and updated.cost_eur == 120000.5
    assert updated.in_rad == segment.in_rad and updated.in_kern
    details = json.loads(audit.recent(net)[0]["details"])
    assert details["old"]["status"] == segment.status.value
    assert details["new"]["status"] == "implementation"
    entries = len(audit.recent(net))
    service.edit_segment(net, STAFF, segment.id, _edit(updated))  # nothing changed
    assert len(audit.recent(net)) == entries


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"in_rad": False, "in_kern": False}, "mindestens einem Netz"),
        ({"status": "fertig?"}, "Status"),
        ({"width_m": "breit"}, "Zahl"),
        ({"cost_eur": -5}, "zwischen"),
        ({"facility": "rakete"}, "Radverkehrsanlage"),
        ({"name": ""}, "Name"),
    ],
)
def test_bad_edits_are_refused(net, changes, message):
    segment = in_borsdorf(net)
    with pytest.raises(service.NetworkError, match=message):
        service.edit_segment(net, STAFF, segment.id, _edit(segment, **changes))
    assert store.get(net, segment.id) == segment


def test_only_staff_edit(net):
    segment = store.all_segments(net)[0]
    with pytest.raises(PermissionDenied, match="Verwaltung"):
        service.edit_segment(net, AK, segment.id, _edit(segment, status="done"))


def test_kernweg_cost_rule_of_thumb(net):
    segment = store.all_segments(net)[0]
    low, high = service.kernweg_cost_estimate(segment)
    assert low == pytest.approx(segment.length_m / 1000 * 300_000)
    assert high == pytest.approx(segment.length_m / 1000 * 350_000)


def test_select_matches_a_plain_filter(net):
    segments = store.all_segments(net)
    areas = municipalities.areas(net)
    prepared = service.prepare(segments, areas)
    borsdorf = next(a.geometry for a in areas if a.ags == "14729060")
    cases = [
        (service.SegmentFilter(), lambda s: True),
        (service.SegmentFilter(networks=frozenset({Network.KERN})), lambda s: s.in_kern),
        (service.SegmentFilter(statuses=("idea", "done")), lambda s: s.status in ("idea", "done")),
        (service.SegmentFilter(priorities=("A", "-")), lambda s: (s.priority or "-") in "A-"),
        (service.SegmentFilter(only_gaps=True), lambda s: s.gap),
        (
            service.SegmentFilter(municipality_ags="14729060"),
            lambda s: shape(s.geometry).intersects(borsdorf),
        ),
    ]
    for flt, keep in cases:
        mask = service.select(prepared, flt)
        assert [s.id for s, m in zip(segments, mask, strict=True) if m] == [
            s.id for s in segments if keep(s)
        ], flt
    some = service.select(prepared, service.SegmentFilter(municipality_ags="14729060"))
    part = service.figures(prepared, some)
    # the selection's kilometres inside Borsdorf equal the whole network's there
    whole = service.km_table(prepared).loc["14729060"]
    assert part.by_municipality.set_index("Gemeinde").loc["Borsdorf", "Radwegenetz km"] == (
        pytest.approx(whole["rad"], abs=0.001)
    )


def test_map_rows_carry_numbers_and_geometry_within_a_metre(net):
    segments = store.all_segments(net)
    prepared = service.prepare(segments, municipalities.areas(net))
    tails = presentation.row_tails(prepared.data)
    selected = service.select(prepared, service.SegmentFilter(only_gaps=True))
    selected |= service.select(prepared, service.SegmentFilter(networks=frozenset({Network.KERN})))
    layers, styles = presentation.map_layers(prepared.data, tails, selected, "priority")
    by_id = {s.id: s for s in segments}
    seen = {}
    for layer in layers:
        rows = json.loads(layer.rows_json)
        assert len(rows) == layer.count
        for segment_id, style, km, condition, parts in rows:
            segment = by_id[segment_id]
            assert segment.in_rad if layer.network is Network.RAD else segment.in_kern
            assert styles[style]["gap"] == segment.gap
            colour = presentation.colours(service.frame([segment]), "priority").iloc[0]
            assert styles[style]["color"] == colour
            assert km == pytest.approx(segment.length_m / 1000, abs=0.001)
            assert condition == (segment.shown_condition or 0)
            drawn = LineString([(p[i], p[i + 1]) for p in parts for i in range(0, len(p), 2)])
            assert geo.distance_m(drawn, shape(segment.geometry)) < 1.5
            seen[segment_id] = True
    assert sorted(seen) == [s.id for s, m in zip(segments, selected, strict=True) if m]
    assert not any(s.name in "".join(layer.rows_json for layer in layers) for s in segments)


def test_snapshot_is_kept_until_the_network_changes(net):
    areas = municipalities.areas(net)
    first = snapshot.current(net, areas)
    assert snapshot.current(net, areas) is first
    segment = in_borsdorf(net)
    position = [s.id for s in first.prepared.segments].index(segment.id)
    service.record_review(net, AK, segment.id, service.ReviewInput(condition=5))
    after = snapshot.current(net, areas)
    assert after is not first
    assert after.prepared.segments[position].shown_condition == 5
    service.edit_segment(
        net,
        STAFF,
        segment.id,
        service.SegmentEdit("Neuer Name", True, False, "idea", None, None, None, None, None,
                            None, None, False, None),
    )  # fmt: skip
    assert snapshot.current(net, areas).prepared.segments[position].name == "Neuer Name"
