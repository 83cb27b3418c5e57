"""Builds VG250-like boundary files (EPSG:25832) from the demo areas, for import tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from allianz import config, demo_geodata, geo


def vg250_frame(alliance: config.Alliance, *, drop: str | None = None) -> gpd.GeoDataFrame:
    areas = demo_geodata.municipality_areas(alliance).rename(columns={"ags": "AGS", "name": "GEN"})
    areas["GF"] = 4
    areas["BEZ"] = "Gemeinde"
    rows = areas[areas["AGS"] != drop] if drop else areas
    # a water row (GF 2) and a municipality from elsewhere, both to be ignored
    extra = gpd.GeoDataFrame(
        {
            "AGS": [alliance.municipalities[0].ags, "09677157"],
            "GEN": ["See", "Marktheidenfeld"],
            "GF": [2, 4],
            "BEZ": ["Gemeinde", "Stadt"],
        },
        geometry=[box(300000, 5600000, 301000, 5601000), box(0, 0, 1000, 1000)],
        crs=geo.METRIC_CRS,
    )

    return gpd.GeoDataFrame(pd.concat([rows, extra], ignore_index=True), crs=geo.METRIC_CRS)


def write_gpkg(frame: gpd.GeoDataFrame, path: Path) -> Path:
    frame.to_file(path, layer="VG250_GEM", driver="GPKG")
    frame.head(1).to_file(path, layer="VG250_KRS", driver="GPKG")
    return path


def write_zipped_shapefile(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    shp_dir = folder / "shp"
    shp_dir.mkdir()
    frame.to_file(shp_dir / "VG250_GEM.shp")
    target = folder / "vg250.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in sorted(shp_dir.iterdir()):
            archive.write(part, f"vg250_ebenen/{part.name}")
    return target
