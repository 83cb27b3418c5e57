"""The rules of the e-mail digest ("Newsletter"): subscribing with double opt-in, the
confirmation, the one-click unsubscribe, and the weekly run that builds one German mail per
confirmed subscriber from what the news, events and jobs slices' services list.

- Subscribing never tells whether an address is known: the page says the same for a new
  address, a pending one and a confirmed one. A new or changed choice takes effect only when
  the link in the confirmation mail is opened within CONFIRM_HOURS; the same address never
  gets a second subscription (one row per address, a new request replaces the pending one).
  Spam protection as for the suggestions: a hidden field, a minimum time to fill in, a limit
  per visitor (`allianz.limits`), a form token against double clicks.
- Only the hash of a confirmation token is stored. The unsubscribe token is stored as it is:
  every weekly mail carries it, in the body and in `List-Unsubscribe` (RFC 8058 one-click).
- The weekly run (`allianz digest send`, by cron) is idempotent per ISO week: each subscriber
  is marked with the week in the same transaction that queues the mail, so a second run in
  the same week sends nothing. A digest lists the news that appeared since the subscriber's
  last digest (at most WINDOW_MAX_DAYS), the events of the next EVENT_DAYS days and the job
  postings opened since the last digest; a subscriber with nothing of it gets no mail.
"""

from __future__ import annotations

import hashlib
import html
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import sqlite_utils

from allianz import auth, clock, limits, mail, submissions, visitors
from allianz.accounts.model import User
from allianz.config import Alliance
from allianz.digest import store
from allianz.digest.model import (
    CONFIRM_HOURS,
    CONFIRM_KEY,
    EMAIL_MAX,
    EVENT_DAYS,
    EVENTS,
    JOBS,
    NEWS,
    PART_LABELS,
    UNSUBSCRIBE_KEY,
    WINDOW_MAX_DAYS,
    Choice,
    Digest,
    Run,
    Subscriber,
)
from allianz.errors import NotFound, PermissionDenied, ValidationError
from allianz.formatting import BERLIN
from allianz.text import EMAIL, clean
from db.connection import write_transaction

PAGE_PATH = "/newsletter"  # allianz/digest/pages/newsletter.py as the browser sees it
ONE_CLICK_PATH = "/newsletter-abmelden"  # the RFC 8058 POST target (allianz/digest/routes.py)
MIN_FILL_SECONDS = 3
SUBSCRIBE_LIMIT = limits.Limit(
    "digest.subscribe",
    5,
    60 * 60,
    "Sie haben in kurzer Zeit viele Anmeldungen geschickt. Bitte versuchen Sie es {wann} erneut.",
)


# Against mail bombing a stranger's address: at most this many confirmation mails per
# address and day, whoever asks (counted under a salted hash, like every limit).
ADDRESS_LIMIT = limits.Limit(
    "digest.address",
    3,
    24 * 60 * 60,
    "Für diese E-Mail-Adresse wurden heute schon mehrere Bestätigungen verschickt. Bitte "
    "nutzen Sie den Link in einer davon oder versuchen Sie es {wann} erneut.",
)


class DigestError(ValidationError):
    """A refused subscription; German message(s)."""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def iso_week(moment: datetime) -> str:
    """The ISO week of a moment in Germany: "2026-W49"."""
    year, week, _ = moment.astimezone(BERLIN).isocalendar()
    return f"{year}-W{week:02d}"


# --- subscribing ------------------------------------------------------------------------------


@dataclass
class Request:
    """What the subscription form sends."""

    email: str
    choice: Choice
    consent: bool
    honeypot: str = ""
    started_at: datetime | None = None
    visitor: visitors.Visitor | None = None
    token: str | None = None


