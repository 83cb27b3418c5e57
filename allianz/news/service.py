"""The rules of the news: who writes for which place, when an item needs the office's review,
the publishing window, the public list and its filters (shared by the page and the feeds), the
photo, and the schema.org `NewsArticle` of an item.

Places: the office writes for a member or for the whole alliance and publishes at once; a
member's staff write only for their own municipality and, when the alliance file says
`[news] review = true` (the default), their items wait for the office's review. Publicly an
item shows its publisher (the municipality, or the office for its own items), never the
account that wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import sqlite_utils

from allianz import audit, auth, config, images, submissions
from allianz.accounts.model import User
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.formatting import BERLIN
from allianz.news import store
from allianz.news.model import (
    BODY_MAX,
    DETAIL_KEY,
    NOTE_MAX,
    PAGE_SIZE,
    TEASER_MAX,
    TITLE_MAX,
    WHOLE_ALLIANCE,
    Draft,
    NewsItem,
    Page,
    State,
)
from allianz.rich_text import to_plain
from allianz.text import clean
from db.connection import write_transaction

PUBLIC_PATH = "/news"  # the public page (allianz/news/pages/news.py) as the browser sees it
IMAGE_PATH = "/bilder/neuigkeiten/{id}.jpg"
DESCRIPTION_MAX = 300


class NewsError(ValidationError):
    """Refused input of a news item; German message(s)."""


class FilterError(ValidationError):
    """A list or feed filter the alliance does not know; the message is German."""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=BERLIN)


# --- configuration and labels ---------------------------------------------------------------


def review_required(alliance: Alliance) -> bool:
    """`[news] review` of the alliance file: whether the members' items wait for the office
    (default: yes). The office's own items never wait."""
    value = config.section(alliance, "news").get("review", True)
    if not isinstance(value, bool):
        raise config.ConfigError(
            f"{alliance.source_path.name}: [news] review muss true oder false sein."
        )
    return value


def topics(alliance: Alliance) -> dict[int, str]:
    """The alliance's Handlungsfelder: number -> title."""
    return {h.number: h.title for h in alliance.handlungsfelder}


def publisher(alliance: Alliance, item: NewsItem) -> str:
    """Who the public sees as the item's source: the member, or the alliance's office."""
    if item.by_office or item.municipality_ags is None:
        return f"Geschäftsstelle {alliance.name}"
    try:
        return alliance.municipality(item.municipality_ags).name
    except KeyError:
        return alliance.name


def place_label(alliance: Alliance, ags: str | None) -> str:
    if ags is None:
        return "ganze Allianz"
    try:
        return alliance.municipality(ags).name
    except KeyError:
        return ags


def description(item: NewsItem) -> str:
    """The teaser, or the start of the text (for the list, the feeds and search engines)."""
    return item.teaser or to_plain(item.body, DESCRIPTION_MAX) or item.title


def is_public(item: NewsItem, now: datetime | None = None) -> bool:
    moment = _iso(now or _now())
    return (
        item.state is State.PUBLISHED
        and item.visible_from is not None
        and item.visible_from <= moment
        and (item.publish_until is None or item.publish_until > moment)
    )


# --- who may do what ------------------------------------------------------------------------


def is_office(user: User) -> bool:
    return auth.can(user.role, "news.review")


def may_write(user: User) -> bool:
    return auth.can(user.role, "news.write")


def may_edit(user: User, item: NewsItem) -> bool:
    """The office edits every item; a member's staff the items of their own municipality
    that the office did not write."""
    if not may_write(user):
        return False
    if is_office(user):
        return True
    return (
        not item.by_office
        and item.municipality_ags is not None
        and item.municipality_ags == user.municipality_ags
    )


def _require_write(user: User) -> None:
    if not may_write(user):
        raise PermissionDenied(
            "Neuigkeiten schreiben die Geschäftsstelle und die Verwaltungen der Gemeinden."
        )


def _require_edit(user: User, item: NewsItem) -> None:
    _require_write(user)
    if not may_edit(user, item):
        raise PermissionDenied(
            "Diese Meldung können nur die Verwaltung ihrer Gemeinde und die Geschäftsstelle "
            "bearbeiten."
        )


def _require_office(user: User) -> None:
    if not is_office(user):
        raise PermissionDenied("Meldungen gibt die Geschäftsstelle frei.")


# --- reading --------------------------------------------------------------------------------


