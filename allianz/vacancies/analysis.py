"""Vacancy statistics per municipality and for the alliance: counts and area by type, per
1,000 inhabitants, median duration, change since a date, Baulücken potential, density hexagons.

Input is a list of records (dicts with the public fields, as from `records()` or the history's
`as of` snapshots), so today's register and a past state are analysed the same way.
"""

from __future__ import annotations

import math
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Polygon

from allianz import geo
from allianz.config import Alliance
from allianz.formatting import count_of
from allianz.vacancies.model import ACTIVE, TYPES, Site

ALLIANCE = "Allianz"


def records(sites: list[Site]) -> list[dict]:
    return [{"id": s.id, **s.values()} for s in sites]


def active(items: list[dict]) -> list[dict]:
    return [r for r in items if r.get("status") in ACTIVE]


def _names(alliance: Alliance) -> dict[str, str]:
    return {m.ags: m.name for m in alliance.municipalities}


def _active_frame(items: list[dict]) -> pd.DataFrame:
    columns = ["municipality_ags", "type", "area_m2", "vacant_since", "publication_consent"]
    frame = pd.DataFrame(active(items), columns=columns)
    frame["area_m2"] = pd.to_numeric(frame["area_m2"]).fillna(0.0)
    return frame


def by_type(items: list[dict], alliance: Alliance) -> pd.DataFrame:
    """Active sites: count and area (m²) per municipality and type, plus the alliance rows."""
    names = _names(alliance)
    frame = _active_frame(items)
    grouped = frame.groupby(["municipality_ags", "type"])["area_m2"].agg(["count", "sum"])
    total = frame.groupby("type")["area_m2"].agg(["count", "sum"])
    rows = []
    for ags in [*names, None]:
        for code, label in TYPES.items():
            key = (ags, code) if ags else code
            source = grouped if ags else total
            count, area = source.loc[key] if key in source.index else (0, 0.0)
            rows.append(
                {
                    "Gemeinde": names[ags] if ags else ALLIANCE,
                    "Art": label,
                    "Anzahl": int(count),
                    "Fläche m²": round(float(area), 1),
                }
            )
    return pd.DataFrame(rows)


def summary(
    items: list[dict], alliance: Alliance, today: date, dwellings_per_ha: float
) -> pd.DataFrame:
    """One row per municipality and one for the alliance."""
    names = _names(alliance)
    inhabitants = {m.ags: m.inhabitants for m in alliance.municipalities}
    frame = _active_frame(items)
    since = pd.to_datetime(frame["vacant_since"], errors="coerce")
    frame["years"] = (pd.Timestamp(today) - since).dt.days / 365.25
    frame["gap"] = frame["type"] == "baulücke"
    frame["gap_m2"] = frame["area_m2"].where(frame["gap"], 0.0)
    rows = []
    for ags in [*names, None]:
        own = frame if ags is None else frame[frame["municipality_ags"] == ags]
        people = inhabitants[ags] if ags else alliance.inhabitants
        gap_ha = float(own["gap_m2"].sum()) / 10_000
        years = own["years"].dropna()
        rows.append(
            {
                "Gemeinde": names[ags] if ags else ALLIANCE,
                "Flächen": len(own),
                "Fläche m²": round(float(own["area_m2"].sum()), 1),
                "je 1.000 Einw.": round(len(own) / people * 1000, 2) if people else None,
                "Median Jahre leer": round(float(years.median()), 1) if len(years) else None,
                "Baulücken": int(own["gap"].sum()),
                "Baulücken ha": round(gap_ha, 2),
                "Wohnungen (Schätzung)": math.floor(gap_ha * dwellings_per_ha),
                "veröffentlicht": int(own["publication_consent"].fillna(0).astype(bool).sum()),
            }
        )
    return pd.DataFrame(rows)


def change(before: list[dict], now: list[dict], alliance: Alliance) -> pd.DataFrame:
    """Active sites then and now per municipality: new, ended, net change."""
    names = _names(alliance)
    then_ids = {r["id"]: r["municipality_ags"] for r in active(before)}
    now_ids = {r["id"]: r["municipality_ags"] for r in active(now)}
    then_by: dict[str | None, set[int]] = {ags: set() for ags in [*names, None]}
    now_by: dict[str | None, set[int]] = {ags: set() for ags in [*names, None]}
    for ids, by in ((then_ids, then_by), (now_ids, now_by)):
        for site, ags in ids.items():
            by.setdefault(ags, set()).add(site)
            by[None].add(site)
    rows = []
    for ags in [*names, None]:
        then_set, now_set = then_by[ags], now_by[ags]
        rows.append(
            {
                "Gemeinde": names[ags] if ags else ALLIANCE,
                "damals": len(then_set),
                "heute": len(now_set),
                "neu": len(now_set - then_set),
                "entfallen": len(then_set - now_set),
                "Veränderung": len(now_set) - len(then_set),
            }
        )
    return pd.DataFrame(rows)


def hexbins(items: list[dict], size_m: float = 1000) -> gpd.GeoDataFrame:
    """Active sites counted in flat-topped hexagons of circumradius `size_m`, in WGS84."""
    current = [r for r in active(items) if r.get("lat") is not None]
    columns = {"count": [], "label": []}
    if not current:
        return gpd.GeoDataFrame(columns, geometry=[], crs=geo.STORAGE_CRS)
    points = gpd.GeoSeries.from_xy(
        [r["lon"] for r in current], [r["lat"] for r in current], crs=geo.STORAGE_CRS
    ).to_crs(geo.METRIC_CRS)
    x, y = points.x.to_numpy(), points.y.to_numpy()
    q = (2 / 3 * x) / size_m
    r = (-1 / 3 * x + math.sqrt(3) / 3 * y) / size_m
    cq, cr = _hex_round(q, r)
    cells: dict[tuple[int, int], int] = {}
    for key in zip(cq.tolist(), cr.tolist(), strict=True):
        cells[key] = cells.get(key, 0) + 1
    shapes = [_hexagon(qq, rr, size_m) for qq, rr in cells]
    frame = gpd.GeoDataFrame(
        {
            "count": list(cells.values()),
            "label": [count_of(n, "Fläche", "Flächen") for n in cells.values()],
        },
        geometry=shapes,
        crs=geo.METRIC_CRS,
    )
    return frame.to_crs(geo.STORAGE_CRS)


def _hex_round(q: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = -q - r
    rq, rr, rs = np.round(q), np.round(r), np.round(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    return rq.astype(int), rr.astype(int)


def _hexagon(q: int, r: int, size: float) -> Polygon:
    cx = size * 1.5 * q
    cy = size * math.sqrt(3) * (r + q / 2)
    return Polygon(
        [
            (cx + size * math.cos(math.radians(60 * k)), cy + size * math.sin(math.radians(60 * k)))
            for k in range(6)
        ]
    )
