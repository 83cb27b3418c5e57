"""The import page answers hostile GIS files with a German error, not a crash or a hang."""

import geopandas as gpd
import pytest

from allianz.auth import Role
from allianz.networks import store
from tests import gis_bombs
from tests.views.conftest import open_page

PAGE = "allianz/networks/pages/network_import.py"


def _errors(at) -> list[str]:
    shown = [e.value for e in at.error]
    if at.dataframe:
        shown += [str(v) for v in at.dataframe[0].value["Fehler"]]
    return shown


@pytest.mark.timeout(120)  # before the fix this upload kept the page busy for minutes
def test_view_bomb_geopackage_is_refused_in_german(run_page, db, tmp_path):
    before = store.count(db)
    data = gis_bombs.view_bomb_gpkg(tmp_path / "netz.gpkg").read_bytes()
    at = open_page(run_page, Role.STAFF, PAGE)
    at.file_uploader[0].upload("netz.gpkg", data, "application/geopackage+sqlite3").run()
    assert not at.exception, at.exception
    assert any("Sichten (Views)" in message for message in _errors(at))
    assert not at.get("progress")
    assert not any(b.label == "Speichern" for b in at.button)
    assert store.count(db) == before


def test_zip_with_bad_crc_is_refused_in_german(run_page, db, tmp_path):
    frame = gpd.GeoDataFrame({"name": ["Weg"]}, geometry=[gis_bombs.INSIDE], crs=4326)
    data = gis_bombs.corrupt_crc(gis_bombs.shapefile_zip(frame, tmp_path), "netz.dbf")
    at = open_page(run_page, Role.STAFF, PAGE)
    at.file_uploader[0].upload("netz.zip", data, "application/zip").run()
    assert not at.exception, at.exception
    messages = _errors(at)
    assert any("ZIP-Archiv ist beschädigt" in message for message in messages)
    assert not any(str(tmp_path) in message or "CRC" in message for message in messages)
    assert not at.get("progress")
