import io
import zipfile
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point, box

from allianz import geo

GPX_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "gpx"  # vendored gpxpy test files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("51.3347, 12.6089", (51.3347, 12.6089)),
        ("51.3347,12.6089", (51.3347, 12.6089)),
        ("51,3347 12,6089", (51.3347, 12.6089)),
        ("51,3347; 12,6089", (51.3347, 12.6089)),
        ("  51 12 ", (51.0, 12.0)),
        ("-33.9, 151.2", (-33.9, 151.2)),
    ],
)
def test_parse_coordinates(text, expected):
    assert geo.parse_coordinates(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text", ["", "51.3", "Brandis", "51.3, 12.6, 3", "91, 12", "51, 181", "51.3 x 12.6", "=1+1, 2"]
)
def test_parse_coordinates_refuses_with_german_message(text):
    with pytest.raises(ValueError, match="Breite|Koordinaten|Zahlen"):
        geo.parse_coordinates(text)


def test_measures_in_utm32n_not_degrees():
    # 0.01° of longitude at 51.3°N is about 697 m
    line = LineString([(12.50, 51.3), (12.51, 51.3)])
    assert geo.length_km(line) == pytest.approx(0.697, abs=0.005)
    square = box(12.5, 51.3, 12.51, 51.31)
    assert geo.area_km2(square) == pytest.approx(0.697 * 1.112, rel=0.01)
    assert geo.distance_m(Point(12.5, 51.3), Point(12.5, 51.301)) == pytest.approx(111.2, abs=0.5)


def test_reads_gpx_from_shared_testdata():
    vector = geo.read_vector_file(GPX_DIR / "route.gpx", layer="routes")
    assert len(vector.frame) >= 1
    assert vector.frame.crs.to_epsg() == 4326


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_refuses_unknown_suffix_and_empty_files(tmp_path):
    with pytest.raises(geo.GeoFileError, match="nicht unterstützt"):
        geo.read_vector_file(_write(tmp_path, "a.exe", b"MZ"))
    with pytest.raises(geo.GeoFileError, match="leer"):
        geo.read_vector_file(_write(tmp_path, "a.geojson", b""))


def test_refuses_wrong_content_behind_right_suffix(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    for name in ("a.zip", "a.gpkg", "a.geojson", "a.gpx"):
        with pytest.raises(geo.GeoFileError, match="kein"):
            geo.read_vector_file(_write(tmp_path, name, png))


def test_refuses_xml_entities(tmp_path):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><gpx>&lol2;</gpx>'
    )
    with pytest.raises(geo.GeoFileError, match="DOCTYPE"):
        geo.read_vector_file(_write(tmp_path, "bomb.gpx", bomb))
    xxe = b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml/>'
    with pytest.raises(geo.GeoFileError, match="DOCTYPE"):
        geo.read_vector_file(_write(tmp_path, "xxe.kml", xxe))


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_refuses_zip_path_traversal(tmp_path):
    data = _zip({"../evil.shp": b"x", "ok.dbf": b"y"})
    with pytest.raises(geo.GeoFileError, match="Unzulässiger Pfad"):
        geo.read_vector_file(_write(tmp_path, "a.zip", data))
    assert not (tmp_path.parent / "evil.shp").exists()


def test_refuses_zip_bomb_ratio(tmp_path):
    data = _zip({"a.shp": b"\0" * 5_000_000})
    with pytest.raises(geo.GeoFileError, match="ZIP-Bombe"):
        geo.read_vector_file(_write(tmp_path, "a.zip", data))


def test_refuses_zip_without_exactly_one_shapefile(tmp_path):
    data = _zip({"readme.txt": b"hello world"})
    with pytest.raises(geo.GeoFileError, match="genau ein Shapefile"):
        geo.read_vector_file(_write(tmp_path, "a.zip", data))


def test_refuses_too_many_zip_entries(tmp_path):
    data = _zip({f"f{i}.txt": b"x" for i in range(geo.MAX_ZIP_ENTRIES + 1)})
    with pytest.raises(geo.GeoFileError, match="mehr als"):
        geo.read_vector_file(_write(tmp_path, "a.zip", data))


def test_unreadable_geojson_gets_german_message(tmp_path):
    with pytest.raises(geo.GeoFileError, match="nicht als Geodaten lesen"):
        geo.read_vector_file(_write(tmp_path, "a.geojson", b'{"type": "Nonsense"'))
