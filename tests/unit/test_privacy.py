"""Privacy: export, erase and purge of personal data, with a frozen clock."""

from datetime import UTC, datetime

import pytest

from allianz import audit, privacy
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from allianz.vacancies import service as vacancies
from allianz.workshops import service as workshops
from tests.conftest import TEST_ACTOR

ADDRESS = "Petra.Person@example.org"
MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)


@pytest.fixture
def person(db, alliance, monkeypatch):
    """The same person reported a suggestion, asked for a protocol and for a vacant site."""
    clock = {"now": "2025-01-15T10:00:00+00:00"}
    monkeypatch.setattr(audit, "now_iso", lambda: clock["now"])
    areas = municipalities.areas(db)
    seat = alliance.municipality("14729060")
    made = suggestions.submit(
        db,
        alliance,
        areas,
        suggestions.Submission(
            "waste", "Müll", "Viel Müll am Weg", seat.seat_lat, seat.seat_lon,
            email=ADDRESS, email_consent=True,
        ),
    )  # fmt: skip
    workshop = workshops.create(
        db, alliance, MANAGER,
        workshops.WorkshopDraft("Werkstatt", datetime(2025, 1, 10),
                                tables=workshops.default_tables(alliance)),
    )  # fmt: skip
    workshops.register_contact(db, workshop, ADDRESS.lower(), consent=True)
    accounts.create_user(
        db, alliance, TEST_ACTOR, username="bauamt", role="staff", password="geheim-genug-1",
        municipality_ags="14729060", email="bauamt@borsdorf.example",
    )  # fmt: skip
    site = vacancies.create(
        db, alliance, areas, MANAGER,
        {"type": "leerstand", "lat": seat.seat_lat, "lon": seat.seat_lon,
         "publication_consent": True},
    )  # fmt: skip
    vacancies.express_interest(
        db, alliance, site, "Petra Person", ADDRESS, "Ich suche ein Haus für meine Familie.", True
    )
    clock["now"] = "2026-03-01T10:00:00+00:00"
    return {"suggestion": made, "clock": clock}


def test_export_finds_every_trace(db, person):
    data = privacy.export(db, ADDRESS.upper(), TEST_ACTOR)
    assert [s["ref"] for s in data["suggestions"]] == [person["suggestion"].ref]
    assert [w["workshop"] for w in data["workshop_protocol_requests"]] == ["Werkstatt"]
    assert data["vacancy_interests"][0]["message"].startswith("Ich suche ein Haus")
    assert len(data["mails"]) == 1  # the staff notification quoting the address
    entry = next(db.query("SELECT * FROM audit WHERE action = 'privacy.export'"))
    assert ADDRESS.lower() not in str(entry).lower() and entry["entity_id"].startswith("sha256:")


def test_erase_removes_the_address_and_keeps_content(db, person):
    counts = privacy.erase(db, ADDRESS, TEST_ACTOR)
    assert counts["suggestion_contacts"] == 1 and counts["workshop_contacts"] == 1
    assert counts["vacancy_interests"] == 1 and counts["mails_about"] == 1
    dump = "\n".join(
        str(dict(row))
        for table in db.table_names()
        for row in db.query(f"SELECT * FROM [{table}]")  # noqa: S608 - table names from SQLite
    ).lower()
    assert ADDRESS.lower() not in dump and "petra person" not in dump
    still = suggestions.store.get(db, person["suggestion"].id)
    assert still.description == "Viel Müll am Weg"  # the public content stays, anonymous
    assert privacy.export(db, ADDRESS, TEST_ACTOR)["suggestions"] == []


def test_purge_after_the_retention_period(db, person):
    clock = person["clock"]
    clock["now"] = "2026-03-01T10:00:00+00:00"
    counts = privacy.purge(db, 24, TEST_ACTOR, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert counts == {
        "meeting_participants": 0,
        "meeting_comments": 0,
        "mayor_question_emails": 0,
        "development_contacts": 0,
        "teil_listings": 0,
        "teil_requests": 0,
        "suggestion_contacts": 0,
        "workshop_contacts": 0,
        "vacancy_interests": 0,
        "sent_mails": 0,
        "undeliverable_mails": 0,
        "sessions": 0,
        "event_submitters": 0,
        "place_contacts_internal": 0,
        "job_postings": 0,
        "vacancy_risk_buildings": 0,
        "vacancy_risk_contacts": 0,
        "digest_requests": 0,
    }
    counts = privacy.purge(db, 12, TEST_ACTOR, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert counts["suggestion_contacts"] == 1 and counts["workshop_contacts"] == 1
    assert counts["vacancy_interests"] == 1
    assert db["suggestion_contacts"].count == 0 and db["vacancy_interests"].count == 0
    audit_row = list(db.query("SELECT * FROM audit WHERE action = 'privacy.purge'"))[-1]
    assert '"months": 12' in audit_row["details"]
    with pytest.raises(ValueError, match="mindestens einen Monat"):
        privacy.purge(db, 0, TEST_ACTOR)
