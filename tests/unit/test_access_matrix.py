"""Table-driven: every role × every guarded action, tried at the service layer (where the pages,
the CLI and the API all end up). Allowed roles succeed; every other role is refused."""

from __future__ import annotations

from datetime import datetime

import pytest

from allianz import demo_geodata
from allianz.accounts.model import User
from allianz.auth import PERMISSIONS, Role
from allianz.measures import service as measures
from allianz.municipalities import service as municipalities
from allianz.networks import service as networks
from allianz.networks import store as network_store
from allianz.suggestions import service as suggestions
from allianz.suggestions import store as suggestion_store
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


def _try(action: str, db, alliance, w, user: User) -> None:
    """Perform `action` as `user`; raises (any refusal error) when refused."""
    seat = w["seat"]
    if action == "suggestions.review":
        suggestions.set_status(db, alliance, user, w["suggestion"], "in_review", "Wir prüfen.")
    elif action == "suggestions.export":
        if suggestions.review_filters(user, suggestion_store.Filters()) is None:
            raise PermissionError
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
    elif action == "measures.edit":
        measures.create(db, alliance, user, {"handlungsfeld": 1, "priority": "A", "title": "Neu"})
    else:  # pragma: no cover - the list below names only the actions handled above
        raise AssertionError(action)


SERVICE_ACTIONS = [
    "suggestions.review",
    "suggestions.export",
    "networks.review",
    "networks.accept",
    "workshops.host",
    "workshops.manage",
    "vacancies.edit",
    "vacancies.owner",
    "vacancies.import",
    "measures.edit",
]
MATRIX = [(action, role) for action in SERVICE_ACTIONS for role in Role]


@pytest.mark.parametrize(("action", "role"), MATRIX, ids=[f"{a}-{r.value}" for a, r in MATRIX])
def test_service_refuses_every_role_the_table_does_not_allow(db, alliance, world, action, role):
    user = user_for(role)
    if role in PERMISSIONS[action]:
        _try(action, db, alliance, world, user)
    else:
        with pytest.raises((ValueError, PermissionError)):
            _try(action, db, alliance, world, user)
