"""Table-driven: every role × every guarded action, tried at the service layer (where the pages,
the CLI and the API all end up). Allowed roles succeed; every other role is refused with
PermissionDenied — not any other error, so a validation bug cannot pass as a refusal."""

from __future__ import annotations

import json
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest

from allianz import demo_geodata
from allianz.accounts.model import User
from allianz.auth import Role, permissions
from allianz.errors import PermissionDenied
from allianz.measures import service as measures
from allianz.municipalities import service as municipalities
from allianz.networks import service as networks
from allianz.networks import store as network_store
from allianz.networks.model import Network
from allianz.suggestions import service as suggestions
from allianz.summary import service as summary
from allianz.vacancies import service as vacancies
from allianz.workshops import service as workshops
from allianz.workshops import store as workshop_store
from tests.conftest import TEST_ACTOR

AGS = "14729060"
MANAGER = User("leitung", "Leitung", Role.MANAGER)


def user_for(role: Role) -> User:
    municipal = role in (Role.STAFF, Role.MAYOR)
    return User(f"u-{role.value}", role.value, role, AGS if municipal else None)


@pytest.fixture
def world(db, alliance):
    areas = municipalities.areas(db)
    seat = alliance.municipality(AGS)
    made = suggestions.submit(
        db,
        alliance,
        areas,
        suggestions.Submission("waste", "Müll", "Viel Müll", seat.seat_lat, seat.seat_lon),
    )
    networks.load_demo(db, demo_geodata.load_networks(alliance), TEST_ACTOR)
    segment = network_store.all_segments(db)[0]
    review = networks.record_review(db, MANAGER, segment.id, networks.ReviewInput(condition=3))
    wid = workshops.create(
        db,
        alliance,
        MANAGER,
        workshops.WorkshopDraft("Werkstatt", datetime(2026, 1, 1), scope_ags=AGS,
                                tables=workshops.default_tables(alliance)),
    )  # fmt: skip
    workshops.set_phase(db, MANAGER, wid, "live")
    site = vacancies.create(
        db, alliance, areas, MANAGER, {"type": "leerstand", "lat": seat.seat_lat,
                                       "lon": seat.seat_lon}
    )  # fmt: skip
    return {"areas": areas, "seat": seat, "suggestion": made.id, "segment": segment.id,
            "review": review.id, "workshop": wid, "site": site}  # fmt: skip


def _line_preview(seat, areas):
    """A checked import preview of one short line at the municipal seat."""
    line = {
        "type": "LineString",
        "coordinates": [
            [seat.seat_lon, seat.seat_lat],
            [seat.seat_lon + 0.002, seat.seat_lat + 0.001],
        ],
    }
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "Neu"}, "geometry": line}],
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "line.geojson"
        path.write_text(json.dumps(collection), encoding="utf-8")
        return networks.prepare_import(path, areas)  # fmt: skip


def _try(action: str, db, alliance, w, user: User) -> None:
    """Perform `action` as `user`; raises PermissionDenied when refused."""
    seat = w["seat"]
    if action == "suggestions.review":
        suggestions.set_status(db, alliance, user, w["suggestion"], "in_review", "Wir prüfen.")
    elif action == "suggestions.export":
        suggestions.export(db, alliance, user, suggestions.Filters(), "csv")
    elif action == "networks.review":
        networks.record_review(db, user, w["segment"], networks.ReviewInput(condition=2))
    elif action == "networks.accept":
        networks.accept_review(db, user, w["review"])
    elif action == "workshops.host":
        table = workshop_store.get(db, w["workshop"]).tables[0].id
        workshops.add_card(db, alliance, w["areas"], user, w["workshop"],
                           workshops.CardDraft(table, "Idee"))  # fmt: skip
    elif action == "workshops.manage":
        workshops.create(
            db,
            alliance,
            user,
            workshops.WorkshopDraft(
                "Neu",
                datetime(2026, 2, 1),
                scope_ags=AGS,
                tables=workshops.default_tables(alliance),
            ),
        )
    elif action == "vacancies.edit":
        vacancies.create(
            db,
            alliance,
            w["areas"],
            user,
            {"type": "baulücke", "lat": seat.seat_lat, "lon": seat.seat_lon},
        )
    elif action == "vacancies.owner":
        vacancies.owner_of(db, user, w["site"])
    elif action == "vacancies.import":
        vacancies.import_rows(
            db,
            alliance,
            w["areas"],
            user,
            [{"type": "hofstelle", "lat": seat.seat_lat, "lon": seat.seat_lon}],
        )
    elif action == "networks.import":
        networks.import_for(db, user, _line_preview(seat, w["areas"]), {Network.RAD})
    elif action == "networks.export":
        networks.export_for(db, user, ".csv")
    elif action == "vacancies.export":
        vacancies.export_file(db, alliance, user, "csv")
    elif action == "vacancies.export_internal":
        vacancies.export_file(db, alliance, user, "csv", internal=True)
    elif action == "summary.report":
        period = summary.Period(date(2026, 1, 1), date(2026, 1, 31))
        summary.report_for(db, alliance, w["areas"], user, period)
    elif action == "measures.edit":
        measures.create(db, alliance, user, {"handlungsfeld": 1, "priority": "A", "title": "Neu"})
    else:  # pragma: no cover - the list below names only the actions handled above
        raise AssertionError(action)


SERVICE_ACTIONS = [
    "suggestions.review",
    "suggestions.export",
    "networks.review",
    "networks.accept",
    "networks.import",
    "networks.export",
    "workshops.host",
    "workshops.manage",
    "vacancies.edit",
    "vacancies.owner",
    "vacancies.import",
    "vacancies.export",
    "vacancies.export_internal",
    "summary.report",
    "measures.edit",
]
# Actions checked where they are offered (a page of the manager or the municipality desk),
# with no service call of their own to try here; the page-access tests cover them.
PAGE_CHECKED = {
    "audit.view_own_municipality": "Meine Gemeinde shows the municipality's audit rows",
    "audit.view_all": "Allianzverwaltung shows every audit row",
    "users.list": "Allianzverwaltung lists the accounts",
    "boundaries.import": "Allianzverwaltung imports VG250 boundaries",
}
MATRIX = [(action, role) for action in SERVICE_ACTIONS for role in Role]


@pytest.mark.parametrize(("action", "role"), MATRIX, ids=[f"{a}-{r.value}" for a, r in MATRIX])
def test_service_refuses_every_role_the_table_does_not_allow(db, alliance, world, action, role):
    user = user_for(role)
    if role in permissions()[action]:
        _try(action, db, alliance, world, user)
    else:
        with pytest.raises(PermissionDenied):
            _try(action, db, alliance, world, user)


def test_every_action_is_tried_or_named_as_checked_on_its_page():
    actions = {a for a in permissions() if not a.startswith("page.")}
    assert actions == set(SERVICE_ACTIONS) | set(PAGE_CHECKED)
