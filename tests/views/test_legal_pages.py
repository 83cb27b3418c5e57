"""Privacy notice and accessibility statement: reachable for everyone, built from the config."""

import pytest

from allianz.auth import Role


@pytest.mark.parametrize("role", list(Role))
def test_legal_pages_are_in_every_navigation(run_page, role):
    at = run_page("main.py", role)
    for page in ("allianz/portal/pages/privacy.py", "allianz/portal/pages/accessibility.py"):
        at.switch_page(page).run()
        assert not at.exception and at.title


def test_privacy_notice_names_tile_host_authority_and_no_ip(run_page, alliance):
    at = run_page("main.py")
    at.switch_page("allianz/portal/pages/privacy.py").run()
    text = at.markdown[0].value.replace("\\", "")
    assert alliance.tiles.host in text
    assert "Sächsische Datenschutz- und Transparenzbeauftragte" in text
    assert "Keine IP-Adressen zu Beiträgen" in text
    # what the limits keep, and for how long
    assert "allianz_besucher" in text and "gesalzener Hash" in text
    assert "nach spätestens 2 Tagen" in text and "bis zum Ende der Online-Phase" in text
    assert "noch nicht eingetragen" in text  # the demo config has no contact yet


def test_accessibility_statement(run_page):
    at = run_page("main.py")
    at.switch_page("allianz/portal/pages/accessibility.py").run()
    text = at.markdown[0].value
    assert "teilweise" in text and "Bekannte Barrieren" in text