def checked_choice(alliance: Alliance, choice: Choice) -> Choice:
    """The choice with known values only; DigestError for unknown ones or no part at all."""
    errors = []
    members = {m.ags for m in alliance.municipalities}
    topics = {h.number for h in alliance.handlungsfelder}
    if set(choice.municipalities) - members:
        errors.append("Bitte nur Gemeinden der Allianz wählen.")
    if set(choice.topics) - topics:
        errors.append("Bitte nur Themen (Handlungsfelder) der Allianz wählen.")
    if not choice.parts:
        errors.append("Bitte mindestens einen Teil wählen: Neuigkeiten, Veranstaltungen, Stellen.")
    elif set(choice.parts) - set(PART_LABELS):
        errors.append("Unbekannter Teil des Newsletters.")
    if errors:
        raise DigestError(errors)
    # all of them is the same as none chosen: new members and topics are then included
    places = () if set(choice.municipalities) == members else tuple(sorted(choice.municipalities))
    themes = () if set(choice.topics) == topics else tuple(sorted(choice.topics))
    parts = tuple(p for p in PART_LABELS if p in choice.parts)
    return Choice(places, themes, parts)


def address(text: str) -> str:
    """The address as stored and compared: cleaned, lower case; DigestError if invalid."""
    found = clean(text).lower()
    if not found or len(found) > EMAIL_MAX or not EMAIL.match(found):
        raise DigestError("Bitte eine gültige E-Mail-Adresse angeben.")
    return found


def subscribe(
    db: sqlite_utils.Database,
    alliance: Alliance,
    request: Request,
    base_url: str,
    now: datetime | None = None,
) -> None:
    """Record the request and queue the confirmation mail (or, for an address that is
    already subscribed with this very choice, a short note). Nothing counts before the link
    in the mail is opened."""
    now = now or clock.now()
    if request.honeypot:
        raise DigestError("Die Eingabe wurde als automatisiert erkannt.")
    if (
        request.started_at is not None
        and (now - request.started_at).total_seconds() < MIN_FILL_SECONDS
    ):
        raise DigestError("Bitte nehmen Sie sich einen Moment Zeit für das Formular.")
    errors: list[str] = []
    try:
        email = address(request.email)
    except DigestError as exc:
        errors += exc.errors
        email = ""
    try:
        choice = checked_choice(alliance, request.choice)
    except DigestError as exc:
        errors += exc.errors
    if not request.consent:
        errors.append(
            "Bitte die Einwilligung ankreuzen, dass wir Ihre E-Mail-Adresse für den Newsletter "
            "speichern."
        )
    if errors:
        raise DigestError(errors)
    token = secrets.token_urlsafe(24)
    expires = _iso(now + timedelta(hours=CONFIRM_HOURS))
    with write_transaction(db):
        submissions.claim(db, request.token, "digest.subscribe")
        if request.visitor is not None:
            limits.admit(db, SUBSCRIBE_LIMIT, request.visitor.identities())
        limits.admit(db, ADDRESS_LIMIT, [f"newsletter:{email}"])
        store.expire(db, _iso(now))
        found = store.by_email(db, email)
        pending = {
            "pending_choice": choice.to_json(),
            "confirm_hash": _hash(token),
            "expires_at": expires,
        }
        if found is None:
            store.insert(
                db,
                {"email": email, "unsubscribe_token": secrets.token_urlsafe(24),
                 "requested_at": _iso(now)} | pending,
            )  # fmt: skip
        elif found.confirmed and found.choice == choice:
            _queue_known(db, alliance, found, base_url)
            return
        else:
            store.update(db, found.id, pending | {"requested_at": _iso(now)})
        _queue_confirmation(db, alliance, email, choice, token, base_url, expires)


def _labels(alliance: Alliance, choice: Choice) -> list[str]:
    names = {m.ags: m.name for m in alliance.municipalities}
    titles = {h.number: h.title for h in alliance.handlungsfelder}
    places = ", ".join(names.get(a, a) for a in choice.municipalities) or "alle Gemeinden"
    topics = ", ".join(titles.get(t, str(t)) for t in choice.topics) or "alle Themen"
    parts = ", ".join(PART_LABELS[p] for p in choice.parts)
    return [f"Gemeinden: {places}", f"Themen: {topics}", f"Teile: {parts}"]


def confirm_url(base_url: str, token: str) -> str:
    return f"{base_url}{PAGE_PATH}?{CONFIRM_KEY}={quote(token)}"


def unsubscribe_url(base_url: str, token: str) -> str:
    return f"{base_url}{PAGE_PATH}?{UNSUBSCRIBE_KEY}={quote(token)}"


