"""Building developments, second step: areas drawn by corner points (clicked or typed) through
the same checks as an import, a map point on a statement and who sees it, the open answers on
"Meine Gemeinde", the purge of the contact person, the mean answer time per member against an
independent computation, and the district-scale generator for the benchmark."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from shapely.geometry import Point, shape

from allianz import features, geo, privacy
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.developments import FEATURE, district, figures, service
from allianz.developments.model import Draft
from allianz.errors import ValidationError
from allianz.figures import FigureRequest, Period
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS
from tests.unit.test_developments import (
    BORSDORF,
    BRANDIS,
    BRANDIS_MAYOR,
    BRANDIS_STAFF,
    CITIZEN,
    MACHERN_STAFF,
    MANAGER,
    NAUNHOF,
    NAUNHOF_STAFF,
    T0,
    areas,  # noqa: F401 - fixture
    draft,
    near_brandis,
)

BORSDORF_STAFF = User("bau-borsdorf", "Bauamt Borsdorf", Role.STAFF, BORSDORF)


def corners_text(geometry) -> str:
    """The exterior ring of a polygon as typed corner lines (German decimal comma)."""
    ring = list(geometry.exterior.coords)[:-1]
    return "\n".join(service.point_line(lon, lat) for lon, lat in ring)


# --- drawn areas ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("51,2781; 12,5870", (12.5870, 51.2781)),
        ("51.2781, 12.5870", (12.5870, 51.2781)),
        ("51.2781,12.5870", (12.5870, 51.2781)),
        ("51,2781 12,5870", (12.5870, 51.2781)),
        ("  51,2781 ;12,5870  ", (12.5870, 51.2781)),
    ],
)
def test_a_typed_point_is_read_latitude_first(line, expected):
    assert service.parse_point(line) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text, message",
    [
        ("51,2781", "kein Punkt"),
        ("[Klick](javascript:alert(1))", "^Das ist kein Punkt"),
        ("51,27,12,58", "kein Punkt"),
        ("Nord 51; Ost 12", "kein Punkt"),
        ("95; 12", "außerhalb des gültigen Bereichs"),
    ],
)
def test_unreadable_points_are_refused_in_german(text, message):
    with pytest.raises(ValidationError, match=message):
        service.parse_point(text)


def test_corners_need_three_distinct_points_and_name_the_bad_line():
    with pytest.raises(ValidationError, match="mindestens drei"):
        service.parse_corners("51,1; 12,6\n51,2; 12,6\n51,1; 12,6")
    with pytest.raises(ValidationError, match="^Zeile 2: Das ist kein Punkt"):
        service.parse_corners("51,1; 12,6\nx\n51,2; 12,7")
    with pytest.raises(ValidationError, match="Höchstens 500"):
        service.parse_corners("\n".join(f"51,{i:04d}; 12,6" for i in range(501)))


def test_a_drawn_area_is_reported_like_an_imported_one(db, alliance, areas):  # noqa: F811
    square = near_brandis(areas)
    text = corners_text(square.envelope) + "\n" + corners_text(square.envelope).split("\n")[0]
    geometry, source = service.corners_polygon(text)  # closed by hand: the last line repeats
    assert source == "gezeichnet (4 Eckpunkte)"
    made = service.preview(alliance, areas, geometry, "commercial", NAUNHOF)
    assert BRANDIS in {a for a, _ in made.affected} and not made.repaired
    development_id = service.report(
        db, alliance, areas, NAUNHOF_STAFF,
        Draft("Gewerbe gezeichnet", "commercial", "entwurf", geometry, geometry_source=source),
    )  # fmt: skip
    stored = service.get(db, alliance, MANAGER, development_id)
    assert stored.geometry_source == source
    assert stored.area_ha == pytest.approx(geo.to_metric(square.envelope).area / 10_000, rel=1e-3)


def test_a_drawn_self_intersecting_outline_is_repaired_and_said(db, alliance, areas):  # noqa: F811
    x0, y0, x1, y1 = near_brandis(areas).bounds
    text = "\n".join(
        service.point_line(lon, lat) for lon, lat in [(x0, y0), (x1, y1), (x1, y0), (x0, y1)]
    )
    geometry, _ = service.corners_polygon(text)
    assert not shape(geometry).is_valid
    made = service.preview(alliance, areas, geometry, "commercial", NAUNHOF)
    assert made.repaired and shape(made.geometry).is_valid and made.area_ha > 0
    development_id = service.report(
        db, alliance, areas, NAUNHOF_STAFF, Draft("Schleife", "commercial", "entwurf", geometry)
    )
    assert shape(service.get(db, alliance, MANAGER, development_id).geometry).is_valid


def test_a_drawn_area_outside_the_alliance_is_refused(db, alliance, areas):  # noqa: F811
    geometry, _ = service.corners_polygon("52,50; 13,38\n52,52; 13,38\n52,52; 13,40")
    with pytest.raises(ValidationError, match="außerhalb des Allianzgebiets"):
        service.preview(alliance, areas, geometry, "housing", NAUNHOF)
    with pytest.raises(ValidationError, match="außerhalb des Allianzgebiets"):
        service.report(db, alliance, areas, NAUNHOF_STAFF, Draft("Berlin", "housing", "entwurf",
                                                                 geometry))  # fmt: skip
    assert db["developments"].count == 0


def test_the_corners_frame_shows_points_and_the_closed_outline():
    frame = service.corners_frame("51,1; 12,6\n51,2; 12,6\n51,2; 12,7")
    assert list(frame.geom_type) == ["Polygon", "Polygon", "Polygon", "LineString"]
    assert frame.geometry.iloc[0].contains(Point(12.6, 51.1))
    assert frame.geometry.iloc[-1].coords[0] == frame.geometry.iloc[-1].coords[-1]
    minx, miny, maxx, maxy = service.drawing_bounds(frame)
    assert minx < 12.6 and maxx > 12.7 and miny < 51.1 and maxy > 51.2
    assert maxy - miny < 0.2  # zoomed to the corners, not the whole alliance
    assert service.corners_frame("") is None and service.corners_frame("Unsinn") is None


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_hostile_text_in_the_corner_and_point_fields_is_refused(text):
    for attempt in (service.corners_polygon, service.parse_point):
        try:
            attempt(text)
        except ValidationError as exc:
            assert all(isinstance(e, str) and e for e in exc.errors)
        else:  # only readable numbers pass
            assert any(ch.isdigit() for ch in text)
    assert service.corners_frame(text) is None or len(service.corners_frame(text)) >= 1


# --- a map point on a statement ------------------------------------------------------------


@pytest.fixture
def development(db, alliance, areas):  # noqa: F811
    return service.report(
        db, alliance, areas, NAUNHOF_STAFF,
        draft(near_brandis(areas), extra_members=(BORSDORF,), contact_name="Frau Plan"), now=T0,
    )  # fmt: skip


def brandis_point(areas):  # noqa: F811
    inside = next(a for a in areas if a.ags == BRANDIS).geometry.representative_point()
    return (inside.x, inside.y)


def test_a_statement_point_is_stored_and_seen_only_where_statements_are(
    db,
    alliance,
    areas,  # noqa: F811
    development,
):
    point = brandis_point(areas)
    service.answer(db, alliance, BRANDIS_STAFF, development, "objection", "Zu nah.", point=point)
    seen = {
        who.username: next(
            a for a in service.get(db, alliance, who, development).answers if a.ags == BRANDIS
        ).point  # fmt: skip
        for who in (MANAGER, NAUNHOF_STAFF, BRANDIS_MAYOR, BORSDORF_STAFF, MACHERN_STAFF)
    }
    expected = pytest.approx((round(point[0], 6), round(point[1], 6)))
    assert seen["leitung"] == expected and seen["bau-naunhof"] == expected
    assert seen["bm-brandis"] == expected
    assert seen["bau-borsdorf"] is None and seen["bau-machern"] is None
    frame = service.statement_points(service.get(db, alliance, MANAGER, development))
    assert list(frame["member"]) == ["Stadt Brandis"] and list(frame["answer"]) == ["Bedenken"]
    hidden = service.get(db, alliance, BORSDORF_STAFF, development)
    assert len(service.statement_points(hidden)) == 0
    service.release(db, alliance, MANAGER, development, True)
    public = service.get(db, alliance, CITIZEN, development)
    assert public.answers == () and len(service.statement_points(public)) == 0


@pytest.mark.parametrize(
    "point, message",
    [((13.39, 52.51), "außerhalb des Allianzgebiets"), ((200.0, 51.0), "gültigen Bereichs"),
     (("x", "y"), "ungültig")],
)  # fmt: skip
def test_a_statement_point_outside_the_alliance_is_refused_and_nothing_stored(
    db, alliance, development, point, message
):
    with pytest.raises(ValidationError, match=message):
        service.answer(db, alliance, BRANDIS_STAFF, development, "remarks", "Hinweis", point=point)
    row = db["development_members"].get((development, BRANDIS))
    assert row["answer"] is None and row["statement_lon"] is None


# --- "Meine Gemeinde": open answers with their deadline -----------------------------------


def test_open_answers_for_the_member_desk(db, alliance, development):
    waiting = service.open_for(db, BRANDIS_STAFF, BRANDIS, now=T0)
    assert [(r.development_id, r.deadline, r.overdue) for r in waiting] == [
        (development, "2026-03-30", False)
    ]
    assert service.open_for(db, BRANDIS_STAFF, BRANDIS, now=T0 + timedelta(days=29))[0].overdue
    assert [r.development_id for r in service.open_for(db, MANAGER, BORSDORF)] == [development]
    assert service.open_for(db, MACHERN_STAFF, BRANDIS) == []  # not for another member
    assert service.open_for(db, CITIZEN, BRANDIS) == []
    assert service.open_for(db, NAUNHOF_STAFF, NAUNHOF) == []  # the reporter is not asked
    heading, teasers = FEATURE.municipality_desk(db, BRANDIS_MAYOR, BRANDIS)
    assert heading == "Bauvorhaben: offene Rückmeldungen (1)"
    assert "BV-0001 · Gewerbegebiet Nord · Rückmeldung bis 30.03.2026" in teasers[0].text
    assert dict(teasers[0].query) == {"vorhaben": str(development)}
    service.answer(db, alliance, BRANDIS_STAFF, development, "noted")
    assert FEATURE.municipality_desk(db, BRANDIS_MAYOR, BRANDIS)[1] == []
    assert FEATURE.start_page(db, BORSDORF_STAFF)[1][0].page.endswith("developments.py")


def test_the_desk_hook_is_declared_on_the_registry():
    declared = [f.name for f in features.registry() if f.municipality_desk is not None]
    assert "developments" in declared


# --- purge of the contact person ------------------------------------------------------------


def test_the_contact_is_purged_after_the_retention_period(db, alliance, areas):  # noqa: F811
    old = service.report(
        db, alliance, areas, NAUNHOF_STAFF,
        draft(near_brandis(areas), contact_name="Frau Alt", contact_email="alt@naunhof.example",
              contact_phone="034293 1"), now=T0 - timedelta(days=3 * 365),
    )  # fmt: skip
    recent = service.report(
        db, alliance, areas, NAUNHOF_STAFF,
        draft(near_brandis(areas), contact_name="Herr Neu"), now=T0 - timedelta(days=30),
    )  # fmt: skip
    counts = privacy.purge(db, 24, TEST_ACTOR, now=T0)
    assert counts["development_contacts"] == 1
    purged = service.get(db, alliance, MANAGER, old)
    assert (purged.contact_name, purged.contact_email, purged.contact_phone) == ("", "", "")
    assert purged.title == "Gewerbegebiet Nord"  # the development stays
    assert service.get(db, alliance, MANAGER, recent).contact_name == "Herr Neu"
    assert privacy.purge(db, 24, TEST_ACTOR, now=T0)["development_contacts"] == 0


def test_a_development_changed_lately_keeps_its_contact(db, alliance, areas):  # noqa: F811
    old = service.report(
        db, alliance, areas, NAUNHOF_STAFF,
        draft(near_brandis(areas), contact_name="Frau Alt"), now=T0 - timedelta(days=3 * 365),
    )  # fmt: skip
    service.settle(db, alliance, MANAGER, old, "Abgestimmt.")  # changed today
    now = datetime.now(UTC)
    assert privacy.purge(db, 24, TEST_ACTOR, now=now)["development_contacts"] == 0
    assert service.get(db, alliance, MANAGER, old).contact_name == "Frau Alt"


# --- mean answer time per member ----------------------------------------------------------


def test_mean_answer_time_per_member_matches_an_independent_computation(
    db,
    alliance,
    areas,  # noqa: F811
):
    geometry = near_brandis(areas)
    first = service.report(db, alliance, areas, NAUNHOF_STAFF,
                           draft(geometry, extra_members=(BORSDORF,)), now=T0)  # fmt: skip
    second = service.report(db, alliance, areas, NAUNHOF_STAFF,
                            draft(geometry, extra_members=(BORSDORF,)),
                            now=T0 + timedelta(days=10, hours=6))  # fmt: skip
    later = {
        (first, BRANDIS_STAFF): timedelta(days=3, hours=12),
        (second, BRANDIS_MAYOR): timedelta(days=20),
        (first, BORSDORF_STAFF): timedelta(days=30),
    }
    for (development_id, who), after in later.items():
        notified = datetime.fromisoformat(
            db["development_members"].get((development_id, who.municipality_ags))["notified_at"]
        )
        service.answer(db, alliance, who, development_id, "noted", now=notified + after)

    rows = pd.DataFrame(list(db["development_members"].rows))
    rows = rows[rows["answered_at"].notna()]
    rows["days"] = (
        pd.to_datetime(rows["answered_at"]) - pd.to_datetime(rows["notified_at"])
    ).dt.total_seconds() / 86_400
    expected = rows.groupby("ags")["days"].mean().round(1).to_dict()
    assert expected == {BRANDIS: pytest.approx(11.8, abs=0.05), BORSDORF: 30.0}

    request = FigureRequest(db, alliance, areas, Period(date(2026, 1, 1), date(2026, 6, 30)),
                            date(2026, 6, 30))  # fmt: skip
    section = figures.sections(request)[0]
    for ags, days in expected.items():
        assert section.value("mean_days", ags) == pytest.approx(days)
    assert section.value("mean_days", NAUNHOF) is None  # Naunhof was asked nothing
    assert section.value("mean_days") == pytest.approx(round(rows["days"].mean(), 1))


# --- the benchmark generator ----------------------------------------------------------------


def test_the_district_generator_fills_a_decade_that_the_board_can_read(db, alliance, areas):  # noqa: F811
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    counts = district.generate(db, alliance, seed=21, count=120, years=10, now=now)
    assert counts["developments"] == db["developments"].count == 120
    assert counts["development_members"] == db["development_members"].count > 120
    assert counts["development_versions"] == db["development_versions"].count
    assert 0 < counts["open_answers"] < counts["answers"]
    assert counts["late_answers"] > 0 and counts["statement_points"] > 0
    again = district.generate(db, alliance, seed=21, count=5, years=10, now=now)
    assert again["developments"] == 5 and db["developments"].count == 125  # appends, no clash

    listed = service.listing(db, alliance, MANAGER)
    assert len(listed) == 125 and all(shape(d.geometry).is_valid for d in listed)
    member_areas = {a.ags: a.geometry for a in areas}
    for d in listed[:40]:
        assert shape(d.geometry).intersects(member_areas[d.municipality_ags].buffer(1e-6))
        assert {a.ags for a in d.answers if a.reason == "distance"} <= {
            ags for ags, _ in service.affected(areas, shape(d.geometry), d.distance_km,
                                               d.municipality_ags)
        }  # fmt: skip
        assert d.version == len(service.history(db, alliance, MANAGER, d.id))
    created = [datetime.fromisoformat(d.created_at) for d in listed]
    assert now - min(created) > timedelta(days=365 * 8) and max(created) <= now
    assert service.open_for(db, MANAGER, BRANDIS, now=now)
    assert len(service.listing(db, alliance, CITIZEN)) == sum(d.public for d in listed)
    request = FigureRequest(db, alliance, areas, Period(date(2016, 1, 1), now.date()), now.date())
    section = figures.sections(request)[0]
    assert section.value("reported") == 125 and section.value("mean_days") > 0
    assert service.export(db, alliance, MANAGER, "csv").count(b"\n") == 126
    assert service.remind(db, alliance, now) >= 0
