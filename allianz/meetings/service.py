"""Meeting rules: who sees what (non-public never public), the state machine, invitations and
answers, minutes with a comment phase, resolutions that become measure steps, documents,
the office's lists and personal calendar feeds.

The alliance office (role manager, permission `meetings.manage`) runs meetings. A person sees
a meeting's non-public part when they are the office or a participant (invited); everyone
else sees public meetings with their public agenda items and the public minutes once released.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import sqlite_utils

from allianz import audit, geo, submissions, typed_dates
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.auth import ROLE_LABELS, Role, can
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.formatting import BERLIN, de_date
from allianz.measures import service as measures
from allianz.meetings import store, targets
from allianz.meetings.model import (
    ANSWERS,
    INVITEE_KINDS,
    KINDS,
    LINK_KINDS,
    STATES,
    TRANSITIONS,
    Appointment,
    Comment,
    Document,
    Item,
    Meeting,
    Participant,
    PressEntry,
)
from allianz.text import clean
from db.connection import write_transaction

TITLE_MAX, PLACE_MAX, TEXT_MAX, MINUTES_MAX = 200, 300, 4000, 100_000
URL_MAX = 500
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_DURATION = timedelta(days=3)
# An end before the start is read as after midnight only for an evening that runs that late.
OVERNIGHT_MAX = timedelta(hours=8)
# Kinds listed publicly unless the office says otherwise; working groups meet internally.
PUBLIC_BY_DEFAULT = {k: k != "working_group" for k in KINDS}


def _line(text: str | None) -> str:
    """A one-line field (title, place): line breaks become spaces."""
    return " ".join(clean(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"))


# Audit action of each move of the state machine and of each removal from the office's lists.
STATE_ACTIONS = {to: f"meeting.{to}" for to in STATES}
ADD_ACTIONS = {"appointment": "office.appointment", "press": "office.press"}
REMOVE_ACTIONS = {"appointment": "office.appointment.remove", "press": "office.press.remove"}


class MeetingError(ValidationError):
    """A refused input; `errors` are German sentences."""


# --- who may see and do what ------------------------------------------------------------------


def may_manage(user: User) -> bool:
    return can(user.role, "meetings.manage")


def _require_manager(user: User) -> None:
    if not may_manage(user):
        raise PermissionDenied("Sitzungen bereitet die Geschäftsstelle der Allianz vor.")


def sees_internal(db: sqlite_utils.Database, user: User, meeting: Meeting) -> bool:
    """The office and the invited participants see the non-public part."""
    if may_manage(user):
        return True
    return user.id is not None and user.signed_in and store.is_participant(db, meeting.id, user.id)


def _viewable(meeting: Meeting, internal: bool) -> bool:
    return internal or meeting.public


def for_viewer(meeting: Meeting, internal: bool) -> Meeting:
    """What a viewer may see of a meeting: without its non-public items and internal minutes
    unless `internal`; the minutes only once released unless `internal`."""
    if internal:
        return meeting
    released = meeting.state == "released"
    return replace(
        meeting,
        items=tuple(
            i if released else replace(i, result="", resolution="")
            for i in meeting.items
            if i.public
        ),
        minutes=meeting.minutes if released else "",
        minutes_internal="",
        online_url=meeting.online_url,
    )


def get(db: sqlite_utils.Database, user: User, meeting_id: int) -> Meeting:
    """The meeting as this user may see it; NotFound for a meeting they may not see at all
    (the same answer as for one that does not exist)."""
    meeting = store.get(db, meeting_id)
    if meeting is None:
        raise NotFound("Diese Sitzung gibt es nicht (oder sie ist nicht öffentlich).")
    internal = sees_internal(db, user, meeting)
    if not _viewable(meeting, internal):
        raise NotFound("Diese Sitzung gibt es nicht (oder sie ist nicht öffentlich).")
    return with_link_labels(db, user, for_viewer(meeting, internal))


def listing(
    db: sqlite_utils.Database,
    user: User,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    kinds: Iterable[str] = (),
    municipality: str | None = None,
    working_group: str | None = None,
) -> list[Meeting]:
    """The meetings this user may see, earliest first, filtered as a feed or page asks."""
    kinds = set(kinds)
    mine = store.meetings_of(db, user.id) if user.id is not None and user.signed_in else set()
    manager = may_manage(user)
    result = []
    for meeting in store.between(db, _iso(start), _iso(end)):
        internal = manager or meeting.id in mine
        if not _viewable(meeting, internal):
            continue
        if kinds and meeting.kind not in kinds:
            continue
        if municipality and meeting.municipality_ags not in (None, municipality):
            continue
        if working_group and meeting.working_group != working_group:
            continue
        result.append(for_viewer(meeting, internal))
    return result


def public_listing(db: sqlite_utils.Database, **filters) -> list[Meeting]:
    """What a citizen sees (feeds, start page)."""
    from allianz.accounts.model import ANONYMOUS  # noqa: PLC0415 - one constant

    return listing(db, ANONYMOUS, **filters)


def upcoming(db: sqlite_utils.Database, user: User, now: datetime, limit: int = 5) -> list[Meeting]:
    shown = [m for m in listing(db, user, start=now - timedelta(hours=3)) if m.ends_at >= now]
    return shown[:limit]


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


def with_link_labels(db: sqlite_utils.Database, user: User, meeting: Meeting) -> Meeting:
    """Name every linked object as its slice calls it today; links a viewer may not see drop."""
    items = []
    for item in meeting.items:
        links = []
        for link in item.links:
            label = targets.label(db, user, link.kind, link.target)
            if label is not None:
                links.append(replace(link, label=label))
        items.append(replace(item, links=tuple(links)))
    return replace(meeting, items=tuple(items))


def participants(db: sqlite_utils.Database, user: User, meeting_id: int) -> list[Participant]:
    meeting = get(db, user, meeting_id)
    if not sees_internal(db, user, meeting):
        return []
    people = {u["id"]: u for u in accounts.list_users(db)}
    result = []
    for row in store.participants(db, meeting_id):
        person = people.get(row["user_id"])
        if person is None:
            continue
        result.append(
            Participant(
                user_id=row["user_id"],
                display_name=person["display_name"],
                role=person["role"],
                municipality_ags=person["municipality_ags"],
                answer=row["answer"],
                answered_at=row["answered_at"],
                attended=None if row["attended"] is None else bool(row["attended"]),
            )
        )
    return sorted(result, key=lambda p: (p.display_name.lower(), p.user_id))


def my_answer(db: sqlite_utils.Database, user: User, meeting_id: int) -> str | None | bool:
    """False when the user is not invited; else their answer (None while unanswered)."""
    if user.id is None or not user.signed_in:
        return False
    for row in store.participants(db, meeting_id):
        if row["user_id"] == user.id:
            return row["answer"]
    return False


def invitees(db: sqlite_utils.Database, user: User, meeting_id: int) -> list[tuple[str, str]]:
    _require_manager(user)
    return store.invitees(db, meeting_id)


def comments(db: sqlite_utils.Database, user: User, meeting_id: int) -> list[Comment]:
    meeting = get(db, user, meeting_id)
    return store.comments(db, meeting_id) if sees_internal(db, user, meeting) else []


def documents(db: sqlite_utils.Database, user: User, meeting_id: int) -> list[Document]:
    meeting = get(db, user, meeting_id)
    visible = {i.id for i in meeting.items}
    return [d for d in store.documents(db, meeting_id) if d.item_id is None or d.item_id in visible]


def document(db: sqlite_utils.Database, user: User, document_id: int) -> tuple[Document, bytes]:
    for meeting_id in _document_meeting(db, document_id):
        for doc in documents(db, user, meeting_id):
            if doc.id == document_id:
                return doc, store.document_content(db, document_id) or b""
    raise NotFound("Dieses Dokument gibt es nicht (oder es ist nicht öffentlich).")


def _document_meeting(db: sqlite_utils.Database, document_id: int) -> list[int]:
    for meeting_id in store.document_meetings(db, document_id):
        return [meeting_id]
    return []


def resolutions_for(
    db: sqlite_utils.Database, user: User, kind: str, target: str | int
) -> list[tuple[Meeting, Item]]:
    """The agenda items about an object that carry a result, as this user may see them
    (the measures page shows what was decided about a measure, and when)."""
    found = []
    for meeting_id, item_id in store.items_linked_to(db, kind, str(target)):
        try:
            meeting = get(db, user, meeting_id)
        except NotFound:
            continue
        for item in meeting.items:
            if item.id == item_id and (item.resolution or item.result):
                found.append((meeting, item))
    return found


# --- creating and editing ----------------------------------------------------------------------


@dataclass
class MeetingDraft:
    """A meeting as the office's form gives it; day and times are local (Europe/Berlin)."""

    kind: str = ""
    title: str = ""
    day: date | str | None = None
    start_time: time | str | None = None
    end_time: time | str | None = None
    place: str = ""
    lat: float | None = None
    lon: float | None = None
    online_url: str = ""
    organiser: str = ""
    working_group: str = ""
    municipality_ags: str | None = None
    public: bool | None = None
    point: str = ""  # "51.3347, 12.6089": the map point as typed (replaces lat/lon when given)


