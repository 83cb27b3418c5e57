"""Newsletter in AppTest: a resident subscribes without an account, the link from the
confirmation mail lands on the page and confirms, the link in a digest unsubscribes with one
click; the hidden field and hostile text are refused; only the office sees the counts."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from allianz.auth import Role
from allianz.digest import store
from allianz.digest.model import CONFIRM_KEY
from tests.hostile import CORPUS
from tests.views.conftest import open_page

PAGE = "allianz/digest/pages/newsletter.py"
BORSDORF = "14729060"


def _texts(at) -> str:
    shown = [e.value for kind in ("markdown", "caption", "info", "success", "error", "warning")
             for e in getattr(at, kind)]  # fmt: skip
    return re.sub(r"\\(.)", r"\1", " ".join(str(s) for s in shown))


def _labelled(widgets, start: str):
    return next(w for w in widgets if w.label.startswith(start))


def _fill(at, address: str):
    at.session_state["newsletter-started"] = (datetime.now(UTC) - timedelta(minutes=2)).isoformat()
    _labelled(at.text_input, "Ihre E-Mail-Adresse").input(address)
    _labelled(at.multiselect, "Gemeinden").select(BORSDORF)
    _labelled(at.checkbox, "Ich willige ein").check()
    return _labelled(at.button, "Newsletter bestellen").click().run()


def _confirm_token(db) -> str:
    body = list(db.query("SELECT body FROM mail_outbox ORDER BY id DESC LIMIT 1"))[0]["body"]
    link = next(w for w in body.split() if f"?{CONFIRM_KEY}=" in w)
    return parse_qs(urlsplit(link).query)[CONFIRM_KEY][0]


def test_subscribe_confirm_and_unsubscribe_without_an_account(run_page, db):
    at = open_page(run_page, Role.CITIZEN, PAGE)
    at = _fill(at, "Petra.Person@example.org")
    assert not at.exception, at.exception
    assert "Fast geschafft" in _texts(at)
    assert _labelled(at.text_input, "Ihre E-Mail-Adresse").value == ""  # the form is empty
    assert store.confirmed(db) == []

    at = open_page(run_page, Role.CITIZEN, PAGE, bestaetigen=_confirm_token(db))
    assert "Anmeldung ist bestätigt" in _texts(at)
    [subscriber] = store.confirmed(db)
    assert subscriber.choice.municipalities == (BORSDORF,)
    assert "bestaetigen" not in at.query_params  # the one-time token leaves the address

    at = open_page(run_page, Role.CITIZEN, PAGE, abmelden=subscriber.unsubscribe_token)
    assert "Sie sind abgemeldet" in _texts(at)
    assert db["digest_subscribers"].count == 0
    at = open_page(run_page, Role.CITIZEN, PAGE, abmelden=subscriber.unsubscribe_token)
    assert "nicht (mehr) für den Newsletter angemeldet" in _texts(at)


def test_a_wrong_or_used_confirmation_link_says_so(run_page, db):
    at = open_page(run_page, Role.CITIZEN, PAGE, bestaetigen="erfunden")
    assert "ungültig, schon benutzt oder abgelaufen" in _texts(at)
    assert not at.exception


def test_the_hidden_field_and_hostile_text_are_refused(run_page, db):
    at = open_page(run_page, Role.CITIZEN, PAGE)
    at.text_input(key="newsletter_hp").input("http://spam.example")
    at = _fill(at, "spam@example.org")
    assert "automatisiert" in _texts(at)
    at.text_input(key="newsletter_hp").input("")
    for text in CORPUS:
        at = _fill(at, text)
        assert not at.exception, at.exception
        assert "gültige E-Mail-Adresse" in _texts(at)
        assert not at.get("html") or all("__pwned" not in h.proto.body for h in at.get("html"))
    assert db["digest_subscribers"].count == 0 and db["mail_outbox"].count == 0


def test_only_the_office_sees_the_counts(run_page, db):
    citizen = open_page(run_page, Role.CITIZEN, PAGE)
    assert not [e for e in citizen.expander if "Geschäftsstelle" in e.label]
    staff = open_page(run_page, Role.STAFF, PAGE)
    assert not [e for e in staff.expander if "Geschäftsstelle" in e.label]
    office = open_page(run_page, Role.MANAGER, PAGE)
    [box] = [e for e in office.expander if "Geschäftsstelle" in e.label]
    assert "0 bestätigte Abonnements" in box.label


def test_the_page_links_to_the_feeds(run_page):
    at = open_page(run_page, Role.CITIZEN, PAGE)
    [link] = [e for e in at.get("page_link") if "als Feed abonnieren" in e.proto.label]
    assert link.proto.page == "subscribe"  # the news slice's page "Abonnieren"
