"""Network rules: import, reviews and their acceptance, key figures, exports.

Lengths are always measured in ETRS89/UTM32N (EPSG:25832).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlite_utils
from shapely.geometry import mapping, shape

from allianz import audit, geo, images, submissions
from allianz.accounts.model import User
from allianz.auth import acts_in, can, require_municipality
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.formatting import de_csv, de_date
from allianz.municipalities import service as municipalities
from allianz.municipalities.service import MunicipalityArea
from allianz.networks import importer, store
from allianz.networks.model import (
    CONDITIONS,
    DEFECTS,
    FACILITIES,
    KERNWEG_COST_PER_KM,
    PRIORITIES,
    RESPONSIBLE,
    STATUS_LABELS,
    SURFACES,
    Network,
    Review,
    Segment,
    SegmentStatus,
)
from allianz.text import clean
from db.connection import write_transaction

COMMENT_MAX = 2000

# Reads without rules of their own go straight to the store; pages use these names.
get = store.get
reviews = store.reviews
review_photo = store.review_photo


class NetworkError(ValidationError):
    """Refused network action; German message(s)."""


def alliance_area(areas: list[MunicipalityArea]) -> shapely.Geometry:
    return shapely.union_all([a.geometry for a in areas])


def _lengths_m(geometries: list) -> list[float]:
    return list(gpd.GeoSeries(geometries, crs=geo.STORAGE_CRS).to_crs(geo.METRIC_CRS).length)


# --- which municipalities a segment belongs to ---------------------------------------------


def crossed_municipalities(lines: list, areas: list[MunicipalityArea]) -> list[list[str]]:
    """For each line, the AGS of the member areas it intersects (sorted): a segment crossing a
    boundary belongs to each municipality it crosses, as in the per-municipality figures."""
    crossed: list[list[str]] = [[] for _ in lines]
    if lines:
        tree = shapely.STRtree(lines)
        for area in areas:
            for index in tree.query(area.geometry, predicate="intersects"):
                crossed[index].append(area.ags)
    return [sorted(ags) for ags in crossed]


def segment_municipalities(db: sqlite_utils.Database, segment_id: int) -> tuple[str, ...] | None:
    """The AGS of the municipalities a segment crosses (None: no such segment).

    Stored at import with the boundary version it was computed for; when the boundaries
    changed since (official ones replacing the demo areas), computed again and stored."""
    stored = store.municipalities_of(db, segment_id)
    if stored is None:
        return None
    ags, computed_for = stored
    boundaries = municipalities.boundaries_version(db)
    if computed_for != boundaries:
        line = shape(store.get(db, segment_id).geometry)
        ags = crossed_municipalities([line], municipalities.areas(db))[0]
        with write_transaction(db):
            store.set_municipalities(db, segment_id, ags, boundaries)
    return tuple(ags)


def may_review(user: User, segment: Segment) -> bool:
    """Whether the page offers the review form for this segment; record_review decides."""
    return can(user.role, "networks.review") and acts_in(user, segment.municipalities)


def may_maintain(user: User, segment: Segment) -> bool:
    """Whether the page offers the official attributes and acceptance of this segment; the
    services decide again on the current boundaries."""
    return can(user.role, "networks.accept") and acts_in(user, segment.municipalities)


def _require_segment_scope(
    db: sqlite_utils.Database, user: User, segment_id: int, message: str
) -> None:
    """Refuse a user bound to a municipality the segment does not cross (German `message`);
    a missing segment is left to the caller to report."""
    crossed = segment_municipalities(db, segment_id)
    if crossed is not None:
        require_municipality(user, crossed, message)


# --- import ---------------------------------------------------------------------------------


def prepare_import(
    path: Path,
    areas: list[MunicipalityArea],
    mapping: dict[str, str] | None = None,
    progress: Callable[[float], None] | None = None,
) -> importer.Preview:
    return importer.prepare(path, alliance_area(areas), mapping, progress)


def read_import(
    path: Path, areas: list[MunicipalityArea], progress: Callable[[float], None] | None = None
) -> importer.Preview:
    return importer.read(path, alliance_area(areas), progress)


def commit_import(
    db: sqlite_utils.Database,
    preview: importer.Preview,
    networks: set[Network],
    actor: audit.Actor,
    token: str | None = None,
    *,
    user: User | None = None,
) -> int:
    """Write a checked preview in one transaction; a preview with errors writes nothing.

    With `user`, every line must cross that user's municipality (when they have one)."""
    if preview.errors or not preview.rows:
        raise NetworkError(preview.errors or ["Die Datei enthält keine Linien."])
    if not networks:
        raise NetworkError("Bitte mindestens ein Netz wählen (Radwegenetz oder Kernwegenetz).")
    stamp = audit.now_iso()
    lines = [r.geometry for r in preview.rows]
    lengths = _lengths_m(lines)
    boundaries = municipalities.boundaries_version(db)
    crossed = crossed_municipalities(lines, municipalities.areas(db))
    if user is not None:
        foreign = [
            f"Linie {number} ({clean(row.values.get('name'))[:80] or 'ohne Namen'})"
            for number, (row, ags) in enumerate(zip(preview.rows, crossed, strict=True), start=1)
            if not acts_in(user, ags)
        ]
        if foreign:
            raise PermissionDenied(
                "Sie können nur Abschnitte importieren, die durch Ihre Gemeinde führen. "
                f"Außerhalb liegen: {', '.join(foreign[:10])}"
                + (f" und {len(foreign) - 10} weitere" if len(foreign) > 10 else "")
                + ". Nichts wurde gespeichert."
            )
    rows = []
    for number, (row, length, ags) in enumerate(
        zip(preview.rows, lengths, crossed, strict=True), start=1
    ):
        values = row.values
        source = clean(preview.source)[:200]
        rows.append(
            {
                "name": clean(values.get("name"))[:200] or f"{source} #{number}",
                "in_rad": int(Network.RAD in networks),
                "in_kern": int(Network.KERN in networks),
                "geometry": json.dumps(mapping(shapely.set_precision(row.geometry, 1e-7))),
                "length_m": round(length, 2),
                "surface": values.get("surface"),
                "width_m": values.get("width_m"),
                "responsible": clean(values.get("responsible"))[:100] or None,
                "status": values.get("status") or SegmentStatus.IDEA.value,
                "priority": values.get("priority"),
                "cost_eur": values.get("cost_eur"),
                "gap": 0,
                "source": f"Import {source}",
                "is_demo": 0,
                "created_at": stamp,
                "updated_at": stamp,
                "municipalities": json.dumps(ags),
                "municipalities_for": boundaries,
            }
        )
    with write_transaction(db):
        submissions.claim(db, token, "network.import")
        store.insert_many(db, rows)
        audit.record(
            db,
            actor,
            "network.import",
            "segment",
            reason=clean(preview.source),
            details={
                "segments": len(rows),
                "km": round(sum(lengths) / 1000, 3),
                "networks": sorted(n.value for n in networks),
            },
        )
    return len(rows)


