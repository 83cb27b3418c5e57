"""Geräte-Pool in AppTest, kept up over time: the depot's week and month view reached from
the pool page (key in the URL, a table in words), the owner's edit form, photo upload and
retirement on the item's detail view."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

from PIL import Image

from allianz.accounts.model import COMMAND_LINE, User
from allianz.auth import Role
from allianz.formatting import BERLIN
from allianz.sharing import service
from allianz.ui import plain
from tests.views.conftest import open_page

POOL = "allianz/sharing/pages/pool.py"
BORSDORF, BRANDIS = "14729060", "14729070"  # the view tests' staff work in Borsdorf


def _item(db, alliance, ags: str, title: str) -> int:
    draft = service.ItemDraft("municipality", ags, "trailer", title, rate_day_cents=2500)
    return service.create_item(db, alliance, COMMAND_LINE, draft)


def test_the_depot_week_and_month_are_tables_in_words_reached_from_the_list(
    run_page, db, alliance, users
):
    trailer = _item(db, alliance, BRANDIS, "Tieflader Brandis")
    _item(db, alliance, BRANDIS, "Bühne Brandis")
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    start = datetime.combine(monday + timedelta(days=1), time(8), BERLIN).astimezone(UTC)
    borsdorf = User("v", "v", Role.STAFF, BORSDORF)
    booking = service.request_booking(
        db, borsdorf, trailer, service.BookingDraft(BORSDORF, start, start + timedelta(hours=4))
    )
    service.approve(db, COMMAND_LINE, booking.id)
    at = open_page(run_page, Role.STAFF, POOL)
    links = {link.proto.label: link.proto.page for link in at.get("page_link")}
    assert "Belegung Bauhof Stadt Brandis" in links
    at = open_page(run_page, Role.STAFF, POOL, depot=BRANDIS, ab=monday.isoformat())
    assert not at.exception, at.exception
    assert at.title[0].value == "Belegung Bauhof Stadt Brandis"
    week = at.table[0].value
    assert list(week.index) == ["Bühne Brandis", "Tieflader Brandis"]
    tuesday = service.day_label(monday + timedelta(days=1))
    assert week.loc["Tieflader Brandis", tuesday] == "zugesagt"
    assert week.loc["Bühne Brandis", tuesday] == "frei"
    assert len(week.columns) == 1 + 7  # "Nr." and the seven days
    assert at.query_params["ansicht"] in (["woche"], "woche")
    at.radio[0].set_value("monat").run()
    assert not at.exception, at.exception
    month = at.table[0].value
    first, days = service.depot_period("monat", monday)
    assert len(month.columns) == 1 + days
    assert at.query_params["ab"] in ([monday.isoformat()], monday.isoformat())
    # a Thursday whose Monday lies in the month before: the month view is the Thursday's
    at = open_page(run_page, Role.STAFF, POOL, depot=BRANDIS, ab="2026-12-03")
    assert "vom 30.11.2026 bis 06.12.2026" in " ".join(c.value for c in at.caption)
    at.radio[0].set_value("monat").run()
    assert "vom 01.12.2026 bis 31.12.2026" in " ".join(c.value for c in at.caption)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def test_the_owner_edits_uploads_a_photo_and_retires_the_item(run_page, db, alliance, users):
    item = _item(db, alliance, BORSDORF, "Rüttelplatte")
    at = open_page(run_page, Role.STAFF, POOL, geraet=str(item))
    next(t for t in at.text_input if t.label == "Bezeichnung").input("Rüttelplatte 90 kg")
    next(t for t in at.text_input if t.label.startswith("Anschaffungswert")).input("3.450,00")
    next(b for b in at.button if b.label == "Änderungen speichern").click().run()
    assert not at.exception, at.exception
    assert any("gespeichert" in s.value for s in at.success), [e.value for e in at.error]
    changed = service.get_item(db, item)
    assert (changed.title, changed.purchase_value_cents) == ("Rüttelplatte 90 kg", 345000)
    assert "3.450,00 €" in str(at.table[0].value)
    # a Brandis item on Borsdorf's screen: no edit form
    other = open_page(run_page, Role.STAFF, POOL, geraet=str(_item(db, alliance, BRANDIS, "X")))
    assert not any(b.label == "Änderungen speichern" for b in other.button)
    # the retirement wants a confirmation
    next(b for b in at.button if b.label == "Außer Dienst stellen").click().run()
    assert any("bestätigen" in e.value for e in at.error)
    next(c for c in at.checkbox if c.label.startswith("Ja, ")).check()
    next(b for b in at.button if b.label == "Außer Dienst stellen").click().run()
    assert not at.exception, at.exception
    assert item not in [i.id for i in service.items(db)]


def test_the_photo_is_shown_on_the_detail_view(run_page, db, alliance, users):
    item = _item(db, alliance, BORSDORF, "Festzelt")
    service.set_photo(db, COMMAND_LINE, item, _png())
    at = open_page(run_page, Role.STAFF, POOL, geraet=str(item))
    (picture,) = at.get("image")
    assert picture.proto.imgs[0].caption == "Foto: Festzelt"


def test_hostile_depot_addresses_are_answered_in_german(run_page, db, alliance, users):
    from tests.hostile import CORPUS

    _item(db, alliance, BRANDIS, CORPUS[0])
    for text in CORPUS[:3]:
        at = open_page(run_page, Role.STAFF, POOL, depot=text)
        assert any("gibt es nicht" in e.value for e in at.error)
        at = open_page(run_page, Role.STAFF, POOL, depot=BRANDIS, ansicht=text, ab=text)
        assert not at.exception, at.exception
        assert at.query_params["ansicht"] in (["woche"], "woche")
        # st.table renders Markdown: the title arrives escaped, and is shown as typed
        assert plain(CORPUS[0]) in list(at.table[0].value.index)


def test_the_owner_uploads_a_photo_checked_by_its_content(run_page, db, alliance, users):
    item = _item(db, alliance, BORSDORF, "Häcksler")
    at = open_page(run_page, Role.STAFF, POOL, geraet=str(item))
    at.file_uploader[0].upload("foto.png", b"GIF89a" + b"\0" * 64, "image/png").run()
    next(b for b in at.button if b.label == "Foto speichern").click().run()
    assert any("JPEG oder PNG" in e.value for e in at.error), [e.value for e in at.error]
    assert service.photo(db, item) is None
    at.file_uploader[0].upload("foto.png", _png(), "image/png").run()
    next(b for b in at.button if b.label == "Foto speichern").click().run()
    assert not at.exception, at.exception
    assert any("Foto gespeichert" in s.value for s in at.success), [e.value for e in at.error]
    assert service.photo(db, item).startswith(b"\xff\xd8\xff")
    assert len(at.get("image")) == 1


def test_typed_text_in_the_rules_table_is_escaped_for_markdown(run_page, db, alliance, users):
    from tests.hostile import CORPUS

    evil = CORPUS[14]  # **fett** _kursiv_ [link](http://evil.example) :red[rot] $x^2$
    draft = service.ItemDraft(
        "municipality", BRANDIS, "tool", "Leiter", depot=evil, licence=evil, pickup_place=evil
    )
    item = service.create_item(db, alliance, COMMAND_LINE, draft)
    at = open_page(run_page, Role.STAFF, POOL, geraet=str(item))
    rules = at.table[0].value
    shown = dict(zip(rules[""], rules["Regel"], strict=True))
    for label in ("Standort", "Führerschein/Befähigung", "Abholung"):
        assert shown[label] == plain(evil)
