"""What each page shows and does, per role (AppTest; map clicks substituted)."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from allianz import audit, form_tokens, maps
from allianz.accounts import sessions
from allianz.auth import Role
from tests.boundary_files import vg250_frame, write_gpkg
from tests.views.conftest import ROOT, folium_maps


def _texts(at) -> str:
    parts = [
        e.value
        for kind in ("markdown", "success", "info", "warning", "error", "caption")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def test_home_shows_alliance_figures_table_and_map(run_page):
    at = run_page("main.py")
    assert at.title[0].value == "Region Partheland"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Mitgliedsgemeinden"] == "7"
    assert metrics["Einwohner"] == "45.902"
    assert metrics["Ortsteile"] == "35"
    table = at.dataframe[0].value
    assert len(table) == 7 and set(table["Gemeinde"]) >= {"Borsdorf", "Machern"}
    shown = folium_maps(at)
    assert len(shown) == 1
    assert "Demo-Daten" in _texts(at)
    args = shown[0].proto.json_args
    assert "/app/static/vendor/leaflet/leaflet.js" in args
    assert "Stadt Naunhof" in args and "cdn." not in args


def test_home_coordinates_find_the_municipality(run_page):
    at = run_page("main.py")
    at.text_input[0].input("51.2778, 12.5883").run()
    assert "Der Punkt liegt in Stadt Naunhof" in _texts(at)
    assert "Ausgewählt: Stadt Naunhof" in _texts(at)
    at.text_input[0].input("48.137, 11.575").run()
    assert "außerhalb der Allianz" in _texts(at)
    at.text_input[0].input("Brandis").run()
    assert any("Zahlen" in e.value for e in at.error)


def test_home_keyboard_selection(run_page):
    at = run_page("main.py")
    at.selectbox[0].select("14729250").run()
    assert "Ausgewählt: Machern" in _texts(at)
    assert "Püchau" in _texts(at)


def test_home_map_click_selects_municipality(run_page, monkeypatch):
    clicked = {"last_active_drawing": {"type": "Feature", "properties": {"ags": "14729070"}}}
    monkeypatch.setattr(maps, "st_folium", lambda *a, **k: clicked)
    at = run_page("main.py")
    assert "Ausgewählt: Stadt Brandis" in _texts(at)


def test_login_page_shows_a_form_that_posts_to_the_sign_in_route(run_page, db):
    at = run_page("main.py")
    at.switch_page("allianz/accounts/pages/login.py").run()
    [form] = [e.proto.body for e in at.get("html") if "<form" in e.proto.body]
    assert 'action="/konto/anmelden"' in form and 'method="post"' in form
    assert 'autocomplete="current-password"' in form
    token = re.search(r'name="formular" value="([^"]+)"', form).group(1)
    assert form_tokens.valid(db, "signin", token)
    assert not form_tokens.valid(db, "signout", token)  # a token serves one purpose only


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"anmeldung": "falsch"}, "Benutzername oder Passwort ist falsch."),
        ({"anmeldung": "gesperrt", "bis": "14:35"}, "nach 14:35 Uhr erneut"),
        ({"anmeldung": "gesperrt", "bis": "<b>x</b>"}, "es später erneut"),
        ({"anmeldung": "formular"}, "Anmeldeformular war abgelaufen"),
    ],
)
def test_login_page_says_why_the_sign_in_failed(run_page, query, message):
    at = AppTest.from_file(str(ROOT / "main.py"), default_timeout=60)
    at.query_params.update(query)
    at.run().switch_page("allianz/accounts/pages/login.py").run()
    assert any(message in e.value for e in at.error), [e.value for e in at.error]


def test_account_shows_role_sessions_and_signs_out_everywhere(run_page, db, users):
    at = run_page("main.py", Role.MAYOR)
    at.switch_page("allianz/accounts/pages/account.py").run()
    text = _texts(at)
    assert "Bürgermeisterin/Bürgermeister" in text and "Stadt Brandis" in text
    [form] = [e.proto.body for e in at.get("html") if "<form" in e.proto.body]
    assert 'action="/konto/abmelden"' in form
    devices = at.table[0].value
    assert len(devices) == 1 and devices.iloc[0]["Gerät"].endswith("(dieses Gerät)")
    [everywhere] = [b for b in at.button if b.label == "Auf allen Geräten abmelden"]
    everywhere.click().run()
    assert sessions.open_sessions(db, users[Role.MAYOR]) == []
    assert at.title[0].value == "Region Partheland"  # back to the public start page
    assert "Angemeldet" not in _texts(at)


def test_desk_shows_own_municipality_and_its_audit(run_page, db):
    staff = next(db.query("SELECT username, display_name FROM users WHERE role = 'staff'"))
    audit.record(db, audit.Actor(staff["username"], "staff"), "account.create", "user", "1",
                 municipality_ags="14729060")  # fmt: skip
    audit.record(db, audit.SYSTEM, "account.create", "user", "2", municipality_ags="14729060")
    at = run_page("main.py", Role.STAFF)
    at.switch_page("allianz/municipalities/pages/municipality_desk.py").run()
    assert at.header[0].value == "Borsdorf"
    assert len(at.selectbox) == 0  # staff cannot look at other municipalities
    log = at.dataframe[0].value
    assert "Konto angelegt" in set(log["Aktion"])  # labels, not codes
    assert all(re.fullmatch(r"\d\d\.\d\d\.20\d\d \d\d:\d\d", t) for t in log["Zeit"])
    assert "None" not in log.astype(str).to_numpy().tolist()[0]
    # only Borsdorf's entries; people by name, not by login
    assert set(log["Wer"]) == {"pytest", staff["display_name"], "System (automatisch)"}
    assert all(
        row["municipality_ags"] == "14729060"
        for row in audit.recent(db, municipality_ags="14729060")
    )


def test_mayor_desk_is_bound_to_own_municipality(run_page):
    at = run_page("main.py", Role.MAYOR)
    at.switch_page("allianz/municipalities/pages/municipality_desk.py").run()
    assert at.header[0].value == "Stadt Brandis"


def test_manager_desk_can_choose_municipality(run_page):
    at = run_page("main.py", Role.MANAGER)
    at.switch_page("allianz/municipalities/pages/municipality_desk.py").run()
    at.selectbox[0].select("14729340").run()
    assert at.header[0].value == "Parthenstein"


def test_admin_lists_accounts_without_secrets(run_page):
    at = run_page("main.py", Role.MANAGER)
    at.switch_page("allianz/accounts/pages/admin.py").run()
    accounts = at.dataframe[0].value
    assert set(accounts["Benutzer"]) == {"ak", "verwaltung", "bm", "manager", "tisch"}
    assert "password_hash" not in accounts.columns
    assert not accounts.astype(str).apply(lambda c: c.str.contains("scrypt")).any().any()


@pytest.mark.parametrize("good", [True, False])
def test_admin_imports_official_boundaries(run_page, alliance, tmp_path, good):
    path = write_gpkg(
        vg250_frame(alliance, drop=None if good else "14729060"), tmp_path / "vg250.gpkg"
    )
    at = run_page("main.py", Role.MANAGER)
    at.switch_page("allianz/accounts/pages/admin.py").run()
    at.file_uploader[0].upload("vg250.gpkg", path.read_bytes(), "application/octet-stream").run()
    [take] = [b for b in at.button if b.label == "Grenzen übernehmen"]
    take.click().run()
    if good:
        assert any("7 Gemeinden" in s.value for s in at.success)
    else:
        assert any("Borsdorf (14729060)" in e.value for e in at.error)


def test_admin_creates_an_account_once_and_shows_its_link_once(run_page, db):
    at = run_page("main.py", Role.MANAGER)
    at.switch_page("allianz/accounts/pages/admin.py").run()
    by_label = {t.label: t for t in at.text_input}
    by_label["Benutzername (für die Anmeldung)"].input("nora")
    by_label["Name"].input("Nora <b>Neu</b>")
    boxes = {s.label: s for s in at.selectbox}
    boxes["Rolle"].select(Role.STAFF)
    boxes["Gemeinde (nur Verwaltung und Bürgermeister)"].select("14729060")
    [create] = [b for b in at.button if b.label == "Konto anlegen"]
    create.click().run()
    assert not at.exception and [s.value for s in at.success] == ["Konto nora angelegt."]
    [link] = [c.value for c in at.code]
    assert "/login?code=" in link
    row = db.execute(
        "SELECT role, municipality_ags, password_hash FROM users WHERE username = 'nora'"
    ).fetchone()
    assert row == ("staff", "14729060", None)
    at.run()
    assert list(at.code) == []  # the link is shown once
