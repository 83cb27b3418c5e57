"""Teilkultur: citizens offer things to lend or give away, or say what they are looking for;
the office frees each listing before it is shown. Whoever is interested writes through the app;
neither side sees the other's e-mail address until both have agreed to exchange them. The app
handles no payments.

Citizens have no account: on sending a listing or a request they receive a secret key (shown
once; only its hash is stored) that opens their own view: their listing with the requests, or
their request with its answer and, once both agreed, the other side's address.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace

import sqlite_utils

from allianz import audit, submissions
from allianz.accounts.model import User
from allianz.auth import can
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.sharing import store
from allianz.sharing.model import LISTING_KINDS, ContactRequest, Listing
from allianz.text import EMAIL, clean
from db.connection import write_transaction

TITLE_MAX, TEXT_MAX, PLACE_MAX, EMAIL_MAX = 120, 2000, 120, 254
NO_KEY = "Dieser Schlüssel passt zu keinem Eintrag (mehr)."


def _hash(key: str) -> str:
    return hashlib.sha256(clean(key).encode()).hexdigest()


def _new_key() -> tuple[str, str]:
    key = secrets.token_urlsafe(18)
    return key, _hash(key)


def _one_line(text: str | None, limit: int, label: str, errors: list[str]) -> str:
    value = " ".join(clean(text).split())
    if len(value) > limit:
        errors.append(f"{label}: höchstens {limit} Zeichen.")
    return value


def _email(text: str | None, errors: list[str]) -> str:
    value = clean(text)
    if not value or len(value) > EMAIL_MAX or not EMAIL.match(value):
        errors.append("Bitte eine gültige E-Mail-Adresse angeben (sie bleibt verborgen).")
    return value


@dataclass(frozen=True)
class ListingDraft:
    kind: str
    title: str
    description: str
    place_hint: str
    ags: str | None
    email: str
    consent: bool


@dataclass(frozen=True)
class Created:
    id: int
    key: str  # shown once to the citizen


def offer(
    db: sqlite_utils.Database, alliance: Alliance, draft: ListingDraft, token: str | None = None
) -> Created:
    errors: list[str] = []
    if draft.kind not in LISTING_KINDS:
        errors.append("Bitte wählen: verleihen, verschenken oder suchen.")
    title = _one_line(draft.title, TITLE_MAX, "Was", errors)
    if not title:
        errors.append("Bitte angeben, um welchen Gegenstand es geht.")
    description = clean(draft.description).replace("\r\n", "\n")
    if len(description) > TEXT_MAX:
        errors.append(f"Beschreibung: höchstens {TEXT_MAX} Zeichen.")
    place = _one_line(draft.place_hint, PLACE_MAX, "Ortsteil", errors)
    if draft.ags is not None and draft.ags not in {m.ags for m in alliance.municipalities}:
        errors.append("Bitte eine Gemeinde der Allianz wählen.")
    email = _email(draft.email, errors)
    if not draft.consent:
        errors.append(
            "Bitte der Speicherung Ihrer E-Mail-Adresse zustimmen (sie wird nur "
            "weitergegeben, wenn Sie es erlauben)."
        )
    if errors:
        raise ValidationError(errors)
    key, key_hash = _new_key()
    now = audit.now_iso()
    with write_transaction(db):
        submissions.claim(db, token, "teil.offer")
        listing_id = store.insert_listing(
            db,
            {
                "kind": draft.kind,
                "title": title,
                "description": description,
                "place_hint": place,
                "ags": draft.ags,
                "state": "pending",
                "offerer_email": email,
                "key_hash": key_hash,
                "created_at": now,
                "updated_at": now,
            },
        )
        audit.record(
            db,
            audit.Actor("buerger", "citizen"),
            "teil.offer",
            "teil_listing",
            str(listing_id),
            municipality_ags=draft.ags,
        )
        submissions.settle(db, token, str(listing_id))
    return Created(listing_id, key)


def published(db: sqlite_utils.Database) -> list[Listing]:
    return store.listings(db, ("published",))


def get_published(db: sqlite_utils.Database, listing_id: int) -> Listing:
    found = store.listing(db, listing_id)
    if found is None or found.state != "published":
        raise NotFound("Diesen Eintrag gibt es nicht (mehr).")
    return found


def _require_office(user: User) -> None:
    if not can(user.role, "sharing.moderate"):
        raise PermissionDenied("Einträge der Teilkultur gibt die Geschäftsstelle frei.")


def pending(db: sqlite_utils.Database, user: User) -> list[Listing]:
    _require_office(user)
    return store.listings(db, ("pending",))


def moderate(
    db: sqlite_utils.Database, user: User, listing_id: int, approve: bool, reason: str = ""
) -> Listing:
    _require_office(user)
    errors: list[str] = []
    reason = _one_line(reason, 500, "Begründung", errors)
    if not approve and not reason:
        errors.append("Bitte einen Grund nennen (die Person sieht ihn mit ihrem Schlüssel).")
    if errors:
        raise ValidationError(errors)
    with write_transaction(db):
        found = store.listing(db, listing_id)
        if found is None:
            raise NotFound("Diesen Eintrag gibt es nicht (mehr).")
        if found.state != "pending":
            raise Conflict(f"Dieser Eintrag ist schon {found.state_label}.")
        store.update_listing(
            db,
            listing_id,
            {
                "state": "published" if approve else "rejected",
                "reject_reason": reason,
                "moderated_by": user.username,
                "moderated_at": audit.now_iso(),
                "updated_at": audit.now_iso(),
            },
        )
        audit.record(
            db,
            user.actor,
            "teil.approve" if approve else "teil.reject",
            "teil_listing",
            str(listing_id),
            reason=reason or None,
        )
    return store.listing(db, listing_id)


def request(
    db: sqlite_utils.Database,
    listing_id: int,
    email: str,
    note: str,
    share_contact: bool,
    token: str | None = None,
) -> Created:
    """Ask for a published listing; `share_contact`: the requester agrees already that the
    addresses are exchanged once the offerer agrees too."""
    errors: list[str] = []
    address = _email(email, errors)
    note = clean(note).replace("\r\n", "\n")
    if not note:
        errors.append("Bitte eine kurze Nachricht schreiben (ohne Ihre E-Mail-Adresse).")
    if len(note) > TEXT_MAX:
        errors.append(f"Nachricht: höchstens {TEXT_MAX} Zeichen.")
    if errors:
        raise ValidationError(errors)
    key, key_hash = _new_key()
    now = audit.now_iso()
    with write_transaction(db):
        get_published(db, listing_id)
        submissions.claim(db, token, "teil.request")
        request_id = store.insert_request(
            db,
            {
                "listing_id": listing_id,
                "requester_email": address,
                "note": note,
                "key_hash": key_hash,
                "requester_agrees": int(bool(share_contact)),
                "created_at": now,
                "updated_at": now,
            },
        )
        audit.record(
            db, audit.Actor("buerger", "citizen"), "teil.request", "teil_request", str(request_id)
        )
        submissions.settle(db, token, str(request_id))
    return Created(request_id, key)


@dataclass(frozen=True)
class OwnListing:
    listing: Listing
    requests: tuple[ContactRequest, ...]


def own_listing(db: sqlite_utils.Database, key: str) -> OwnListing:
    """The offerer's view: the listing (any state) and its requests; a requester's address
    only for requests where both sides agreed."""
    found = store.listing_by_key(db, _hash(key))
    if found is None:
        raise NotFound(NO_KEY)
    shown = []
    for item in store.requests_of(db, found.id):
        address = store.request_email(db, item.id) if item.agreed else None
        shown.append(replace(item, other_email=address))
    return OwnListing(found, tuple(shown))


@dataclass(frozen=True)
class OwnRequest:
    request: ContactRequest
    listing: Listing


def own_request(db: sqlite_utils.Database, key: str) -> OwnRequest:
    found = store.request_by_key(db, _hash(key))
    if found is None:
        raise NotFound(NO_KEY)
    listing = store.listing(db, found.listing_id)
    if found.agreed:
        found = replace(found, other_email=store.offerer_email(db, listing.id))
    return OwnRequest(found, listing)


def offerer_answers(db: sqlite_utils.Database, key: str, request_id: int, agree: bool) -> None:
    """The offerer agrees to exchange addresses with one requester, or declines the request."""
    with write_transaction(db):
        mine = own_listing(db, key)
        if request_id not in {r.id for r in mine.requests}:
            raise NotFound("Diese Anfrage gehört nicht zu Ihrem Eintrag.")
        values = {"offerer_agrees": 1} if agree else {"state": "declined", "offerer_agrees": 0}
        store.update_request(db, request_id, {**values, "updated_at": audit.now_iso()})
        audit.record(
            db,
            audit.Actor("buerger", "citizen"),
            "teil.agree" if agree else "teil.decline",
            "teil_request",
            str(request_id),
        )


def requester_agrees(db: sqlite_utils.Database, key: str) -> None:
    with write_transaction(db):
        mine = own_request(db, key)
        store.update_request(
            db, mine.request.id, {"requester_agrees": 1, "updated_at": audit.now_iso()}
        )
        audit.record(
            db,
            audit.Actor("buerger", "citizen"),
            "teil.agree",
            "teil_request",
            str(mine.request.id),
        )


def close(db: sqlite_utils.Database, key: str) -> None:
    """The offerer ends the listing (lent, given away, found)."""
    with write_transaction(db):
        mine = own_listing(db, key)
        if mine.listing.state == "closed":
            raise Conflict("Dieser Eintrag ist schon erledigt.")
        store.update_listing(
            db, mine.listing.id, {"state": "closed", "updated_at": audit.now_iso()}
        )
        audit.record(
            db,
            audit.Actor("buerger", "citizen"),
            "teil.close",
            "teil_listing",
            str(mine.listing.id),
        )