def get(db: sqlite_utils.Database, item_id: int) -> NewsItem:
    found = store.get(db, item_id)
    if found is None:
        raise NotFound("Diese Meldung gibt es nicht.")
    return found


def item_at(
    db: sqlite_utils.Database, user: User, key: str | None, now: datetime | None = None
) -> NewsItem | None:
    """The item a URL key names, as `user` may see it: public ones for everyone, the others
    for those who may edit or review them; None for a key that names none of these."""
    if not key or not key.isdigit() or len(key) > 12:
        return None
    found = store.get(db, int(key))
    if found is None:
        return None
    if is_public(found, now) or may_edit(user, found):
        return found
    return None


@dataclass(frozen=True)
class Filters:
    municipality: str | None = None
    alliance_only: bool = False
    topic: int | None = None


def filters(alliance: Alliance, query: Mapping[str, object]) -> Filters:
    """`gemeinde` (a member's AGS, or `allianz` for the whole alliance's items) and `thema`
    (the number of a Handlungsfeld) of a page address or a feed address. A member's filter
    includes the items of the whole alliance, which concern every member."""
    place = str(query.get("gemeinde") or "").strip()
    topic = str(query.get("thema") or "").strip()
    found = Filters()
    if place == WHOLE_ALLIANCE:
        found = Filters(alliance_only=True)
    elif place:
        if place not in {m.ags for m in alliance.municipalities}:
            raise FilterError(
                f"Unbekannte Gemeinde „{place[:20]}“: bitte den Gemeindeschlüssel (AGS) einer "
                f"Mitgliedsgemeinde oder „{WHOLE_ALLIANCE}“ angeben."
            )
        found = Filters(municipality=place)
    if topic:
        numbers = topics(alliance)
        if not topic.isdigit() or int(topic) not in numbers:
            raise FilterError(
                f"Unbekanntes Thema „{topic[:20]}“: bitte die Nummer eines Handlungsfelds "
                f"angeben ({', '.join(str(n) for n in numbers)})."
            )
        found = Filters(found.municipality, found.alliance_only, int(topic))
    return found


