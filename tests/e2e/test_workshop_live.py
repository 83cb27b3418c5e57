"""A table host enters cards live; a citizen watching in another browser sees them appear,
the votes from the shared device, and downloads the protocol that contains them."""

from datetime import datetime

import pytest
from playwright.sync_api import expect

from allianz import config
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.workshops import service, store
from db.connection import connect
from tests.e2e.conftest import PASSWORD, login, nav, wait_idle

pytestmark = pytest.mark.e2e
FIRST = "Bürgerbus am Wochenende <script>window.__pwned=1</script>"
SECOND = "Schattige Bänke am Marktplatz"


def _live_workshop(db_path) -> int:
    db = connect(db_path)
    alliance = config.load("partheland")
    manager = User("e2e-manager", "E2E", Role.MANAGER)
    workshop_id = service.create(
        db,
        alliance,
        manager,
        service.WorkshopDraft(
            "Live-Werkstatt E2E",
            datetime(2026, 11, 22, 18),
            "Bürgerhaus",
            tables=service.default_tables(alliance),
            dots_per_person=3,
        ),
    )
    service.set_phase(db, manager, workshop_id, "live")
    db.close()
    return workshop_id


def test_live_cards_votes_and_protocol(browser, app_server):
    workshop_id = _live_workshop(app_server.db_path)
    host = browser.page
    watcher = host.context.browser.new_context(locale="de-DE").new_page()
    watcher.set_default_timeout(30_000)
    dialogs = []
    for page in (host, watcher):
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    watcher.goto(f"{app_server.url}/workshops?workshop={workshop_id}")
    wait_idle(watcher)
    expect(watcher.get_by_role("heading", name="Live-Werkstatt E2E")).to_be_visible()
    expect(watcher.get_by_text("Noch keine Karten an diesem Tisch.").first).to_be_visible()

    login(host, app_server.url, "e2e-host", PASSWORD, "Tom Tisch")
    nav(host, "Tisch moderieren")
    wait_idle(host)
    card = host.get_by_label("Karte", exact=True)
    card.fill(FIRST)
    host.get_by_role("button", name="Karte speichern").click()
    expect(host.get_by_text("Karte gespeichert")).to_be_visible()
    wait_idle(host)
    # The cursor is back in the (emptied) card field: the host types the next card at once.
    expect(card).to_have_value("")
    expect(card).to_be_focused()
    host.keyboard.type(SECOND)
    host.get_by_role("button", name="Karte speichern").click()
    expect(host.get_by_text("Karten an diesem Tisch: 2")).to_be_visible()

    # The watcher's board refreshes itself, without reloading the page.
    expect(watcher.get_by_text("Bürgerbus am Wochenende", exact=False)).to_be_visible(
        timeout=20_000
    )
    expect(watcher.get_by_text(SECOND)).to_be_visible()
    expect(watcher.get_by_text(FIRST)).to_be_visible()  # the tag is shown as text

    host.get_by_role("tab", name="Abstimmungsgerät").click()
    host.get_by_label(SECOND).fill("2")
    host.get_by_label(FIRST).fill("1")
    host.get_by_role("button", name="Stimmen abgeben").click()
    expect(host.get_by_text("Stimmen gezählt")).to_be_visible()

    expect(watcher.get_by_text("2 Punkte · vor Ort")).to_be_visible(timeout=20_000)
    wait_idle(watcher)  # a click while the board refreshes would land on a button being redrawn
    with watcher.expect_download() as download_info:
        watcher.get_by_role("button", name="Protokoll als Markdown").click()
    protocol = download_info.value.path().read_text(encoding="utf-8")
    assert "Schattige Bänke am Marktplatz (2 Punkte)" in protocol
    assert "&lt;script&gt;window\\.\\_\\_pwned\\=1&lt;/script&gt;" in protocol

    db = connect(app_server.db_path)
    cards = store.cards(db, workshop_id)
    db.close()
    assert sorted(c.text for c in cards) == sorted([FIRST, SECOND])
    assert {c.text: c.dots for c in cards} == {FIRST: 1, SECOND: 2}
    assert watcher.evaluate("() => window.__pwned") is None
    assert host.evaluate("() => window.__pwned") is None
    assert dialogs == []
    watcher.context.close()


def test_quick_consecutive_protocol_downloads_all_arrive(browser, app_server):
    workshop_id = _live_workshop(app_server.db_path)
    page = browser.page
    page.goto(f"{app_server.url}/workshops?workshop={workshop_id}")
    wait_idle(page)
    received = []
    for name in ("PDF", "Markdown", "CSV (alle Karten)") * 2:
        with page.expect_download() as download_info:
            page.get_by_role("button", name=f"Protokoll als {name}").click()
        received.append(download_info.value.path().stat().st_size)
    assert len(received) == 6 and all(size > 0 for size in received)
