"""Feeds übernehmen in AppTest: staff register a source and see it listed, the detail keeps
its key in the URL, "Jetzt abrufen" shows the German error of a refused address, pause,
resume and delete; another member's source stays hidden; hostile text shown as text."""

from __future__ import annotations

import re

from allianz.accounts.model import User
from allianz.auth import Role
from allianz.feed_import import service, store
from allianz.feed_import.model import Kind, SourceDraft
from tests.views.conftest import open_page

PAGE = "allianz/feed_import/pages/feed_sources.py"
BORSDORF, BRANDIS = "14729060", "14729070"  # the view tests' staff account belongs to Borsdorf
MANAGER = User("leitung", "Geschäftsstelle", Role.MANAGER)


def _texts(at) -> str:
    shown = [e.value for kind in ("markdown", "caption", "info", "success", "error", "warning",
                                  "title", "subheader") for e in getattr(at, kind)]  # fmt: skip
    return re.sub(r"\\(.)", r"\1", " ".join(str(s) for s in shown))


def _field(widgets, start: str):
    return next(w for w in widgets if w.label.startswith(start))


def _source(db, alliance, url: str, ags: str = BORSDORF) -> int:
    return service.add_source(db, alliance, MANAGER, SourceDraft(ags, Kind.NEWS, url)).id


def test_staff_register_an_ical_source_and_see_it_listed(run_page, db):
    at = open_page(run_page, Role.STAFF, PAGE)
    assert at.title[0].value == "Feeds übernehmen"
    assert "Noch keine Quellen eingetragen." in _texts(at)
    _field(at.radio, "Inhalt des Feeds").set_value(Kind.EVENTS)
    _field(at.text_input, "Adresse des Feeds").input("https://www.borsdorf.de/termine.ics")
    _field(at.selectbox, "Kategorie").set_value("sport")
    at = _field(at.button, "Quelle eintragen").click().run()
    assert not at.exception, at.exception
    [source] = store.listing(db, BORSDORF)
    assert (source.kind, source.url, source.category) == (
        Kind.EVENTS, "https://www.borsdorf.de/termine.ics", "sport")  # fmt: skip
    assert "ist eingetragen" in _texts(at)
    table = at.dataframe[0].value
    assert list(table["Adresse"]) == ["https://www.borsdorf.de/termine.ics"]
    assert list(table["Letzter Abruf"]) == ["noch nicht abgerufen"]


def test_a_bad_address_is_refused_in_german_and_the_input_kept(run_page, db):
    at = open_page(run_page, Role.STAFF, PAGE)
    _field(at.text_input, "Adresse des Feeds").input("ftp://www.borsdorf.de/feed")
    at = _field(at.button, "Quelle eintragen").click().run()
    assert "Nur Adressen mit http:// oder https://" in " ".join(e.value for e in at.error)
    assert _field(at.text_input, "Adresse des Feeds").value == "ftp://www.borsdorf.de/feed"
    assert store.listing(db, None) == []


def test_fetch_now_shows_why_an_internal_address_is_refused(run_page, db, alliance):
    source_id = _source(db, alliance, "http://127.0.0.1:1/feed.xml")
    at = open_page(run_page, Role.STAFF, PAGE, quelle=str(source_id))
    assert at.query_params["quelle"] in (str(source_id), [str(source_id)])
    assert "noch nicht abgerufen" in _texts(at)
    at = _field(at.button, "Jetzt abrufen").click().run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Letzter Abruf fehlgeschlagen" in errors and "interne Adresse" in errors
    assert service.last_run(store.get(db, source_id)).endswith(": fehlgeschlagen")


def test_pause_resume_and_delete(run_page, db, alliance):
    source_id = _source(db, alliance, "https://www.borsdorf.de/feed.xml")
    at = open_page(run_page, Role.STAFF, PAGE, quelle=str(source_id))
    at = _field(at.button, "Pausieren").click().run()
    assert store.get(db, source_id).paused
    assert "pausiert" in _texts(at)
    assert _field(at.button, "Jetzt abrufen").disabled
    at = _field(at.button, "Fortsetzen").click().run()
    assert not store.get(db, source_id).paused
    assert _field(at.button, "Quelle löschen").disabled
    at.checkbox[0].check().run()
    at = _field(at.button, "Quelle löschen").click().run()
    assert not at.exception, at.exception
    assert store.get(db, source_id) is None
    assert "Die Quelle ist gelöscht." in _texts(at)


def test_another_members_source_is_not_shown_to_staff(run_page, db, alliance):
    theirs = _source(db, alliance, "https://www.brandis.de/feed.xml", BRANDIS)
    at = open_page(run_page, Role.STAFF, PAGE)
    assert "brandis" not in _texts(at) and len(at.dataframe) == 0
    at = open_page(run_page, Role.STAFF, PAGE, quelle=str(theirs))
    assert "Eine Quelle Nr." in " ".join(e.value for e in at.error)
    assert not [b for b in at.button if b.label == "Jetzt abrufen"]
    office = open_page(run_page, Role.MANAGER, PAGE)
    assert list(office.dataframe[0].value["Adresse"]) == ["https://www.brandis.de/feed.xml"]


def test_hostile_text_is_shown_as_text(run_page, db, alliance):
    url = "https://www.borsdorf.de/<script>window.__pwned=1</script>**fett**"
    source_id = _source(db, alliance, url)
    store.update(db, source_id, {"last_error": "<img src=x onerror=alert(1)> [x](javascript:1)"})
    at = open_page(run_page, Role.STAFF, PAGE, quelle=str(source_id))
    assert url in _texts(at)
    assert "<img src=x onerror=alert(1)> [x](javascript:1)" in _texts(at)
    assert not any("<script>" in e.value and "\\<" not in e.value for e in at.markdown)


def test_my_municipality_links_a_failing_source(run_page, db, alliance):
    source_id = _source(db, alliance, "http://127.0.0.1:1/feed.xml")
    service.run_source(db, alliance, [], source_id, MANAGER.actor)  # refused: internal address
    at = open_page(run_page, Role.STAFF, "allianz/municipalities/pages/municipality_desk.py")
    assert "Feeds übernehmen: letzter Abruf fehlgeschlagen (1)" in _texts(at)
    [link] = [e for e in at.get("page_link") if "interne Adresse" in e.proto.label]
    assert link.proto.query_string == f"quelle={source_id}"