def public_page(
    db: sqlite_utils.Database,
    chosen: Filters,
    number: int = 1,
    now: datetime | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of the public list, newest first (page numbers from 1)."""
    moment = _iso(now or _now())
    where = {
        "municipality": chosen.municipality,
        "alliance_only": chosen.alliance_only,
        "topic": chosen.topic,
    }
    total = store.public_count(db, moment, **where)
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    items = store.public(db, moment, limit=size, offset=(number - 1) * size, **where)
    return Page(items, total, number, pages)


def newest(db: sqlite_utils.Database, limit: int = 3, now: datetime | None = None):
    return store.public(db, _iso(now or _now()), limit=limit)


def feed_items(
    db: sqlite_utils.Database, chosen: Filters, limit: int = 50, now: datetime | None = None
) -> list[NewsItem]:
    return public_page(db, chosen, 1, now, size=limit).items


def desk(db: sqlite_utils.Database, user: User, number: int = 1, size: int = 50) -> Page:
    """What the writer's desk lists, last changed first: the office every item, staff their
    municipality's (not the office's items for it); page numbers from 1."""
    _require_write(user)
    if not is_office(user) and not user.municipality_ags:
        return Page([], 0, 1, 1)
    place = None if is_office(user) else user.municipality_ags
    total = store.desk_count(db, place)
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    return Page(store.desk(db, place, limit=size, offset=(number - 1) * size), total, number, pages)


def open_for(db: sqlite_utils.Database, user: User, ags: str) -> list[NewsItem]:
    """For "Meine Gemeinde": the member's items returned by the office and those waiting,
    when `user` writes for that member (the office for every member)."""
    if not may_write(user) or not (is_office(user) or user.municipality_ags == ags):
        return []
    return store.open_for(db, ags)


def review_queue(db: sqlite_utils.Database, user: User) -> list[NewsItem]:
    _require_office(user)
    return store.submitted(db)


def image(
    db: sqlite_utils.Database, user: User, item_id: int, now: datetime | None = None
) -> bytes | None:
    """The photo of an item `user` may see (JPEG without metadata), or None."""
    found = store.get(db, item_id)
    if found is None or not found.has_image:
        return None
    if not (is_public(found, now) or may_edit(user, found)):
        return None
    stored = store.image(db, item_id)
    return stored[0] if stored else None


def image_size(db: sqlite_utils.Database, item_id: int) -> int:
    return store.image_size(db, item_id)


# --- writing --------------------------------------------------------------------------------


def _checked(alliance: Alliance, user: User, draft: Draft, errors: list[str]) -> dict:
    title, teaser, body = clean(draft.title), clean(draft.teaser), clean(draft.body)
    if not 3 <= len(title) <= TITLE_MAX:
        errors.append(f"Der Titel braucht 3 bis {TITLE_MAX} Zeichen.")
    if len(teaser) > TEASER_MAX:
        errors.append(f"Der Vorspann darf höchstens {TEASER_MAX} Zeichen haben.")
    if len(body) > BODY_MAX:
        errors.append(f"Der Text darf höchstens {BODY_MAX:,} Zeichen haben.".replace(",", "."))
    if not body and not teaser:
        errors.append("Bitte einen Vorspann oder einen Text schreiben.")
    place = draft.municipality_ags or None
    if place is not None and place not in {m.ags for m in alliance.municipalities}:
        errors.append("Bitte eine Mitgliedsgemeinde oder „ganze Allianz“ wählen.")
    if draft.handlungsfeld is not None and draft.handlungsfeld not in topics(alliance):
        errors.append("Bitte ein Handlungsfeld der Allianz wählen.")
    starts = _aware(draft.publish_from) if draft.publish_from else None
    ends = _aware(draft.publish_until) if draft.publish_until else None
    if starts and ends and ends <= starts:
        errors.append("„Veröffentlichen bis“ muss nach „Veröffentlichen ab“ liegen.")
    if not is_office(user) and (place is None or place != user.municipality_ags):
        raise PermissionDenied(
            "Sie schreiben Meldungen für Ihre eigene Gemeinde; Meldungen für die ganze Allianz "
            "oder andere Gemeinden schreibt die Geschäftsstelle."
        )
    return {
        "title": title,
        "teaser": teaser,
        "body": body,
        "municipality_ags": place,
        "handlungsfeld": draft.handlungsfeld,
        "publish_from": _iso(starts) if starts else None,
        "publish_until": _iso(ends) if ends else None,
    }


def _photo(draft: Draft, errors: list[str]) -> tuple[bytes, int, int] | None:
    if not draft.image:
        return None
    try:
        return images.sanitize_photo(draft.image)
    except images.PhotoError as exc:
        errors.extend(exc.errors)
        return None


def _publish_values(item_published_at: str | None, publish_from: str, stamp: str) -> dict:
    first = item_published_at or stamp
    return {
        "state": State.PUBLISHED.value,
        "published_at": first,
        "visible_from": max(publish_from, first),
        "review_note": "",
    }


def _state_after_submit(alliance: Alliance, user: User) -> State:
    if is_office(user) or not review_required(alliance):
        return State.PUBLISHED
    return State.SUBMITTED


def create(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    draft: Draft,
    *,
    submit: bool = False,
    token: str | None = None,
    is_demo: bool = False,
    now: datetime | None = None,
) -> NewsItem:
    """A new item: a draft, or (`submit`) published at once or sent for review, as the rule
    says. The token makes a second click land nowhere."""
    _require_write(user)
    errors: list[str] = []
    values = _checked(alliance, user, draft, errors)
    photo = _photo(draft, errors)
    if errors:
        raise NewsError(errors)
    stamp = _iso(now or _now())
    values["publish_from"] = values["publish_from"] or stamp
    row = {
        **values,
        "has_image": 1 if photo else 0,
        "state": State.DRAFT.value,
        "author_id": user.id,
        "author": user.username,
        "by_office": 1 if is_office(user) else 0,
        "is_demo": 1 if is_demo else 0,
        "created_at": stamp,
        "updated_at": stamp,
    }
    target = _state_after_submit(alliance, user) if submit else State.DRAFT
    if target is State.PUBLISHED:
        row |= _publish_values(None, row["publish_from"], stamp)
    else:
        row["state"] = target.value
    with write_transaction(db):
        submissions.claim(db, token, "news.create")
        new_id = store.insert(db, row)
        if photo:
            store.set_image(db, new_id, *photo)
        submissions.settle(db, token, str(new_id))
        audit.record(
            db, user.actor, "news.create", "news", str(new_id),
            municipality_ags=values["municipality_ags"], details={"state": row["state"]},
        )  # fmt: skip
    return get(db, new_id)


def update(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    item_id: int,
    draft: Draft,
    *,
    submit: bool = False,
    now: datetime | None = None,
) -> NewsItem:
    """Change an item. A member's change to a published item goes back to the office's
    review when the rule asks for it (until then the item is not public)."""
    item = get(db, item_id)
    _require_edit(user, item)
    errors: list[str] = []
    values = _checked(alliance, user, draft, errors)
    photo = _photo(draft, errors)
    if errors:
        raise NewsError(errors)
    stamp = _iso(now or _now())
    values["publish_from"] = values["publish_from"] or item.publish_from
    values["updated_at"] = stamp
    if photo:
        values["has_image"] = 1
    elif draft.remove_image:
        values["has_image"] = 0
    if submit or item.state is State.PUBLISHED:
        # sent on, or a published item changed: the office's change stays published, a
        # member's goes (back) to review when the rule asks for it
        target = _state_after_submit(alliance, user)
    else:
        target = item.state  # a draft, a waiting or a withdrawn item stays what it is
    if target is State.PUBLISHED:
        values |= _publish_values(item.published_at, values["publish_from"], stamp)
    else:
        values["state"] = target.value
    with write_transaction(db):
        store.update(db, item_id, values)
        if photo:
            store.set_image(db, item_id, *photo)
        elif draft.remove_image:
            store.remove_image(db, item_id)
        audit.record(
            db, user.actor, "news.update", "news", str(item_id),
            municipality_ags=values["municipality_ags"], details={"state": values["state"]},
        )  # fmt: skip
    return get(db, item_id)


def submit(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    item_id: int,
    now: datetime | None = None,
) -> NewsItem:
    """Send a draft (or a withdrawn item) on: published at once, or to the office's review."""
    item = get(db, item_id)
    _require_edit(user, item)
    if item.state in (State.PUBLISHED, State.SUBMITTED):
        raise Conflict(f"Die Meldung ist schon {item.state_label}.")
    target = _state_after_submit(alliance, user)
    stamp = _iso(now or _now())
    values: dict = {"updated_at": stamp}
    if target is State.PUBLISHED:
        values |= _publish_values(item.published_at, item.publish_from, stamp)
    else:
        values["state"] = target.value
    action = "news.publish" if target is State.PUBLISHED else "news.submit"
    with write_transaction(db):
        store.update(db, item_id, values)
        audit.record(
            db, user.actor, action, "news", str(item_id), municipality_ags=item.municipality_ags
        )
    return get(db, item_id)


