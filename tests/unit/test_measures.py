"""Measures: manager-only edits, validation, versioned history, steps, links."""

from datetime import date

import pytest

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import NotFound, PermissionDenied
from allianz.measures import service
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions

MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
MAYOR = User("bm", "Bürgermeister", Role.MAYOR, "14729060")
BASE = {"handlungsfeld": 1, "priority": "A", "title": "Gemeinsamer Bauhof"}


def test_only_the_manager_edits(db, alliance):
    for user in (MAYOR, User("v", "V", Role.STAFF, "14729060")):
        with pytest.raises(PermissionDenied, match="Allianzmanagement"):
            service.create(db, alliance, user, BASE)
    assert db["measures"].count == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"handlungsfeld": 9}, "Handlungsfeld"),
        ({"title": "x"}, "Bezeichnung"),
        ({"priority": "D"}, "A, B oder C"),
        ({"status": "maybe"}, "Stand"),
        ({"cost_eur": "teuer"}, "Kosten"),
        ({"municipalities": ["99999999"]}, "Gemeinde"),
    ],
)
def test_invalid_measures_are_refused(db, alliance, change, message):
    with pytest.raises(service.MeasureError, match=message):
        service.create(db, alliance, MANAGER, BASE | change)


def test_edits_are_versioned_with_steps(db, alliance):
    measure_id = service.create(
        db, alliance, MANAGER, BASE, [service.StepDraft("Workshop", date(2026, 1, 10), "AG")]
    )
    measure = service.get(db, measure_id)
    assert measure.ref == "M-001" and measure.steps[0].due_on == "2026-01-10"
    changed = service.update(
        db,
        alliance,
        MANAGER,
        measure_id,
        BASE | {"status": "in_progress", "cost_eur": "12000,50"},
        [service.StepDraft("Workshop", date(2026, 1, 10), "AG", date(2026, 1, 9))],
    )
    assert changed
    assert not service.update(
        db, alliance, MANAGER, measure_id, BASE | {"status": "in_progress", "cost_eur": 12000.5},
        [service.StepDraft("Workshop", date(2026, 1, 10), "AG", date(2026, 1, 9))],
    )  # fmt: skip
    history = service.history(db, measure_id)
    assert [h["version"] for h in history] == [2, 1]
    assert history[0]["changes"]["status"] == ["idea", "in_progress"]
    assert "erledigt 2026-01-09" in history[0]["changes"]["steps"][1][0]
    assert service.overdue_steps(service.all_measures(db), date(2026, 2, 1)) == []


def test_links_show_on_the_suggestion(db, alliance):
    seat = alliance.municipality("14729060")
    made = suggestions.submit(
        db,
        alliance,
        municipalities.areas(db),
        suggestions.Submission("waste", "Müll", "Viel Müll", seat.seat_lat, seat.seat_lon),
    )
    measure_id = service.create(db, alliance, MANAGER, BASE)
    with pytest.raises(NotFound, match="gibt es nicht"):
        service.link(db, MANAGER, measure_id, "suggestion", 999)
    with pytest.raises(PermissionDenied, match="Allianzmanagement"):
        service.link(db, MAYOR, measure_id, "suggestion", made.id)
    service.link(db, MANAGER, measure_id, "suggestion", made.id)
    service.link(db, MANAGER, measure_id, "suggestion", made.id)  # twice: one link
    assert [m.id for m in service.measures_for(db, "suggestion", made.id)] == [measure_id]
    [row] = service.links(db, measure_id)
    service.unlink(db, MANAGER, row["id"])
    assert service.measures_for(db, "suggestion", made.id) == []


def test_measure_concerns_listed_or_all_municipalities(db, alliance):
    one = service.get(
        db, service.create(db, alliance, MANAGER, BASE | {"municipalities": ["14729060"]})
    )
    every = service.get(db, service.create(db, alliance, MANAGER, BASE))
    assert service.concerns(one, "14729060") and not service.concerns(one, "14729070")
    assert service.concerns(every, "14729070") and service.concerns(one, None)