def load_demo(
    db: sqlite_utils.Database, frames: dict[str, gpd.GeoDataFrame], actor: audit.Actor
) -> int:
    """Demo segments with varied, reproducible attributes; only into an empty network table."""
    if store.count(db):
        return 0
    stamp = audit.now_iso()
    rows = []
    statuses = list(SegmentStatus)
    boundaries = municipalities.boundaries_version(db)
    areas = municipalities.areas(db)
    for key, frame in frames.items():
        wgs = frame.to_crs(geo.STORAGE_CRS)
        lengths = _lengths_m(list(wgs.geometry))
        crossed = crossed_municipalities(list(wgs.geometry), areas)
        for i, (record, length, ags) in enumerate(
            zip(wgs.itertuples(), lengths, crossed, strict=True)
        ):
            rows.append(
                {
                    "name": f"{record.name} (Demo)",
                    "in_rad": int(key == "rad"),
                    "in_kern": int(key == "kern"),
                    "geometry": json.dumps(mapping(record.geometry)),
                    "length_m": round(length, 2),
                    "surface": list(SURFACES)[i % len(SURFACES)],
                    "width_m": 2.5 if key == "rad" else 3.5,
                    "status": statuses[i % 4].value,
                    "priority": PRIORITIES[i % 3] if i % 4 else None,
                    "gap": int(key == "rad" and i % 5 == 0),
                    "condition": (i % 5) + 1 if i % 3 else None,
                    "responsible": "municipality",
                    "source": "Demo-Netz (angenähert)",
                    "is_demo": 1,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "municipalities": json.dumps(ags),
                    "municipalities_for": boundaries,
                }
            )
    with write_transaction(db):
        store.insert_many(db, rows)
        audit.record(db, actor, "network.demo_load", "segment", details={"segments": len(rows)})
    return len(rows)