def one_click_url(base_url: str, token: str) -> str:
    return f"{base_url}{ONE_CLICK_PATH}?token={quote(token)}"


def _office(alliance: Alliance) -> str:
    return f"Geschäftsstelle {alliance.name}"


def _queue_confirmation(db, alliance, email, choice, token, base_url, expires) -> None:
    until = datetime.fromisoformat(expires).astimezone(BERLIN)
    body = (
        "Guten Tag,\n\n"
        f"Sie möchten den wöchentlichen Newsletter der Allianz {alliance.name} erhalten "
        "(oder Ihre Auswahl ändern):\n\n"
        + "\n".join(f"- {line}" for line in _labels(alliance, choice))
        + "\n\nBitte bestätigen Sie das mit diesem Link:\n"
        f"{confirm_url(base_url, token)}\n\n"
        f"Der Link gilt bis {until:%d.%m.%Y, %H:%M} Uhr. Wenn Sie das nicht angefordert haben, "
        "müssen Sie nichts tun: ohne Bestätigung erhalten Sie nichts, und die Anfrage wird "
        "gelöscht.\n\n"
        f"Mit freundlichen Grüßen\n{_office(alliance)}\n"
    )
    mail.queue(db, email, f"Bitte bestätigen: Newsletter {alliance.name}", body)


def _queue_known(db, alliance, subscriber: Subscriber, base_url: str) -> None:
    body = (
        "Guten Tag,\n\n"
        f"diese Adresse erhält den Newsletter der Allianz {alliance.name} bereits mit "
        "derselben Auswahl; es ist nichts weiter zu tun.\n\n"
        "Abmelden können Sie sich jederzeit mit diesem Link:\n"
        f"{unsubscribe_url(base_url, subscriber.unsubscribe_token)}\n\n"
        f"Mit freundlichen Grüßen\n{_office(alliance)}\n"
    )
    mail.queue(db, subscriber.email, f"Newsletter {alliance.name}: schon angemeldet", body)


def confirm(db: sqlite_utils.Database, token: str, now: datetime | None = None) -> Subscriber:
    """Open the confirmation link: the pending choice takes effect. NotFound for an unknown,
    used or expired token (German message)."""
    now = now or clock.now()
    token = (token or "").strip()
    if not token or len(token) > 100:
        raise NotFound("Dieser Bestätigungslink ist ungültig.")
    expire(db, now)  # on its own: the refusal below must not roll it back
    with write_transaction(db):
        found = store.by_confirm_hash(db, _hash(token))
        if found is None or found.pending_choice is None:
            raise NotFound(
                "Dieser Bestätigungslink ist ungültig, schon benutzt oder abgelaufen (er gilt "
                f"{CONFIRM_HOURS} Stunden). Bitte melden Sie sich noch einmal an."
            )
        store.update(
            db,
            found.id,
            {
                "choice": found.pending_choice.to_json(),
                "pending_choice": None,
                "confirm_hash": None,
                "expires_at": None,
                "confirmed_at": found.confirmed_at or _iso(now),
            },
        )
        return store.by_email(db, found.email)


def unsubscribe(db: sqlite_utils.Database, token: str) -> bool:
    """Delete the subscription the token names; False when there is none (any more)."""
    token = (token or "").strip()
    if not token or len(token) > 100:
        return False
    with write_transaction(db):
        found = store.by_unsubscribe(db, token)
        if found is None:
            return False
        store.delete(db, found.id)
    return True


def expire(db: sqlite_utils.Database, now: datetime | None = None) -> int:
    """Delete unconfirmed requests whose time is up; returns how many."""
    with write_transaction(db):
        return store.expire(db, _iso(now or clock.now()))


# --- what a digest holds --------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One entry of a digest: title, a line of facts, the link, and what filters it."""

    title: str
    facts: str
    url: str
    municipality: str | None
    topic: int | None = None
    since: str = ""  # when it appeared (news, jobs): UTC ISO


@dataclass
class Content:
    """What the news, events and jobs services list for this week's run."""

    news: list[Line] = field(default_factory=list)
    events: list[Line] = field(default_factory=list)
    jobs: list[Line] = field(default_factory=list)


