import json

import pytest
from shapely.geometry import shape

from allianz import audit, geo
from allianz.municipalities import service
from tests.boundary_files import vg250_frame, write_gpkg, write_zipped_shapefile
from tests.conftest import TEST_ACTOR
from tests.geo_helpers import point_near_border


def test_demo_areas_load_once(empty_db, alliance):
    assert service.load_demo_areas(empty_db, alliance, TEST_ACTOR) == 7
    assert service.load_demo_areas(empty_db, alliance, TEST_ACTOR) == 0
    items = service.areas(empty_db)
    assert {a.ags for a in items} == {m.ags for m in alliance.municipalities}
    assert all(a.is_demo and a.boundary_source.startswith("Demo") for a in items)
    assert [e["action"] for e in audit.recent(empty_db)] == ["boundaries.demo_load"]


def test_key_figures_are_measured_in_metres(db, alliance):
    figures = service.key_figures(db, alliance).set_index("AGS")
    brandis = figures.loc["14729070"]
    assert brandis["Einwohner"] == 9676
    expected_area = geo.area_km2(next(a.geometry for a in service.areas(db) if a.ags == "14729070"))
    assert brandis["Fläche km²"] == pytest.approx(expected_area, abs=0.05)
    assert brandis["Einw./km²"] == round(9676 / expected_area)
    assert figures.loc["14729300", "Ortsteile"] == 7
    assert figures["Fläche km²"].sum() == pytest.approx(228.6, abs=1.5)


def test_locate_inside_outside_and_near_boundary(db, alliance):
    items = service.areas(db)
    naunhof = alliance.municipality("14729300")
    found = service.locate(items, naunhof.seat_lat, naunhof.seat_lon)
    assert found.municipality.ags == "14729300" and found.near == ()
    assert service.locate(items, 48.137, 11.575).municipality is None  # Munich
    # a point 20 m from the Borsdorf/Brandis border, on the Borsdorf side
    lat, lon = point_near_border(items, "14729060", "14729070", 20)
    near = service.locate(items, lat, lon)
    assert near.municipality.ags == "14729060"
    assert [a.ags for a in near.near] == ["14729070"]


def test_import_vg250_geopackage_replaces_demo_areas(db, alliance, tmp_path):
    path = write_gpkg(vg250_frame(alliance), tmp_path / "vg250.gpkg")
    imported = service.import_boundaries(db, alliance, path, TEST_ACTOR)
    assert imported == sorted(m.ags for m in alliance.municipalities)
    items = service.areas(db)
    assert not any(a.is_demo for a in items)
    assert all("VG250_GEM" in a.boundary_source for a in items)
    # stored in WGS84 and the water row (GF 2) was ignored
    borsdorf = next(a for a in items if a.ags == "14729060")
    minx, miny, maxx, maxy = borsdorf.geometry.bounds
    assert 12.3 < minx < maxx < 12.8 and 51.1 < miny < maxy < 51.5
    assert audit.recent(db)[0]["action"] == "boundaries.import"


def test_import_zipped_shapefile(db, alliance, tmp_path):
    path = write_zipped_shapefile(vg250_frame(alliance), tmp_path)
    assert len(service.import_boundaries(db, alliance, path, TEST_ACTOR)) == 7


def test_import_with_missing_municipality_changes_nothing(db, alliance, tmp_path):
    before = db.execute("SELECT ags, geometry FROM municipalities ORDER BY ags").fetchall()
    audit_before = db["audit"].count
    path = write_gpkg(vg250_frame(alliance, drop="14729250"), tmp_path / "vg250.gpkg")
    with pytest.raises(service.BoundaryImportError, match="Machern \\(14729250\\).*Nichts"):
        service.import_boundaries(db, alliance, path, TEST_ACTOR)
    assert db.execute("SELECT ags, geometry FROM municipalities ORDER BY ags").fetchall() == before
    assert db["audit"].count == audit_before


def test_import_refuses_files_without_ags(db, alliance, tmp_path):
    frame = vg250_frame(alliance).drop(columns=["AGS"])
    path = tmp_path / "x.gpkg"
    frame.to_file(path, layer="gemeinden", driver="GPKG")
    with pytest.raises(service.BoundaryImportError, match="keine Spalte AGS"):
        service.import_boundaries(db, alliance, path, TEST_ACTOR)


def test_demo_load_keeps_official_boundaries(db, alliance, tmp_path):
    path = write_gpkg(vg250_frame(alliance), tmp_path / "vg250.gpkg")
    service.import_boundaries(db, alliance, path, TEST_ACTOR)
    assert service.load_demo_areas(db, alliance, TEST_ACTOR) == 0
    stored = json.loads(db.execute("SELECT geometry FROM municipalities LIMIT 1").fetchone()[0])
    assert shape(stored).is_valid
    assert not any(a.is_demo for a in service.areas(db))
