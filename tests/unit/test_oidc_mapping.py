"""OIDC identities map to accounts only by a verified e-mail address, in any letter case."""

from __future__ import annotations

import pytest

from allianz.accounts import service
from allianz.auth import Role
from tests.conftest import TEST_ACTOR


@pytest.fixture
def mayor(db, alliance):
    return service.create_user(
        db, alliance, TEST_ACTOR, username="bm", role="mayor", password=None,
        municipality_ags="14729060", email="Bernd.Meier@Borsdorf.example",
    )  # fmt: skip


@pytest.mark.parametrize(
    "email",
    [
        "Bernd.Meier@Borsdorf.example",
        "bernd.meier@borsdorf.example",
        "BERND.MEIER@BORSDORF.EXAMPLE",
    ],
)
def test_any_letter_case_maps_to_the_account(db, mayor, email):
    user = service.user_for_oidc(db, {"sub": "1", "email": f" {email} ", "email_verified": True})
    assert user.id == mayor.id and user.role is Role.MAYOR and user.via_oidc


def test_without_the_claim_the_address_counts_as_verified(db, mayor):
    assert service.user_for_oidc(db, {"sub": "1", "email": "bernd.meier@borsdorf.example"}).id


@pytest.mark.parametrize("flag", [False, "false", "False", 0, "0"])
def test_an_unverified_address_maps_to_no_account(db, mayor, flag):
    user = service.user_for_oidc(
        db,
        {"sub": "2", "email": "bernd.meier@borsdorf.example", "email_verified": flag, "name": "X"},
    )
    assert user.role is Role.CITIZEN and user.id is None and user.municipality_ags is None
    assert user.username == "oidc:2"
