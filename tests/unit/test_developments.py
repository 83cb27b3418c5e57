"""Building developments: affected members against an independent overlay, XPlanGML import
and its refusals, geometry checks, deadlines and reminders with a frozen clock, visibility per
role, the coordination meeting, exports, the hostile corpus."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box, mapping, shape
from shapely.ops import nearest_points

from allianz import geo
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.developments import service, xplan
from allianz.developments.model import DEFAULT_DISTANCE_KM, Draft
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.meetings import service as meetings
from allianz.municipalities import service as municipalities
from tests.conftest import TEST_ACTOR
from tests.hostile import CORPUS, expected_stored

NAUNHOF, BRANDIS, BORSDORF, MACHERN = "14729300", "14729070", "14729060", "14729250"
MANAGER = User("leitung", "Leitung", Role.MANAGER)
NAUNHOF_STAFF = User("bau-naunhof", "Bauamt Naunhof", Role.STAFF, NAUNHOF)
BRANDIS_STAFF = User("bau-brandis", "Bauamt Brandis", Role.STAFF, BRANDIS)
BRANDIS_MAYOR = User("bm-brandis", "BM Brandis", Role.MAYOR, BRANDIS)
MACHERN_STAFF = User("bau-machern", "Bauamt Machern", Role.STAFF, MACHERN)
CITIZEN = User("anonym", "Gast", Role.CITIZEN)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday; deadline 30.03.2026


def near_brandis(areas) -> Polygon:
    """A 500 m square inside Naunhof at the point of Naunhof nearest to Brandis (WGS84)."""
    by_ags = {a.ags: geo.to_metric(a.geometry) for a in areas}
    point = nearest_points(by_ags[NAUNHOF], by_ags[BRANDIS])[0]
    square = point.buffer(250, cap_style="square").intersection(by_ags[NAUNHOF])
    return geo.to_storage(square)


def draft(geometry, **fields) -> Draft:
    values = {"title": "Gewerbegebiet Nord", "kind": "commercial", "stage": "entwurf"}
    return Draft(geometry=mapping(geometry), **(values | fields))


@pytest.fixture
def areas(db):
    return municipalities.areas(db)


@pytest.fixture
def brandis_mail(db, alliance):
    accounts.create_user(
        db, alliance, TEST_ACTOR, username="bauamt-brandis", role="staff",
        password="geheim-genug-1", municipality_ags=BRANDIS, email="bauamt@brandis.example",
    )  # fmt: skip
    return "bauamt@brandis.example"


def outbox(db, recipient: str) -> list[dict]:
    return [dict(r) for r in db["mail_outbox"].rows_where("recipient = ?", [recipient])]


# --- affected members ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["housing", "commercial", "wind"])
def test_affected_members_match_an_independent_overlay(db, alliance, areas, kind):
    geometry = near_brandis(areas)
    development_id = service.report(db, alliance, areas, NAUNHOF_STAFF, draft(geometry, kind=kind))
    found = {a.ags for a in service.get(db, alliance, MANAGER, development_id).answers}

    members = gpd.GeoDataFrame(
        {"ags": [a.ags for a in areas]}, geometry=[a.geometry for a in areas], crs="EPSG:4326"
    ).to_crs("EPSG:25832")
    reach = gpd.GeoDataFrame(
        geometry=gpd.GeoSeries([geometry], crs="EPSG:4326")
        .to_crs("EPSG:25832")
        .buffer(DEFAULT_DISTANCE_KM[kind] * 1000),
        crs="EPSG:25832",
    )
    overlay = gpd.overlay(members, reach, how="intersection")
    expected = set(overlay["ags"]) - {NAUNHOF}
    assert found == expected
    assert BRANDIS in found
    if kind == "wind":
        assert len(found) > len({BRANDIS})


def test_members_added_by_hand_are_asked_too(db, alliance, areas):
    development_id = service.report(
        db, alliance, areas, NAUNHOF_STAFF,
        draft(near_brandis(areas), kind="housing", extra_members=(MACHERN, NAUNHOF)),
    )  # fmt: skip
    answers = {a.ags: a.reason for a in service.get(db, alliance, MANAGER, development_id).answers}
    assert answers[MACHERN] == "manual" and NAUNHOF not in answers


def test_the_area_is_measured_in_utm(db, alliance, areas):
    geometry = near_brandis(areas)
    development_id = service.report(db, alliance, areas, NAUNHOF_STAFF, draft(geometry))
    development = service.get(db, alliance, MANAGER, development_id)
    assert development.area_ha == pytest.approx(geo.to_metric(geometry).area / 10_000, abs=0.01)
    assert 5 < development.area_ha <= 25


# --- geometry checks -----------------------------------------------------------------------


def test_a_self_intersecting_polygon_is_repaired(db, alliance, areas):
    x0, y0, x1, y1 = near_brandis(areas).bounds
    bowtie = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])
    assert not bowtie.is_valid
    development_id = service.report(db, alliance, areas, NAUNHOF_STAFF, draft(bowtie))
    stored = shape(service.get(db, alliance, MANAGER, development_id).geometry)
    assert stored.is_valid and stored.area > 0


def test_a_geometry_outside_the_alliance_is_refused(db, alliance, areas):
    berlin = box(13.38, 52.50, 13.40, 52.52)
    with pytest.raises(ValidationError, match="außerhalb des Allianzgebiets"):
        service.report(db, alliance, areas, NAUNHOF_STAFF, draft(berlin))
    assert db["developments"].count == 0


def test_a_line_is_refused_in_german(db, alliance, areas):
    seat = alliance.municipality(NAUNHOF)
    line = {
        "type": "LineString",
        "coordinates": [[seat.seat_lon, seat.seat_lat], [seat.seat_lon + 0.01, seat.seat_lat]],
    }
    with pytest.raises(ValidationError, match="Fläche"):
        service.report(db, alliance, areas, NAUNHOF_STAFF,
                       Draft("Straße", "infrastructure", "entwurf", line))  # fmt: skip


def test_geojson_file_import(tmp_path, areas):
    geometry = near_brandis(areas)
    path = tmp_path / "vorhaben.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": mapping(geometry)}]}))  # fmt: skip
    read, source = service.read_area(path)
    assert read.symmetric_difference(geometry).area < 1e-9
    assert "vorhaben.geojson" in source


# --- XPlanGML ------------------------------------------------------------------------------


def xplan_text(geometry, srs: str = "EPSG:25833", *, latlon: bool = False) -> str:
    if srs.endswith("4326"):
        coords = [(y, x) if latlon else (x, y) for x, y in geometry.exterior.coords]
    else:
        utm = gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs(srs.split("::")[-1]).iloc[0]
        coords = list(utm.exterior.coords)
    pos_list = " ".join(f"{x:.6f} {y:.6f}" for x, y in coords)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<xplan:XPlanAuszug xmlns:xplan="http://www.xplanung.de/xplangml/6/0"
    xmlns:gml="http://www.opengis.net/gml/3.2" gml:id="A1">
  <gml:boundedBy><gml:Envelope srsName="{srs}"><gml:lowerCorner>0 0</gml:lowerCorner>
    <gml:upperCorner>1 1</gml:upperCorner></gml:Envelope></gml:boundedBy>
  <gml:featureMember>
    <xplan:BP_Plan gml:id="P1">
      <xplan:name>B-Plan Gewerbe Nord</xplan:name>
      <xplan:raeumlicherGeltungsbereich>
        <gml:MultiSurface gml:id="G1" srsName="{srs}"><gml:surfaceMember>
          <gml:Polygon gml:id="G2"><gml:exterior><gml:LinearRing>
            <gml:posList srsDimension="2">{pos_list}</gml:posList>
          </gml:LinearRing></gml:exterior></gml:Polygon>
        </gml:surfaceMember></gml:MultiSurface>
      </xplan:raeumlicherGeltungsbereich>
    </xplan:BP_Plan>
  </gml:featureMember>
</xplan:XPlanAuszug>
"""


