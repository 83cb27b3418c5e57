import json

import pytest
import shapely
from shapely.geometry import Point, shape

from allianz import config, demo_geodata, geo


@pytest.mark.parametrize("slug", ["partheland", "thueringer-becken"])
def test_generation_is_deterministic_and_matches_committed_files(tmp_path, slug):
    alliance = config.load(slug)
    written = demo_geodata.write_all(alliance, tmp_path)
    for path in written:
        committed = alliance.geodata_dir / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{committed} is stale: run `make geodata`"
        )


@pytest.mark.parametrize("slug", ["partheland", "thueringer-becken"])
def test_areas_partition_the_region_and_contain_their_seats(slug):
    alliance = config.load(slug)
    areas = demo_geodata.municipality_areas(alliance)
    assert list(areas["ags"]) == [m.ags for m in alliance.municipalities]
    seats = demo_geodata._seats_metric(alliance)
    for geometry, seat in zip(areas.geometry, seats, strict=True):
        assert geometry.contains(seat)
    total = sum(g.area for g in areas.geometry)
    union = shapely.union_all(list(areas.geometry))
    assert union.area == pytest.approx(total, rel=1e-6)  # no overlaps
    assert union.area == pytest.approx(demo_geodata.alliance_region(alliance).area, rel=1e-6)


def test_partheland_total_area_matches_configured_areas():
    alliance = config.load("partheland")
    configured = sum(m.area_km2 for m in alliance.municipalities)
    features = json.loads(
        (alliance.geodata_dir / "municipalities.geojson").read_text(encoding="utf-8")
    )["features"]
    measured = sum(geo.area_km2(shape(f["geometry"])) for f in features)
    assert measured == pytest.approx(configured, rel=0.01)
    assert all(f["properties"]["demo"] is True for f in features)


def test_networks_connect_villages_and_stay_inside():
    alliance = config.load("partheland")
    region = demo_geodata.alliance_region(alliance)
    rad = demo_geodata.cycle_network(alliance)
    kern = demo_geodata.kernweg_network(alliance)
    # every seat is an end of at least one cycle route
    seats = demo_geodata._seats_metric(alliance)
    for seat in seats:
        assert any(
            Point(line.coords[0]).distance(seat) < 1 or Point(line.coords[-1]).distance(seat) < 1
            for line in rad.geometry
        )
    assert len(kern) > 20
    assert all(region.contains(line) for line in kern.geometry)
    assert rad["id"].is_unique and kern["id"].is_unique
    lengths_km = kern.geometry.length / 1000
    assert 1.0 < lengths_km.median() < 3.0  # mesh of about 1.5-2 km