def approve(
    db: sqlite_utils.Database, user: User, item_id: int, now: datetime | None = None
) -> NewsItem:
    """The office publishes an item that waits for review."""
    _require_office(user)
    item = get(db, item_id)
    if item.state is not State.SUBMITTED:
        raise Conflict(f"Die Meldung wartet nicht auf Freigabe (sie ist {item.state_label}).")
    stamp = _iso(now or _now())
    values = _publish_values(item.published_at, item.publish_from, stamp)
    with write_transaction(db):
        store.update(db, item_id, values)
        audit.record(
            db, user.actor, "news.approve", "news", str(item_id),
            municipality_ags=item.municipality_ags,
        )  # fmt: skip
    return get(db, item_id)


def send_back(
    db: sqlite_utils.Database, user: User, item_id: int, note: str, now: datetime | None = None
) -> NewsItem:
    """The office returns a waiting item to its writers as a draft, with a note."""
    _require_office(user)
    item = get(db, item_id)
    text = clean(note)
    if not 3 <= len(text) <= NOTE_MAX:
        raise NewsError(f"Bitte kurz begründen, was zu ändern ist (3 bis {NOTE_MAX} Zeichen).")
    if item.state is not State.SUBMITTED:
        raise Conflict(f"Die Meldung wartet nicht auf Freigabe (sie ist {item.state_label}).")
    stamp = _iso(now or _now())
    with write_transaction(db):
        store.update(
            db, item_id, {"state": State.DRAFT.value, "review_note": text, "updated_at": stamp}
        )
        audit.record(
            db, user.actor, "news.return", "news", str(item_id),
            municipality_ags=item.municipality_ags, reason=text,
        )  # fmt: skip
    return get(db, item_id)


