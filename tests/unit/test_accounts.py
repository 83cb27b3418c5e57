import pytest

from allianz import audit
from allianz.accounts import service
from allianz.auth import Role
from tests.conftest import TEST_ACTOR


def _create(db, alliance, **kwargs):
    defaults = {
        "username": "anna",
        "role": "staff",
        "password": "lang-genug-123",
        "municipality_ags": "14729060",
    }
    return service.create_user(db, alliance, TEST_ACTOR, **{**defaults, **kwargs})


def test_create_and_authenticate(db, alliance):
    user = _create(db, alliance, display_name="Anna Beispiel")
    assert user.role is Role.STAFF and user.municipality_ags == "14729060"
    assert service.authenticate(db, "anna", "lang-genug-123").username == "anna"
    assert service.authenticate(db, " anna ", "lang-genug-123") is not None
    assert service.authenticate(db, "anna", "falsch-falsch") is None
    assert service.authenticate(db, "niemand", "lang-genug-123") is None
    actions = [e["action"] for e in audit.recent(db)]
    assert actions.count("user.create") == 1 and actions.count("user.login") == 2


def test_password_is_never_stored_in_clear(db, alliance):
    _create(db, alliance)
    row = db.execute("SELECT password_hash FROM users WHERE username='anna'").fetchone()
    assert "lang-genug-123" not in row[0]
    assert all("password_hash" not in u for u in service.list_users(db))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "king"}, "Unbekannte Rolle"),
        ({"role": "citizen"}, "kein Konto"),
        ({"username": "a b"}, "Benutzername"),
        ({"municipality_ags": None}, "braucht eine Gemeinde"),
        ({"municipality_ags": "09677157"}, "gehört nicht zur Allianz"),
        ({"role": "working_group"}, "an keine Gemeinde gebunden"),
        ({"password": "kurz"}, "mindestens"),
        ({"email": "keine-adresse"}, "keine gültige E-Mail"),
        ({"password": None}, "Passwort oder eine E-Mail"),
    ],
)
def test_invalid_accounts_are_refused_and_nothing_is_written(db, alliance, kwargs, message):
    with pytest.raises(service.AccountError, match=message):
        _create(db, alliance, **kwargs)
    assert db["users"].count == 0


def test_duplicates_are_refused(db, alliance):
    _create(db, alliance, email="anna@example.org")
    with pytest.raises(service.AccountError, match="gibt es schon"):
        _create(db, alliance, username="ANNA")
    with pytest.raises(service.AccountError, match="schon einem Konto"):
        _create(db, alliance, username="anna2", email="ANNA@example.org")
    assert db["users"].count == 1


def test_oidc_identity_maps_by_email(db, alliance):
    _create(
        db, alliance, username="mayor1", role="mayor", email="bm@borsdorf.example", password=None
    )
    user = service.user_for_oidc(
        db, {"sub": "x1", "email": "BM@borsdorf.example", "name": "Frau BM"}
    )
    assert user.role is Role.MAYOR and user.via_oidc and user.municipality_ags == "14729060"
    stranger = service.user_for_oidc(db, {"sub": "x2", "email": "wer@example.org"})
    assert stranger.role is Role.CITIZEN and stranger.via_oidc and stranger.id is None
    # an OIDC-only account cannot sign in with a password
    assert service.authenticate(db, "mayor1", "") is None