@pytest.mark.parametrize(
    ("srs", "latlon"),
    [("EPSG:25833", False), ("urn:ogc:def:crs:EPSG::25832", False), ("EPSG:4326", True)],
)
def test_xplan_geltungsbereich_is_read_and_reprojected(tmp_path, areas, srs, latlon):
    geometry = near_brandis(areas)
    path = tmp_path / "plan.gml"
    path.write_text(xplan_text(geometry, srs, latlon=latlon), encoding="utf-8")
    read, source = service.read_area(path)
    assert read.symmetric_difference(geometry).area / geometry.area < 0.001
    assert source.startswith("XPlanGML")


def test_xplan_import_reports_a_development(db, alliance, areas, tmp_path):
    path = tmp_path / "plan.gml"
    path.write_text(xplan_text(near_brandis(areas)), encoding="utf-8")
    geometry, source = service.read_area(path)
    development_id = service.report(
        db, alliance, areas, NAUNHOF_STAFF,
        Draft("B-Plan Gewerbe Nord", "b_plan", "aufstellung", mapping(geometry),
              geometry_source=source),
    )  # fmt: skip
    assert BRANDIS in {a.ags for a in service.get(db, alliance, MANAGER, development_id).answers}


XXE = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xplan:XPlanAuszug xmlns:xplan="http://www.xplanung.de/xplangml/6/0">&xxe;</xplan:XPlanAuszug>
"""
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<xplan:XPlanAuszug xmlns:xplan="http://www.xplanung.de/xplangml/6/0">&lol2;</xplan:XPlanAuszug>
"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (XXE, "DOCTYPE"),
        (BOMB, "DOCTYPE"),
        ("<kaputt", "kein gültiges XML"),
        ("<html><body>Plan</body></html>", "kein XPlanGML"),
        (
            '<xplan:XPlanAuszug xmlns:xplan="x"><xplan:BP_Plan/></xplan:XPlanAuszug>',
            "Kein Geltungsbereich",
        ),  # fmt: skip
    ],
)
def test_invalid_and_hostile_xplan_files_are_refused(tmp_path, content, message):
    path = tmp_path / "plan.gml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(xplan.XPlanError, match=message):
        service.read_area(path)


def test_an_unknown_coordinate_system_is_refused(tmp_path, areas):
    path = tmp_path / "plan.gml"
    text = xplan_text(near_brandis(areas), "EPSG:25833").replace("EPSG:25833", "EPSG:31468")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(xplan.XPlanError, match="Koordinatensystem"):
        service.read_area(path)


def test_a_100_mb_gml_is_refused_before_parsing(tmp_path):
    path = tmp_path / "riesig.gml"
    with path.open("wb") as file:
        file.truncate(100 * 1024 * 1024)  # sparse: costs no disk and no time
    with pytest.raises(xplan.XPlanError, match="größer als 10 MB"):
        service.read_area(path)


# --- deadlines and reminders (frozen clock) ------------------------------------------------


def test_deadline_reminder_and_late_answers(db, alliance, areas, brandis_mail):
    development_id = service.report(
        db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)), now=T0
    )
    development = service.get(db, alliance, MANAGER, development_id)
    assert development.deadline == "2026-03-30"
    assert len(outbox(db, brandis_mail)) == 1  # the notification
    assert service.remind(db, alliance, T0 + timedelta(days=20)) == 0  # 9 days before
    assert service.remind(db, alliance, T0 + timedelta(days=21)) >= 1  # a week before
    assert len(outbox(db, brandis_mail)) == 2
    assert "Erinnerung" in outbox(db, brandis_mail)[-1]["subject"]
    assert service.remind(db, alliance, T0 + timedelta(days=22)) == 0  # once only
    assert len(outbox(db, brandis_mail)) == 2
    late = service.answer(db, alliance, BRANDIS_STAFF, development_id, "noted",
                          now=T0 + timedelta(days=29))  # fmt: skip
    assert late is True
    answer = next(a for a in service.get(db, alliance, MANAGER, development_id).answers
                  if a.ags == BRANDIS)  # fmt: skip
    assert answer.late and answer.answer == "noted"


def test_no_reminder_after_an_answer_or_after_the_deadline(db, alliance, areas, brandis_mail):
    development_id = service.report(
        db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)), now=T0
    )
    service.answer(db, alliance, BRANDIS_STAFF, development_id, "no_objection",
                   now=T0 + timedelta(days=3))  # fmt: skip
    service.remind(db, alliance, T0 + timedelta(days=22))
    assert len(outbox(db, brandis_mail)) == 1
    other = service.report(db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)), now=T0)
    assert service.remind(db, alliance, T0 + timedelta(days=40)) == 0
    assert all(a.reminded_at is None for a in service.get(db, alliance, MANAGER, other).answers)


def test_an_answer_in_time_is_not_late(db, alliance, areas):
    development_id = service.report(
        db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)), now=T0
    )
    assert not service.answer(db, alliance, BRANDIS_MAYOR, development_id, "noted",
                              now=T0 + timedelta(days=28))  # fmt: skip


# --- answers, coordination, visibility -----------------------------------------------------


def test_objection_proposes_a_meeting_with_the_development_on_the_agenda(db, alliance, areas):
    development_id = service.report(db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)))
    with pytest.raises(ValidationError, match="Stellungnahme"):
        service.answer(db, alliance, BRANDIS_STAFF, development_id, "objection", "  ")
    service.answer(db, alliance, BRANDIS_STAFF, development_id, "objection", "Zu viel Verkehr.")
    assert service.get(db, alliance, MANAGER, development_id).status == "coordination"
    meeting_id = service.propose_meeting(
        db, alliance, MANAGER, development_id, date(2026, 4, 14), "10:00", "11:30", "Rathaus"
    )
    meeting = meetings.get(db, MANAGER, meeting_id)
    assert not meeting.public
    link = meeting.items[0].links[0]
    assert (link.kind, link.target) == ("development", str(development_id))
    assert service.get(db, alliance, MANAGER, development_id).meeting_id == meeting_id
    with pytest.raises(ValidationError, match="schon ein Abstimmungsgespräch"):
        service.propose_meeting(db, alliance, MANAGER, development_id, date(2026, 4, 15),
                                "10:00", "11:00", "Rathaus")  # fmt: skip
    service.settle(db, alliance, MANAGER, development_id, "Zufahrt wird verlegt.")
    settled = service.get(db, alliance, MANAGER, development_id)
    assert settled.status == "settled" and settled.outcome == "Zufahrt wird verlegt."
    versions = service.history(db, alliance, MANAGER, development_id)
    assert [v["version"] for v in versions][0] == settled.version and len(versions) >= 4


def test_a_member_not_asked_cannot_answer(db, alliance, areas):
    development_id = service.report(
        db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas), kind="housing")
    )
    if MACHERN in {a.ags for a in service.get(db, alliance, MANAGER, development_id).answers}:
        pytest.skip("Machern lies within reach in these demo areas")
    with pytest.raises(PermissionDenied):
        service.answer(db, alliance, MACHERN_STAFF, development_id, "noted")


@pytest.mark.parametrize("role", list(Role))
def test_visibility_for_every_role(db, alliance, areas, role):
    development_id = service.report(
        db, alliance, areas, NAUNHOF_STAFF,
        draft(near_brandis(areas), contact_name="Frau Plan", contact_email="plan@naunhof.example"),
    )  # fmt: skip
    service.answer(db, alliance, BRANDIS_STAFF, development_id, "objection", "Geheime Sorge")
    viewer = User(f"u-{role.value}", role.value, role,
                  MACHERN if role in (Role.STAFF, Role.MAYOR) else None)  # fmt: skip
    internal = role in (Role.STAFF, Role.MAYOR, Role.MANAGER)
    if internal:
        seen = service.get(db, alliance, viewer, development_id)
        brandis = next(a for a in seen.answers if a.ags == BRANDIS)
        assert brandis.answer == "objection"
        assert (brandis.statement == "Geheime Sorge") is (role is Role.MANAGER)
    else:
        assert service.listing(db, alliance, viewer) == []
        with pytest.raises(NotFound):
            service.get(db, alliance, viewer, development_id)
    service.release(db, alliance, MANAGER, development_id, True)
    seen = service.get(db, alliance, viewer, development_id)
    assert seen.public and seen.geometry
    if not internal:
        assert seen.answers == () and seen.contact_email == "" and seen.contact_name == ""
        assert service.documents(db, alliance, viewer, development_id) == []
        with pytest.raises(PermissionDenied):
            service.history(db, alliance, viewer, development_id)


def test_statements_are_seen_by_the_reporting_and_the_answering_member(db, alliance, areas):
    development_id = service.report(db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)))
    service.answer(db, alliance, BRANDIS_STAFF, development_id, "remarks", "Bitte Radweg.")
    for viewer in (NAUNHOF_STAFF, BRANDIS_MAYOR, MANAGER):
        seen = service.get(db, alliance, viewer, development_id)
        assert next(a for a in seen.answers if a.ags == BRANDIS).statement == "Bitte Radweg."


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.WORKING_GROUP, Role.HOST, Role.MAYOR])
def test_roles_that_may_not_report_are_refused(db, alliance, areas, role):
    user = User("x", "x", role, NAUNHOF if role is Role.MAYOR else None)
    with pytest.raises(PermissionDenied):
        service.report(db, alliance, areas, user, draft(near_brandis(areas)))


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.MANAGER])
def test_only_the_office_releases_exports_and_proposes_meetings(db, alliance, areas, role):
    development_id = service.report(db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)))
    user = User("x", "x", role, BRANDIS if role in (Role.STAFF, Role.MAYOR) else None)
    with pytest.raises(PermissionDenied):
        service.release(db, alliance, user, development_id, True)
    with pytest.raises(PermissionDenied):
        service.export(db, alliance, user, "csv")
    with pytest.raises(PermissionDenied):
        service.propose_meeting(db, alliance, user, development_id, date(2026, 4, 14),
                                "10:00", "11:00", "Rathaus")  # fmt: skip


def test_staff_report_only_for_their_own_member(db, alliance, areas):
    development_id = service.report(
        db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)), reporter_ags=BRANDIS
    )
    assert service.get(db, alliance, MANAGER, development_id).municipality_ags == NAUNHOF


# --- documents, exports, idempotency, hostile text -----------------------------------------


def test_documents_must_be_small_pdfs(db, alliance, areas):
    development_id = service.report(db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)))
    with pytest.raises(ValidationError, match="PDF"):
        service.add_document(db, alliance, NAUNHOF_STAFF, development_id, "a.pdf", b"MZ\x90")
    with pytest.raises(ValidationError, match="10 MB"):
        service.add_document(db, alliance, NAUNHOF_STAFF, development_id, "a.pdf",
                             b"%PDF-" + b"0" * (10 * 1024 * 1024))  # fmt: skip
    with pytest.raises(PermissionDenied):
        service.add_document(db, alliance, CITIZEN, development_id, "a.pdf", b"%PDF-1.4")
    document_id = service.add_document(
        db, alliance, BRANDIS_STAFF, development_id, "../../stellungnahme.pdf", b"%PDF-1.4 x"
    )
    title, content = service.document(db, BRANDIS_MAYOR, document_id)
    assert title == "stellungnahme.pdf" and content == b"%PDF-1.4 x"


def test_exports_as_csv_and_geopackage(db, alliance, areas, tmp_path):
    service.report(db, alliance, areas, NAUNHOF_STAFF,
                   draft(near_brandis(areas), title="=HYPERLINK(1)"))  # fmt: skip
    text = service.export(db, alliance, MANAGER, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Nr.", "Titel", "Gemeinde"]
    assert rows[1][1].startswith("'=") and rows[1][2] == "Stadt Naunhof"
    path = tmp_path / "bv.gpkg"
    path.write_bytes(service.export(db, alliance, MANAGER, "gpkg"))
    frame = gpd.read_file(path)
    assert len(frame) == 1 and frame.crs.to_epsg() == 4326 and "statement" not in frame.columns


def test_a_double_submit_reports_once(db, alliance, areas):
    first = service.report(db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)), "tok-1")
    with pytest.raises(Conflict):
        service.report(db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)), "tok-1")
    assert db["developments"].count == 1 and first == 1


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_hostile_text_is_stored_literally_or_refused(db, alliance, areas, text):
    fields = {"title": text, "effects_text": text, "contact_name": text[:200]}
    try:
        development_id = service.report(
            db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas), **fields)
        )
    except ValidationError:
        assert db["developments"].count == 0 and db["development_members"].count == 0
        return
    development = service.get(db, alliance, MANAGER, development_id)
    assert development.title == " ".join(expected_stored(text).split())
    assert development.effects_text == expected_stored(text)
    service.answer(db, alliance, BRANDIS_STAFF, development_id, "remarks", text + " Hinweis")
    answer = next(a for a in service.get(db, alliance, MANAGER, development_id).answers
                  if a.ags == BRANDIS)  # fmt: skip
    assert answer.statement == expected_stored(text + " Hinweis")


def test_demo_has_three_developments_in_different_stages(demo_db, alliance):
    db, _ = demo_db
    shown = service.listing(db, alliance, MANAGER)
    assert len(shown) == 3 and len({d.stage for d in shown}) == 3
    assert [d.title for d in service.listing(db, alliance, CITIZEN)] == ["Wohngebiet Am Kirchberg"]


def test_figures_count_by_kind_stage_and_open_answers(db, alliance, areas):
    from allianz.developments import figures
    from allianz.figures import FigureRequest, Period

    service.report(db, alliance, areas, NAUNHOF_STAFF, draft(near_brandis(areas)))
    today = datetime.now(UTC).date()
    request = FigureRequest(db, alliance, areas, Period(today - timedelta(days=30), today), today)
    section = figures.sections(request)[0]
    assert section.value("reported") == 1 and section.value("kind.commercial") == 1
    assert section.value("stage.entwurf") == 1
    assert section.value("open", BRANDIS) == 1 and section.value("reported", NAUNHOF) == 1


def test_settings_come_from_the_alliance_file(alliance, tmp_path):
    text = Path(alliance.source_path).read_text(encoding="utf-8")
    path = tmp_path / "mit-abstand.toml"
    path.write_text(text + "\n[developments]\nanswer_days = 42\n[developments.distance_km]\n"
                    "wind = 15\n", encoding="utf-8")  # fmt: skip
    from dataclasses import replace

    settings = service.settings(replace(alliance, source_path=path))
    assert settings.answer_days == 42 and settings.distance_km["wind"] == 15
    assert settings.distance_km["housing"] == 2


def test_cli_lists_and_reminds(db_path, capsys):
    from allianz import cli

    assert cli.main(["db", "init"]) == 0
    capsys.readouterr()
    assert cli.main(["developments", "list"]) == 0
    listed = capsys.readouterr().out
    assert "BV-0001" in listed and "Wohngebiet Am Kirchberg" in listed
    assert cli.main(["developments", "remind"]) == 0
    assert "0 Erinnerungen in den E-Mail-Ausgang gelegt." in capsys.readouterr().out
