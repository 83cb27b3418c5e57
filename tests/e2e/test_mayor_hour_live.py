"""Ask the mayor live, in four browsers: two citizens ask (one from the start page's
announcement) and support, the moderator approves one question and holds the other back with
a reason of the code, the mayor answers → both citizens see the answer within 5 s without
reloading; the held-back count and reason show on the public page; the transcript lists the
answer; the presentation screen shows it without the sidebar; no script of a question runs."""

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from allianz import config
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.mayor_hours import service
from allianz.mayor_hours.model import State
from db.connection import connect
from tests.e2e.conftest import PASSWORD, choose, click_button, login, nav, wait_idle

pytestmark = pytest.mark.e2e
MANAGER = User("e2e-manager", "E2E", Role.MANAGER)
HOST = "Bürgermeister Bernd, Borsdorf"
FIRST = "Wann wird der Radweg nach Panitzsch gebaut? <script>window.__pwned=1</script>"
SECOND = "Kaufen Sie Solaranlagen bei Muster & Co.!"
ANSWER = "Der Bau beginnt im März 2027, die Mittel sind bewilligt."
LATE = "Gibt es im Sommer wieder das gemeinsame Ferienprogramm?"


def _live_hour(db_path) -> int:
    """Borsdorf's mayor answers now: began ten minutes ago, ends in fifty."""
    db = connect(db_path)
    draft = service.HourDraft(
        "mayor", "14729060", HOST, date.today() + timedelta(days=1), "18:00", "19:00", "Radwege"
    )
    hour = service.create_hour(db, config.load("partheland"), MANAGER, draft)
    start = datetime.now(UTC) - timedelta(minutes=10)
    db["mayor_hours"].update(
        hour.id,
        {
            "starts_at": start.isoformat(timespec="seconds"),
            "ends_at": (start + timedelta(hours=1)).isoformat(timespec="seconds"),
        },
    )
    db.close()
    return hour.id


def _questions(db_path, hour_id: int) -> dict[str, int]:
    db = connect(db_path)
    try:
        return {q.body: q.id for q in service.moderation_queue(db, MANAGER, hour_id)}
    finally:
        db.close()


def _ask(page, body: str, name: str = "", email: str = "") -> None:
    page.get_by_label("Frage (höchstens 300 Zeichen)").fill(body)
    if name:
        page.get_by_label("Angezeigter Name", exact=False).fill(name)
    if email:
        page.get_by_label("E-Mail für eine Nachricht", exact=False).fill(email)
        page.get_by_text("Ich willige ein", exact=False).click()
    page.get_by_role("button", name="Frage senden").click()
    expect(page.get_by_text("ist eingegangen", exact=False)).to_be_visible()
    wait_idle(page)


