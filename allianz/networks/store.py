"""SQL for segments and reviews only. Geometries are GeoJSON text in WGS84."""

from __future__ import annotations

import json

import sqlite_utils

from allianz.networks.model import Review, Segment, SegmentStatus

_LATEST = (
    "SELECT {column} FROM segment_reviews r WHERE r.segment_id = s.id "
    "ORDER BY r.at DESC, r.id DESC LIMIT 1"
)
_SELECT = (
    f"SELECT s.*, ({_LATEST.format(column='at')}) AS last_review_at, "
    f"({_LATEST.format(column='condition')}) AS last_review_condition FROM segments s"
)


def _segment(row) -> Segment:
    data = dict(row)
    data["geometry"] = json.loads(data["geometry"])
    data["status"] = SegmentStatus(data["status"])
    data["municipalities"] = tuple(json.loads(data["municipalities"]))
    data.pop("municipalities_for")
    for flag in ("in_rad", "in_kern", "gap", "is_demo"):
        data[flag] = bool(data[flag])
    for flag in ("lighting", "signage"):
        data[flag] = None if data[flag] is None else bool(data[flag])
    return Segment(**data)


def all_segments(db: sqlite_utils.Database) -> list[Segment]:
    rows = db.query(f"{_SELECT} ORDER BY s.id")
    return [_segment(r) for r in rows]


def get(db: sqlite_utils.Database, segment_id: int) -> Segment | None:
    rows = list(db.query(f"{_SELECT} WHERE s.id = ?", [segment_id]))
    return _segment(rows[0]) if rows else None


def version(db: sqlite_utils.Database) -> tuple:
    """Changes whenever a segment, a review or a boundary changes: rows are only added with
    new ids, and every edit leaves an audit row in the same transaction (index lookups only)."""
    segments = db.execute("SELECT count(*), max(id) FROM segments").fetchone()
    reviews = db.execute("SELECT count(*), max(id) FROM segment_reviews").fetchone()
    audited = db.execute(
        "SELECT max(id) FROM audit WHERE entity IN ('segment', 'segment_review', 'municipality')"
    ).fetchone()
    path = db.execute("PRAGMA database_list").fetchone()[2]
    return (path, *segments, *reviews, *audited)


def count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM segments").fetchone()[0]


def insert_many(db: sqlite_utils.Database, rows: list[dict]) -> None:
    db["segments"].insert_all(rows, batch_size=1000)


def update(db: sqlite_utils.Database, segment_id: int, values: dict) -> None:
    db["segments"].update(segment_id, values)


def municipalities_of(
    db: sqlite_utils.Database, segment_id: int
) -> tuple[list[str], str | None] | None:
    """The stored AGS list of a segment and the boundary version it was computed for."""
    row = db.execute(
        "SELECT municipalities, municipalities_for FROM segments WHERE id = ?", [segment_id]
    ).fetchone()
    return (json.loads(row[0]), row[1]) if row else None


def set_municipalities(
    db: sqlite_utils.Database, segment_id: int, ags: list[str], boundaries: str
) -> None:
    db.execute(
        "UPDATE segments SET municipalities = ?, municipalities_for = ? WHERE id = ?",
        [json.dumps(ags), boundaries, segment_id],
    )


def insert_review(db: sqlite_utils.Database, row: dict) -> int:
    return db["segment_reviews"].insert(row).last_pk


def _review(row) -> Review:
    data = dict(row)
    data["defects"] = tuple(json.loads(data["defects"]))
    data["gap"] = bool(data["gap"])
    data["has_photo"] = bool(data.pop("has_photo"))
    return Review(**data)


_REVIEW_COLUMNS = (
    "id, segment_id, reviewer, reviewer_role, at, condition, surface, width_m, defects, "
    "defect_lat, defect_lon, gap, suggested_priority, comment, photo IS NOT NULL AS has_photo, "
    "accepted_at, accepted_by"
)


def reviews(db: sqlite_utils.Database, segment_id: int) -> list[Review]:
    rows = db.query(
        f"SELECT {_REVIEW_COLUMNS} FROM segment_reviews WHERE segment_id = ? "
        "ORDER BY at DESC, id DESC",
        [segment_id],
    )
    return [_review(r) for r in rows]


def review(db: sqlite_utils.Database, review_id: int) -> Review | None:
    rows = list(
        db.query(f"SELECT {_REVIEW_COLUMNS} FROM segment_reviews WHERE id = ?", [review_id])
    )
    return _review(rows[0]) if rows else None


def review_photo(db: sqlite_utils.Database, review_id: int) -> bytes | None:
    row = db.execute("SELECT photo FROM segment_reviews WHERE id = ?", [review_id]).fetchone()
    return row[0] if row else None


def mark_accepted(db: sqlite_utils.Database, review_id: int, at: str, by: str) -> None:
    db["segment_reviews"].update(review_id, {"accepted_at": at, "accepted_by": by})


def latest_reviews(db: sqlite_utils.Database) -> dict[int, Review]:
    """The newest review of every reviewed segment, in one query."""
    rows = db.query(
        f"SELECT {_REVIEW_COLUMNS} FROM (SELECT *, row_number() OVER (PARTITION BY segment_id "
        "ORDER BY at DESC, id DESC) AS n FROM segment_reviews) WHERE n = 1"
    )
    return {review.segment_id: review for review in map(_review, rows)}