def collect(db: sqlite_utils.Database, alliance: Alliance, base_url: str, now: datetime) -> Content:
    """Ask the slices' services (never their tables) for the candidates of the run."""
    from allianz.events import service as events  # noqa: PLC0415 - one-way use
    from allianz.jobs import service as jobs  # noqa: PLC0415
    from allianz.jobs.feeds import page_url  # noqa: PLC0415
    from allianz.news import service as news  # noqa: PLC0415

    earliest = _iso(now - timedelta(days=WINDOW_MAX_DAYS))
    names = {m.ags: m.name for m in alliance.municipalities}
    content = Content()
    for item in news.public_page(db, news.Filters(), 1, now, size=500).items:
        if (item.visible_from or "") < earliest:
            break
        content.news.append(
            Line(item.title, f"{news.place_label(alliance, item.municipality_ags)} · "
                 f"{news.when(item.visible_from)}", news.url(base_url, item),
                 item.municipality_ags, item.handlungsfeld, item.visible_from or "")
        )  # fmt: skip
    until = _iso(now + timedelta(days=EVENT_DAYS))
    for date in events.coming(db, alliance, now, size=500).items:
        if date.starts_at >= until:
            break
        if date.cancelled:
            continue
        if date.event_id is not None:
            link = base_url + events.detail_path(date.event_id)
        else:
            link = f"{base_url}/meetings?sitzung={date.meeting_id}"
        facts = events.when(date.starts_at, date.ends_at, date.all_day)
        if date.venue:
            facts += f" · {date.venue}"
        content.events.append(Line(date.title, facts, link, date.municipality_ags))
    for posting in jobs.open_postings(db, size=500, now=now).postings:
        if posting.created_at < earliest:
            continue
        content.jobs.append(
            Line(posting.title, jobs.summary_line(posting, names),
                 page_url(base_url, posting.id), posting.municipality_ags,
                 since=posting.created_at)
        )  # fmt: skip
    return content


def _since(subscriber: Subscriber, now: datetime) -> str:
    earliest = _iso(now - timedelta(days=WINDOW_MAX_DAYS))
    week_ago = _iso(now - timedelta(days=7))
    return max(subscriber.last_digest_at or week_ago, earliest)


def for_subscriber(content: Content, subscriber: Subscriber, now: datetime) -> dict[str, list]:
    """The lines of the run that this subscriber's choice asks for."""
    choice = subscriber.choice or Choice()
    since = _since(subscriber, now)
    chosen: dict[str, list[Line]] = {}
    if NEWS in choice.parts:
        chosen[NEWS] = [
            n for n in content.news
            if n.since >= since and choice.wants_place(n.municipality)
            and choice.wants_topic(n.topic)
        ]  # fmt: skip
    if EVENTS in choice.parts:
        chosen[EVENTS] = [e for e in content.events if choice.wants_place(e.municipality)]
    if JOBS in choice.parts:
        chosen[JOBS] = [
            j for j in content.jobs if j.since >= since and choice.wants_place(j.municipality)
        ]
    return chosen


