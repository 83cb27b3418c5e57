"""Small files that make a careless GIS reader do huge work, built on the fly for the tests.

Each is a few kilobytes on disk: the cost is in what the file asks a reader to do (a SQL view
producing millions of rows, a photo header claiming 400 megapixels, a zip entry whose CRC does
not match). Used by the unit tests and the page tests; the benchmark never imports them.
"""

from __future__ import annotations

import io
import sqlite3
import struct
import zipfile
import zlib
from pathlib import Path

import geopandas as gpd
from shapely.geometry import LineString

# a line inside Partheland, Naunhof → Brandis
INSIDE = LineString([(12.5883, 51.2778), (12.6089, 51.3347)])


def _seed(path: Path, layer: str = "seed", rows: int = 1) -> Path:
    gpd.GeoDataFrame(
        {"name": [f"Weg {i}" for i in range(rows)]}, geometry=[INSIDE] * rows, crs="EPSG:4326"
    ).to_file(path, layer=layer, driver="GPKG")
    return path


def view_bomb_gpkg(path: Path, rows: int = 3_000_000) -> Path:
    """A real GeoPackage whose only layer (gpkg_contents, gpkg_geometry_columns) is a view:
    a recursive CTE repeating one geometry blob `rows` times. The seed table is dropped, so
    the file holds one blob and the view; about 100 KB."""
    _seed(path)
    connection = sqlite3.connect(path)
    (blob,) = connection.execute("SELECT geom FROM seed").fetchone()
    triggers = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'seed'"
        )
    ]
    for name in triggers:
        connection.execute(f'DROP TRIGGER "{name}"')
    connection.executescript(
        f"""
        DROP TABLE rtree_seed_geom;
        DROP TABLE seed;
        DELETE FROM gpkg_extensions WHERE table_name = 'seed';
        DELETE FROM gpkg_ogr_contents WHERE table_name = 'seed';
        CREATE VIEW netz AS
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
            SELECT i AS fid, 'Weg ' || i AS name, X'{blob.hex()}' AS geom FROM n;
        UPDATE gpkg_contents SET table_name = 'netz', identifier = 'netz'
            WHERE table_name = 'seed';
        UPDATE gpkg_geometry_columns SET table_name = 'netz' WHERE table_name = 'seed';
        """
    )
    connection.commit()
    connection.execute("VACUUM")
    connection.close()
    return path


def gpkg_with_trigger(path: Path) -> Path:
    """A normal layer plus a trigger of its own (GeoPackage defines only rtree/gpkg ones)."""
    _seed(path, "netz")
    connection = sqlite3.connect(path)
    connection.executescript(
        "CREATE TABLE log (at TEXT);"
        "CREATE TRIGGER netz_log AFTER UPDATE ON netz BEGIN INSERT INTO log VALUES (1); END;"
    )
    connection.commit()
    connection.close()
    return path


def gpkg_with_generated_column(path: Path) -> Path:
    """The layer's table computes a column on every read (here: a 100 MB blob per row)."""
    _seed(path, "netz")
    connection = sqlite3.connect(path)
    connection.execute(
        "ALTER TABLE netz ADD COLUMN padding BLOB GENERATED ALWAYS AS (zeroblob(100000000))"
    )
    connection.commit()
    connection.close()
    return path


def gpkg_lying_count(path: Path, rows: int) -> Path:
    """A real table with `rows` rows whose gpkg_ogr_contents claims it holds one."""
    _seed(path, "netz", rows)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE gpkg_ogr_contents SET feature_count = 1")
    connection.commit()
    connection.close()
    return path


def geojson_features(path: Path, count: int) -> Path:
    """`count` minimal features ({"type":"Feature"}, 19 bytes each), written in blocks."""
    item = b'{"type":"Feature"},'
    block = 100_000
    with path.open("wb") as out:
        out.write(b'{"type":"FeatureCollection","features":[')
        for start in range(0, count - 1, block):
            out.write(item * min(block, count - 1 - start))
        out.write(item[:-1] + b"]}")
    return path


def shapefile_zip(frame: gpd.GeoDataFrame, tmp_path: Path) -> bytes:
    """The frame as a zipped Shapefile, entries stored uncompressed (easy to corrupt)."""
    folder = tmp_path / "shp"
    folder.mkdir()
    frame.to_file(folder / "netz.shp")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for part in sorted(folder.iterdir()):
            archive.write(part, part.name)
    return out.getvalue()


def corrupt_crc(data: bytes, entry: str) -> bytes:
    """Flip one byte inside a stored entry's content: its CRC-32 no longer matches."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(entry)
    name_len, extra_len = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    position = start + info.compress_size // 2
    return data[:position] + bytes([data[position] ^ 0xFF]) + data[position + 1 :]


def huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of width × height white pixels; a few kilobytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    row = b"\x00" + b"\xff" * ((width + 7) // 8)  # filter byte 0, then the packed pixels
    packer = zlib.compressobj(9)
    compressed = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", compressed)
        + chunk(b"IEND", b"")
    )
