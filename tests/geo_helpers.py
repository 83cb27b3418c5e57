"""Geometry helpers for tests."""

from __future__ import annotations

from shapely.geometry import Point

from allianz import geo


def point_near_border(areas, inside_ags: str, other_ags: str, metres: float) -> tuple[float, float]:
    """(lat, lon) `metres` inside `inside_ags`, measured from the middle of its shared border."""
    inside = geo.to_metric(next(a.geometry for a in areas if a.ags == inside_ags))
    other = geo.to_metric(next(a.geometry for a in areas if a.ags == other_ags))
    middle = inside.intersection(other).interpolate(0.5, normalized=True)
    inward = inside.representative_point()
    dx, dy = inward.x - middle.x, inward.y - middle.y
    scale = metres / (dx**2 + dy**2) ** 0.5
    point = geo.to_storage(Point(middle.x + dx * scale, middle.y + dy * scale))
    return point.y, point.x
