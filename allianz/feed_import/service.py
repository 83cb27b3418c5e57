"""The rules of taking over the members' own feeds: who registers which source, pausing and
deleting, and a run: fetch (allianz.feed_import.fetch), read (allianz.feed_import.parse), and
hand each new or changed entry to the news or events slice's service, all of one source in one
transaction, de-duplicated by the entry's GUID/UID per source.

Imported items are the member's own (published at once: the member's staff chose the feed)
and carry a last line "Übernommen von <Website>" with the link to the original. An entry the
news or events rules refuse (a title too short, a series of 10.000 dates) is left out and named
in the source's note; a feed that cannot be fetched or read stores nothing and the source
shows why, in German.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import sqlite_utils

from allianz import audit, clock, submissions
from allianz.accounts.model import User
from allianz.auth import acts_in, can
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.events import service as events
from allianz.feed_import import fetch, parse, store
from allianz.feed_import.model import (
    SKIPPED_SHOWN,
    URL_MAX,
    Kind,
    RunResult,
    Source,
    SourceDraft,
)
from allianz.formatting import BERLIN, de_datetime
from allianz.municipalities.service import MunicipalityArea
from allianz.news import service as news
from allianz.news.model import BODY_MAX, TEASER_MAX, TITLE_MAX
from allianz.news.model import Draft as NewsDraft
from allianz.text import clean
from db.connection import write_transaction

Fetcher = Callable[[str], fetch.Fetched]


class SourceError(ValidationError):
    """A refused feed source; German message(s)."""


def _stamp(now: datetime | None = None) -> str:
    return (now or clock.now()).astimezone(UTC).isoformat(timespec="seconds")


# --- who may do what ------------------------------------------------------------------------


def may_manage(user: User, ags: str | None) -> bool:
    """Staff for their own municipality, the office for every member."""
    return can(user.role, "feed_import.manage") and bool(ags) and acts_in(user, ags)


def _require(user: User, ags: str | None) -> None:
    if not can(user.role, "feed_import.manage"):
        raise PermissionDenied(
            "Feeds übernehmen die Verwaltungen der Gemeinden und die Geschäftsstelle."
        )
    if not may_manage(user, ags):
        raise PermissionDenied(
            "Sie verwalten die Feeds Ihrer eigenen Gemeinde; die anderer Gemeinden deren "
            "Verwaltung oder die Geschäftsstelle."
        )


def _own(db: sqlite_utils.Database, user: User, source_id: int) -> Source:
    found = store.get(db, source_id)
    if found is None:
        raise NotFound("Diese Feed-Quelle gibt es nicht (mehr).")
    _require(user, found.municipality_ags)
    return found


# --- sources --------------------------------------------------------------------------------


def sources(db: sqlite_utils.Database, user: User) -> list[Source]:
    """The sources `user` manages: the office all, staff their municipality's."""
    if not can(user.role, "feed_import.manage"):
        raise PermissionDenied(
            "Feeds übernehmen die Verwaltungen der Gemeinden und die Geschäftsstelle."
        )
    if acts_in(user, ()):  # acts on objects of no municipality: the office
        return store.listing(db, None)
    if not user.municipality_ags:
        return []
    return store.listing(db, user.municipality_ags)


def get(db: sqlite_utils.Database, user: User, source_id: int) -> Source:
    return _own(db, user, source_id)


def add_source(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    draft: SourceDraft,
    token: str | None = None,
    now: datetime | None = None,
) -> Source:
    """Register a feed address of a member's website; it is fetched at the next run."""
    ags = draft.municipality_ags or None
    if ags is not None and ags not in {m.ags for m in alliance.municipalities}:
        raise SourceError("Bitte eine Mitgliedsgemeinde wählen.")
    _require(user, ags)
    errors: list[str] = []
    try:
        kind = Kind(draft.kind) if draft.kind else None
    except ValueError:
        kind = None
    if kind is None:
        errors.append("Bitte wählen, ob der Feed Neuigkeiten oder Veranstaltungen enthält.")
    url = clean(draft.url)
    website = ""
    if not url:
        errors.append("Bitte die Adresse des Feeds angeben.")
    elif len(url) > URL_MAX:
        errors.append(f"Die Adresse darf höchstens {URL_MAX} Zeichen haben.")
    else:
        try:
            website = fetch.check_url(url)[1]
        except fetch.FetchError as exc:
            errors.extend(exc.errors)
    category = ""
    if kind is Kind.EVENTS:
        known = events.categories(alliance)
        category = draft.category or ""
        if category not in known:
            errors.append("Bitte die Kategorie der übernommenen Veranstaltungen wählen.")
    if errors:
        raise SourceError(errors)
    with write_transaction(db):
        submissions.claim(db, token, "feed_import.add")
        if store.exists(db, ags, url):
            raise Conflict("Diese Adresse ist für die Gemeinde schon eingetragen.")
        new_id = store.insert(
            db,
            {
                "municipality_ags": ags,
                "kind": kind.value,
                "url": url,
                "website": website,
                "category": category,
                "created_at": _stamp(now),
            },
        )
        submissions.settle(db, token, str(new_id))
        audit.record(db, user.actor, "feed_import.add", "feed_source", str(new_id),
                     municipality_ags=ags, details={"url": url})  # fmt: skip
    return store.get(db, new_id)


