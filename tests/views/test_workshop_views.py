"""Workshop pages in AppTest: live entry, public board, online phase, planning, privacy."""

from datetime import date, datetime, timedelta

import pytest

from allianz import web_session
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.municipalities import service as municipalities
from allianz.visitors import Visitor
from allianz.workshops import service, store
from allianz.workshops.model import Phase
from tests.views.conftest import folium_maps, open_page

MANAGER = User("manager", "Allianzmanagement", Role.MANAGER)
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)>"


@pytest.fixture
def live(db, alliance):
    workshop_id = service.create(
        db,
        alliance,
        MANAGER,
        service.WorkshopDraft(
            "Werkstatt Ortsmitte",
            datetime(2026, 11, 20, 18),
            "Rathaus",
            "14729060",
            tables=service.default_tables(alliance),
        ),
    )
    service.set_phase(db, MANAGER, workshop_id, Phase.LIVE)
    return store.get(db, workshop_id)


def _card(db, alliance, workshop, text, table=0) -> int:
    return service.add_card(
        db,
        alliance,
        municipalities.areas(db),
        MANAGER,
        workshop.id,
        service.CardDraft(workshop.tables[table].id, text),
    )


def _texts(at) -> str:
    return "\n".join(e.value for e in at.markdown) + "\n".join(e.value for e in at.caption)


def test_host_enters_a_card_and_the_form_is_ready_for_the_next(run_page, db, live):
    at = open_page(run_page, Role.HOST, "allianz/workshops/pages/workshop_host.py")
    card_field = next(t for t in at.text_area if t.label == "Karte")
    card_field.input(HOSTILE)
    next(t for t in at.text_input if t.label.startswith("Schlagworte")).input("Rad, Schule")
    next(b for b in at.button if b.label == "Karte speichern").click().run()
    assert not at.exception
    assert any("Karte gespeichert" in s.value for s in at.success)
    cards = store.cards(db, live.id)
    assert [c.text for c in cards] == [HOSTILE] and cards[0].tags == ("rad", "schule")
    assert "Karten an diesem Tisch: 1" in _texts(at)
    assert not any("<script>alert(1)" in str(h.proto) for h in at.get("html"))


def test_host_error_keeps_the_text_and_writes_nothing(run_page, db, live):
    at = open_page(run_page, Role.HOST, "allianz/workshops/pages/workshop_host.py")
    next(t for t in at.text_area if t.label == "Karte").input("Idee mit Punkt")
    next(t for t in at.text_input if t.label.startswith("Kartenpunkt")).input("52.52, 13.40")
    next(b for b in at.button if b.label == "Karte speichern").click().run()
    assert any("außerhalb der Allianz" in e.value for e in at.error)
    assert store.cards(db, live.id) == []


def test_host_transcribes_dots(run_page, db, alliance, live):
    card_id = _card(db, alliance, live, "Mehr Bänke")
    at = open_page(run_page, Role.HOST, "allianz/workshops/pages/workshop_host.py")
    assert not at.get("arrow_data_frame")  # only the open tab is built
    at.session_state["host-tab"] = "Punkte eintragen"
    at.run()
    # Simulate the host typing 5 dots into the editor, then saving.
    key = f"dots-{live.id}-{live.tables[0].id}"
    at.session_state[key] = {"edited_rows": {0: {"Punkte (Stellwand)": 5}}}
    next(b for b in at.button if b.label == "Punkte speichern").click().run()
    assert not at.exception
    assert store.card(db, card_id).host_dots == 5


def test_public_board_shows_cards_as_text_and_counts(run_page, db, alliance, live):
    areas = municipalities.areas(db)
    for text in (HOSTILE, "Sichere Radwege"):
        service.add_card(
            db, alliance, areas, MANAGER, live.id, service.CardDraft(live.tables[1].id, text)
        )
    at = open_page(
        run_page, Role.CITIZEN, "allianz/workshops/pages/workshops.py", workshop=str(live.id)
    )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Karten vor Ort"] == "2" and metrics["Karten online"] == "0"
    texts = _texts(at)
    assert "Sichere Radwege" in texts
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in texts  # escaped for markdown
    assert len(at.get("download_button")) == 3
    assert len(folium_maps(at)) == 1


def test_overview_lists_workshops(run_page, live):
    at = open_page(run_page, Role.CITIZEN, "allianz/workshops/pages/workshops.py")
    assert any(live.title in p.proto.label for p in at.get("page_link"))


def test_unknown_workshop_number(run_page, live):
    at = open_page(run_page, Role.CITIZEN, "allianz/workshops/pages/workshops.py", workshop="9999")
    assert any("gibt es nicht" in e.value for e in at.error)


def test_online_phase_citizen_adds_card_and_votes(run_page, db, alliance, live):
    areas = municipalities.areas(db)
    card_id = service.add_card(
        db, alliance, areas, MANAGER, live.id, service.CardDraft(live.tables[0].id, "Vor Ort")
    )
    service.set_phase(db, MANAGER, live.id, Phase.ONLINE, date.today() + timedelta(days=7))
    at = open_page(
        run_page, Role.CITIZEN, "allianz/workshops/pages/workshops.py", workshop=str(live.id)
    )
    next(t for t in at.text_area if t.label == "Ihre Idee").input("Online ergänzt")
    next(b for b in at.button if b.label == "Idee hinzufügen").click().run()
    assert not at.exception
    online = [c for c in store.cards(db, live.id) if c.origin == "online"]
    assert [c.text for c in online] == ["Online ergänzt"]
    next(n for n in at.number_input if n.label == "Vor Ort").set_value(2)
    next(b for b in at.button if b.label == "Punkte abgeben").click().run()
    assert store.card(db, card_id).online_dots == 2
    assert any("Punkte sind gezählt" in i.value for i in at.success)
    at.run()
    assert any("schon online abgestimmt" in i.value for i in at.info)


