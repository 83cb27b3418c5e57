"""What an Open311 client sends about the reporter (name, phone, e-mail, a photo link): checked,
kept privately, shown only to the responsible staff, covered by the privacy rights."""

from __future__ import annotations

import pytest

from allianz import privacy
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import PermissionDenied
from allianz.municipalities import service as municipalities
from allianz.suggestions import service, store
from allianz.suggestions.model import Reporter
from db import migrations
from db.connection import connect
from tests.conftest import TEST_ACTOR

NAUNHOF = (51.2778, 12.5883)
STAFF_NAUNHOF = User("naunhof", "Naunhof", Role.STAFF, "14729300", id=7)
STAFF_BORSDORF = User("borsdorf", "Borsdorf", Role.STAFF, "14729060", id=8)


def _submit(db, alliance, **reporter):
    return service.submit(
        db,
        alliance,
        municipalities.areas(db),
        service.Submission(
            "lighting", "Lampe defekt", "Flackert.", *NAUNHOF, source="open311", **reporter
        ),
    )


def test_name_phone_and_link_are_kept_privately_without_an_email(db, alliance):
    created = _submit(
        db,
        alliance,
        first_name="Max",
        last_name="Muster",
        phone="+49 341 123-45",
        media_url="https://fixmystreet.example/photo/1.jpg",
    )
    assert not any("Muster" in str(v) for v in vars(created).values())
    assert service.reporter(db, STAFF_NAUNHOF, created.id) == Reporter(
        "", "Max", "Muster", "+49 341 123-45", "https://fixmystreet.example/photo/1.jpg"
    )
    with pytest.raises(PermissionDenied):
        service.reporter(db, STAFF_BORSDORF, created.id)
    public = str([dict(r) for r in db.query("SELECT * FROM suggestions")])
    assert "Muster" not in public and "fixmystreet" not in public


def test_nothing_given_nothing_stored(db, alliance):
    created = _submit(db, alliance)
    assert service.reporter(db, STAFF_NAUNHOF, created.id) is None
    assert db["suggestion_contacts"].count == 0


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"first_name": "x" * 101}, "Vorname"),
        ({"last_name": "x" * 101}, "Nachname"),
        ({"phone": "ruf mich an"}, "Telefonnummer"),
        ({"phone": "1" * 41}, "Telefonnummer"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"media_url": "https://"}, "media_url"),
        ({"media_url": "https://x.example/" + "a" * 500}, "media_url"),
    ],
)
def test_bad_personal_fields_are_refused(db, alliance, fields, fragment):
    with pytest.raises(service.SubmissionError, match=fragment):
        _submit(db, alliance, **fields)
    assert db["suggestions"].count == 0


def test_privacy_export_and_erase_reach_the_name(db, alliance):
    _submit(
        db,
        alliance,
        email="max@example.org",
        email_consent=True,
        first_name="Max",
        last_name="Muster",
        phone="0341 1234",
    )
    exported = privacy.export(db, "MAX@example.org", TEST_ACTOR)["suggestions"]
    assert exported[0]["first_name"] == "Max" and exported[0]["phone"] == "0341 1234"
    assert privacy.erase(db, "max@example.org", TEST_ACTOR)["suggestion_contacts"] == 1
    assert db["suggestion_contacts"].count == 0


def test_the_migration_keeps_existing_contacts(tmp_path):
    db = connect(tmp_path / "old.sqlite3")
    migrations.migrations.apply(db, stop_before="0014_reporter_and_mail_delivery")
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute(
        "INSERT INTO suggestion_contacts (suggestion_id, email, consent_at) "
        "VALUES (1, 'alt@example.org', '2026-01-01T00:00:00+00:00')"
    )
    db.execute(
        "INSERT INTO mail_outbox (recipient, subject, body, created_at) "
        "VALUES ('alt@example.org', 'Betreff', 'Text', '2026-01-01T00:00:00+00:00')"
    )
    migrations.migrate(db)
    assert migrations.schema_version(db) == migrations.LATEST_VERSION
    assert store.reporter(db, 1) == Reporter(email="alt@example.org")
    db.execute("INSERT INTO suggestion_contacts (suggestion_id, consent_at) VALUES (2, 'x')")
    assert db.execute(
        "SELECT attempts, next_attempt_at, claimed_by FROM mail_outbox"
    ).fetchone() == (
        0,
        None,
        None,
    )