def _url(value: str, label: str, errors: list[str]) -> str:
    text = clean(value)
    if text and (
        not text.lower().startswith(("https://", "http://"))
        or len(text) > URL_MAX
        or any(c.isspace() for c in text)
    ):
        errors.append(f"{label}: bitte eine Adresse, die mit https:// beginnt.")
    return text


def _checked(alliance: Alliance, draft: MeetingDraft) -> dict:
    errors: list[str] = []
    row = {
        "kind": draft.kind,
        "title": _line(draft.title),
        "place": _line(draft.place),
        "organiser": _line(draft.organiser)[:TITLE_MAX],
        "working_group": _line(draft.working_group)[:TITLE_MAX],
        "online_url": _url(draft.online_url or "", "Online-Link", errors),
        "municipality_ags": draft.municipality_ags or None,
    }
    if row["kind"] not in KINDS:
        errors.append("Bitte die Art der Sitzung wählen.")
    if not 3 <= len(row["title"]) <= TITLE_MAX:
        errors.append(f"Der Titel braucht 3 bis {TITLE_MAX} Zeichen.")
    if len(row["place"]) > PLACE_MAX:
        errors.append(f"Der Ort hat höchstens {PLACE_MAX} Zeichen.")
    if not row["place"] and not row["online_url"]:
        errors.append("Bitte einen Ort oder einen Online-Link angeben.")
    if row["kind"] == "working_group" and not row["working_group"]:
        errors.append("Bitte den Arbeitskreis nennen.")
    if row["kind"] != "working_group":
        row["working_group"] = ""
    if row["municipality_ags"] and row["municipality_ags"] not in {
        m.ags for m in alliance.municipalities
    }:
        errors.append("Die gewählte Gemeinde gehört nicht zur Allianz.")
    day = typed_dates.day(draft.day, errors)
    begin = typed_dates.clock(draft.start_time, "Beginn", errors)
    finish = typed_dates.clock(draft.end_time, "Ende", errors)
    if day and begin and finish:
        starts = datetime.combine(day, begin, BERLIN)
        ends = datetime.combine(day, finish, BERLIN)
        if ends <= starts:
            ends += timedelta(days=1)  # an evening meeting that ends after midnight
            if ends - starts > OVERNIGHT_MAX:
                errors.append("Das Ende liegt vor dem Beginn.")
        if ends - starts > MAX_DURATION:
            errors.append("Eine Sitzung dauert höchstens drei Tage.")
        if not 2000 <= day.year <= 2100:
            errors.append("Das Datum liegt außerhalb von 2000 bis 2100.")
        row["starts_at"], row["ends_at"] = _iso(starts), _iso(ends)
    lat, lon = draft.lat, draft.lon
    if clean(draft.point):
        try:
            lat, lon = geo.parse_coordinates(clean(draft.point))
        except ValueError as exc:
            errors.append(f"Kartenpunkt: {exc}")
            lat = lon = None
    if (lat is None) != (lon is None):
        errors.append("Für den Kartenpunkt bitte Breite und Länge angeben.")
    elif lat is not None and not (47 <= float(lat) <= 56 and 5 <= float(lon) <= 16):
        errors.append("Der Kartenpunkt liegt nicht in Deutschland.")
    row["lat"] = None if lat is None else round(float(lat), 6)
    row["lon"] = None if lon is None else round(float(lon), 6)
    row["public"] = int(
        PUBLIC_BY_DEFAULT.get(draft.kind, True) if draft.public is None else bool(draft.public)
    )
    if errors:
        raise MeetingError(errors)
    return row