# --- reviews --------------------------------------------------------------------------------


@dataclass
class ReviewInput:
    condition: int | None
    surface: str | None = None
    width_m: float | str | None = None
    defects: tuple[str, ...] = ()
    defect_point: tuple[float, float] | None = None
    gap: bool = False
    suggested_priority: str | None = None
    comment: str = ""
    photo: bytes | None = None


def record_review(
    db: sqlite_utils.Database, user: User, segment_id: int, review: ReviewInput
) -> Review:
    if not can(user.role, "networks.review"):
        raise PermissionDenied("Bewertungen sind dem Arbeitskreis und der Verwaltung vorbehalten.")
    _require_segment_scope(
        db, user, segment_id, "Sie können nur Abschnitte bewerten, die durch Ihre Gemeinde führen."
    )
    errors = []
    if review.condition is not None and review.condition not in CONDITIONS:
        errors.append("Zustand muss 1 bis 5 sein (oder unbekannt).")
    if review.surface and review.surface not in SURFACES:
        errors.append("Unbekannte Oberfläche.")
    width = None
    if review.width_m not in (None, ""):
        try:
            width = float(str(review.width_m).replace(",", "."))
        except ValueError:
            errors.append("Die Breite muss eine Zahl in Metern sein.")
        else:
            if not 0 < width <= 50:
                errors.append("Die Breite muss zwischen 0 und 50 m liegen.")
    unknown = [d for d in review.defects if d not in DEFECTS]
    if unknown:
        errors.append("Unbekannte Mängel: " + ", ".join(unknown))
    if review.suggested_priority and review.suggested_priority not in PRIORITIES:
        errors.append("Priorität muss A, B oder C sein.")
    comment = clean(review.comment)
    if len(comment) > COMMENT_MAX:
        errors.append(f"Der Kommentar darf höchstens {COMMENT_MAX} Zeichen haben.")
    photo = None
    if review.photo:
        try:
            photo, _, _ = images.sanitize_photo(review.photo)
        except images.PhotoError as exc:
            errors.append(str(exc))
    segment = store.get(db, segment_id)
    if segment is None:
        errors.append("Diesen Abschnitt gibt es nicht.")
    elif review.defect_point is not None:
        lat, lon = review.defect_point
        line = shape(segment.geometry)
        if geo.distance_m(line, shapely.Point(lon, lat)) > 200:
            errors.append("Der Mängelpunkt liegt mehr als 200 m vom Abschnitt entfernt.")
    if errors:
        raise NetworkError(errors)
    with write_transaction(db):
        review_id = store.insert_review(
            db,
            {
                "segment_id": segment_id,
                "reviewer": user.username,
                "reviewer_role": user.role.value,
                "at": audit.now_iso(),
                "condition": review.condition,
                "surface": review.surface or None,
                "width_m": width,
                "defects": json.dumps(list(review.defects)),
                "defect_lat": review.defect_point[0] if review.defect_point else None,
                "defect_lon": review.defect_point[1] if review.defect_point else None,
                "gap": int(review.gap),
                "suggested_priority": review.suggested_priority or None,
                "comment": comment or None,
                "photo": photo,
            },
        )
        audit.record(
            db,
            user.actor,
            "segment.review",
            "segment",
            str(segment_id),
            details={"review": review_id, "condition": review.condition},
        )
    return store.review(db, review_id)


