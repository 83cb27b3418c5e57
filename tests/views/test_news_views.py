"""Neuigkeiten, Neuigkeiten schreiben and Abonnieren in AppTest: the start page's teaser, the
list with filters from the address and pages, an item's detail with its JSON-LD, a member's
item from the form through the office's review to the public list, the writer's place, and
hostile text shown as text."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.news import service
from allianz.news.model import Draft, State
from tests.hostile import CORPUS
from tests.views.conftest import open_page

PAGE = "allianz/news/pages/news.py"
DESK = "allianz/news/pages/news_desk.py"
SUBSCRIBE = "allianz/news/pages/subscribe.py"
OFFICE = User("leitung", "Geschäftsstelle", Role.MANAGER)
BORSDORF, BRANDIS = "14729060", "14729070"  # the view tests' staff account is Borsdorf's


def _texts(at) -> str:
    shown = [e.value for kind in ("markdown", "caption", "info", "success", "error", "warning",
                                  "title", "code") for e in getattr(at, kind)]  # fmt: skip
    return re.sub(r"\\(.)", r"\1", " ".join(str(s) for s in shown))


def _links(at) -> list:
    return [link.proto for link in at.get("page_link")]


def _publish(db, alliance, title, place=BORSDORF, **change):
    draft = Draft(title, "Kurz gesagt.", "Der **Text**.", place, 1, **change)
    return service.create(db, alliance, OFFICE, draft, submit=True)


def test_start_page_shows_the_newest_news(run_page, db, alliance):
    item = _publish(db, alliance, "Rathaus Borsdorf länger geöffnet")
    at = run_page("main.py")
    teasers = [link for link in _links(at) if "Rathaus Borsdorf länger geöffnet" in link.label]
    assert teasers and f"meldung={item.id}" in teasers[0].query_string
    assert "Neueste Neuigkeiten" in [h.value for h in at.subheader]


def test_list_filters_from_the_address_and_detail_with_json_ld(run_page, db, alliance):
    borsdorf = _publish(db, alliance, "Borsdorf baut einen Radweg")
    _publish(db, alliance, "Brandis feiert Stadtfest", place=BRANDIS)
    _publish(db, alliance, "Wartet noch", publish_from=datetime.now(UTC) + timedelta(days=1))
    at = open_page(run_page, Role.CITIZEN, PAGE)
    labels = [link.label for link in _links(at)]
    assert "Borsdorf baut einen Radweg" in labels and "Brandis feiert Stadtfest" in labels
    assert "Wartet noch" not in labels
    at = open_page(run_page, Role.CITIZEN, PAGE, gemeinde=BORSDORF)
    labels = [link.label for link in _links(at)]
    assert "Borsdorf baut einen Radweg" in labels and "Brandis feiert Stadtfest" not in labels
    assert f"/feeds/neuigkeiten.xml?gemeinde={BORSDORF}" in _texts(at)
    detail = open_page(run_page, Role.CITIZEN, PAGE, meldung=str(borsdorf.id))
    assert detail.title[0].value == "Borsdorf baut einen Radweg"
    assert any("<strong>Text</strong>" in h.value for h in detail.html)
    [ld] = [h.value for h in detail.html if "application/ld+json" in h.value]
    data = json.loads(re.search(r">(.*)</script>", ld, re.S).group(1))
    assert data["@type"] == "NewsArticle" and data["headline"] == "Borsdorf baut einen Radweg"
    assert data["url"].endswith(f"/news?meldung={borsdorf.id}")


def test_unknown_or_unpublished_item_is_not_shown(run_page, db, alliance):
    staff = User("st", "Verwaltung", Role.STAFF, BORSDORF)
    waiting = service.create(
        db, alliance, staff, Draft("Noch geheim", "", "Text", BORSDORF), submit=True
    )
    at = open_page(run_page, Role.CITIZEN, PAGE, meldung=str(waiting.id))
    assert "gibt es nicht" in _texts(at) and "Noch geheim" not in _texts(at)
    at = open_page(run_page, Role.CITIZEN, PAGE, meldung="<script>")
    assert "gibt es nicht" in _texts(at)
    own = open_page(run_page, Role.STAFF, PAGE, meldung=str(waiting.id))
    assert "nicht öffentlich" in _texts(own)  # the writers may preview it
    assert not [h for h in own.html if "ld+json" in h.value]


def test_the_list_has_pages(run_page, db, alliance):
    for n in range(23):
        _publish(db, alliance, f"Meldung {n:02d}")
    at = open_page(run_page, Role.CITIZEN, PAGE)
    assert len([link for link in _links(at) if link.label.startswith("Meldung")]) == 20
    at.selectbox(key="news-page-None-False-None").select(2).run()
    assert len([link for link in _links(at) if link.label.startswith("Meldung")]) == 3


def test_staff_writes_office_approves_citizen_reads(run_page, db):
    at = open_page(run_page, Role.STAFF, DESK)
    at.text_input[0].input("Herbstputz im Ortsteil")
    at.text_area[0].input("Am Samstag wird gemeinsam gepflanzt.")
    at.text_area[1].input("Treffpunkt ist **um 9 Uhr** am Gemeindehaus.")
    at = next(b for b in at.button if b.label == "Zur Freigabe senden").click().run()
    assert not at.exception, at.exception
    assert "wartet auf Freigabe" in _texts(at)
    [item] = service.review_queue(db, OFFICE)
    assert at.query_params["meldung"] == str(item.id)  # the new item stays open
    assert item.author == "verwaltung" and item.municipality_ags == BORSDORF
    assert any("<strong>um 9 Uhr</strong>" in h.value for h in at.html)  # the preview
    again = next(b for b in at.button if b.label == "Zur Freigabe senden").click().run()
    assert len(service.review_queue(db, OFFICE)) == 1  # sent again from its own view: no copy
    assert not again.exception
    office = open_page(run_page, Role.MANAGER, DESK)
    assert "Zur Freigabe (1)" in [h.value for h in office.subheader]
    office = office.button(key=f"approve-{item.id}").click().run()
    assert f"Meldung Nr. {item.id} ist freigegeben" in _texts(office)
    assert "Zur Freigabe (0)" in [h.value for h in office.subheader]
    public = open_page(run_page, Role.CITIZEN, PAGE)
    assert "Herbstputz im Ortsteil" in [link.label for link in _links(public)]
    assert "Borsdorf" in _texts(public) and "verwaltung" not in _texts(public)


def test_office_returns_an_item_with_a_note(run_page, db, alliance):
    staff = User("st", "Verwaltung", Role.STAFF, BORSDORF)
    item = service.create(db, alliance, staff, Draft("Zu lang", "", "Text", BORSDORF), submit=True)
    office = open_page(run_page, Role.MANAGER, DESK)
    office.text_input(key=f"note-{item.id}").input("Bitte kürzen.")
    office = office.button(key=f"return-{item.id}").click().run()
    assert "zur Überarbeitung zurückgegeben" in _texts(office)
    back = open_page(run_page, Role.STAFF, DESK, meldung=str(item.id))
    assert "Zurückgegeben von der Geschäftsstelle: Bitte kürzen." in _texts(back)


def test_other_municipality_cannot_edit_and_staff_cannot_pick_a_place(run_page, db, alliance):
    item = _publish(db, alliance, "Brandis informiert", place=BRANDIS)
    at = open_page(run_page, Role.STAFF, DESK, meldung=str(item.id))
    assert "die Sie bearbeiten dürfen, gibt es nicht" in _texts(at)
    assert not [b for b in at.button if b.label in ("Speichern", "Meldung zurückziehen")]
    desk = open_page(run_page, Role.STAFF, DESK)
    assert not [s for s in desk.selectbox if s.label == "Gemeinde"]
    assert [t.value for t in desk.text_input if t.label == "Gemeinde"] == ["Borsdorf"]


def test_withdraw_from_the_edit_view(run_page, db, alliance):
    item = _publish(db, alliance, "Zurückzuziehen")
    at = open_page(run_page, Role.MANAGER, DESK, meldung=str(item.id))
    at = next(b for b in at.button if b.label == "Meldung zurückziehen").click().run()
    assert "ist zurückgezogen" in _texts(at)
    assert service.get(db, item.id).state is State.WITHDRAWN


def test_subscribe_page_lists_the_three_feeds_and_filters(run_page):
    at = open_page(run_page, Role.CITIZEN, SUBSCRIBE)
    codes = " ".join(c.value for c in at.code)
    for path in ("/feeds/neuigkeiten.xml", "/feeds/neuigkeiten.atom",
                 "/feeds/veranstaltungen.ics", "/feeds/stellen.xml"):  # fmt: skip
        assert path in codes
    table = " ".join(str(t.value) for t in at.table)
    for name in ("gemeinde", "thema", "kategorie", "art"):
        assert name in table


@pytest.mark.parametrize("text", CORPUS[:5] + CORPUS[14:15], ids=range(6))
def test_hostile_text_is_shown_as_text(run_page, db, alliance, text):
    item = service.create(
        db, alliance, OFFICE, Draft(f"Titel {text}"[:150], text, text, None), submit=True
    )
    at = open_page(run_page, Role.CITIZEN, PAGE, meldung=str(item.id))
    assert not at.exception
    assert at.title[0].value.replace("\\", "") == f"Titel {text}"[:150].strip()
    ours = [h for h in at.html if not h.value.startswith(("<style>", "<script data-allianz"))]
    assert len(ours) == 2  # the text and the JSON-LD
    for html in ours:
        if "application/ld+json" in html.value:  # one element; the text only inside JSON
            assert html.value.count("<") == 2 and html.value.endswith("</script>")
            data = json.loads(re.search(r">(.*)</script>", html.value, re.S).group(1))
            assert data["description"] == text.strip()
        else:  # the rendered Markdown: the typed tags are text
            assert not re.search(r"<(script|img|svg)", html.value), html.value
            assert 'href="javascript' not in html.value
    listing = open_page(run_page, Role.CITIZEN, PAGE)
    assert not listing.exception


def test_office_writes_for_the_whole_alliance_with_a_photo(run_page, db):
    from tests.unit.test_suggestions import jpeg  # noqa: PLC0415

    at = open_page(run_page, Role.MANAGER, DESK)
    at.text_input[0].input("Allianz-App startet")
    at.text_area[0].input("Die Bürger-App ist da.")
    at.file_uploader[0].upload("foto.jpg", jpeg((80, 60)), "image/jpeg")
    at = next(b for b in at.button if b.label == "Veröffentlichen").click().run()
    assert not at.exception, at.exception
    assert "gespeichert: veröffentlicht" in _texts(at)
    [item] = service.desk(db, OFFICE).items
    assert item.municipality_ags is None and item.has_image  # "ganze Allianz" is the default
    public = open_page(run_page, Role.CITIZEN, PAGE, meldung=str(item.id))
    assert len(public.get("image")) == 1
    [ld] = [h.value for h in public.html if "ld+json" in h.value]
    assert f"/bilder/neuigkeiten/{item.id}.jpg" in ld