def set_paused(db: sqlite_utils.Database, user: User, source_id: int, paused: bool) -> Source:
    """A paused source is left out of the runs until it is resumed."""
    found = _own(db, user, source_id)
    if found.paused == paused:
        raise Conflict("Die Quelle ist schon pausiert." if paused else "Die Quelle ist aktiv.")
    with write_transaction(db):
        store.update(db, source_id, {"paused": int(paused)})
        audit.record(db, user.actor, "feed_import.pause" if paused else "feed_import.resume",
                     "feed_source", str(source_id),
                     municipality_ags=found.municipality_ags)  # fmt: skip
    return store.get(db, source_id)


def delete_source(db: sqlite_utils.Database, user: User, source_id: int) -> None:
    """Remove a source; what it brought stays published as the member's news and events."""
    found = _own(db, user, source_id)
    with write_transaction(db):
        store.delete(db, source_id)
        audit.record(db, user.actor, "feed_import.delete", "feed_source", str(source_id),
                     municipality_ags=found.municipality_ags,
                     details={"url": found.url})  # fmt: skip


def imported_count(db: sqlite_utils.Database, source_id: int) -> int:
    return store.count_imported(db, source_id)


# --- entries into drafts ----------------------------------------------------------------------


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def mark(website: str, link: str) -> str:
    """The last line of an imported text (Markdown): where it came from, with the link."""
    safe = quote(link, safe=":/?#[]@!$&'*+,;=%~-._")
    return f"*Übernommen von [{website}]({safe})*"


def _news_draft(source: Source, entry: parse.NewsEntry) -> NewsDraft:
    line = mark(source.website, entry.link or source.url)
    text = _cut(entry.content, BODY_MAX - len(line) - 2) if entry.content else ""
    return NewsDraft(
        title=_cut(entry.title, TITLE_MAX),
        teaser=_cut(entry.summary, TEASER_MAX),
        body=f"{text}\n\n{line}" if text else line,
        municipality_ags=source.municipality_ags,
    )


def _event_draft(alliance: Alliance, source: Source, entry: parse.EventEntry) -> events.EventDraft:
    from allianz.events.model import DESCRIPTION_MAX, ORGANISER_MAX, VENUE_MAX  # noqa: PLC0415

    member = alliance.municipality(source.municipality_ags)
    start, end = parse.span(entry)
    line = mark(source.website, entry.link or source.url)
    text = _cut(entry.description, DESCRIPTION_MAX - len(line) - 2)
    if isinstance(start, datetime):
        times = {
            "day": start.date(),
            "start_time": parse.local_time(start),
            "end_time": parse.local_time(end),
            "end_day": end.date() if end.date() != start.date() else None,
        }
    else:
        last = end - timedelta(days=1)
        times = {"day": start, "end_day": last if last > start else None}
    return events.EventDraft(
        title=_cut(entry.title, 150),
        category=source.category,
        municipality_ags=source.municipality_ags,
        all_day=parse.all_day(entry),
        description=f"{text}\n\n{line}" if text else line,
        venue=_cut(entry.location, VENUE_MAX) or member.name,
        organiser=_cut(entry.organiser, ORGANISER_MAX) or member.name,
        exceptions=", ".join(d.strftime("%d.%m.%Y") for d in entry.exdates),
        rrule=entry.rrule,
        **times,
    )


def _fingerprint(draft) -> str:
    return hashlib.sha256(json.dumps(draft.__dict__, default=str, sort_keys=True).encode()
                          ).hexdigest()  # fmt: skip


def _over(entry: parse.EventEntry, now: datetime) -> bool:
    """A single date that has ended (series are checked by the events' rules)."""
    if entry.rrule:
        return False
    end = parse.span(entry)[1]
    if isinstance(end, datetime):
        return end <= now
    return end <= now.astimezone(BERLIN).date()


# --- a run ----------------------------------------------------------------------------------


def _note(title: str, exc: ValidationError) -> str:
    return f"„{_cut(title, 60) or '(ohne Titel)'}“: {' '.join(exc.errors)}"


def _entries(source: Source, fetched: fetch.Fetched) -> list:
    if source.kind is Kind.NEWS:
        return parse.news_entries(fetched.body, fetched.content_type)
    return parse.event_entries(fetched.body, fetched.content_type)