def accept_review(db: sqlite_utils.Database, user: User, review_id: int) -> Segment:
    """Take a review's findings into the segment's official attributes."""
    if not can(user.role, "networks.accept"):
        raise PermissionDenied(
            "Nur Verwaltung und Allianzmanagement können Bewertungen übernehmen."
        )
    with write_transaction(db):
        review = store.review(db, review_id)
        if review is None:
            raise NotFound("Diese Bewertung gibt es nicht.")
        _require_segment_scope(
            db,
            user,
            review.segment_id,
            "Sie können nur Bewertungen von Abschnitten Ihrer Gemeinde übernehmen.",
        )
        if review.reviewer == user.username:
            raise PermissionDenied(
                "Eine eigene Bewertung kann nicht selbst übernommen werden; "
                "das muss eine andere Person tun (Vier-Augen-Prinzip)."
            )
        if review.accepted_at:
            raise Conflict("Diese Bewertung wurde schon übernommen.")
        before = store.get(db, review.segment_id)
        changes = {"gap": int(review.gap), "updated_at": audit.now_iso()}
        for field_name, value in (
            ("condition", review.condition),
            ("surface", review.surface),
            ("width_m", review.width_m),
            ("priority", review.suggested_priority),
        ):
            if value is not None:
                changes[field_name] = value
        store.update(db, review.segment_id, changes)
        store.mark_accepted(db, review_id, changes["updated_at"], user.username)
        old = {k: getattr(before, k) for k in changes if k != "updated_at"}
        audit.record(
            db,
            user.actor,
            "segment.accept_review",
            "segment",
            str(review.segment_id),
            details={
                "review": review_id,
                "old": old,
                "new": {k: v for k, v in changes.items() if k != "updated_at"},
            },
        )
    return store.get(db, review.segment_id)


# --- figures and exports -------------------------------------------------------------------


def frame(segments: list[Segment]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": [s.id for s in segments],
            "name": [s.name for s in segments],
            "in_rad": [s.in_rad for s in segments],
            "in_kern": [s.in_kern for s in segments],
            "length_km": [s.length_m / 1000 for s in segments],
            "status": [s.status.value for s in segments],
            "priority": [s.priority for s in segments],
            "gap": [s.gap for s in segments],
            "condition": [s.shown_condition for s in segments],
            "reviewed": [s.reviewed for s in segments],
            "surface": [s.surface for s in segments],
            "width_m": [s.width_m for s in segments],
            "responsible": [s.responsible for s in segments],
            "last_review_at": [s.last_review_at for s in segments],
        },
        geometry=[shape(s.geometry) for s in segments],
        crs=geo.STORAGE_CRS,
    )


@dataclass(frozen=True)
class KeyFigures:
    km_rad: float
    km_kern: float
    km_total: float
    km_reviewed: float
    km_gaps: float
    km_priority_a: float
    by_condition: dict[str, float]
    by_status: dict[str, float]
    by_municipality: pd.DataFrame


KM_COLUMNS = ("rad", "kern", "reviewed", "poor", "gaps", "priority_a")


@dataclass(frozen=True)
class Prepared:
    """Segments with what every view derives from them, computed once: the attribute frame,
    which municipalities each segment touches, and its kilometres inside each of them
    (cut at the boundaries in EPSG:25832). Filters and figures are then array operations."""

    segments: list[Segment]
    areas: list[MunicipalityArea]
    data: gpd.GeoDataFrame
    touches: np.ndarray  # (areas, segments): the segment intersects the area
    km_inside: np.ndarray  # (areas, segments): km of the segment inside the area

    def area_index(self, ags: str) -> int:
        return [a.ags for a in self.areas].index(ags)


def prepare(segments: list[Segment], areas: list[MunicipalityArea]) -> Prepared:
    data = frame(segments)
    touches = np.zeros((len(areas), len(segments)), dtype=bool)
    km_inside = np.zeros((len(areas), len(segments)))
    if segments:
        lines = data.geometry.values
        metric = data.geometry.to_crs(geo.METRIC_CRS).values
        tree = shapely.STRtree(lines)
        for row, area in enumerate(areas):
            hit = tree.query(area.geometry, predicate="intersects")
            touches[row, hit] = True
            shape_m = geo.to_metric(area.geometry)
            # lines wholly inside count in full; only those crossing the boundary are cut
            inside = shapely.contains_properly(shape_m, metric[hit])
            km_inside[row, hit[inside]] = shapely.length(metric[hit[inside]])
            cut = hit[~inside]
            km_inside[row, cut] = shapely.length(shapely.intersection(metric[cut], shape_m))
        km_inside /= 1000
    return Prepared(segments, areas, data, touches, km_inside)


