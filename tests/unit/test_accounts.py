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


# --- accounts managed in the app -------------------------------------------------------------


def _invited(db, alliance, **extra):
    return service.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="neu",
        role=Role.STAFF,
        password=None,
        municipality_ags="14729060",
        invite=True,
        **extra,
    )


def test_an_invited_account_sets_its_own_password_once_with_a_code(db, alliance):
    from allianz.accounts import sessions

    user = _invited(db, alliance, display_name="Nora Neu")
    assert service.authenticate(db, "neu", "") is None  # no password yet: no sign-in
    code = service.issue_setup_code(db, TEST_ACTOR, "neu", now=1000.0)
    with pytest.raises(service.AccountError, match="stimmen nicht überein"):
        service.redeem_setup_code(
            db, code, "ein-langes-passwort", "ein-anderes-passwort", now=1001.0
        )
    with pytest.raises(service.AccountError, match="mindestens"):
        service.redeem_setup_code(db, code, "kurz", "kurz", now=1001.0)
    old_session = sessions.start(db, user)
    assert (
        service.redeem_setup_code(
            db, code, "ein-langes-passwort", "ein-langes-passwort", now=1002.0
        ).username
        == "neu"
    )
    assert service.authenticate(db, "neu", "ein-langes-passwort").display_name == "Nora Neu"
    assert sessions.user_for(db, old_session) is None
    for used_or_wrong in (code, "x" * 32, "", "../../etc"):
        with pytest.raises(service.AccountError, match="ungültig, schon benutzt oder abgelaufen"):
            service.redeem_setup_code(
                db, used_or_wrong, "noch-ein-passwort", "noch-ein-passwort", now=1003.0
            )
    stored = str([dict(r) for r in db.query("SELECT * FROM password_setups")])
    assert code not in stored
    actions = [e["action"] for e in audit.recent(db)]
    assert "user.setup_code" in actions and "user.password" in actions


def test_setup_codes_expire_and_a_new_one_replaces_the_old(db, alliance):
    _invited(db, alliance)
    first = service.issue_setup_code(db, TEST_ACTOR, "neu", now=0.0)
    second = service.issue_setup_code(db, TEST_ACTOR, "neu", now=10.0)
    with pytest.raises(service.AccountError):
        service.redeem_setup_code(db, first, "ein-langes-passwort", "ein-langes-passwort", now=20.0)
    late = 10.0 + service.SETUP_HOURS * 3600 + 1
    with pytest.raises(service.AccountError):
        service.redeem_setup_code(
            db, second, "ein-langes-passwort", "ein-langes-passwort", now=late
        )
    service.set_active(db, TEST_ACTOR, "neu", False)
    with pytest.raises(service.AccountError, match="gesperrt"):
        service.issue_setup_code(db, TEST_ACTOR, "neu")


def test_update_user_checks_the_profile_and_ends_sessions_on_new_rights(db, alliance):
    from allianz.accounts import sessions

    user = _invited(db, alliance)
    token = sessions.start(db, user)
    kept = dict(
        display_name="Nora Neu",
        role=Role.STAFF,
        municipality_ags="14729060",
        email=None,
        active=True,
    )
    assert service.update_user(db, alliance, TEST_ACTOR, "neu", **kept) is True  # the name
    assert sessions.user_for(db, token) is not None  # a new name keeps the session
    assert service.update_user(db, alliance, TEST_ACTOR, "neu", **kept) is False
    for bad, message in (
        ({"role": Role.MAYOR, "municipality_ags": None}, "braucht eine Gemeinde"),
        ({"role": Role.MANAGER}, "an keine Gemeinde gebunden"),
        ({"email": "kein-at"}, "keine gültige E-Mail"),
        ({"display_name": "\u200b "}, "Namen"),
        ({"role": "citizen"}, "kein Konto"),
    ):
        with pytest.raises(service.AccountError, match=message):
            service.update_user(db, alliance, TEST_ACTOR, "neu", **{**kept, **bad})
    moved = {**kept, "role": Role.MAYOR, "municipality_ags": "14729070"}
    assert service.update_user(db, alliance, TEST_ACTOR, "neu", **moved)
    assert sessions.user_for(db, token) is None  # new rights: signed in afresh
    assert service.by_id(db, user.id).municipality_ags == "14729070"
    [entry] = [e for e in audit.recent(db) if e["action"] == "user.update"][:1]
    assert "role" in entry["details"] and "municipality_ags" in entry["details"]


def test_own_password_change_needs_the_old_one_and_keeps_this_browser(db, alliance):
    from allianz.accounts import sessions

    user = service.create_user(
        db,
        alliance,
        TEST_ACTOR,
        username="ak",
        role=Role.WORKING_GROUP,
        password="altes-passwort-1",
    )
    here, there = sessions.start(db, user), sessions.start(db, user)
    with pytest.raises(service.AccountError, match="bisherige Passwort"):
        service.change_own_password(db, user, "falsch", "neues-passwort-1", "neues-passwort-1")
    with pytest.raises(service.AccountError, match="stimmen nicht"):
        service.change_own_password(
            db, user, "altes-passwort-1", "neues-passwort-1", "neues-passwort-2"
        )
    service.change_own_password(
        db, user, "altes-passwort-1", "neues-passwort-1", "neues-passwort-1", keep_session=here
    )
    assert sessions.user_for(db, here) is not None and sessions.user_for(db, there) is None
    assert service.authenticate(db, "ak", "neues-passwort-1") is not None