def test_live_hour_two_citizens_moderator_and_mayor(browser, app_server):
    hour_id = _live_hour(app_server.db_path)
    moderator = browser.page
    instance = moderator.context.browser
    anna, bert, mayor = (instance.new_context(locale="de-DE").new_page() for _ in range(3))
    for page in (anna, bert, mayor):
        page.set_default_timeout(30_000)
    public = f"{app_server.url}/mayor_hours?sprechstunde={hour_id}"

    # Anna follows the announcement on the start page; Bert has the link.
    anna.goto(app_server.url)
    wait_idle(anna)
    anna.get_by_role("link", name=HOST, exact=False).first.click()
    wait_idle(anna)
    expect(anna.get_by_role("heading", name=f"Sprechstunde: {HOST}")).to_be_visible()
    _ask(anna, FIRST, name="Anna")
    bert.goto(public)
    wait_idle(bert)
    _ask(bert, SECOND, email="bert@example.org")
    asked = _questions(app_server.db_path, hour_id)
    first, second = asked[FIRST], asked[SECOND]

    # The moderator approves the first and holds the second back as advertising.
    login(moderator, app_server.url, "e2e-staff", PASSWORD, "Erika Verwaltung")
    nav(moderator, "Sprechstunden moderieren")
    expect(moderator.get_by_role("heading", name="Sprechstunden moderieren")).to_be_visible()
    wait_idle(moderator)
    moderator.get_by_role("link", name=HOST, exact=False).first.click()
    wait_idle(moderator)
    expect(moderator.get_by_role("heading", name=f"Sprechstunde: {HOST}")).to_be_visible()
    moderator.locator(f".st-key-approve-{first} button").click()
    expect(moderator.get_by_text(f"Frage Nr. {first} ist veröffentlicht.")).to_be_visible()
    wait_idle(moderator)
    choose(moderator, "Grund nach Moderationskodex", "Werb", "Werbung")
    moderator.locator(f".st-key-hold-{second} button").click()
    expect(moderator.get_by_text(f"Frage Nr. {second} ist zurückgehalten.")).to_be_visible()
    wait_idle(moderator)

    # A question that arrives while the moderator's page is open is announced there without
    # a reload; one click brings it into the list.
    _ask(anna, LATE)
    expect(moderator.get_by_text("1 neue Frage(n) eingegangen.")).to_be_visible(timeout=15_000)
    click_button(moderator, "Neue Fragen laden")
    expect(moderator.get_by_text(LATE)).to_be_visible()

    # Both citizens see the approved question appear; Bert supports it, Anna (the same
    # address in this test) is told she has supported it already.
    visible = "Wann wird der Radweg nach Panitzsch gebaut?"
    for page in (anna, bert):
        expect(page.get_by_text(visible, exact=False).first).to_be_visible(timeout=10_000)
    bert.locator(f".st-key-support-{first} button").click()
    expect(bert.get_by_text("Ihre Unterstützung ist gezählt")).to_be_visible()
    wait_idle(bert)
    anna.locator(f".st-key-support-{first} button").click()
    expect(anna.get_by_text("schon unterstützt", exact=False)).to_be_visible()

    # The mayor answers in the live queue.
    login(mayor, app_server.url, "e2e-mayor", PASSWORD, "Bernd Bürgermeister")
    nav(mayor, "Sprechstunden moderieren")
    expect(mayor.get_by_role("heading", name="Sprechstunden moderieren")).to_be_visible()
    wait_idle(mayor)
    mayor.get_by_role("link", name=HOST, exact=False).first.click()
    wait_idle(mayor)
    expect(mayor.get_by_text("1 Unterstützungen", exact=False)).to_be_visible()
    mayor.locator(f".st-key-answer-text-{first} textarea").fill(ANSWER)
    mayor.locator(f".st-key-answer-{first} button").click()
    expect(mayor.get_by_text(f"Frage Nr. {first} ist beantwortet.")).to_be_visible()

    # Both citizens see the answer within 5 s, without reloading.
    for page in (anna, bert):
        expect(page.get_by_text(ANSWER)).to_be_visible(timeout=5_000)
    assert anna.evaluate("window.__pwned") is None and bert.evaluate("window.__pwned") is None

    # The public page counts the held-back question by its reason; the text stays hidden.
    bert.goto(public)
    wait_idle(bert)
    expect(bert.get_by_text("Zurückgehalten nach Grund: Werbung: 1")).to_be_visible()
    expect(bert.get_by_text(SECOND)).to_have_count(0)

    # The transcript lists the answer.
    with bert.expect_download() as download_info:
        bert.get_by_role("button", name="Protokoll als Markdown").click()
    text = download_info.value.path().read_text(encoding="utf-8")
    assert ANSWER in text and visible in text

    # The presentation screen: the current question and answer, no sidebar.
    bert.get_by_role("link", name="Leinwand-Ansicht öffnen").click()
    wait_idle(bert)
    expect(bert.get_by_text(ANSWER)).to_be_visible()
    expect(bert.get_by_test_id("stSidebar")).to_be_hidden()
    assert bert.evaluate("window.__pwned") is None

    db = connect(app_server.db_path)
    try:
        assert service.get_question(db, second).state is State.HELD
        mails = [r for r in db["mail_outbox"].rows if r["recipient"] == "bert@example.org"]
        assert len(mails) == 1 and "Werbung" in mails[0]["body"]
    finally:
        db.close()