def km_masks(data: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which segments count for each of KM_COLUMNS."""
    return {
        "rad": data["in_rad"].to_numpy(bool),
        "kern": data["in_kern"].to_numpy(bool),
        "reviewed": data["reviewed"].to_numpy(bool),
        "poor": data["condition"].isin([4, 5]).to_numpy(bool),
        "gaps": data["gap"].to_numpy(bool),
        "priority_a": (data["priority"] == "A").to_numpy(bool),
    }


def km_table(prepared: Prepared, selected: np.ndarray | None = None) -> pd.DataFrame:
    """Kilometres inside each municipality, one row per area in the given order: networks,
    reviewed, condition 4–5, gaps, priority A."""
    chosen = np.ones(len(prepared.segments), bool) if selected is None else selected
    columns = {
        name: prepared.km_inside @ (mask & chosen) for name, mask in km_masks(prepared.data).items()
    }
    rows = {
        area.ags: {name: round(float(values[i]), 3) for name, values in columns.items()}
        for i, area in enumerate(prepared.areas)
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(KM_COLUMNS))


def km_per_municipality(segments: list[Segment], areas: list[MunicipalityArea]) -> pd.DataFrame:
    return km_table(prepare(segments, areas))


def figures(prepared: Prepared, selected: np.ndarray | None = None) -> KeyFigures:
    """Key figures of the selected segments (all when `selected` is None)."""
    data = prepared.data if selected is None else prepared.data[selected]
    if data.empty:
        return KeyFigures(
            0,
            0,
            0,
            0,
            0,
            0,
            {},
            {},
            pd.DataFrame(columns=["Gemeinde", "Radwegenetz km", "Kernwegenetz km"]),
        )
    km = data["length_km"]
    by_condition = (
        data.assign(c=data["condition"].fillna(0).astype(int))
        .groupby("c")["length_km"]
        .sum()
        .to_dict()
    )
    condition_km = {
        ("unbekannt" if k == 0 else str(k)): round(v, 3) for k, v in sorted(by_condition.items())
    }
    status_km = {k: round(v, 3) for k, v in data.groupby("status")["length_km"].sum().items()}
    split = km_table(prepared, selected)
    rows = [
        {"Gemeinde": area.name, "Radwegenetz km": row.rad, "Kernwegenetz km": row.kern}
        for area, row in zip(prepared.areas, split.itertuples(), strict=True)
    ]
    return KeyFigures(
        km_rad=round(float(km[data["in_rad"]].sum()), 3),
        km_kern=round(float(km[data["in_kern"]].sum()), 3),
        km_total=round(float(km.sum()), 3),
        km_reviewed=round(float(km[data["reviewed"]].sum()), 3),
        km_gaps=round(float(km[data["gap"]].sum()), 3),
        km_priority_a=round(float(km[data["priority"] == "A"].sum()), 3),
        by_condition=condition_km,
        by_status=status_km,
        by_municipality=pd.DataFrame(rows),
    )


def key_figures(segments: list[Segment], areas: list[MunicipalityArea]) -> KeyFigures:
    return figures(prepare(segments, areas))


def export_frame(db: sqlite_utils.Database) -> gpd.GeoDataFrame:
    """Current attributes plus the latest review, for QGIS."""
    segments = store.all_segments(db)
    data = frame(segments)
    latest = store.latest_reviews(db)
    data["review_comment"] = [getattr(latest.get(i), "comment", None) for i in data["id"]]
    data["review_defects"] = [
        ",".join(getattr(latest.get(i), "defects", ())) or None for i in data["id"]
    ]
    data["official_condition"] = [s.condition for s in segments]
    return data


def export_file(db: sqlite_utils.Database, out: Path) -> int:
    data = export_frame(db)
    suffix = Path(out).suffix.lower()
    if suffix == ".gpkg":
        data.to_file(out, layer="segments", driver="GPKG")
    elif suffix in (".geojson", ".json"):
        data.to_file(out, driver="GeoJSON")
    else:
        raise NetworkError("Export als .gpkg oder .geojson.")
    return len(data)


GAPS_CSV_HEADINGS = (
    "Nr.",
    "Name",
    "Radwegenetz",
    "Kernwegenetz",
    "Gemeinden",
    "Länge km",
    "Status",
    "Priorität",
    "Lücke",
    "Zustand",
    "Zustand laut Netzdaten",
    "Oberfläche",
    "Breite m",
    "Zuständig",
    "zuletzt geprüft",
    "Mängel",
    "Bemerkung",
)


def gaps_and_priority_csv(db: sqlite_utils.Database) -> str:
    """Gaps and priority-A segments for people (Excel): `;`, German headings, labels,
    decimal comma, German dates (see `formatting.de_csv`). GeoPackage/GeoJSON stay the
    machine formats with field codes."""
    names = {a.ags: a.name for a in municipalities.areas(db)}
    latest = store.latest_reviews(db)
    rows = []
    for s in store.all_segments(db):
        if not (s.gap or s.priority == "A"):
            continue
        review = latest.get(s.id)
        condition = s.shown_condition
        rows.append(
            [
                s.id,
                s.name,
                s.in_rad,
                s.in_kern,
                ", ".join(names.get(ags, ags) for ags in s.municipalities),
                round(s.length_m / 1000, 3),
                STATUS_LABELS[s.status],
                s.priority,
                s.gap,
                CONDITIONS.get(condition) if condition else None,
                CONDITIONS.get(s.condition) if s.condition else None,
                SURFACES.get(s.surface, s.surface),
                s.width_m,
                RESPONSIBLE.get(s.responsible, s.responsible),
                de_date(s.last_review_at, empty=""),
                ", ".join(DEFECTS.get(d, d) for d in review.defects) if review else None,
                review.comment if review else None,
            ]
        )
    return de_csv(list(GAPS_CSV_HEADINGS), rows)


@dataclass(frozen=True)
class SegmentFilter:
    networks: frozenset[Network] = frozenset(Network)
    municipality_ags: str | None = None
    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    only_gaps: bool = False


def select(prepared: Prepared, flt: SegmentFilter) -> np.ndarray:
    """The same selection (a mask over the segments) for the map, the table and the figures."""
    data = prepared.data
    chosen = np.zeros(len(data), bool)
    if Network.RAD in flt.networks:
        chosen |= data["in_rad"].to_numpy(bool)
    if Network.KERN in flt.networks:
        chosen |= data["in_kern"].to_numpy(bool)
    if flt.statuses:
        chosen &= data["status"].isin(flt.statuses).to_numpy(bool)
    if flt.priorities:
        chosen &= data["priority"].fillna("-").isin(flt.priorities).to_numpy(bool)
    if flt.only_gaps:
        chosen &= data["gap"].to_numpy(bool)
    if flt.municipality_ags:
        chosen &= prepared.touches[prepared.area_index(flt.municipality_ags)]
    return chosen


def unreviewed_in(prepared: Prepared, ags: str) -> tuple[list[Segment], int]:
    """Segments touching a municipality that nobody has reviewed yet (for a Befahrung), and
    how many segments touch it in all."""
    touching = prepared.touches[prepared.area_index(ags)]
    todo = touching & ~prepared.data["reviewed"].to_numpy(bool)
    return [prepared.segments[i] for i in np.flatnonzero(todo)], int(touching.sum())


def export_bytes(db: sqlite_utils.Database, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"netze{suffix}"
        export_file(db, out)
        return out.read_bytes()


def frame_of_rows(rows: list[importer.FeatureRow]) -> gpd.GeoDataFrame:
    """Preview rows as a frame for the preview map."""
    return gpd.GeoDataFrame(
        {"name": [str(r.values.get("name") or f"Linie {n}") for n, r in enumerate(rows, 1)]},
        geometry=[r.geometry for r in rows],
        crs=geo.STORAGE_CRS,
    )


@dataclass
class SegmentEdit:
    """The official attributes staff maintain by hand."""

    name: str
    in_rad: bool
    in_kern: bool
    status: str
    priority: str | None
    surface: str | None
    width_m: float | str | None
    lighting: bool | None
    signage: bool | None
    facility: str | None
    responsible: str | None
    gap: bool
    cost_eur: float | str | None


def _number(value, label: str, low: float, high: float, errors: list[str]) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", ".").replace(" ", ""))
    except ValueError:
        errors.append(f"{label} muss eine Zahl sein.")
        return None
    if not low <= number <= high:
        errors.append(f"{label} muss zwischen {low:g} und {high:g} liegen.")
        return None
    return number


def edit_segment(
    db: sqlite_utils.Database, user: User, segment_id: int, edit: SegmentEdit
) -> Segment:
    if not can(user.role, "networks.accept"):
        raise PermissionDenied(
            "Nur Verwaltung und Allianzmanagement pflegen die amtlichen Attribute."
        )
    _require_segment_scope(
        db, user, segment_id, "Sie können nur die Attribute von Abschnitten Ihrer Gemeinde pflegen."
    )
    errors: list[str] = []
    name = clean(edit.name)
    if not 1 <= len(name) <= 200:
        errors.append("Der Name braucht 1 bis 200 Zeichen.")
    if not (edit.in_rad or edit.in_kern):
        errors.append("Ein Abschnitt gehört zu mindestens einem Netz.")
    if edit.status not in {s.value for s in SegmentStatus}:
        errors.append("Unbekannter Status.")
    if edit.priority not in (None, *PRIORITIES):
        errors.append("Priorität muss A, B oder C sein.")
    if edit.surface not in (None, *SURFACES):
        errors.append("Unbekannte Oberfläche.")
    if edit.facility not in (None, *FACILITIES):
        errors.append("Unbekannte Art der Radverkehrsanlage.")
    if edit.responsible not in (None, *RESPONSIBLE):
        errors.append("Unbekannter Baulastträger.")
    width = _number(edit.width_m, "Die Breite", 0.1, 50, errors)
    cost = _number(edit.cost_eur, "Die Kosten", 0, 1e9, errors)
    if errors:
        raise NetworkError(errors)
    values = {
        "name": name,
        "in_rad": int(edit.in_rad),
        "in_kern": int(edit.in_kern),
        "status": edit.status,
        "priority": edit.priority,
        "surface": edit.surface,
        "width_m": width,
        "facility": edit.facility,
        "responsible": edit.responsible,
        "gap": int(edit.gap),
        "cost_eur": cost,
        "lighting": None if edit.lighting is None else int(edit.lighting),
        "signage": None if edit.signage is None else int(edit.signage),
    }
    with write_transaction(db):
        before = store.get(db, segment_id)
        if before is None:
            raise NotFound("Diesen Abschnitt gibt es nicht.")
        old = {k: getattr(before, k) for k in values}
        old = {k: (int(v) if isinstance(v, bool) else v) for k, v in old.items()}
        changed = {k: v for k, v in values.items() if old.get(k) != v}
        if changed:
            store.update(db, segment_id, {**changed, "updated_at": audit.now_iso()})
            audit.record(
                db,
                user.actor,
                "segment.edit",
                "segment",
                str(segment_id),
                details={"old": {k: old[k] for k in changed}, "new": changed},
            )
    return store.get(db, segment_id)


def kernweg_cost_estimate(segment: Segment) -> tuple[float, float]:
    """Rough Kernweg upgrade cost from the rule of thumb (300–350 k€ per km)."""
    km = segment.length_m / 1000
    low, high = KERNWEG_COST_PER_KM
    return km * low, km * high


# --- entry points for pages and the CLI: the role is checked here --------------------------

EXPORTS = {".gpkg": "GeoPackage", ".geojson": "GeoJSON", ".csv": "CSV der Lücken und Priorität A"}


def import_for(
    db: sqlite_utils.Database,
    user: User,
    preview: importer.Preview,
    networks: set[Network],
    token: str | None = None,
) -> int:
    """Import a checked preview on behalf of a working-group member, staff or the manager."""
    if not can(user.role, "networks.import"):
        raise PermissionDenied("Netze importieren Arbeitskreis, Verwaltung und Allianzmanagement.")
    return commit_import(db, preview, networks, user.actor, token=token, user=user)


def export_for(db: sqlite_utils.Database, user: User, suffix: str) -> bytes | str:
    """Both networks as GeoPackage or GeoJSON (with the latest reviews), or the CSV of gaps
    and priority-A segments, for the roles that work on the networks."""
    if suffix not in EXPORTS:
        raise ValidationError("Export als .gpkg, .geojson oder .csv.")
    if not can(user.role, "networks.export"):
        raise PermissionDenied(
            "Exporte der Netze sind dem Arbeitskreis und der Verwaltung vorbehalten."
        )
    return gaps_and_priority_csv(db) if suffix == ".csv" else export_bytes(db, suffix)


def segment(db: sqlite_utils.Database, segment_id: int) -> Segment | None:
    """One segment by its number (a meeting's agenda item links to it)."""
    return store.get(db, segment_id)
