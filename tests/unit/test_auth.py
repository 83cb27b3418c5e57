import pytest

from allianz import auth
from allianz.auth import Role


def test_permission_table_by_role():
    assert all(auth.can(role, "page.home") for role in Role)
    assert auth.can(Role.CITIZEN, "page.login")
    assert not auth.can(Role.STAFF, "page.login")
    assert not auth.can(Role.CITIZEN, "page.account")
    assert auth.can(Role.STAFF, "page.municipality_desk")
    assert auth.can(Role.MAYOR, "page.municipality_desk")
    assert not auth.can(Role.WORKING_GROUP, "page.municipality_desk")
    assert auth.can(Role.MANAGER, "page.admin")
    for role in (Role.CITIZEN, Role.WORKING_GROUP, Role.STAFF, Role.MAYOR):
        assert not auth.can(role, "page.admin")
        assert not auth.can(role, "boundaries.import")
        assert not auth.can(role, "users.list")


def test_unknown_action_is_refused_for_everyone():
    assert not any(auth.can(role, "page.adminn") for role in Role)


def test_unknown_role_raises():
    with pytest.raises(ValueError):
        auth.can("superuser", "page.home")


def test_password_hash_is_salted_and_verifies():
    first = auth.hash_password("richtig-langes-passwort")
    second = auth.hash_password("richtig-langes-passwort")
    assert first != second
    assert first.startswith("scrypt$")
    assert auth.verify_password("richtig-langes-passwort", first)
    assert not auth.verify_password("falsch", first)
    assert not auth.verify_password("x", None)
    assert not auth.verify_password("x", "md5$abc")
    assert not auth.verify_password("x", "garbage")


def test_generated_passwords_are_long_and_distinct():
    passwords = {auth.generate_password() for _ in range(20)}
    assert len(passwords) == 20
    assert all(len(p) >= 16 for p in passwords)


GOOD_AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "x" * 40,
    "client_id": "allianz",
    "client_secret": "s3cret",
    "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration",
}


def test_oidc_settings_validation():
    assert auth.oidc_settings_errors(None) == []
    assert auth.oidc_settings_errors(GOOD_AUTH) == []
    short = {**GOOD_AUTH, "cookie_secret": "short"}
    assert any("cookie_secret" in e for e in auth.oidc_settings_errors(short))
    missing = {k: v for k, v in GOOD_AUTH.items() if k != "cookie_secret"}
    assert any("cookie_secret" in e for e in auth.oidc_settings_errors(missing))
    wrong_redirect = {**GOOD_AUTH, "redirect_uri": "http://127.0.0.1:8501/callback"}
    assert any("oauth2callback" in e for e in auth.oidc_settings_errors(wrong_redirect))