def run_source(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    source_id: int,
    actor: audit.Actor,
    *,
    allowed: Iterable[str] = (),
    now: datetime | None = None,
) -> RunResult:
    """Fetch one source and take over its entries. The download and the reading happen before
    the write lock is taken; the entries are then saved in one transaction."""
    source = store.get(db, source_id)
    if source is None:
        raise NotFound("Diese Feed-Quelle gibt es nicht (mehr).")
    moment = now or clock.now()
    stamp = _stamp(moment)
    try:
        fetched = fetch.get(source.url, fetch.networks(allowed))
        entries = _entries(source, fetched)
    except ValidationError as exc:
        message = " ".join(exc.errors)
        with write_transaction(db):
            if store.get(db, source_id) is None:
                return RunResult(source_id, error=message)
            store.update(db, source_id, {"last_run_at": stamp, "last_error": message,
                                         "last_created": 0, "last_updated": 0,
                                         "last_skipped": 0})  # fmt: skip
        return RunResult(source_id, error=message)
    created = updated = unchanged = 0
    skipped: list[str] = []
    with write_transaction(db):
        if store.get(db, source_id) is None:  # deleted while the feed was being fetched
            return RunResult(source_id, error="Die Quelle wurde während des Abrufs gelöscht.")
        known = store.imported(db, source_id)
        for entry in entries:
            guid = entry.guid if source.kind is Kind.NEWS else entry.uid
            try:
                if source.kind is Kind.NEWS:
                    draft = _news_draft(source, entry)
                else:
                    if _over(entry, moment):
                        continue
                    draft = _event_draft(alliance, source, entry)
                fingerprint = _fingerprint(draft)
                before = known.get(guid)
                if before is not None and before[1] == fingerprint:
                    unchanged += 1
                    continue
                target = before[0] if before else None
                with write_transaction(db):  # a savepoint: a refused entry leaves no trace
                    if source.kind is Kind.NEWS:
                        made = news.save_imported(db, alliance, actor, draft, target, moment)
                    else:
                        made = events.save_imported(db, alliance, areas, actor, draft, target,
                                                    moment)  # fmt: skip
                    store.remember(db, source_id, guid, made, fingerprint, entry.link, stamp)
                known[guid] = (made, fingerprint)
                if before is None:
                    created += 1
                else:
                    updated += 1
            except ValidationError as exc:
                skipped.append(_note(entry.title, exc))
        note = ""
        if skipped:
            note = (
                f"{len(skipped)} {'Eintrag' if len(skipped) == 1 else 'Einträge'} nicht "
                "übernommen: "
                + " · ".join(skipped[:SKIPPED_SHOWN])
                + (" …" if len(skipped) > SKIPPED_SHOWN else "")
            )
        store.update(
            db,
            source_id,
            {"last_run_at": stamp, "last_success_at": stamp, "last_error": note,
             "last_created": created, "last_updated": updated, "last_skipped": len(skipped)},
        )  # fmt: skip
        if created or updated:
            audit.record(db, actor, "feed_import.run", "feed_source", str(source_id),
                         municipality_ags=source.municipality_ags,
                         details={"created": created, "updated": updated})  # fmt: skip
    return RunResult(source_id, created, updated, unchanged, tuple(skipped))


def run_now(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    user: User,
    source_id: int,
    *,
    allowed: Iterable[str] = (),
) -> RunResult:
    """ "Jetzt abrufen" on the page: the staff of the source's member, or the office."""
    source = _own(db, user, source_id)
    if source.paused:
        raise Conflict("Die Quelle ist pausiert; bitte erst fortsetzen.")
    return run_source(db, alliance, areas, source_id, user.actor, allowed=allowed)


def run_all(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas: list[MunicipalityArea],
    actor: audit.Actor = audit.SYSTEM,
    *,
    allowed: Iterable[str] = (),
) -> list[RunResult]:
    """Every source not paused, one after another (the command for cron)."""
    return [run_source(db, alliance, areas, s.id, actor, allowed=allowed) for s in store.active(db)]


# --- shown to the staff -----------------------------------------------------------------------


def last_run(source: Source) -> str:
    """German line on the last run: when, what came, or why nothing came."""
    if source.last_run_at is None:
        return "noch nicht abgerufen"
    when = de_datetime(source.last_run_at)
    if source.last_success_at != source.last_run_at:
        return f"{when}: fehlgeschlagen"
    parts = [f"{source.last_created} neu", f"{source.last_updated} geändert"]
    if source.last_skipped:
        parts.append(f"{source.last_skipped} nicht übernommen")
    return f"{when}: " + ", ".join(parts)


def failing(db: sqlite_utils.Database, user: User, ags: str) -> list[Source]:
    """For "Meine Gemeinde": the member's active sources whose last run failed, when `user`
    manages that member's feeds."""
    if not may_manage(user, ags):
        return []
    return [
        s
        for s in store.listing(db, ags)
        if not s.paused and s.last_run_at is not None and s.last_success_at != s.last_run_at
    ]
