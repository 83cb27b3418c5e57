"""Hostile GIS files and photos: refused before the expensive work, with a German message.

Every reader counts before it reads: a GeoPackage is inspected with sqlite3 (no views, no
triggers of its own, real tables only, rows counted there), XML is counted in one streaming
pass, GeoJSON gets GDAL's streaming count and a vertex bound. Where a test sets a smaller limit,
it also makes the full read impossible (`_no_full_read`), so passing means "refused before".
"""

from __future__ import annotations

import dataclasses
import sqlite3
import tempfile
import zipfile

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString, box

from allianz import geo, gpx, images
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.networks import importer, service, store
from allianz.networks.model import Network
from allianz.vacancies import files as vacancy_files
from tests import gis_bombs
from tests.conftest import TEST_ACTOR

WORLD = box(-180, -90, 180, 90)
AK = User("ak", "Arbeitskreis", Role.WORKING_GROUP, id=1)
MANAGER = User("am", "Allianzmanagement", Role.MANAGER, id=4)


@pytest.fixture
def _no_full_read(monkeypatch):
    """Reading features is forbidden: the refusal must come from counting first."""

    def refuse(*args, **kwargs):
        raise AssertionError("features were read before the file was refused")

    monkeypatch.setattr(pyogrio, "read_dataframe", refuse)


def _line_frame(count: int, vertices: int = 2) -> gpd.GeoDataFrame:
    lines = [
        LineString([(12.56 + 0.0001 * v, 51.30 + 0.0001 * i) for v in range(vertices)])
        for i in range(count)
    ]
    return gpd.GeoDataFrame({"name": [f"Weg {i}" for i in range(count)]}, geometry=lines, crs=4326)


def _assert_no_server_detail(message: str, tmp_path) -> None:
    assert str(tmp_path) not in message and tempfile.gettempdir() not in message
    for english in ("not recognized", "supported file format", "GDAL", "Error", "No such"):
        assert english not in message


# --- GeoPackage -----------------------------------------------------------------------------


@pytest.mark.timeout(60)  # before the fix this file kept the reader busy for minutes
def test_view_bomb_geopackage_is_refused_before_gdal(tmp_path, _no_full_read):
    path = gis_bombs.view_bomb_gpkg(tmp_path / "netz.gpkg", rows=3_000_000)
    assert path.stat().st_size < 200_000
    with pytest.raises(geo.GeoFileUnsafe, match="Sichten"):
        geo.read_vector_file(path)


@pytest.mark.timeout(60)
def test_network_import_reports_the_view_bomb_in_german(tmp_path):
    path = gis_bombs.view_bomb_gpkg(tmp_path / "netz.gpkg", rows=3_000_000)
    preview = importer.read(path, WORLD)
    assert not preview.rows
    assert len(preview.errors) == 1 and "Sichten (Views)" in preview.errors[0]


@pytest.mark.timeout(60)
def test_vacancy_import_refuses_a_view_without_reading_it(tmp_path, alliance, _no_full_read):
    path = gis_bombs.view_bomb_gpkg(tmp_path / "leerstand.gpkg", rows=300_000)
    with pytest.raises(vacancy_files.VacancyFileError, match="Sichten"):
        vacancy_files.read_rows(path, alliance)


def test_small_view_is_refused_too(tmp_path):
    """Views are refused as such, not only big ones: what a view costs cannot be known."""
    path = gis_bombs.view_bomb_gpkg(tmp_path / "netz.gpkg", rows=3)
    with pytest.raises(geo.GeoFileUnsafe, match="Sichten"):
        geo.read_vector_file(path)


def test_foreign_trigger_is_refused(tmp_path):
    with pytest.raises(geo.GeoFileUnsafe, match="Trigger"):
        geo.read_vector_file(gis_bombs.gpkg_with_trigger(tmp_path / "netz.gpkg"))


def test_generated_column_is_refused(tmp_path, _no_full_read):
    with pytest.raises(geo.GeoFileUnsafe, match="berechnete Spalten"):
        geo.read_vector_file(gis_bombs.gpkg_with_generated_column(tmp_path / "netz.gpkg"))


def test_rows_are_counted_in_the_table_not_taken_from_gpkg_ogr_contents(
    tmp_path, monkeypatch, _no_full_read
):
    path = gis_bombs.gpkg_lying_count(tmp_path / "netz.gpkg", rows=31)
    assert pyogrio.read_info(path)["features"] == 1  # what GDAL would believe
    monkeypatch.setattr(geo, "MAX_FEATURES", 30)
    with pytest.raises(geo.GeoFileTooLarge, match="mehr als 30 Objekte"):
        geo.read_vector_file(path)