def withdraw(
    db: sqlite_utils.Database, user: User, item_id: int, now: datetime | None = None
) -> NewsItem:
    """Take an item off the public list and the feeds (kept, and can be sent again)."""
    item = get(db, item_id)
    _require_edit(user, item)
    if item.state is State.WITHDRAWN:
        raise Conflict("Die Meldung ist schon zurückgezogen.")
    stamp = _iso(now or _now())
    with write_transaction(db):
        store.update(db, item_id, {"state": State.WITHDRAWN.value, "updated_at": stamp})
        audit.record(
            db, user.actor, "news.withdraw", "news", str(item_id),
            municipality_ags=item.municipality_ags,
        )  # fmt: skip
    return get(db, item_id)


# --- schema.org -----------------------------------------------------------------------------


def url(base_url: str, item: NewsItem) -> str:
    return f"{base_url}{PUBLIC_PATH}?{DETAIL_KEY}={item.id}"


def image_url(base_url: str, item: NewsItem) -> str:
    return base_url + IMAGE_PATH.format(id=item.id)


def json_ld(alliance: Alliance, item: NewsItem, base_url: str) -> dict:
    """schema.org `NewsArticle` of a public item (what search engines require and use)."""
    source = {"@type": "Organization", "name": publisher(alliance, item)}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": item.title[:110],
        "description": description(item),
        "datePublished": item.visible_from or item.publish_from,
        "dateModified": item.updated_at,
        "author": source,
        "publisher": source,
        "url": url(base_url, item),
        "mainEntityOfPage": url(base_url, item),
        "inLanguage": "de-DE",
        "isAccessibleForFree": True,
        "contentLocation": {"@type": "Place", "name": place_label(alliance, item.municipality_ags)},
    }
    if item.handlungsfeld is not None:
        data["articleSection"] = topics(alliance).get(item.handlungsfeld, "")
    if item.has_image:
        data["image"] = [image_url(base_url, item)]
    return data


def when(iso: str | None) -> str:
    """04.12.2026, 09:30 Uhr (local time)."""
    if not iso:
        return "–"
    moment = datetime.fromisoformat(iso).astimezone(BERLIN)
    return f"{moment:%d.%m.%Y}, {moment:%H:%M} Uhr"


# --- figures --------------------------------------------------------------------------------


def published_between(
    db: sqlite_utils.Database, since: datetime, until: datetime
) -> list[tuple[str | None, bool]]:
    """(municipality AGS or None, written by the office) of the items that appeared then."""
    return [
        (ags, bool(office)) for ags, office in store.published_between(db, _iso(since), _iso(until))
    ]


def waiting_by_place(db: sqlite_utils.Database) -> dict[str | None, int]:
    return dict(store.waiting_by_place(db))


# --- taken over from a member's website -----------------------------------------------------


def save_imported(
    db: sqlite_utils.Database,
    alliance: Alliance,
    actor: audit.Actor,
    draft: Draft,
    item_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """An entry of a member's own news feed (allianz/feed_import), published at once as the
    member's item (the member's staff chose the feed: no review), or the item an earlier run
    made from it, changed. The usual checks apply; the caller's transaction is joined.
    A withdrawn item stays withdrawn when its entry changes."""
    if not draft.municipality_ags:
        raise NewsError("Übernommene Meldungen gehören zu einer Mitgliedsgemeinde.")
    errors: list[str] = []
    member = User(actor.name, actor.name, auth.Role.STAFF, draft.municipality_ags)
    values = _checked(alliance, member, replace(draft, image=None), errors)
    if errors:
        raise NewsError(errors)
    stamp = _iso(now or _now())
    values["publish_from"] = values["publish_from"] or stamp
    current = store.get(db, item_id) if item_id is not None else None
    with write_transaction(db):
        if current is None:
            row = {
                **values,
                "has_image": 0,
                "author_id": None,
                "author": actor.name,
                "by_office": 0,
                "is_demo": 0,
                "created_at": stamp,
                "updated_at": stamp,
            } | _publish_values(None, values["publish_from"], stamp)
            target = store.insert(db, row)
            action = "news.create"
        else:
            target = current.id
            values["publish_from"] = current.publish_from
            store.update(db, target, values | {"updated_at": stamp})
            action = "news.update"
        audit.record(
            db, actor, action, "news", str(target),
            municipality_ags=values["municipality_ags"], details={"imported": True},
        )  # fmt: skip
    return target