def test_online_ballot_is_refused_after_a_reload_and_in_a_new_browser(
    run_page, db, alliance, live, monkeypatch
):
    card_id = _card(db, alliance, live, "Vor Ort")
    service.set_phase(db, MANAGER, live.id, Phase.ONLINE, date.today() + timedelta(days=7))
    visitor = {"now": Visitor(address="198.51.100.7", cookie="c" * 32)}
    monkeypatch.setattr(web_session, "visitor", lambda: visitor["now"])
    page = "allianz/workshops/pages/workshops.py"
    at = open_page(run_page, Role.CITIZEN, page, workshop=str(live.id))
    next(n for n in at.number_input if n.label == "Vor Ort").set_value(1)
    next(b for b in at.button if b.label == "Punkte abgeben").click().run()
    assert store.card(db, card_id).online_dots == 1
    for again in (visitor["now"], Visitor(address="198.51.100.7", cookie="d" * 32)):
        visitor["now"] = again  # a reload (a new session), then a new browser at that address
        at = open_page(run_page, Role.CITIZEN, page, workshop=str(live.id))
        assert any("schon online abgestimmt" in i.value for i in at.info)
        assert not any(b.label == "Punkte abgeben" for b in at.button)
    assert store.card(db, card_id).online_dots == 1


def test_staff_plan_a_workshop_for_their_municipality(run_page, db):
    at = open_page(run_page, Role.STAFF, "allianz/workshops/pages/workshop_admin.py")
    assert any("Noch keine Werkstatt" in i.value for i in at.info)
    next(t for t in at.text_input if t.label == "Titel").input("Dorfgespräch Panitzsch")
    next(b for b in at.button if b.label == "Werkstatt anlegen").click().run()
    assert not at.exception
    [workshop] = store.all_workshops(db)
    assert workshop.scope_ags == "14729060" and len(workshop.tables) == 4


def test_staff_see_only_their_workshops_and_contacts(run_page, db, live, alliance):
    other = service.create(
        db,
        alliance,
        MANAGER,
        service.WorkshopDraft(
            "Werkstatt Brandis", datetime(2026, 1, 1), scope_ags="14729070",
            tables=service.default_tables(alliance),
        ),
    )  # fmt: skip
    service.register_contact(db, other, "brandis@example.org", consent=True)
    service.register_contact(db, live.id, "borsdorf@example.org", consent=True)
    at = open_page(run_page, Role.STAFF, "allianz/workshops/pages/workshop_admin.py")
    options = next(s for s in at.selectbox if s.label == "Werkstatt").options
    assert any("Werkstatt Ortsmitte" in o for o in options)
    assert not any("Brandis" in o for o in options)
    shown = "\n".join(str(d.value) for d in at.dataframe)
    assert "borsdorf@example.org" in shown and "brandis@example.org" not in shown


def test_no_page_shows_protocol_emails_to_citizens_or_hosts(run_page, db, live):
    service.register_contact(db, live.id, "geheim@example.org", consent=True)
    for role, page in (
        (Role.CITIZEN, "allianz/workshops/pages/workshops.py"),
        (Role.HOST, "allianz/workshops/pages/workshop_host.py"),
        (Role.MAYOR, "allianz/workshops/pages/workshops.py"),
    ):
        at = open_page(run_page, role, page, workshop=str(live.id))
        everything = str(at.main) + "\n".join(str(d.value) for d in at.dataframe) + _texts(at)
        assert "geheim@example.org" not in everything


def test_manager_moves_the_phase_and_hides_a_card(run_page, db, alliance, live):
    card_id = _card(db, alliance, live, "Werbung")
    at = open_page(run_page, Role.MANAGER, "allianz/workshops/pages/workshop_admin.py")
    next(t for t in at.text_input if t.label.startswith("Grund")).input("Werbung")
    next(b for b in at.button if b.label == "Ausblenden").click().run()
    assert store.card(db, card_id).hidden
    next(s for s in at.selectbox if s.label == "Nächster Schritt").select("online")
    next(b for b in at.button if b.label == "Stand ändern").click().run()
    assert store.get(db, live.id).phase is Phase.ONLINE


def test_staff_moderate_only_workshops_of_their_municipality(run_page, db, alliance, live):
    brandis = service.create(
        db,
        alliance,
        MANAGER,
        service.WorkshopDraft(
            "Werkstatt Brandis",
            datetime(2026, 11, 21, 18),
            "Rathaus Brandis",
            "14729070",
            tables=service.default_tables(alliance),
        ),
    )
    service.set_phase(db, MANAGER, brandis, Phase.LIVE)
    at = open_page(run_page, Role.STAFF, "allianz/workshops/pages/workshop_host.py")  # Borsdorf
    chooser = next(s for s in at.selectbox if s.label == "Werkstatt")
    assert len(chooser.options) == 1 and chooser.options[0].startswith(live.title)
    at = open_page(run_page, Role.HOST, "allianz/workshops/pages/workshop_host.py")  # unbound
    assert len(next(s for s in at.selectbox if s.label == "Werkstatt").options) == 2