def test_vacancy_geopackage_over_the_row_limit_is_refused_before_reading(
    tmp_path, alliance, monkeypatch, _no_full_read
):
    path = tmp_path / "leerstand.gpkg"
    _line_frame(11).to_file(path, layer="leerstand", driver="GPKG")
    monkeypatch.setattr(vacancy_files, "MAX_ROWS", 10)
    with pytest.raises(vacancy_files.VacancyFileError, match="mehr als 10 Objekte"):
        vacancy_files.read_rows(path, alliance)


def test_ordinary_geopackage_with_rtree_triggers_is_read(tmp_path):
    path = tmp_path / "netz.gpkg"
    _line_frame(3).to_file(path, layer="netz", driver="GPKG")  # GDAL adds rtree triggers
    with sqlite3.connect(path) as connection:
        triggers = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        assert triggers.fetchone()[0] > 0
    assert len(geo.read_vector_file(path).frame) == 3


def test_not_a_geopackage_behind_the_header(tmp_path):
    path = tmp_path / "kaputt.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(geo.GeoFileError, match="kein lesbares GeoPackage") as raised:
        geo.read_vector_file(path)
    _assert_no_server_detail(str(raised.value), tmp_path)


# --- GeoJSON, KML, GPX ------------------------------------------------------------------------


def test_three_million_feature_geojson_is_refused(tmp_path, _no_full_read):
    path = gis_bombs.geojson_features(tmp_path / "netz.geojson", 3_000_000)
    with pytest.raises(geo.GeoFileTooLarge, match="größer als 50 MB"):
        geo.read_vector_file(path)
    preview = importer.read(path, WORLD)
    assert preview.errors == ["Die Datei ist größer als 50 MB."]


def test_geojson_over_the_feature_limit_is_refused_by_count(tmp_path, monkeypatch, _no_full_read):
    path = gis_bombs.geojson_features(tmp_path / "netz.geojson", 2_001)
    monkeypatch.setattr(geo, "MAX_FEATURES", 2_000)
    with pytest.raises(geo.GeoFileTooLarge, match=r"mehr als 2\.000 Objekte"):
        geo.read_vector_file(path)


def test_geojson_over_the_vertex_limit_is_refused(tmp_path, monkeypatch, _no_full_read):
    path = tmp_path / "netz.geojson"
    _line_frame(1, vertices=1_001).to_file(path, driver="GeoJSON")
    monkeypatch.setattr(geo, "MAX_VERTICES", 1_000)
    with pytest.raises(geo.GeoFileTooLarge, match=r"mehr als 1\.000 Stützpunkte"):
        geo.read_vector_file(path)


def test_vertices_are_counted_after_reading_too(tmp_path, monkeypatch):
    """A GeoPackage has no cheap exact vertex count: the read frame is checked."""
    path = tmp_path / "netz.gpkg"
    _line_frame(2, vertices=600).to_file(path, layer="netz", driver="GPKG")
    monkeypatch.setattr(geo, "MAX_VERTICES", 1_000)
    with pytest.raises(geo.GeoFileTooLarge, match="Stützpunkte"):
        geo.read_vector_file(path)


def _kml(placemarks: int) -> bytes:
    body = "".join(
        f"<Placemark><name>P{i}</name><Point><coordinates>12.6,51.3</coordinates></Point>"
        "</Placemark>"
        for i in range(placemarks)
    )
    return (
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"{body}</Document></kml>"
    ).encode()


def test_kml_is_counted_before_gdal_reads_it(tmp_path, monkeypatch, _no_full_read):
    path = tmp_path / "orte.kml"
    path.write_bytes(_kml(51))
    monkeypatch.setattr(geo, "MAX_FEATURES", 50)
    with pytest.raises(geo.GeoFileTooLarge, match="mehr als 50 Objekte"):
        geo.read_vector_file(path)


def test_kml_coordinates_count_as_vertices(tmp_path, monkeypatch, _no_full_read):
    tuples = " ".join(f"12.{i},51.3,0" for i in range(11))
    path = tmp_path / "linie.kml"
    path.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><LineString><coordinates>'
        f"{tuples}</coordinates></LineString></Placemark></kml>"
    )
    assert geo.scan_xml(path, 10) == (1, 11)
    monkeypatch.setattr(geo, "MAX_VERTICES", 10)
    with pytest.raises(geo.GeoFileTooLarge, match="Stützpunkte"):
        geo.read_vector_file(path)


def test_gpx_reader_refuses_a_document_type_on_its_own(tmp_path):
    """Even without the byte check in front (geo.check_file), the parser stops at a DTD."""
    path = tmp_path / "lol.gpx"
    path.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<gpx><trk><name>&b;</name></trk></gpx>"
    )
    with pytest.raises(geo.GeoFileUnsafe, match="DOCTYPE"):
        gpx.read(path)