def create(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    draft: MeetingDraft,
    token: str | None = None,
    *,
    is_demo: bool = False,
) -> int:
    _require_manager(user)
    row = _checked(alliance, draft)
    stamp = audit.now_iso()
    with write_transaction(db):
        submissions.claim(db, token, "meeting.create")
        meeting_id = store.insert_meeting(
            db,
            {
                **row,
                "state": "planned",
                "is_demo": int(is_demo),
                "created_by": user.username,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        submissions.settle(db, token, str(meeting_id))
        audit.record(db, user.actor, "meeting.create", "meeting", str(meeting_id))
    return meeting_id


def _touch(db: sqlite_utils.Database, meeting_id: int) -> None:
    """A change to the agenda or documents changes the meeting (feeds and OParl `modified`)."""
    store.update_meeting(db, meeting_id, {"updated_at": audit.now_iso()})


def _locked(db: sqlite_utils.Database, meeting_id: int) -> Meeting:
    meeting = store.get(db, meeting_id)
    if meeting is None:
        raise NotFound("Diese Sitzung gibt es nicht.")
    return meeting


def update(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    meeting_id: int,
    draft: MeetingDraft,
    version: int,
) -> bool:
    """Change date, place or title until the meeting is held; False when nothing changed.
    `version` is what the form showed: a change by someone else in between is refused."""
    _require_manager(user)
    row = _checked(alliance, draft)
    with write_transaction(db):
        meeting = _locked(db, meeting_id)
        if meeting.state not in ("planned", "invited"):
            raise Conflict("Eine durchgeführte oder abgesagte Sitzung wird nicht mehr geändert.")
        if meeting.version != version:
            raise Conflict("Die Sitzung wurde inzwischen geändert; bitte die Seite neu laden.")
        current = store.get_row(db, meeting_id)
        changed = sorted(k for k, v in row.items() if current[k] != v)
        if not changed:
            return False
        store.update_meeting(
            db, meeting_id, {**row, "version": version + 1, "updated_at": audit.now_iso()}
        )
        audit.record(
            db,
            user.actor,
            "meeting.update",
            "meeting",
            str(meeting_id),
            details={"fields": changed},
        )
    return True


def transition(
    db: sqlite_utils.Database,
    user: User,
    meeting_id: int,
    to: str,
    *,
    reason: str = "",
    comments_until: date | None = None,
    now: datetime | None = None,
) -> None:
    """Move the meeting one step: held (not before it began), comment phase (with minutes and a
    deadline), released (with minutes), cancelled (with a reason, before it is held)."""
    _require_manager(user)
    now = now or datetime.now(UTC)
    reason = clean(reason)
    with write_transaction(db):
        meeting = _locked(db, meeting_id)
        if to not in STATES or to not in TRANSITIONS[meeting.state]:
            raise Conflict(
                f"Von „{STATES[meeting.state]}“ geht es nicht zu „{STATES.get(to, to)}“."
            )
        values: dict = {"state": to, "updated_at": audit.now_iso(), "version": meeting.version + 1}
        if to == "held" and meeting.starts_at > now:
            raise MeetingError("Eine Sitzung ist erst ab ihrem Beginn durchgeführt.")
        if to == "cancelled":
            if not 3 <= len(reason) <= TEXT_MAX:
                raise MeetingError("Bitte einen Grund für die Absage angeben (3 bis 4000 Zeichen).")
            values["cancel_reason"] = reason
        if to in ("commenting", "released") and not meeting.minutes.strip():
            raise MeetingError("Zuerst das Protokoll schreiben und speichern.")
        if to == "commenting":
            today = now.astimezone(BERLIN).date()
            if comments_until is None or comments_until < today:
                raise MeetingError("Bitte eine Frist für Anmerkungen ab heute angeben.")
            values["comments_until"] = comments_until.isoformat()
        if to == "released":
            values["released_at"] = audit.now_iso()
        store.update_meeting(db, meeting_id, values)
        audit.record(
            db, user.actor, STATE_ACTIONS[to], "meeting", str(meeting_id), reason=reason or None
        )


def cancel(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    meeting_id: int,
    reason: str,
    base_url: str,
) -> int:
    """Cancel with a reason and tell everyone invited (e-mail with the cancelled .ics, which
    calendars use to take the date out); returns the number of mails queued."""
    from allianz import mail  # noqa: PLC0415 - the mail slice imports the registry
    from allianz.meetings import ical  # noqa: PLC0415 - ical imports this module

    with write_transaction(db):
        transition(db, user, meeting_id, "cancelled", reason=reason)
        meeting = _locked(db, meeting_id)
        invited = {row["user_id"] for row in store.participants(db, meeting_id)}
        people = [p for p in accounts.list_users(db) if p["id"] in invited and p["email"]]
        attachment = mail.Attachment(
            f"sitzung-{meeting_id}.ics",
            "text/calendar",
            ical.calendar([meeting], alliance, base_url, method="PUBLISH"),
        )
        for person in people:
            mail.queue(
                db,
                person["email"],
                f"Abgesagt: {meeting.title}",
                f"Guten Tag {person['display_name']},\n\n"
                f"die Sitzung „{meeting.title}“ am {when(meeting)} ist abgesagt.\n"
                f"Grund: {meeting.cancel_reason}\n\n"
                f"Mehr: {base_url}/meetings?sitzung={meeting_id}\n\n"
                f"Mit freundlichen Grüßen\nGeschäftsstelle {alliance.name}\n",
                attachment,
            )
    return len(people)


def save_minutes(
    db: sqlite_utils.Database, user: User, meeting_id: int, public_md: str, internal_md: str
) -> bool:
    """The minutes in Markdown: a public part and a non-public part; editable until released."""
    _require_manager(user)
    public_md, internal_md = clean(public_md), clean(internal_md)
    if len(public_md) > MINUTES_MAX or len(internal_md) > MINUTES_MAX:
        raise MeetingError(
            f"Das Protokoll hat höchstens {MINUTES_MAX:,} Zeichen.".replace(",", ".")
        )
    with write_transaction(db):
        meeting = _locked(db, meeting_id)
        if meeting.state not in ("held", "commenting"):
            raise Conflict("Das Protokoll wird nach der Sitzung und bis zur Freigabe geschrieben.")
        if (meeting.minutes, meeting.minutes_internal) == (public_md, internal_md):
            return False
        store.update_meeting(
            db,
            meeting_id,
            {
                "minutes": public_md,
                "minutes_internal": internal_md,
                "updated_at": audit.now_iso(),
                "version": meeting.version + 1,
            },
        )
        audit.record(db, user.actor, "meeting.minutes", "meeting", str(meeting_id))
    return True


def comment(
    db: sqlite_utils.Database,
    user: User,
    meeting_id: int,
    body: str,
    token: str | None = None,
    now: datetime | None = None,
) -> int:
    """A participant's remark on the draft minutes during the comment phase."""
    body = clean(body)
    if not 2 <= len(body) <= TEXT_MAX:
        raise MeetingError(f"Die Anmerkung braucht 2 bis {TEXT_MAX} Zeichen.")
    today = (now or datetime.now(UTC)).astimezone(BERLIN).date().isoformat()
    with write_transaction(db):
        meeting = _locked(db, meeting_id)
        if not sees_internal(db, user, meeting) or not user.signed_in:
            raise PermissionDenied("Anmerkungen zum Protokoll geben die Eingeladenen.")
        if meeting.state != "commenting" or (meeting.comments_until or "") < today:
            raise Conflict("Die Frist für Anmerkungen zu diesem Protokoll ist nicht offen.")
        submissions.claim(db, token, "meeting.comment")
        comment_id = store.insert_comment(
            db,
            {
                "meeting_id": meeting_id,
                "user_id": user.id,
                "author": user.display_name,
                "body": body,
                "created_at": audit.now_iso(),
            },
        )
        audit.record(db, user.actor, "meeting.comment", "meeting", str(meeting_id))
    return comment_id


# --- agenda ----------------------------------------------------------------------------------


def _open_agenda(meeting: Meeting) -> None:
    if meeting.state in ("released", "cancelled"):
        raise Conflict("Die Tagesordnung einer abgeschlossenen Sitzung bleibt, wie sie ist.")


def _item_title(title: str) -> str:
    text = _line(title)
    if not 3 <= len(text) <= TITLE_MAX:
        raise MeetingError(f"Der Tagesordnungspunkt braucht 3 bis {TITLE_MAX} Zeichen.")
    return text


def add_item(
    db: sqlite_utils.Database,
    user: User,
    meeting_id: int,
    title: str,
    public: bool = True,
    token: str | None = None,
) -> int:
    _require_manager(user)
    title = _item_title(title)
    with write_transaction(db):
        _open_agenda(_locked(db, meeting_id))
        submissions.claim(db, token, "meeting.item")
        _touch(db, meeting_id)
        item_id = store.insert_item(
            db,
            {
                "meeting_id": meeting_id,
                "position": store.next_position(db, meeting_id),
                "title": title,
                "public": int(public),
            },
        )
        audit.record(
            db, user.actor, "meeting.item", "meeting", str(meeting_id), details={"item": item_id}
        )
    return item_id


def _item_of(db: sqlite_utils.Database, item_id: int) -> tuple[dict, Meeting]:
    row = store.item(db, item_id)
    if row is None:
        raise NotFound("Diesen Tagesordnungspunkt gibt es nicht.")
    return row, _locked(db, row["meeting_id"])


def edit_item(
    db: sqlite_utils.Database, user: User, item_id: int, title: str, public: bool
) -> None:
    _require_manager(user)
    title = _item_title(title)
    with write_transaction(db):
        _row, meeting = _item_of(db, item_id)
        _open_agenda(meeting)
        store.update_item(db, item_id, {"title": title, "public": int(public)})
        _touch(db, meeting.id)
        audit.record(
            db, user.actor, "meeting.item", "meeting", str(meeting.id), details={"item": item_id}
        )


def remove_item(db: sqlite_utils.Database, user: User, item_id: int) -> None:
    _require_manager(user)
    with write_transaction(db):
        _row, meeting = _item_of(db, item_id)
        if meeting.state not in ("planned", "invited"):
            raise Conflict("Nach der Sitzung bleiben alle Tagesordnungspunkte stehen.")
        store.delete_item(db, item_id)
        store.renumber(db, meeting.id, [i.id for i in meeting.items if i.id != item_id])
        _touch(db, meeting.id)
        audit.record(
            db,
            user.actor,
            "meeting.item.remove",
            "meeting",
            str(meeting.id),
            details={"item": item_id},
        )


def move_item(db: sqlite_utils.Database, user: User, item_id: int, step: int) -> None:
    """One place up (-1) or down (+1); the numbers follow the order."""
    _require_manager(user)
    with write_transaction(db):
        _row, meeting = _item_of(db, item_id)
        _open_agenda(meeting)
        order = [i.id for i in meeting.items]
        index = order.index(item_id)
        other = index + step
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
            store.renumber(db, meeting.id, order)
            _touch(db, meeting.id)


def link_item(db: sqlite_utils.Database, user: User, item_id: int, kind: str, target: str) -> str:
    """Link an agenda item to a measure, suggestion, segment, workshop or vacancy site; the
    target must exist. Returns how the target is called."""
    _require_manager(user)
    if kind not in LINK_KINDS:
        raise MeetingError("Unbekannte Art der Verknüpfung.")
    typed = clean(str(target))
    target = targets.normalise(kind, typed)
    label = targets.label(db, user, kind, target)
    if label is None:
        raise NotFound(f"{LINK_KINDS[kind]} „{typed[:40]}“ gibt es nicht.")
    with write_transaction(db):
        _row, meeting = _item_of(db, item_id)
        _open_agenda(meeting)
        store.add_link(db, item_id, kind, target)
        _touch(db, meeting.id)
        audit.record(
            db,
            user.actor,
            "meeting.link",
            "meeting",
            str(meeting.id),
            details={"item": item_id, "kind": kind, "target": target},
        )
    return label


def unlink_item(
    db: sqlite_utils.Database, user: User, item_id: int, kind: str, target: str
) -> None:
    _require_manager(user)
    with write_transaction(db):
        _row, meeting = _item_of(db, item_id)
        _open_agenda(meeting)
        store.remove_link(db, item_id, kind, target)
        _touch(db, meeting.id)
        audit.record(
            db,
            user.actor,
            "meeting.unlink",
            "meeting",
            str(meeting.id),
            details={"item": item_id, "kind": kind, "target": target},
        )


@dataclass
class StepFromResolution:
    """A next step for a linked measure, created with the resolution."""

    measure_id: int
    text: str
    due_on: date | str | None = None
    responsible: str = ""


def decide(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    item_id: int,
    result: str,
    resolution: str,
    step: StepFromResolution | None = None,
) -> None:
    """Record an item's result and resolution text after the meeting; a step for a linked
    measure goes to the measures matrix with the meeting's date in its text."""
    _require_manager(user)
    result, resolution = clean(result)[:TITLE_MAX], clean(resolution)
    if len(resolution) > TEXT_MAX:
        raise MeetingError(f"Der Beschlusstext hat höchstens {TEXT_MAX} Zeichen.")
    with write_transaction(db):
        row, meeting = _item_of(db, item_id)
        if meeting.state not in ("held", "commenting"):
            raise Conflict("Ergebnisse und Beschlüsse werden nach der Sitzung eingetragen.")
        decided = meeting.starts_at.astimezone(BERLIN).date().isoformat()
        store.update_item(
            db,
            item_id,
            {
                "result": result,
                "resolution": resolution,
                "decided_at": decided if (result or resolution) else None,
            },
        )
        _touch(db, meeting.id)
        if step is not None:
            links = {(k, t) for k, t in store.item_links(db, item_id)}
            if ("measure", str(step.measure_id)) not in links:
                raise MeetingError("Ein Schritt entsteht nur für eine verknüpfte Maßnahme.")
            measures.add_step(
                db,
                alliance,
                user,
                step.measure_id,
                measures.StepDraft(
                    text=f"{clean(step.text)} (Beschluss {meeting.kind_label} vom "
                    f"{de_date(decided)}, TOP {row['position']})",
                    due_on=step.due_on,
                    responsible=step.responsible,
                ),
            )
        audit.record(
            db, user.actor, "meeting.decide", "meeting", str(meeting.id), details={"item": item_id}
        )


# --- invitations and answers -------------------------------------------------------------------


def set_invitees(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    meeting_id: int,
    chosen: Iterable[tuple[str, str]],
) -> None:
    """Who is invited: roles, member municipalities (their staff and mayor) and named accounts."""
    _require_manager(user)
    chosen = sorted(set(chosen))
    members = {m.ags for m in alliance.municipalities}
    accounts_by_id = {str(u["id"]) for u in accounts.list_users(db)}
    for kind, value in chosen:
        valid = {
            "role": {r.value for r in Role if r is not Role.CITIZEN},
            "municipality": members,
            "user": accounts_by_id,
        }.get(kind)
        if valid is None or value not in valid:
            raise MeetingError(f"Unbekannte Einladung: {INVITEE_KINDS.get(kind, kind)} „{value}“.")
    with write_transaction(db):
        meeting = _locked(db, meeting_id)
        if meeting.state not in ("planned", "invited"):
            raise Conflict("Zu einer durchgeführten oder abgesagten Sitzung lädt niemand mehr ein.")
        store.replace_invitees(db, meeting_id, chosen)
        audit.record(db, user.actor, "meeting.invitees", "meeting", str(meeting_id))


def invitee_label(kind: str, value: str, alliance: Alliance, people: dict[str, str]) -> str:
    if kind == "role":
        return ROLE_LABELS.get(Role(value), value)
    if kind == "municipality":
        names = {m.ags: m.name for m in alliance.municipalities}
        return f"Gemeinde {names.get(value, value)}"
    return people.get(value, f"Konto {value}")


def _resolve(invited: list[tuple[str, str]], people: list[dict]) -> list[dict]:
    roles = {v for k, v in invited if k == "role"}
    places = {v for k, v in invited if k == "municipality"}
    named = {v for k, v in invited if k == "user"}
    return [
        p
        for p in people
        if p["active"]
        and p["role"] != Role.CITIZEN.value
        and (
            p["role"] in roles
            or str(p["id"]) in named
            or (p["municipality_ags"] in places and p["role"] in ("staff", "mayor"))
        )
    ]


@dataclass(frozen=True)
class Invited:
    new: int  # accounts invited now (they get an e-mail when they have an address)
    mailed: int
    without_address: int


def send_invitations(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    meeting_id: int,
    base_url: str,
    *,
    notify: bool = True,
) -> Invited:
    """Invite everyone the invitation list names and who is not invited yet: German e-mail with
    the agenda, a link and the .ics file. Sending again reaches only people added since."""
    from allianz import mail  # noqa: PLC0415 - the mail slice imports the registry
    from allianz.meetings import ical  # noqa: PLC0415 - ical imports this module

    _require_manager(user)
    with write_transaction(db):
        meeting = _locked(db, meeting_id)
        if meeting.state not in ("planned", "invited"):
            raise Conflict("Zu einer durchgeführten oder abgesagten Sitzung lädt niemand mehr ein.")
        invited = store.invitees(db, meeting_id)
        if not invited:
            raise MeetingError("Bitte zuerst festlegen, wer eingeladen wird.")
        already = {row["user_id"] for row in store.participants(db, meeting_id)}
        new = [p for p in _resolve(invited, accounts.list_users(db)) if p["id"] not in already]
        store.add_participants(db, meeting_id, [p["id"] for p in new])
        link = f"{base_url}/meetings?sitzung={meeting_id}"
        attachment = mail.Attachment(
            f"sitzung-{meeting_id}.ics",
            "text/calendar",
            ical.calendar([meeting], alliance, base_url, method="PUBLISH"),
        )
        mailed = 0
        for person in new:
            if person["email"] and notify:
                mail.queue(
                    db,
                    person["email"],
                    f"Einladung: {meeting.title}",
                    invitation_text(meeting, person["display_name"], link, alliance),
                    attachment,
                )
                mailed += 1
        store.update_meeting(
            db,
            meeting_id,
            {
                "state": "invited",
                "invited_at": meeting.invited_at or audit.now_iso(),
                "updated_at": audit.now_iso(),
            },
        )
        audit.record(
            db,
            user.actor,
            "meeting.invite",
            "meeting",
            str(meeting_id),
            details={"invited": len(new), "mailed": mailed},
        )
    return Invited(len(new), mailed, len(new) - mailed)


def when(meeting: Meeting) -> str:
    """Fr., 18.05.2026, 18:00–20:30 Uhr (local time)."""
    start, end = meeting.starts_at.astimezone(BERLIN), meeting.ends_at.astimezone(BERLIN)
    weekday = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")[start.weekday()]
    text = f"{weekday}, {start:%d.%m.%Y}, {start:%H:%M}–{end:%H:%M} Uhr"
    return text if start.date() == end.date() else f"{text} (bis {end:%d.%m.%Y})"


def invitation_text(meeting: Meeting, name: str, link: str, alliance: Alliance) -> str:
    agenda = (
        "\n".join(
            f"  TOP {i.position}: {i.title}" + ("" if i.public else " (nichtöffentlich)")
            for i in meeting.items
        )
        or "  (folgt)"
    )
    where = meeting.place or "online"
    online = f"\nOnline: {meeting.online_url}" if meeting.online_url else ""
    return (
        f"Guten Tag {name},\n\n"
        f"die Geschäftsstelle der {alliance.name} lädt Sie ein:\n\n"
        f"{meeting.kind_label}: {meeting.title}\n"
        f"Termin: {when(meeting)}\nOrt: {where}{online}\n\n"
        f"Tagesordnung:\n{agenda}\n\n"
        f"Bitte sagen Sie zu oder ab: {link}\n"
        "Den Termin für Ihren Kalender finden Sie im Anhang (.ics).\n\n"
        f"Mit freundlichen Grüßen\nGeschäftsstelle {alliance.name}\n"
    )


def answer(db: sqlite_utils.Database, user: User, meeting_id: int, reply: str) -> None:
    """Zusage, vielleicht oder Absage of an invited participant, until the meeting is held.
    Answering again replaces the answer."""
    if reply not in ANSWERS:
        raise MeetingError("Bitte zusagen, absagen oder „vielleicht“ wählen.")
    with write_transaction(db):
        meeting = _locked(db, meeting_id)
        if user.id is None or not store.is_participant(db, meeting_id, user.id):
            raise PermissionDenied("Antworten können nur Eingeladene.")
        if meeting.state not in ("planned", "invited"):
            raise Conflict("Diese Sitzung ist schon vorbei oder abgesagt.")
        store.set_answer(db, meeting_id, user.id, reply, audit.now_iso())
        audit.record(
            db, user.actor, "meeting.answer", "meeting", str(meeting_id), details={"answer": reply}
        )


def record_attendance(
    db: sqlite_utils.Database, user: User, meeting_id: int, present: Iterable[int]
) -> int:
    """Who was there, from the invited participants; returns the number present."""
    _require_manager(user)
    present = set(present)
    with write_transaction(db):
        meeting = _locked(db, meeting_id)
        if meeting.state not in ("held", "commenting"):
            raise Conflict("Die Anwesenheit wird für eine durchgeführte Sitzung festgehalten.")
        invited = {row["user_id"] for row in store.participants(db, meeting_id)}
        if not present <= invited:
            raise MeetingError("Anwesend sein können nur Eingeladene.")
        store.set_attendance(db, meeting_id, present)
        audit.record(
            db,
            user.actor,
            "meeting.attendance",
            "meeting",
            str(meeting_id),
            details={"present": len(present)},
        )
    return len(present)


def attendance(db: sqlite_utils.Database, meetings: list[Meeting]) -> dict[int, int]:
    return store.attendance(db, [m.id for m in meetings])


# --- documents --------------------------------------------------------------------------------


def attach(
    db: sqlite_utils.Database,
    user: User,
    meeting_id: int,
    item_id: int | None,
    file_name: str,
    content: bytes,
    token: str | None = None,
) -> int:
    """A PDF for the meeting or one agenda item (size and type checked; nothing else is kept)."""
    _require_manager(user)
    name = clean(file_name).replace("/", "_").replace("\\", "_")[:120] or "dokument.pdf"
    if len(content) > DOCUMENT_MAX_BYTES:
        raise MeetingError("Das Dokument ist größer als 10 MB.")
    if not content.startswith(b"%PDF-"):
        raise MeetingError(
            "Bitte eine PDF-Datei hochladen (andere Dateiarten werden nicht angenommen)."
        )
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    with write_transaction(db):
        meeting = _locked(db, meeting_id)
        if item_id is not None and item_id not in {i.id for i in meeting.items}:
            raise NotFound("Diesen Tagesordnungspunkt gibt es in der Sitzung nicht.")
        digest = hashlib.sha1(content, usedforsecurity=False).hexdigest()
        if any(d.sha1 == digest and d.item_id == item_id for d in store.documents(db, meeting_id)):
            raise Conflict(f"„{name}“ ist hier schon hochgeladen.")
        submissions.claim(db, token, "meeting.document")
        _touch(db, meeting_id)
        document_id = store.insert_document(
            db,
            {
                "meeting_id": meeting_id,
                "item_id": item_id,
                "file_title": name,
                "mime_type": "application/pdf",
                "size": len(content),
                "sha1": digest,
                "content": content,
                "uploaded_by": user.username,
                "uploaded_at": audit.now_iso(),
            },
        )
        audit.record(
            db,
            user.actor,
            "meeting.document",
            "meeting",
            str(meeting_id),
            details={"document": document_id},
        )
    return document_id


def remove_document(db: sqlite_utils.Database, user: User, document_id: int) -> None:
    _require_manager(user)
    with write_transaction(db):
        meetings_of = store.document_meetings(db, document_id)
        if not store.delete_document(db, document_id):
            raise NotFound("Dieses Dokument gibt es nicht.")
        _touch(db, meetings_of[0])
        audit.record(
            db,
            user.actor,
            "meeting.document.remove",
            "meeting",
            str(meetings_of[0]) if meetings_of else None,
        )


# --- the office's lists -----------------------------------------------------------------------


def _short(value: str, label: str, errors: list[str], required: bool = True) -> str:
    text = clean(value)
    if required and len(text) < 2:
        errors.append(f"{label} fehlt.")
    if len(text) > TITLE_MAX:
        errors.append(f"{label}: höchstens {TITLE_MAX} Zeichen.")
    return text


def _add_entry(
    db: sqlite_utils.Database,
    user: User,
    kind: str,
    row: dict,
    errors: list[str],
    token: str | None,
    is_demo: bool,
) -> int:
    """One line of the office's lists (appointment or press), idempotent and audited."""
    if errors:
        raise MeetingError(errors)
    with write_transaction(db):
        submissions.claim(db, token, ADD_ACTIONS[kind])
        row_id = store.insert_entry(
            db,
            kind,
            {**row, "is_demo": int(is_demo), "created_by": user.username,
             "created_at": audit.now_iso()},
        )  # fmt: skip
        audit.record(db, user.actor, ADD_ACTIONS[kind], kind, str(row_id))
    return row_id


def add_appointment(
    db: sqlite_utils.Database,
    user: User,
    on: date | str,
    event: str,
    partner: str,
    topic: str,
    token: str | None = None,
    *,
    is_demo: bool = False,
) -> int:
    """An external appointment of the office ("Austausch und Vernetzung")."""
    _require_manager(user)
    errors: list[str] = []
    row = {
        "on_date": (typed_dates.day(on, errors) or date.min).isoformat(),
        "event": _short(event, "Veranstaltung", errors),
        "partner": _short(partner, "Partner", errors, required=False),
        "topic": _short(topic, "Thema", errors, required=False),
    }
    return _add_entry(db, user, "appointment", row, errors, token, is_demo)


def add_press(
    db: sqlite_utils.Database,
    user: User,
    on: date | str,
    outlet: str,
    topic: str,
    url: str = "",
    token: str | None = None,
    *,
    is_demo: bool = False,
) -> int:
    """A press log entry: date, outlet, topic, link."""
    _require_manager(user)
    errors: list[str] = []
    row = {
        "on_date": (typed_dates.day(on, errors) or date.min).isoformat(),
        "outlet": _short(outlet, "Medium", errors),
        "topic": _short(topic, "Thema", errors),
        "url": _url(url, "Link", errors),
    }
    return _add_entry(db, user, "press", row, errors, token, is_demo)


def remove_office_entry(db: sqlite_utils.Database, user: User, kind: str, row_id: int) -> None:
    _require_manager(user)
    if kind not in REMOVE_ACTIONS:
        raise NotFound("Diesen Eintrag gibt es nicht.")
    with write_transaction(db):
        if not store.delete_entry(db, kind, row_id):
            raise NotFound("Diesen Eintrag gibt es nicht.")
        audit.record(db, user.actor, REMOVE_ACTIONS[kind], kind, str(row_id))


def appointments(
    db: sqlite_utils.Database, user: User, start: date, end: date
) -> list[Appointment]:
    _require_manager(user)
    return store.appointments(db, start.isoformat(), end.isoformat())


def press(db: sqlite_utils.Database, user: User, start: date, end: date) -> list[PressEntry]:
    _require_manager(user)
    return store.press(db, start.isoformat(), end.isoformat())


# --- personal calendar feeds ------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed(db: sqlite_utils.Database, user: User) -> str:
    """A new secret feed address for a signed-in account (the old one stops working)."""
    if not can(user.role, "meetings.feed") or not user.signed_in or user.id is None:
        raise PermissionDenied("Einen persönlichen Kalender gibt es nach der Anmeldung.")
    token = secrets.token_urlsafe(24)
    with write_transaction(db):
        store.replace_feed(db, user.id, _hash(token), audit.now_iso())
        audit.record(db, user.actor, "meeting.feed.new", "user", str(user.id))
    return token


def revoke_feed(db: sqlite_utils.Database, user: User) -> None:
    if user.id is None:
        return
    with write_transaction(db):
        store.replace_feed(db, user.id, None, audit.now_iso())
        audit.record(db, user.actor, "meeting.feed.revoke", "user", str(user.id))


def feed_created(db: sqlite_utils.Database, user: User) -> str | None:
    return store.has_feed(db, user.id) if user.id is not None else None


def feed_user(db: sqlite_utils.Database, token: str) -> User | None:
    """The active account of a personal feed address; None for an unknown, revoked or
    disabled one (its feed then has no data)."""
    if not token or len(token) > 100:
        return None
    user_id = store.feed_owner(db, _hash(token))
    if user_id is None:
        return None
    return accounts.by_id(db, user_id)
