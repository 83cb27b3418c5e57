"""Workshops: phase rules, card checks, vote limits, ranking, results and the protocol."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date, datetime

import pypdf
import pytest

from allianz import limits, visitors
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.errors import PermissionDenied
from allianz.municipalities import service as municipalities
from allianz.workshops import protocol, results, service, store
from allianz.workshops.model import Card, Phase, TopicTable, Workshop
from db.connection import connect

MANAGER = User("leitung", "Allianzmanagement", Role.MANAGER)
STAFF_BORSDORF = User("borsdorf", "Verwaltung Borsdorf", Role.STAFF, "14729060")
HOST = User("tisch", "Tischmoderation", Role.HOST)
CITIZEN = User("anonym", "Gast", Role.CITIZEN)
HOSTILE = "<script>alert('x')</script> ${1+1} `rm` =HYPERLINK(\"http://x\") **fett**"


def draft(**changes) -> service.WorkshopDraft:
    values = {
        "title": "Bürgerwerkstatt Radverkehr",
        "starts_at": datetime(2026, 11, 20, 18, 0),
        "place": "Rathaus Naunhof",
        "scope_ags": None,
        "rounds": 3,
        "participants": 40,
        "dots_per_person": 3,
        "tables": [service.TableDraft("Radwege"), service.TableDraft("Ortsmitte")],
    }
    return service.WorkshopDraft(**(values | changes))


@pytest.fixture
def areas(db):
    return municipalities.areas(db)


@pytest.fixture
def live(db, alliance):
    workshop_id = service.create(db, alliance, MANAGER, draft())
    service.set_phase(db, MANAGER, workshop_id, Phase.LIVE)
    return store.get(db, workshop_id)


def add(db, alliance, areas, workshop, text, table=0, **extra):
    return service.add_card(
        db,
        alliance,
        areas,
        HOST,
        workshop.id,
        service.CardDraft(workshop.tables[table].id, text, **extra),
    )


# --- planning and phases -------------------------------------------------------------------


def test_create_stores_tables_in_order(db, alliance):
    workshop_id = service.create(db, alliance, MANAGER, draft())
    workshop = store.get(db, workshop_id)
    assert [t.topic for t in workshop.tables] == ["Radwege", "Ortsmitte"]
    assert workshop.phase is Phase.PLANNED
    assert [t.position for t in workshop.tables] == [1, 2]


def test_default_tables_come_from_the_config(alliance):
    assert [t.topic for t in service.default_tables(alliance)] == list(alliance.workshop_topics)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "x"}, "Titel"),
        ({"rounds": 0}, "Runden"),
        ({"dots_per_person": 0}, "Punkte je Person"),
        ({"tables": []}, "Thementische"),
        ({"tables": [service.TableDraft("")]}, "Thema"),
        ({"scope_ags": "99999999"}, "gehört nicht zur Allianz"),
        ({"tables": [service.TableDraft("Rad", handlungsfeld=99)]}, "Handlungsfeld"),
    ],
)
def test_invalid_workshop_is_refused_and_nothing_written(db, alliance, change, message):
    with pytest.raises(service.WorkshopError, match=message):
        service.create(db, alliance, MANAGER, draft(**change))
    assert db["workshops"].count == 0 and db["workshop_tables"].count == 0


def test_staff_plan_only_their_own_municipality(db, alliance):
    with pytest.raises(PermissionDenied, match="eigenen Gemeinde"):
        service.create(db, alliance, STAFF_BORSDORF, draft(scope_ags=None))
    own = service.create(db, alliance, STAFF_BORSDORF, draft(scope_ags="14729060"))
    other = service.create(db, alliance, MANAGER, draft(scope_ags="14729070"))
    assert service.can_manage(STAFF_BORSDORF, store.get(db, own))
    assert not service.can_manage(STAFF_BORSDORF, store.get(db, other))
    with pytest.raises(PermissionDenied, match="Berechtigung"):
        service.set_phase(db, STAFF_BORSDORF, other, Phase.LIVE)


def test_hosts_and_citizens_cannot_plan(db, alliance):
    for user in (HOST, CITIZEN):
        with pytest.raises(PermissionDenied, match="Berechtigung"):
            service.create(db, alliance, user, draft())


def test_phases_only_move_forward(db, alliance):
    workshop_id = service.create(db, alliance, MANAGER, draft())
    with pytest.raises(service.WorkshopError, match="geht es nicht"):
        service.set_phase(db, MANAGER, workshop_id, Phase.ONLINE, date(2030, 1, 1))
    service.set_phase(db, MANAGER, workshop_id, Phase.LIVE)
    with pytest.raises(service.WorkshopError, match="Enddatum"):
        service.set_phase(db, MANAGER, workshop_id, Phase.ONLINE, None)
    with pytest.raises(service.WorkshopError, match="Enddatum"):
        service.set_phase(
            db, MANAGER, workshop_id, Phase.ONLINE, date(2026, 1, 1), today=date(2026, 2, 1)
        )
    service.set_phase(db, MANAGER, workshop_id, Phase.ONLINE, date(2026, 3, 1), date(2026, 2, 1))
    service.set_phase(db, MANAGER, workshop_id, Phase.CLOSED)
    with pytest.raises(service.WorkshopError, match="geht es nicht"):
        service.set_phase(db, MANAGER, workshop_id, Phase.LIVE)
    actions = [r["action"] for r in db.query("SELECT action FROM audit WHERE entity='workshop'")]
    assert actions.count("workshop.phase") == 3


def test_table_with_cards_cannot_be_removed(db, alliance, areas, live):
    add(db, alliance, areas, live, "Idee am ersten Tisch")
    keep_second = [service.TableDraft("Ortsmitte", id=live.tables[1].id)]
    with pytest.raises(service.WorkshopError, match="hat schon Karten"):
        service.update(db, alliance, MANAGER, live.id, draft(tables=keep_second))
    assert len(store.get(db, live.id).tables) == 2
    renamed = [
        service.TableDraft("Radwege und Wege", id=live.tables[0].id),
        service.TableDraft("Neuer Tisch"),
    ]
    service.update(db, alliance, MANAGER, live.id, draft(tables=renamed))
    assert [t.topic for t in store.get(db, live.id).tables] == ["Radwege und Wege", "Neuer Tisch"]


# --- cards -----------------------------------------------------------------------------------


def test_live_cards_need_a_host_and_a_live_workshop(db, alliance, areas):
    workshop_id = service.create(db, alliance, MANAGER, draft())
    workshop = store.get(db, workshop_id)
    with pytest.raises(service.WorkshopError, match="solange die Werkstatt läuft"):
        add(db, alliance, areas, workshop, "Zu früh")
    service.set_phase(db, MANAGER, workshop_id, Phase.LIVE)
    with pytest.raises(PermissionDenied, match="Tischmoderation"):
        service.add_card(
            db,
            alliance,
            areas,
            CITIZEN,
            workshop_id,
            service.CardDraft(workshop.tables[0].id, "Bürger am Tisch"),
        )
    assert add(db, alliance, areas, workshop, "Richtig") > 0


def test_card_is_stored_as_typed_with_place_and_tags(db, alliance, areas, live):
    card_id = add(
        db,
        alliance,
        areas,
        live,
        HOSTILE,
        round=2,
        tags="Radweg, #Schule , radweg",
        municipality_ags="14729300",
        ortsteil="Ammelshain",
    )
    card = store.card(db, card_id)
    assert card.text == HOSTILE
    assert card.tags == ("radweg", "schule")
    assert (card.round, card.municipality_ags, card.ortsteil) == (2, "14729300", "Ammelshain")
    assert card.origin == "live" and card.created_by == "tisch"


def test_map_point_decides_the_municipality(db, alliance, areas, live):
    seat = alliance.municipality("14729070")
    card_id = add(db, alliance, areas, live, "Punkt", lat=seat.seat_lat, lon=seat.seat_lon)
    assert store.card(db, card_id).municipality_ags == "14729070"
    with pytest.raises(service.WorkshopError, match="außerhalb der Allianz"):
        add(db, alliance, areas, live, "Berlin", lat=52.52, lon=13.40)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"text": "x"}, "Kartentext"),
        ({"text": "y" * 501}, "Kartentext"),
        ({"round": 4}, "Runde"),
        ({"tags": "a,b,c,d,e,f"}, "Schlagworte"),
        ({"municipality_ags": "14729060", "ortsteil": "Naunhof"}, "kein Ortsteil"),
        ({"ortsteil": "Naunhof"}, "Gemeinde"),
    ],
)
def test_invalid_cards_are_refused(db, alliance, areas, live, extra, message):
    values = {"text": "Eine gute Idee"} | extra
    with pytest.raises(service.WorkshopError, match=message):
        add(db, alliance, areas, live, **values)
    assert db["workshop_cards"].count == 0


def test_card_for_a_table_of_another_workshop_is_refused(db, alliance, areas, live):
    other = service.create(db, alliance, MANAGER, draft(title="Andere Werkstatt"))
    foreign_table = store.get(db, other).tables[0].id
    with pytest.raises(service.WorkshopError, match="Thementisch"):
        service.add_card(
            db, alliance, areas, HOST, live.id, service.CardDraft(foreign_table, "Falscher Tisch")
        )


# --- online phase ---------------------------------------------------------------------------


def test_online_phase_accepts_citizens_until_its_end(db, alliance, areas, live):
    service.set_phase(db, MANAGER, live.id, Phase.ONLINE, date(2026, 12, 10), date(2026, 12, 1))
    workshop = store.get(db, live.id)
    card = service.CardDraft(workshop.tables[0].id, "Online-Idee")
    in_time = date(2026, 12, 10)
    card_id = service.add_card(
        db, alliance, areas, CITIZEN, live.id, card, online=True, today=in_time
    )
    assert store.card(db, card_id).origin == "online"
    assert store.card(db, card_id).created_by == "online"
    with pytest.raises(service.WorkshopError, match="keine Karten mehr"):
        service.add_card(
            db, alliance, areas, CITIZEN, live.id, card, online=True, today=date(2026, 12, 11)
        )
    with pytest.raises(service.WorkshopError, match="solange die Werkstatt läuft"):
        add(db, alliance, areas, workshop, "Zu spät vor Ort")


def test_online_cards_are_refused_while_live(db, alliance, areas, live):
    with pytest.raises(service.WorkshopError, match="keine Karten mehr"):
        service.add_card(
            db,
            alliance,
            areas,
            CITIZEN,
            live.id,
            service.CardDraft(live.tables[0].id, "Noch nicht online"),
            online=True,
        )


# --- votes ------------------------------------------------------------------------------------


def test_ballot_limits(db, alliance, areas, live):
    a = add(db, alliance, areas, live, "Karte A")
    b = add(db, alliance, areas, live, "Karte B", table=1)
    service.cast_ballot(db, HOST, live.id, {a: 2, b: 1})
    with pytest.raises(service.WorkshopError, match="3 Punkte; vergeben wurden 4"):
        service.cast_ballot(db, HOST, live.id, {a: 3, b: 1})
    with pytest.raises(service.WorkshopError, match="mindestens einen Punkt"):
        service.cast_ballot(db, HOST, live.id, {a: 0})
    with pytest.raises(service.WorkshopError, match="ganze Zahlen"):
        service.cast_ballot(db, HOST, live.id, {a: -1, b: 2})
    with pytest.raises(service.WorkshopError, match="sichtbare Karten"):
        service.cast_ballot(db, HOST, live.id, {9999: 1})
    with pytest.raises(PermissionDenied, match="Abstimmungsgerät"):
        service.cast_ballot(db, CITIZEN, live.id, {a: 1})
    assert (store.card(db, a).device_dots, store.card(db, b).device_dots) == (2, 1)


def test_hidden_card_takes_no_votes(db, alliance, areas, live):
    a = add(db, alliance, areas, live, "Unpassend")
    service.hide_card(db, MANAGER, a, "beleidigend")
    with pytest.raises(service.WorkshopError, match="sichtbare Karten"):
        service.cast_ballot(db, HOST, live.id, {a: 1})


def test_online_votes_count_apart_from_live_ones(db, alliance, areas, live):
    a = add(db, alliance, areas, live, "Karte A")
    service.set_host_dots(db, HOST, live.id, {a: 7})
    service.cast_ballot(db, HOST, live.id, {a: 2})
    service.set_phase(db, MANAGER, live.id, Phase.ONLINE, date(2026, 12, 31), date(2026, 12, 1))
    service.cast_ballot(db, CITIZEN, live.id, {a: 3}, online=True, today=date(2026, 12, 2))
    card = store.card(db, a)
    assert (card.host_dots, card.device_dots, card.online_dots, card.dots) == (7, 2, 3, 12)
    assert card.live_dots == 9
    service.set_phase(db, MANAGER, live.id, Phase.CLOSED)
    with pytest.raises(service.WorkshopError, match="Online-Abstimmung"):
        service.cast_ballot(db, CITIZEN, live.id, {a: 1}, online=True, today=date(2026, 12, 2))
    with pytest.raises(service.WorkshopError, match="Punkte lassen sich nur"):
        service.set_host_dots(db, HOST, live.id, {a: 8})


def _online(db, alliance, areas, live):
    a = add(db, alliance, areas, live, "Karte A")
    service.set_phase(db, MANAGER, live.id, Phase.ONLINE, date(2026, 12, 31), date(2026, 12, 1))
    return store.get(db, live.id), a


DAY = date(2026, 12, 2)


def test_one_online_ballot_per_workshop_and_visitor(db, alliance, areas, live):
    """Anonymous: the cookie and the address each carry the ballot; signed in: the account."""
    workshop, a = _online(db, alliance, areas, live)
    browser = visitors.Visitor(address="198.51.100.7", cookie="c" * 32, session="s1")
    service.cast_ballot(db, CITIZEN, live.id, {a: 3}, online=True, today=DAY, visitor=browser)
    assert service.has_voted(db, workshop, browser)
    reloaded = visitors.Visitor(address="198.51.100.7", cookie="c" * 32, session="s2")
    new_context = visitors.Visitor(address="198.51.100.7", cookie="d" * 32)
    new_network = visitors.Visitor(address="203.0.113.9", cookie="c" * 32)
    for again in (reloaded, new_context, new_network):
        assert service.has_voted(db, workshop, again)
        with pytest.raises(service.AlreadyVoted, match="schon online abgestimmt.*31.12.2026"):
            service.cast_ballot(db, CITIZEN, live.id, {a: 1}, online=True, today=DAY,
                                visitor=again)  # fmt: skip
    someone_else = visitors.Visitor(address="203.0.113.9", cookie="e" * 32)
    account = visitors.Visitor(account="rita")  # signed in: the account, not the address
    for voter in (someone_else, account):
        service.cast_ballot(db, CITIZEN, live.id, {a: 1}, online=True, today=DAY, visitor=voter)
    with pytest.raises(service.AlreadyVoted):
        service.cast_ballot(db, CITIZEN, live.id, {a: 1}, online=True, today=DAY,
                            visitor=visitors.Visitor(account="rita"))  # fmt: skip
    assert store.card(db, a).online_dots == 5
    marks = [r["voter"] for r in db.query("SELECT voter FROM workshop_voters")]
    assert len(marks) == 5 and not any("198.51" in m or "rita" in m for m in marks)
    service.set_phase(db, MANAGER, live.id, Phase.CLOSED)  # the marks go with the phase
    assert db["workshop_voters"].count == 0


def test_ballots_are_counted_per_workshop(db, alliance, areas, live):
    workshop, a = _online(db, alliance, areas, live)
    other_id = service.create(db, alliance, MANAGER, draft(title="Zweite Werkstatt"))
    service.set_phase(db, MANAGER, other_id, Phase.LIVE)
    other = store.get(db, other_id)
    b = add(db, alliance, areas, other, "Karte B")
    service.set_phase(db, MANAGER, other_id, Phase.ONLINE, date(2026, 12, 31), date(2026, 12, 1))
    browser = visitors.Visitor(address="198.51.100.7", cookie="c" * 32)
    service.cast_ballot(db, CITIZEN, live.id, {a: 1}, online=True, today=DAY, visitor=browser)
    service.cast_ballot(db, CITIZEN, other_id, {b: 1}, online=True, today=DAY, visitor=browser)
    assert service.has_voted(db, store.get(db, other_id), browser)


def test_online_cards_and_ballots_share_a_limit_per_visitor(db, alliance, areas, live):
    workshop, a = _online(db, alliance, areas, live)
    browser = visitors.Visitor(address="198.51.100.7", cookie="c" * 32)
    table = workshop.tables[0].id
    for n in range(service.ONLINE_LIMIT.count):
        service.add_card(db, alliance, areas, CITIZEN, live.id,
                         service.CardDraft(table, f"Online-Idee {n}"), online=True, today=DAY,
                         visitor=browser)  # fmt: skip
    new_context = visitors.Visitor(address="198.51.100.7", cookie="d" * 32)
    with pytest.raises(limits.LimitReached, match=r"viele Beiträge.* ab \d\d:\d\d Uhr"):
        service.add_card(db, alliance, areas, CITIZEN, live.id,
                         service.CardDraft(table, "Noch eine Idee"), online=True, today=DAY,
                         visitor=new_context)  # fmt: skip
    with pytest.raises(limits.LimitReached):  # the ballot is refused and not remembered
        service.cast_ballot(db, CITIZEN, live.id, {a: 1}, online=True, today=DAY,
                            visitor=browser)  # fmt: skip
    assert not service.has_voted(db, workshop, browser)


def test_host_dots_are_checked_and_audited(db, alliance, areas, live):
    a = add(db, alliance, areas, live, "Karte A")
    with pytest.raises(service.WorkshopError, match="ganze Zahl"):
        service.set_host_dots(db, HOST, live.id, {a: -2})
    with pytest.raises(service.WorkshopError, match="gehört nicht"):
        service.set_host_dots(db, HOST, live.id, {a + 100: 2})
    assert service.set_host_dots(db, HOST, live.id, {a: 4}) == 1
    assert service.set_host_dots(db, HOST, live.id, {a: 4}) == 0
    assert db.execute("SELECT count(*) FROM audit WHERE action='workshop.dots'").fetchone()[0] == 1


# --- moderation -----------------------------------------------------------------------------


def test_hide_needs_a_reason_and_is_audited(db, alliance, areas, live):
    a = add(db, alliance, areas, live, "Werbung für eine Firma")
    with pytest.raises(service.WorkshopError, match="Grund"):
        service.hide_card(db, MANAGER, a, "")
    with pytest.raises(PermissionDenied, match="Berechtigung"):
        service.hide_card(db, HOST, a, "Werbung")
    service.hide_card(db, MANAGER, a, "Werbung")
    assert store.cards(db, live.id) == []
    assert store.cards(db, live.id, include_hidden=True)[0].hidden_reason == "Werbung"
    row = next(db.query("SELECT * FROM audit WHERE action='workshop.card.hide'"))
    assert row["reason"] == "Werbung" and row["entity_id"] == str(a)


def test_card_can_be_linked_to_a_field_of_action(db, alliance, areas, live):
    a = add(db, alliance, areas, live, "Gemeinsame App")
    service.set_card_handlungsfeld(db, alliance, MANAGER, a, 5)
    assert store.card(db, a).handlungsfeld == 5
    with pytest.raises(service.WorkshopError, match="gibt es nicht"):
        service.set_card_handlungsfeld(db, alliance, MANAGER, a, 42)


def test_protocol_contacts_need_consent_and_stay_with_staff(db, alliance, live):
    with pytest.raises(service.WorkshopError, match="Einwilligung"):
        service.register_contact(db, live.id, "a@example.org", consent=False)
    with pytest.raises(service.WorkshopError, match="gültige"):
        service.register_contact(db, live.id, "kein-at", consent=True)
    service.register_contact(db, live.id, "a@example.org", consent=True)
    assert [c["email"] for c in service.contacts(db, MANAGER, live.id)] == ["a@example.org"]
    with pytest.raises(PermissionDenied):
        service.contacts(db, HOST, live.id)


# --- results (pure functions, checked against hand-counted fixtures) -------------------------


def card(card_id, dots, table=1, tags=(), origin="live", online=0, field=None) -> Card:
    return Card(
        id=card_id,
        workshop_id=1,
        table_id=table,
        text=f"Karte {card_id}",
        round=None,
        tags=tuple(tags),
        municipality_ags=None,
        ortsteil=None,
        lat=None,
        lon=None,
        origin=origin,
        handlungsfeld=field,
        host_dots=dots,
        device_dots=0,
        online_dots=online,
        hidden=False,
        hidden_reason=None,
        created_by="t",
        created_at="2026-01-01",
    )


def test_ranking_shares_ranks_on_ties():
    cards = [card(1, 2), card(2, 5), card(3, 2), card(4, 0), card(5, 7)]
    ranked = results.ranked(cards)
    assert [(r.rank, r.card.id) for r in ranked] == [(1, 5), (2, 2), (3, 1), (3, 3), (5, 4)]
    assert [r.card.id for r in results.top(cards, 2)] == [5, 2]
    assert results.top([card(1, 0)]) == []


def test_tag_clusters_and_origin_split():
    cards = [
        card(1, 3, tags=("rad", "schule")),
        card(2, 1, tags=("rad",), origin="online", online=2),
        card(3, 0),
    ]
    clusters = {c.tag: (c.cards, c.dots) for c in results.tag_clusters(cards)}
    assert clusters == {"rad": (2, 6), "schule": (1, 3), results.NO_TAG: (1, 0)}
    split = results.origin_split(cards)
    assert (split.live_cards, split.online_cards, split.live_dots, split.online_dots) == (
        2,
        1,
        4,
        2,
    )


def test_per_handlungsfeld_and_topics_over_time():
    cards = [card(1, 2, field=1), card(2, 3, field=1, table=2), card(3, 1, table=3)]
    assert results.per_handlungsfeld(cards) == {1: (2, 5), None: (1, 1)}

    def workshop(wid, day, tables):
        return Workshop(
            wid, "W", f"{day}T18:00", "", None, 3, 0, 3, Phase.CLOSED, None, False, "x", "", "",
            tuple(TopicTable(t, wid, i, topic, "", None) for i, (t, topic) in enumerate(tables)),
        )  # fmt: skip

    first = workshop(1, "2024-03-01", [(1, "Radwege"), (2, "Kultur")])
    second = workshop(2, "2025-03-01", [(3, "radwege ")])
    points = results.topic_over_time([second, first], results.table_totals(cards))
    assert [(p.topic, p.date, p.cards, p.dots) for p in points] == [
        ("Kultur", "2024-03-01", 1, 3),
        ("Radwege", "2024-03-01", 1, 2),
        ("radwege", "2025-03-01", 1, 1),
    ]
    assert results.recurring_topics(points) == ["Radwege"]


# --- protocol -------------------------------------------------------------------------------


@pytest.fixture
def finished(db, alliance, areas, live):
    a = add(db, alliance, areas, live, HOSTILE, tags="rad")
    b = add(db, alliance, areas, live, "Zweite Idee", table=1)
    c = add(db, alliance, areas, live, "Ausgeblendete Idee")
    service.set_host_dots(db, HOST, live.id, {a: 4, b: 6})
    service.hide_card(db, MANAGER, c, "doppelt")
    service.register_contact(db, live.id, "geheim@example.org", consent=True)
    return live.id


def test_markdown_protocol_escapes_user_text(db, alliance, finished):
    text = protocol.build(db, alliance, finished, "md").decode()
    assert "<script>" not in text
    assert "&lt;script&gt;alert\\('x'\\)&lt;/script&gt;" in text
    assert "Zweite Idee (6 Punkte)" in text
    assert "Ausgeblendete Idee" not in text and "Ausgeblendet | 1 Karten" in text
    assert "geheim@example.org" not in text


def test_csv_protocol_has_every_visible_card_and_neutralises_formulas(db, alliance, finished):
    raw = protocol.build(db, alliance, finished, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw), delimiter=";"))
    assert sorted(r["Karte"] for r in rows) == sorted([HOSTILE, "Zweite Idee"])
    by_text = {r["Karte"]: r for r in rows}
    assert by_text["Zweite Idee"]["Punkte"] == "6" and by_text[HOSTILE]["Schlagworte"] == "rad"
    formula = protocol.csv_table(
        protocol.Content(
            alliance,
            store.get(db, finished),
            [card(1, 0, table=store.get(db, finished).tables[0].id)],
            0,
            [],
        )
    )
    assert b"=" not in formula.split(b"\n")[1][:1]
    assert "geheim@example.org" not in raw


def test_pdf_protocol_text_contains_cards_votes_and_photo(db, alliance, finished):
    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (40, 30), "orange").save(png, format="PNG")
    service.add_photo(db, HOST, finished, None, "Stellwand Tisch 1", png.getvalue())
    data = protocol.build(db, alliance, finished, "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "<script>alert('x')</script>" in text  # shown literally, as typed
    assert "Zweite Idee" in text and "Ausgeblendete Idee" not in text
    assert "Stellwand Tisch 1" in text and f"von {len(reader.pages)}" in text
    assert any(page.images for page in reader.pages)
    assert "geheim@example.org" not in text


def test_protocol_refuses_unknown_workshop_and_format(db, alliance, finished):
    with pytest.raises(protocol.ProtocolError, match="gibt es nicht"):
        protocol.build(db, alliance, 999, "md")
    with pytest.raises(protocol.ProtocolError, match="Format"):
        protocol.build(db, alliance, finished, "docx")


# --- concurrency ----------------------------------------------------------------------------


def test_eight_hosts_enter_fifty_cards_each_and_nothing_is_lost(db, db_path, alliance, live):
    """Each host has its own connection (as each browser session has); all write at once."""
    if len(live.tables) < 8:
        tables = [service.TableDraft(t.topic, id=t.id) for t in live.tables]
        tables += [service.TableDraft(f"Tisch {i}") for i in range(len(tables) + 1, 9)]
        service.update(db, alliance, MANAGER, live.id, draft(tables=tables))
    table_ids = [t.id for t in store.get(db, live.id).tables]
    areas = municipalities.areas(db)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def host(index: int) -> None:
        conn = connect(db_path)
        try:
            start.wait()
            for n in range(50):
                service.add_card(
                    conn,
                    alliance,
                    areas,
                    HOST,
                    live.id,
                    service.CardDraft(table_ids[index], f"Tisch {index} Karte {n}", tags="t"),
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=host, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    cards = store.cards(db, live.id)
    assert len(cards) == 400
    for index, table_id in enumerate(table_ids):
        texts = {c.text for c in cards if c.table_id == table_id}
        assert texts == {f"Tisch {index} Karte {n}" for n in range(50)}


def test_demo_workshop_is_closed_and_ranked(empty_db, alliance):
    from allianz import demo
    from tests.conftest import TEST_ACTOR

    demo.load(empty_db, alliance, TEST_ACTOR)
    demo.load(empty_db, alliance, TEST_ACTOR)  # idempotent
    workshops = store.all_workshops(empty_db)
    assert len(workshops) == 1 and workshops[0].phase is Phase.CLOSED
    cards = store.cards(empty_db, workshops[0].id)
    assert len(cards) == 12 and sum(c.dots for c in cards) > 0