def build(
    alliance: Alliance,
    subscriber: Subscriber,
    chosen: dict[str, list[Line]],
    base_url: str,
    now: datetime,
) -> Digest | None:
    """The German mail for one subscriber (plain text and HTML, with the one-click
    unsubscribe headers), or None when it would list nothing."""
    if not any(chosen.values()):
        return None
    day = now.astimezone(BERLIN)
    subject = f"Newsletter {alliance.name}: Woche {day.isocalendar()[1]}, {day:%d.%m.%Y}"
    leave = unsubscribe_url(base_url, subscriber.unsubscribe_token)
    headings = {
        NEWS: "Neue Meldungen",
        EVENTS: f"Veranstaltungen der nächsten {EVENT_DAYS} Tage",
        JOBS: "Neue Stellenangebote",
    }
    text = [f"Guten Tag,\n\nhier ist Ihr wöchentlicher Überblick aus der Allianz {alliance.name}."]
    body = [
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head><body>",
        "<p>Guten Tag,</p>",
        f"<p>hier ist Ihr wöchentlicher Überblick aus der Allianz {html.escape(alliance.name)}."
        "</p>",
    ]
    for part, lines in chosen.items():
        if not lines:
            continue
        text.append(f"\n{headings[part]}\n" + "-" * len(headings[part]))
        body.append(f"<h2>{html.escape(headings[part])}</h2><ul>")
        for line in lines:
            text.append(f"* {line.title}\n  {line.facts}\n  {line.url}")
            body.append(
                f'<li><a href="{html.escape(line.url, quote=True)}">{html.escape(line.title)}'
                f"</a><br>{html.escape(line.facts)}</li>"
            )
        body.append("</ul>")
    text.append(
        f"\nMit freundlichen Grüßen\n{_office(alliance)}\n\n--\n"
        f"Sie erhalten diese E-Mail, weil Sie den Newsletter bestellt haben. Abmelden mit "
        f"einem Klick:\n{leave}\n"
    )
    body.append(
        f"<p>Mit freundlichen Grüßen<br>{html.escape(_office(alliance))}</p><hr>"
        "<p>Sie erhalten diese E-Mail, weil Sie den Newsletter bestellt haben. "
        f'<a href="{html.escape(leave, quote=True)}">Mit einem Klick abmelden</a></p>'
        "</body></html>"
    )
    headers = {
        "List-Unsubscribe": f"<{one_click_url(base_url, subscriber.unsubscribe_token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Newsletter {alliance.name} <newsletter.{alliance.slug}.allianz>",
    }
    counts = {part: len(lines) for part, lines in chosen.items()}
    return Digest(subscriber.email, subject, "\n".join(text), "".join(body), headers, counts)


def send_weekly(
    db: sqlite_utils.Database, alliance: Alliance, base_url: str, now: datetime | None = None
) -> Run:
    """This ISO week's digests into the outbox; a second run in the same week sends nothing."""
    now = now or clock.now()
    base_url = base_url.rstrip("/")
    week = iso_week(now)
    stamp = _iso(now)
    with write_transaction(db):
        store.expire(db, stamp)
        store.start_run(db, week, stamp)
    content = collect(db, alliance, base_url, now)
    mails = without = already = 0
    for subscriber in store.confirmed(db):
        if subscriber.last_digest_week == week:
            already += 1
            continue
        built = build(alliance, subscriber, for_subscriber(content, subscriber, now), base_url, now)
        with write_transaction(db):
            current = store.by_email(db, subscriber.email)
            if current is None or current.last_digest_week == week:  # gone, or sent meanwhile
                already += current is not None
                continue
            if built is None:
                without += 1
            else:
                mail.queue(db, built.recipient, built.subject, built.text,
                           html=built.html, headers=built.headers)  # fmt: skip
                mails += 1
            store.update(db, subscriber.id, {"last_digest_at": stamp, "last_digest_week": week})
    with write_transaction(db):
        store.finish_run(db, week, _iso(clock.now()), mails, without)
    return Run(week, mails, without, already)


# --- the office's view and the figures --------------------------------------------------------


def overview(db: sqlite_utils.Database, alliance: Alliance, user: User) -> dict:
    """For the office: confirmed subscribers per member (those choosing all members count
    for each), requests waiting for confirmation, the last runs. No addresses."""
    if not auth.can(user.role, "digest.overview"):
        raise PermissionDenied("Die Zahlen zum Newsletter sieht die Geschäftsstelle.")
    return {
        "per_municipality": confirmed_per_municipality(db, alliance),
        "confirmed": len(store.confirmed(db)),
        "pending": store.pending_count(db),
        "runs": store.runs(db),
    }


def confirmed_per_municipality(db: sqlite_utils.Database, alliance: Alliance) -> dict[str, int]:
    counts = {m.ags: 0 for m in alliance.municipalities}
    for subscriber in store.confirmed(db):
        choice = subscriber.choice or Choice()
        for ags in counts:
            if not choice.municipalities or ags in choice.municipalities:
                counts[ags] += 1
    return counts


def confirmed_count(db: sqlite_utils.Database) -> int:
    return len(store.confirmed(db))


def may_see_overview(user: User) -> bool:
    return auth.can(user.role, "digest.overview")