def _gpx(tracks: int, points: int) -> bytes:
    segment = "".join(f'<trkpt lat="51.3" lon="12.{5600 + i}"/>' for i in range(points))
    body = "".join(f"<trk><name>T{i}</name><trkseg>{segment}</trkseg></trk>" for i in range(tracks))
    return f'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">{body}</gpx>'.encode()


def test_gpx_with_too_many_points_is_refused_while_streaming(tmp_path, monkeypatch):
    path = tmp_path / "touren.gpx"
    path.write_bytes(_gpx(tracks=3, points=400))
    monkeypatch.setattr(geo, "MAX_VERTICES", 1_000)
    with pytest.raises(geo.GeoFileTooLarge, match="Stützpunkte"):
        gpx.read(path)
    preview = importer.read(path, WORLD)
    assert not preview.rows and "Stützpunkte" in preview.errors[0]


def test_gpx_with_too_many_tracks_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "touren.gpx"
    path.write_bytes(_gpx(tracks=6, points=2))
    monkeypatch.setattr(geo, "MAX_FEATURES", 5)
    with pytest.raises(geo.GeoFileTooLarge, match="mehr als 5 Objekte"):
        gpx.read(path)


def test_gpx_within_the_limits_is_read_as_before(tmp_path):
    path = tmp_path / "touren.gpx"
    path.write_bytes(_gpx(tracks=2, points=3))
    lines = gpx.read(path)
    assert [(line.kind, line.name, len(line.geometry.coords)) for line in lines] == [
        ("Track", "T0", 3),
        ("Track", "T1", 3),
    ]


def test_broken_xml_names_line_and_column_in_german(tmp_path):
    path = tmp_path / "kaputt.gpx"
    path.write_bytes(b'<gpx version="1.1">\n<trk><name>x</nam></trk></gpx>')
    with pytest.raises(geo.GeoFileError, match=r"kein gültiges XML \(Fehler in Zeile 2, Spalte"):
        gpx.read(path)


def test_library_errors_are_german_without_server_paths(tmp_path):
    path = tmp_path / "a.geojson"
    path.write_bytes(b'{"type": "Nonsense"')
    with pytest.raises(geo.GeoFileError, match="nicht als Geodaten lesen") as raised:
        geo.read_vector_file(path)
    _assert_no_server_detail(str(raised.value), tmp_path)
    preview = importer.read(path, WORLD)
    _assert_no_server_detail(" ".join(preview.errors), tmp_path)


# --- Shapefile ZIP ---------------------------------------------------------------------------


def test_zip_with_bad_crc_gets_a_german_error(tmp_path):
    data = gis_bombs.shapefile_zip(_line_frame(3), tmp_path)
    path = tmp_path / "netz.zip"
    path.write_bytes(gis_bombs.corrupt_crc(data, "netz.dbf"))
    with pytest.raises(geo.GeoFileError, match="beschädigt") as raised:
        geo.read_vector_file(path)
    _assert_no_server_detail(str(raised.value), tmp_path)
    preview = importer.read(path, WORLD)  # the import page shows this instead of crashing
    assert not preview.rows and "ZIP-Archiv ist beschädigt" in preview.errors[0]


def test_intact_shapefile_zip_is_still_read(tmp_path):
    path = tmp_path / "netz.zip"
    path.write_bytes(gis_bombs.shapefile_zip(_line_frame(3), tmp_path))
    assert len(geo.read_vector_file(path).frame) == 3


def test_shapefile_over_the_vertex_bound_is_refused_before_reading(
    tmp_path, monkeypatch, _no_full_read
):
    path = tmp_path / "netz.zip"
    path.write_bytes(gis_bombs.shapefile_zip(_line_frame(1, vertices=200), tmp_path))
    monkeypatch.setattr(geo, "MAX_VERTICES", 100)
    with pytest.raises(geo.GeoFileTooLarge, match="Stützpunkte"):
        geo.read_vector_file(path)


def test_geopackage_disguised_as_shapefile_is_refused(tmp_path, _no_full_read):
    """GDAL would open it as a GeoPackage (by content), past the GeoPackage checks."""
    bomb = gis_bombs.view_bomb_gpkg(tmp_path / "netz.gpkg", rows=3_000_000)
    path = tmp_path / "netz.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(bomb, "netz.shp")
    with pytest.raises(geo.GeoFileUnsafe, match="kein Shapefile"):
        geo.read_vector_file(path)


