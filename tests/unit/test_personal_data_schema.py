"""No column with personal data escapes the privacy rights: every column of a fully migrated
database whose name or content marks personal data is declared by exactly one slice, or
listed with a reason as not personal. A new column with an e-mail address fails this test."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from sqlite_utils.migrations import Migrations

from allianz import features, privacy
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from allianz.vacancies import service as vacancies
from allianz.vacancies.model import Owner
from allianz.workshops import service as workshops
from tests.conftest import TEST_ACTOR

MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
ADDRESS = "petra.person@example.org"


@pytest.fixture
def full(demo_db, alliance):
    """Migrated, demo data loaded, and one trace of personal data in every place that takes it."""
    db, _ = demo_db
    areas = municipalities.areas(db)
    seat = alliance.municipality("14729060")
    suggestions.submit(
        db, alliance, areas,
        suggestions.Submission("waste", "Müll", "Viel Müll", seat.seat_lat, seat.seat_lon,
                               email=ADDRESS, email_consent=True),
    )  # fmt: skip
    workshop = workshops.create(
        db, alliance, MANAGER,
        workshops.WorkshopDraft("Werkstatt", datetime(2026, 1, 10),
                                tables=workshops.default_tables(alliance)),
    )  # fmt: skip
    workshops.register_contact(db, workshop, ADDRESS, consent=True)
    accounts.create_user(
        db, alliance, TEST_ACTOR, username="bauamt", role="staff", password="geheim-genug-1",
        municipality_ags="14729060", email="bauamt@borsdorf.example",
    )  # fmt: skip
    site = vacancies.create(
        db, alliance, areas, MANAGER,
        {"type": "leerstand", "lat": seat.seat_lat, "lon": seat.seat_lon,
         "publication_consent": True},
        Owner("Otto Eigner", "otto@example.org, 0341 123", "Erbengemeinschaft"),
    )  # fmt: skip
    vacancies.express_interest(db, alliance, site, "Petra Person", ADDRESS, "Ich suche.", True)
    return db


def test_every_personal_column_is_claimed_or_explained(full):
    assert privacy.unclaimed_columns(full) == []


def test_a_new_column_with_an_e_mail_is_found_by_its_name(full):
    throwaway = Migrations("throwaway")

    @throwaway()
    def add_contact(db):
        db.execute("ALTER TABLE measures ADD COLUMN responsible_email TEXT")

    throwaway.apply(full)
    assert privacy.unclaimed_columns(full) == ["measures.responsible_email"]


def test_a_new_column_holding_e_mails_is_found_by_its_content(full):
    throwaway = Migrations("throwaway")

    @throwaway()
    def add_remark(db):
        db.execute("ALTER TABLE segments ADD COLUMN remark TEXT")
        db.execute("UPDATE segments SET remark = 'Rückfragen an k.koch@example.org'")

    throwaway.apply(full)
    assert privacy.unclaimed_columns(full) == ["segments.remark"]


def test_claims_name_real_columns_once_and_explanations_do_not_rot(full):
    columns = {f"{t.name}.{c.name}" for t in full.tables for c in t.columns}
    declared = [
        f"{d.table}.{column}"
        for f in features.registry()
        for d in f.personal_data
        for column in d.columns
    ]
    assert [c for c, n in Counter(declared).items() if n > 1] == []
    assert set(declared) <= columns
    assert set(privacy.NOT_PERSONAL) <= columns
    assert all(reason.strip() for reason in privacy.NOT_PERSONAL.values())


def test_export_and_erase_reach_every_declared_table(full):
    data = privacy.export(full, ADDRESS, TEST_ACTOR)
    keys = {d.export_key for d in privacy.declarations()}
    assert keys <= set(data)
    assert data["suggestions"] and data["workshop_protocol_requests"]
    assert data["vacancy_interests"] and data["mails"]
    owner = privacy.export(full, "otto@example.org", TEST_ACTOR)["vacancy_owners"]
    assert [o["name"] for o in owner] == ["Otto Eigner"]
    counts = privacy.erase(full, "OTTO@example.org", TEST_ACTOR)
    assert counts["vacancy_owners"] == 1
    dump = str([dict(r) for r in full.query("SELECT * FROM vacancy_owners")]).lower()
    assert "otto" not in dump
