"""E-mails of the Bauhof pool, queued in the outbox inside the write transaction that changes
the booking (so a refused change sends nothing): the owner's staff hear of every request, the
requesting person (else their municipality's staff) of approval, refusal, cancellation and an
expired hold. Mails name the item, the span and the municipalities, never a person's address.
"""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from allianz import config
from allianz.accounts import service as accounts
from allianz.auth import Role
from allianz.formatting import BERLIN
from allianz.sharing.model import Booking, Item

POOL_PATH = "/pool"  # the page's address below the app's base URL


def _span(start: datetime, end: datetime) -> str:
    a, b = start.astimezone(BERLIN), end.astimezone(BERLIN)
    if a.date() == b.date():
        return f"{a:%d.%m.%Y} {a:%H:%M}–{b:%H:%M} Uhr"
    return f"{a:%d.%m.%Y %H:%M} Uhr – {b:%d.%m.%Y %H:%M} Uhr"


def municipality_name(ags: str | None) -> str:
    if ags is None:
        return ""
    try:
        found = {m.ags: m.name for m in config.load().municipalities}
    except config.ConfigError:
        return ags
    return found.get(ags, ags)


def _office() -> str:
    try:
        return f"Geschäftsstelle {config.load().name}"
    except config.ConfigError:
        return "Geschäftsstelle"


def keeper_addresses(db: sqlite_utils.Database, item: Item) -> list[str]:
    """Who answers requests for the item: the owner's active staff (else the office); items
    of clubs and of the alliance: the office."""
    if item.holder_kind == "municipality":
        return accounts.contact_addresses(db, item.holder_ags)
    return [
        u["email"]
        for u in accounts.list_users(db)
        if u["role"] == Role.MANAGER.value and u["active"] and u["email"]
    ]


def requester_addresses(db: sqlite_utils.Database, booking: Booking) -> list[str]:
    """The person who asked (when their account is active and has an address), else the
    borrowing municipality's staff."""
    for u in accounts.list_users(db):
        if u["username"] == booking.requested_by and u["active"] and u["email"]:
            return [u["email"]]
    return accounts.contact_addresses(db, booking.borrower_ags)


def _link(base_url: str, item: Item) -> str:
    return f"{base_url.rstrip('/')}{POOL_PATH}?geraet={item.id}" if base_url else ""


def _send(db, addresses: list[str], subject: str, lines: list[str], base_url: str, item) -> int:
    from allianz import mail  # noqa: PLC0415 - the mail slice imports the registry

    link = _link(base_url, item)
    body = "Guten Tag,\n\n" + "\n".join(lines) + "\n"
    if link:
        body += f"\nIm Geräte-Pool: {link}\n"
    body += f"\nMit freundlichen Grüßen\n{_office()}\n"
    for address in dict.fromkeys(addresses):
        mail.queue(db, address, subject, body)
    return len(set(addresses))


def requested(db, booking: Booking, item: Item, base_url: str = "") -> int:
    who = municipality_name(booking.borrower_ags)
    lines = [
        f"{who} fragt „{item.title}“ ({item.ref}) an:",
        f"{_span(booking.starts_at, booking.ends_at)}"
        + (", mit Bedienpersonal" if booking.with_operator else "")
        + ".",
    ]
    if booking.purpose:
        lines.append(f"Zweck: {booking.purpose}")
    if booking.hold_until is not None:
        lines.append(
            "Die Zeit ist reserviert bis "
            f"{booking.hold_until.astimezone(BERLIN):%d.%m.%Y %H:%M} Uhr; bitte bis dahin "
            "zusagen oder ablehnen."
        )
    subject = f"Anfrage {booking.ref}: {item.title} für {who}"
    return _send(db, keeper_addresses(db, item), subject, lines, base_url, item)


def _to_requester(db, booking, item, subject: str, lines: list[str], base_url: str) -> int:
    return _send(db, requester_addresses(db, booking), subject, lines, base_url, item)


def approved(db, booking: Booking, item: Item, base_url: str = "") -> int:
    lines = [
        f"{item.holder_label} hat Ihre Anfrage {booking.ref} zugesagt:",
        f"„{item.title}“, {_span(booking.starts_at, booking.ends_at)}"
        + (", mit Bedienpersonal" if booking.with_operator else "")
        + ".",
    ]
    if item.pickup_place:
        lines.append(f"Abholung: {item.pickup_place}")
    if item.deposit_cents:
        whole, rest = divmod(item.deposit_cents, 100)
        lines.append(f"Kaution: {whole:,}".replace(",", ".") + f",{rest:02d} €")
    subject = f"Zugesagt: {item.title} ({booking.ref})"
    return _to_requester(db, booking, item, subject, lines, base_url)


def declined(db, booking: Booking, item: Item, base_url: str = "") -> int:
    lines = [
        f"{item.holder_label} hat Ihre Anfrage {booking.ref} abgelehnt:",
        f"„{item.title}“, {_span(booking.starts_at, booking.ends_at)}.",
        f"Begründung: {booking.decline_reason}",
    ]
    subject = f"Abgelehnt: {item.title} ({booking.ref})"
    return _to_requester(db, booking, item, subject, lines, base_url)


def cancelled(
    db, booking: Booking, item: Item, by_borrower: bool, canceller: str, base_url: str = ""
) -> int:
    """Cancelled by the borrowing municipality: the owner's staff hear of it; the person who
    asked hears of it unless they cancelled themselves."""
    span = _span(booking.starts_at, booking.ends_at)
    subject = f"Storniert: {item.title} ({booking.ref})"
    borrower = municipality_name(booking.borrower_ags)
    sent = 0
    if by_borrower:
        lines = [
            f"{borrower} hat die Buchung {booking.ref} storniert:",
            f"„{item.title}“, {span}. Die Zeit ist wieder frei.",
        ]
        sent += _send(db, keeper_addresses(db, item), subject, lines, base_url, item)
    if canceller != booking.requested_by:
        who = borrower if by_borrower else item.holder_label
        lines = [f"{who} hat Ihre Buchung {booking.ref} storniert:", f"„{item.title}“, {span}."]
        sent += _to_requester(db, booking, item, subject, lines, base_url)
    return sent


def expired(db, booking: Booking, item: Item, base_url: str = "") -> int:
    lines = [
        f"Ihre Anfrage {booking.ref} für „{item.title}“ "
        f"({_span(booking.starts_at, booking.ends_at)}) ist abgelaufen: {item.holder_label} "
        "hat nicht rechtzeitig zugesagt, die Zeit ist nicht mehr reserviert.",
        "Sie können das Gerät erneut anfragen, solange die Zeit frei ist.",
    ]
    subject = f"Reservierung abgelaufen: {item.title} ({booking.ref})"
    return _to_requester(db, booking, item, subject, lines, base_url)