def test_ogr_vrt_disguised_as_kml_cannot_open_server_files(tmp_path):
    """An OGR VRT names any file on the server; GDAL picks its driver by content."""
    secret = tmp_path / "geheim.csv"
    secret.write_text('name,wkt\ngeheim,"POINT (12.6 51.3)"\n')
    path = tmp_path / "orte.kml"
    path.write_text(
        f'<OGRVRTDataSource><OGRVRTLayer name="geheim"><SrcDataSource>{secret}</SrcDataSource>'
        '<GeometryField encoding="WKT" field="wkt"/><LayerSRS>EPSG:4326</LayerSRS>'
        "</OGRVRTLayer></OGRVRTDataSource>"
    )
    with pytest.raises(geo.GeoFileUnsafe, match="keine KML-Datei"):
        geo.read_vector_file(path)


# --- CSV (vacancies) -------------------------------------------------------------------------


def test_csv_with_an_overlong_field_gets_a_german_error(tmp_path, alliance):
    path = tmp_path / "leerstand.csv"
    path.write_bytes(b"Bezeichnung;Gemeinde\n" + b'"' + b"x" * 200_000 + b'";Brandis\n')
    with pytest.raises(vacancy_files.VacancyFileError, match="überlange Felder"):
        vacancy_files.read_rows(path, alliance)


def test_csv_over_the_row_limit_is_refused(tmp_path, alliance, monkeypatch):
    path = tmp_path / "leerstand.csv"
    path.write_bytes(b"Bezeichnung;Gemeinde\n" + b"a;Brandis\n" * 50)
    monkeypatch.setattr(vacancy_files, "MAX_ROWS", 10)
    with pytest.raises(vacancy_files.VacancyFileError, match="Höchstens 10 Zeilen"):
        vacancy_files.read_rows(path, alliance)


# --- photos ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(20_000, 20_000), (10_000, 10_000), (7_000, 7_000)])
def test_photo_with_too_many_pixels_gets_the_megapixel_message(size):
    data = gis_bombs.huge_png(*size)
    assert len(data) < images.MAX_BYTES
    with pytest.raises(images.PhotoError, match="höchstens 40 Megapixel"):
        images.sanitize_photo(data)


# --- free text in the networks service ------------------------------------------------------

DIRTY = "Weg\x00 an der\x07 Parthe\x1b[31m"
CLEAN = "Weg an der Parthe[31m"


def test_imported_segment_names_lose_control_characters(db):
    row = importer.FeatureRow(0, "Objekt 1", gis_bombs.INSIDE, {}, {"name": DIRTY})
    preview = importer.Preview(rows=[row], source="netz\x00.geojson")
    service.commit_import(db, preview, {Network.RAD}, TEST_ACTOR)
    segment = store.all_segments(db)[-1]
    assert segment.name == CLEAN
    assert "\x00" not in db.execute("SELECT source FROM segments").fetchone()[0]


def test_unnamed_import_falls_back_to_a_clean_file_name(db):
    row = importer.FeatureRow(0, "Objekt 1", gis_bombs.INSIDE, {}, {})
    preview = importer.Preview(rows=[row], source="netz\x00\x1b.geojson")
    service.commit_import(db, preview, {Network.RAD}, TEST_ACTOR)
    assert store.all_segments(db)[-1].name == "netz.geojson #1"


def test_mapped_names_from_a_file_are_cleaned_in_the_preview():
    row = importer.FeatureRow(0, "Objekt 1", gis_bombs.INSIDE, {"BEZ": DIRTY})
    read = importer.Preview(rows=[row], columns=["BEZ"], source="netz.geojson")
    assert importer.apply_mapping(read, {"name": "BEZ"}).rows[0].values["name"] == CLEAN


def _one_segment(db) -> int:
    row = importer.FeatureRow(0, "Objekt 1", gis_bombs.INSIDE, {}, {"name": "Parthe-Radweg"})
    service.commit_import(db, importer.Preview(rows=[row], source="x"), {Network.RAD}, TEST_ACTOR)
    return store.all_segments(db)[-1].id


def test_review_comments_lose_control_characters(db):
    segment_id = _one_segment(db)
    review = service.record_review(
        db, AK, segment_id, service.ReviewInput(condition=3, comment=f"  {DIRTY}\r\nZeile 2 ")
    )
    assert review.comment == f"{CLEAN}\r\nZeile 2"


def test_edited_segment_names_lose_control_characters(db):
    segment_id = _one_segment(db)
    segment = store.get(db, segment_id)
    fields = {f.name for f in dataclasses.fields(service.SegmentEdit)}
    values = {name: getattr(segment, name) for name in fields if name != "status"}
    edit = service.SegmentEdit(**values, status=segment.status.value)
    edit.name = DIRTY
    assert service.edit_segment(db, MANAGER, segment_id, edit).name == CLEAN
