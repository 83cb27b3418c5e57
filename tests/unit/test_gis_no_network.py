"""Uploaded GIS files make the server contact nothing: GDAL fetches no URL a file names.

A recording HTTP server on 127.0.0.1 answers every request with a valid CRS, so a fetch would
succeed and show up. Files are read the way uploads are (geo.read_vector_file, the network
import, the vacancy import); each test asserts the server got no request at all and the user
got a normal read or a German sentence. The GDAL layer underneath (its HTTP client replaced by
a refusal, no remote file systems, no GDALG driver) is also tested on its own, with the
content checks in front of it bypassed.
"""

from __future__ import annotations

import http.server
import json
import sqlite3
import threading
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from pyogrio.errors import DataSourceError
from shapely.geometry import LineString, Point, box

from allianz import geo
from allianz.networks import importer
from allianz.vacancies import files as vacancy_files

WORLD = box(-180, -90, 180, 90)
WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
    'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'
)
LINE = '{"type": "LineString", "coordinates": [[12.5883, 51.2778], [12.6089, 51.3347]]}'


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers anything with a CRS in WKT, and notes what was asked."""

    def _answer(self, body: bool) -> None:
        self.server.requests.append(f"{self.command} {self.path}")
        data = WKT.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def log_message(self, *_args) -> None:
        pass


class _RecordingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Recorder)
        self.requests: list[str] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, *_args) -> None:  # a client that hangs up is no test failure
        pass


@pytest.fixture
def server():
    httpd = _RecordingServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def _no_gdal(monkeypatch):
    """GDAL must not see the file: the refusal has to come from the content check."""

    def refuse(*args, **kwargs):
        raise AssertionError("GDAL opened the file")

    for name in ("read_info", "list_layers", "read_dataframe"):
        monkeypatch.setattr(pyogrio, name, refuse)


def _write(tmp_path, name: str, text: str, server) -> Path:
    path = tmp_path / name
    path.write_text(text.replace("{url}", server.url), encoding="utf-8")
    return path


def _collection(members: str) -> str:
    feature = f'{{"type": "Feature", "properties": {{"name": "Weg"}}, "geometry": {LINE}}}'
    return f'{{"type": "FeatureCollection", {members}, "features": [{feature}]}}'


def _assert_german(message: str) -> None:
    for english in ("GDAL", "Error", "http", "not recognized", "/vsi"):
        assert english not in message


# --- GeoJSON "crs" members that name a URL ----------------------------------------------------

LINK = '{"type": "link", "properties": {"href": "{url}/crs.wkt", "type": "ogcwkt"}}'
CRS_REFERENCES = {
    "link": f'"crs": {LINK}',
    "url": '"crs": {"type": "url", "properties": {"url": "{url}/crs.wkt"}}',
    "escaped name": f'"\\u0063rs": {LINK}',
    "escaped type": '"crs": {"type": "\\u006cink", "properties": {"href": "{url}/crs.wkt"}}',
    "upper case": '"CRS": {"TYPE": "LINK", "PROPERTIES": {"HREF": "{url}/crs.wkt"}}',
    "cut by NUL": '"crs\\u0000 and a long tail after it": {"type": "link\\u0000", '
    '"properties": {"href": "{url}/crs.wkt"}}',
    "second of two": '"crs": {"type": "name", "properties": {"name": "EPSG:4326"}}, '
    f'"crs": {LINK}',
    "two types": '"crs": {"type": "name", "type": "link", "properties": {"href": "{url}/x"}}',
    "form feed": f'"crs"\f: {LINK}',
}


@pytest.mark.parametrize("members", CRS_REFERENCES.values(), ids=CRS_REFERENCES.keys())
def test_geojson_crs_reference_is_refused_without_a_request(tmp_path, server, members):
    path = _write(tmp_path, "netz.geojson", _collection(members), server)
    with pytest.raises(geo.GeoFileUnsafe, match="externe Quelle") as raised:
        geo.read_vector_file(path)
    assert server.requests == []
    _assert_german(str(raised.value))


def test_crs_of_a_single_geometry_is_refused_too(tmp_path, server):
    geometry = LINE[:-1] + f', "crs": {LINK}}}'
    feature = f'{{"type": "Feature", "properties": {{}}, "geometry": {geometry}}}'
    text = f'{{"type": "FeatureCollection", "features": [{feature}]}}'
    path = _write(tmp_path, "netz.geojson", text, server)
    with pytest.raises(geo.GeoFileUnsafe, match="externe Quelle"):
        geo.read_vector_file(path)
    assert server.requests == []


def test_topojson_crs_link_is_refused(tmp_path, server):
    text = (
        f'{{"type": "Topology", "crs": {LINK}, "arcs": [], "objects": {{"netz": '
        '{"type": "GeometryCollection", "geometries": [{"type": "Point", '
        '"coordinates": [12.6, 51.3]}]}}}'
    )
    path = _write(tmp_path, "netz.json", text, server)
    with pytest.raises(geo.GeoFileUnsafe, match="externe Quelle"):
        geo.read_vector_file(path)
    assert server.requests == []


# GDAL's parser takes these for a single Feature; strict JSON has them nowhere.
NOT_STRICT_JSON = {
    "single quotes": "{\"type\": \"Feature\", 'crs': {'type': 'link', 'properties': "
    "{'href': '{url}/crs.wkt'}}, \"properties\": {}, \"geometry\": " + LINE + "}",
    "comment": '{"type": "Feature", /* Kommentar */ "crs": ' + LINK + ', "properties": {}, '
    '"geometry": ' + LINE + "}",
}


@pytest.mark.parametrize("text", NOT_STRICT_JSON.values(), ids=NOT_STRICT_JSON.keys())
def test_json_that_is_not_strict_is_refused_with_line_and_column(tmp_path, server, text):
    path = _write(tmp_path, "netz.geojson", text, server)
    with pytest.raises(geo.GeoFileError, match=r"kein gültiges JSON \(Fehler in Zeile 1, Spalte"):
        geo.read_vector_file(path)
    assert server.requests == []


def test_network_import_shows_the_crs_reference_in_german(tmp_path, server):
    path = _write(tmp_path, "netz.geojson", _collection(CRS_REFERENCES["escaped name"]), server)
    preview = importer.read(path, WORLD)
    assert not preview.rows
    assert (
        len(preview.errors) == 1 and "aus Sicherheitsgründen nicht abgerufen" in preview.errors[0]
    )
    _assert_german(preview.errors[0])
    assert server.requests == []


def test_more_crs_members_than_features_are_refused(tmp_path, monkeypatch, _no_gdal):
    """Each one is decoded: their number is bounded like the features."""
    monkeypatch.setattr(geo, "MAX_FEATURES", 2)
    geometry = '{"type": "Point", "coordinates": [12.6, 51.3], "crs": null}'
    feature = f'{{"type": "Feature", "properties": {{}}, "geometry": {geometry}}}'
    path = tmp_path / "orte.geojson"
    for features, refused in ((2, False), (3, True)):  # type + crs + one crs per feature
        listed = ", ".join([feature] * features)
        path.write_text(f'{{"type": "FeatureCollection", "crs": null, "features": [{listed}]}}')
        if refused:
            with pytest.raises(geo.GeoFileUnsafe, match="mehr als 4 Angaben „crs“"):
                geo.scan_geojson(path)
        else:
            geo.scan_geojson(path)


def test_oversized_crs_member_is_refused(tmp_path, server):
    members = '"crs": {"type": "name", "properties": {"name": "' + "x" * 70_000 + '"}}'
    path = _write(tmp_path, "netz.geojson", _collection(members), server)
    with pytest.raises(geo.GeoFileUnsafe, match="„crs“ in der Datei ist kein gültiges JSON"):
        geo.read_vector_file(path)


# --- GDALG: JSON that runs a GDAL pipeline ----------------------------------------------------


def _gdalg(source: str, kind: str = "gdal_streamed_alg") -> str:
    command = f"gdal vector pipeline ! read {source} ! write --output-format stream streamed"
    return json.dumps({"type": kind, "command_line": command})


def test_gdalg_pipeline_behind_a_geojson_suffix_fetches_nothing(tmp_path, server):
    path = _write(tmp_path, "netz.geojson", _gdalg("/vsicurl/{url}/netz.geojson"), server)
    with pytest.raises(geo.GeoFileUnsafe) as raised:
        geo.read_vector_file(path)
    assert server.requests == []
    assert "kein GeoJSON" in str(raised.value)
    _assert_german(str(raised.value))


def test_escaped_gdalg_reading_a_server_file_is_refused_before_gdal(tmp_path, server, _no_gdal):
    """Named *.gdalg.json, GDAL would pick the GDALG driver by the name alone."""
    secret = tmp_path / "geheim.csv"
    secret.write_text('name,wkt\ngeheim,"POINT (12.6 51.3)"\n')
    text = _gdalg(str(secret)).replace("gdal_streamed_alg", "\\u0067dal_streamed_alg")
    path = _write(tmp_path, "netz.gdalg.json", text, server)
    with pytest.raises(geo.GeoFileUnsafe, match="kein GeoJSON"):
        geo.read_vector_file(path)


def test_second_document_after_a_stray_brace_is_refused(tmp_path, server, _no_gdal):
    text = '{"type": "FeatureCollection", "features": []}}' + _gdalg("/vsicurl/{url}/x.geojson")
    path = _write(tmp_path, "netz.geojson", text, server)
    with pytest.raises(geo.GeoFileError, match="kein gültiges JSON"):
        geo.read_vector_file(path)


# --- files that stay readable -----------------------------------------------------------------

READABLE = {
    "crs name": (
        '"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}',
        "EPSG:4326",
    ),
    "crs null": ('"crs": null', "EPSG:4326"),
    "crs EPSG": ('"crs": {"type": "EPSG", "properties": {"code": 4326}}', "EPSG:4326"),
    "crs as a name": (
        '"name": "crs", "title": "Stra\\u00dfe \\"crs\\" {url}/crs.wkt"',
        "EPSG:4326",
    ),
}


@pytest.mark.parametrize(("members", "crs"), READABLE.values(), ids=READABLE.keys())
def test_ordinary_geojson_is_read_as_before(tmp_path, server, members, crs):
    path = _write(tmp_path, "netz.geojson", _collection(members), server)
    frame = geo.read_vector_file(path).frame
    assert len(frame) == 1 and frame.crs.to_string() == crs
    assert server.requests == []


def test_crs_as_a_feature_property_is_an_ordinary_column(tmp_path, server):
    text = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"crs": "EPSG:25832", "Bemerkung": "siehe {url}/crs.wkt"}, "geometry": ' + LINE + "}]}"
    )
    path = _write(tmp_path, "netz.geojson", text, server)
    assert geo.read_vector_file(path).frame["crs"].tolist() == ["EPSG:25832"]
    assert server.requests == []


def test_esri_json_without_a_type_is_still_read(tmp_path, server):
    text = json.dumps(
        {
            "geometryType": "esriGeometryPolyline",
            "spatialReference": {"wkid": 4326},
            "fields": [{"name": "name", "type": "esriFieldTypeString"}],
            "features": [
                {
                    "attributes": {"name": "Weg"},
                    "geometry": {"paths": [[[12.58, 51.27], [12.6, 51.3]]]},
                }
            ],
        }
    )
    path = _write(tmp_path, "netz.json", text, server)
    assert len(geo.read_vector_file(path).frame) == 1
    assert server.requests == []


# --- KML, GPX, Shapefile, GeoPackage: references GDAL leaves alone ------------------------------

KML_REFERENCES = (
    '<kml xmlns="http://www.opengis.net/kml/2.2" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.opengis.net/kml/2.2 {url}/kml.xsd"><Document>'
    '<Style id="s"><IconStyle><Icon><href>{url}/icon.png</href></Icon></IconStyle></Style>'
    "<NetworkLink><name>mehr</name><Link><href>{url}/mehr.kml</href>"
    "<refreshMode>onInterval</refreshMode></Link></NetworkLink>"
    "<Placemark><name>Weg</name><styleUrl>{url}/styles.kml#s</styleUrl>"
    '<ExtendedData><SchemaData schemaUrl="{url}/schema.kml#s">'
    '<SimpleData name="x">1</SimpleData></SchemaData></ExtendedData>'
    "<LineString><coordinates>12.5883,51.2778 12.6089,51.3347</coordinates></LineString>"
    "</Placemark>"
    "<Placemark><Model><Link><href>{url}/model.dae</href></Link></Model></Placemark>"
    "<GroundOverlay><Icon><href>{url}/overlay.png</href></Icon></GroundOverlay>"
    "</Document></kml>"
)


def test_kml_network_links_styles_and_icons_are_not_fetched(tmp_path, server):
    path = _write(tmp_path, "netz.kml", KML_REFERENCES, server)
    frame = geo.read_vector_file(path).frame
    assert "Weg" in frame["Name"].tolist()
    preview = importer.read(path, WORLD)
    assert [row.geometry.geom_type for row in preview.rows] == ["LineString"]
    assert server.requests == []


GPX_REFERENCES = (
    '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 {url}/gpx.xsd">'
    '<metadata><link href="{url}/about"><text>Quelle</text></link></metadata>'
    '<trk><name>Tour</name><link href="{url}/tour"/><trkseg>'
    '<trkpt lat="51.2778" lon="12.5883"/><trkpt lat="51.3347" lon="12.6089"/>'
    "</trkseg></trk></gpx>"
)


def test_gpx_schema_and_links_are_not_fetched(tmp_path, server):
    path = _write(tmp_path, "touren.gpx", GPX_REFERENCES, server)
    assert [row.label for row in importer.read(path, WORLD).rows] == ["Track 1 „Tour“"]
    assert len(geo.read_vector_file(path, layer="tracks").frame) == 1
    assert server.requests == []


def test_shapefile_prj_naming_a_url_gets_a_german_error(tmp_path, server):
    folder = tmp_path / "shp"
    folder.mkdir()
    frame = gpd.GeoDataFrame(
        {"name": ["Weg"]}, geometry=[LineString([(12.58, 51.27), (12.6, 51.3)])]
    )
    frame.set_crs(4326).to_file(folder / "netz.shp")
    (folder / "netz.prj").write_text(f"{server.url}/netz.prj")
    path = tmp_path / "netz.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, part.name)
    with pytest.raises(geo.GeoFileError, match="kein Koordinatensystem"):
        geo.read_vector_file(path)
    assert server.requests == []


@pytest.mark.filterwarnings("ignore:Unable to parse srs_id:RuntimeWarning")
@pytest.mark.parametrize("definition", ["{url}/srs.wkt", "/vsicurl/{url}/srs.wkt"])
def test_vacancy_geopackage_with_a_remote_srs_definition_fetches_nothing(
    tmp_path, server, alliance, definition
):
    path = tmp_path / "leerstand.gpkg"
    gpd.GeoDataFrame(
        {"Bezeichnung": ["Alte Post"]}, geometry=[Point(12.6, 51.3)], crs=4326
    ).to_file(path, layer="leerstand", driver="GPKG")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE gpkg_spatial_ref_sys SET definition = ?, organization = 'X', "
            "organization_coordsys_id = 99 WHERE srs_id = 4326",
            (definition.replace("{url}", server.url),),
        )
    with pytest.raises(vacancy_files.VacancyFileError, match="kein Koordinatensystem"):
        vacancy_files.read_rows(path, alliance)
    assert server.requests == []


# --- the GDAL layer on its own, content checks bypassed ----------------------------------------


def test_gdal_is_cut_off_from_the_network():
    assert geo.GDAL_OFFLINE
    assert "GDALG" not in pyogrio.list_drivers()


@pytest.mark.parametrize("in_thread", [False, True], ids=["main thread", "worker thread"])
def test_gdal_refuses_crs_fetches_even_with_no_proxy_set(tmp_path, server, monkeypatch, in_thread):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # what defeats GDAL_HTTP_PROXY
    geometry = LINE[:-1] + f', "crs": {LINK}}}'
    feature = f'{{"type": "Feature", "properties": {{}}, "geometry": {geometry}}}'
    text = f'{{"type": "FeatureCollection", "crs": {LINK}, "features": [{feature}]}}'
    path = _write(tmp_path, "netz.geojson", text, server)
    failures = []

    def read() -> None:
        try:
            pyogrio.read_dataframe(path)  # straight to GDAL, past scan_geojson
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    if in_thread:
        thread = threading.Thread(target=read)
        thread.start()
        thread.join()
    else:
        read()
    assert failures == []
    assert server.requests == []


@pytest.mark.parametrize(
    "remote",
    [
        "/vsicurl/{url}/netz.geojson",
        "/vsicurl_streaming/{url}/netz.geojson",
        "/vsicurl?url={url}/netz.geojson",
        "/vsizip//vsicurl/{url}/netz.zip/netz.shp",
        "/vsis3/eimer/netz.geojson",
    ],
)
def test_gdal_remote_file_systems_open_nothing(server, monkeypatch, remote):
    host = server.url.removeprefix("http://")
    for name, value in {
        "AWS_S3_ENDPOINT": host,
        "AWS_HTTPS": "NO",
        "AWS_NO_SIGN_REQUEST": "YES",
        "AWS_VIRTUAL_HOSTING": "FALSE",
    }.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(DataSourceError):
        pyogrio.read_info(remote.replace("{url}", server.url))
    assert server.requests == []


def test_reads_are_refused_when_gdal_could_not_be_cut_off(tmp_path, monkeypatch, _no_gdal):
    monkeypatch.setattr(geo, "GDAL_OFFLINE", False)
    path = tmp_path / "netz.geojson"
    path.write_text(_collection('"crs": null'))
    with pytest.raises(geo.GeoFileError, match="nicht sicher eingelesen"):
        geo.read_vector_file(path)
