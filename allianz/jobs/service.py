"""The rules of the job board: who may post for which member, what a posting needs, when it
leaves the list (after the end of its deadline day in Europe/Berlin), the reminder five days
before the deadline (once per deadline), extending and withdrawing, the public list with its
filters and paging, the archive, and the posting as schema.org `JobPosting`.

Every "now" comes from `allianz.clock` (or the `now=` argument), so tests can set the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import sqlite_utils

from allianz import audit, auth, clock, rich_text, submissions, typed_dates
from allianz.accounts import service as accounts
from allianz.accounts.model import User
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.formatting import BERLIN, de_date, de_number
from allianz.jobs import store
from allianz.jobs.model import (
    APPLY_TEXT_MAX,
    CONTACT_MAX,
    DESCRIPTION_MAX,
    FULL_TIME_HOURS,
    KIND_LABELS,
    KIND_SLUGS,
    PAGE_SIZE,
    PAY_GRADES,
    REASON_MAX,
    REMIND_DAYS_BEFORE,
    TITLE_MAX,
    URL_MAX,
    WORKPLACE_MAX,
    Filters,
    Kind,
    Posting,
    State,
)
from allianz.text import EMAIL, clean
from db.connection import write_transaction

POST = "jobs.post"
ANY = Filters()
NEEDS_PAY = (Kind.JOB,)
# A posting may be published for at most a year ahead.
MAX_AHEAD = timedelta(days=366)
_PAY_SPACES = re.compile(r"\s+")
_PAY_FORM = re.compile(r"^(EG|E|S|A)\s*(\d{1,2})\s*([ABCÜ]?)$", re.IGNORECASE)
# the first two digits of an AGS name the Land
LAENDER = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland", "11": "Berlin",
    "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen",
    "15": "Sachsen-Anhalt", "16": "Thüringen",
}  # fmt: skip
# characters XML cannot carry (the feed would fail for everyone): U+FFFE, U+FFFF, surrogates
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")
_PHONE = re.compile(r"^[0-9 +()/\-]{5,30}$")


class JobError(ValidationError):
    """A refused posting or step; one German sentence per problem."""


class FilterError(ValidationError):
    """A filter value of a list or feed address that names nothing (German)."""


# --- time ------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or clock.now()


def _today(now: datetime | None) -> date:
    return clock.local_day(_now(now))


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


# --- input -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostingDraft:
    """A posting as typed into the form (or given by the CLI and the demo)."""

    municipality_ags: str
    title: str
    kind: str
    valid_through: date | str
    description: str
    pay_grade: str = ""
    part_time: bool = False
    hours_per_week: float | str | None = None
    starts_on: date | str | None = None  # None or "": "ab sofort"
    workplace: str = ""
    apply_text: str = ""
    apply_url: str = ""
    apply_email: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    contact_consent: bool = False


def normalise_pay(text: str) -> str:
    """ "e9a", "EG 9 a", "E 9a" -> "E 9a"; "a10" -> "A 10"; the list's spelling otherwise."""
    compact = _PAY_SPACES.sub(" ", clean(text))
    match = _PAY_FORM.match(compact.replace(" ", ""))
    if match:
        group, number, step = match.groups()
        letter = "E" if group.upper() == "EG" else group.upper()
        step = step.upper() if step.upper() == "Ü" else step.lower()
        return f"{letter} {int(number)}{step}"
    for grade in PAY_GRADES:
        if grade.casefold() == compact.casefold():
            return grade
    return compact


def day_or_none(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def _hours(value, errors: list[str]) -> float | None:
    if value is None or value == "":
        return None
    try:
        hours = float(str(value).replace(",", ".").strip())
    except ValueError:
        errors.append(f"Wochenstunden: „{clean(str(value))[:10]}“ ist keine Zahl.")
        return None
    if not 1 <= hours <= FULL_TIME_HOURS + 9:
        errors.append("Wochenstunden: bitte eine Zahl von 1 bis 48 angeben.")
        return None
    return round(hours, 1)


def _url(value: str, errors: list[str]) -> str:
    text = clean(value)
    if not text:
        return ""
    parts = urlsplit(text)
    if (
        len(text) > URL_MAX
        or parts.scheme not in ("https", "http")
        or not parts.netloc
        or any(c.isspace() for c in text)
    ):
        errors.append(
            "Link zur Bewerbung: bitte eine vollständige Adresse mit https:// angeben "
            f"(höchstens {URL_MAX} Zeichen)."
        )
        return ""
    return text


def _mail(value: str, errors: list[str], label: str) -> str:
    text = clean(value)
    if text and (len(text) > CONTACT_MAX or not EMAIL.match(text)):
        errors.append(f"{label}: „{text[:40]}“ ist keine E-Mail-Adresse.")
        return ""
    return text


def _text(value: str, limit: int, label: str, errors: list[str], *, required: bool) -> str:
    text = _NOT_XML.sub("", clean(value))
    if required and not text:
        errors.append(f"{label} fehlt.")
    elif len(text) > limit:
        errors.append(f"{label}: höchstens {limit} Zeichen (jetzt {len(text)}).")
    return text


def _checked(alliance: Alliance, draft: PostingDraft, today: date) -> dict:
    """The table row of a draft, or JobError with every problem at once."""
    errors: list[str] = []
    if draft.municipality_ags not in {m.ags for m in alliance.municipalities}:
        errors.append("Bitte die ausschreibende Mitgliedsgemeinde wählen.")
    title = _text(draft.title, TITLE_MAX, "Titel", errors, required=True)
    try:
        kind = Kind(draft.kind)
    except ValueError:
        errors.append("Bitte die Art wählen (Stelle, Ausbildung, Praktikum, Freiwilligendienst).")
        kind = None
    pay = normalise_pay(draft.pay_grade or "")
    if pay and pay not in PAY_GRADES:
        errors.append(
            f"Entgeltgruppe „{pay[:20]}“ ist unbekannt. Bitte so angeben: „E 9a“ (TVöD), "
            "„S 8a“ (TVöD Sozial- und Erziehungsdienst), „A 10“ (Besoldung), „TVAöD“ oder "
            "„TVPöD“."
        )
    elif not pay and kind in NEEDS_PAY:
        errors.append(
            "Bei einer Stelle bitte die Entgeltgruppe (z. B. „E 9a“) oder Besoldung angeben."
        )
    hours = _hours(draft.hours_per_week, errors)
    if draft.part_time and hours is None and not any(e.startswith("Wochenstunden") for e in errors):
        errors.append("Bei Teilzeit bitte die Wochenstunden angeben.")
    if draft.part_time and hours is not None and hours >= FULL_TIME_HOURS:
        errors.append(f"Teilzeit heißt weniger als {de_number(FULL_TIME_HOURS)} Wochenstunden.")
    starts = None
    if draft.starts_on not in (None, ""):
        starts = typed_dates.day(draft.starts_on, errors, "Beginn")
    deadline = typed_dates.day(draft.valid_through, errors, "Bewerbungsfrist")
    if deadline is not None and deadline < today:
        errors.append("Die Bewerbungsfrist liegt in der Vergangenheit.")
    elif deadline is not None and deadline > today + MAX_AHEAD:
        errors.append("Die Bewerbungsfrist liegt mehr als ein Jahr in der Zukunft.")
    workplace = _text(draft.workplace, WORKPLACE_MAX, "Arbeitsort", errors, required=False)
    description = _text(draft.description, DESCRIPTION_MAX, "Beschreibung", errors, required=True)
    apply_text = _text(
        draft.apply_text, APPLY_TEXT_MAX, "So bewerben Sie sich", errors, required=False
    )
    apply_url = _url(draft.apply_url, errors)
    apply_email = _mail(draft.apply_email, errors, "E-Mail für Bewerbungen")
    if not apply_url and not apply_email and not any("Bewerbung" in e for e in errors):
        errors.append(
            "Bitte einen Link zur Bewerbung oder eine E-Mail-Adresse für Bewerbungen angeben."
        )
    contact_name = _text(draft.contact_name, CONTACT_MAX, "Ansprechperson", errors, required=False)
    contact_phone = clean(draft.contact_phone)
    if contact_phone and not _PHONE.match(contact_phone):
        errors.append("Telefon: bitte nur Ziffern, Leerzeichen und + ( ) / - (5 bis 30 Zeichen).")
    contact_email = _mail(draft.contact_email, errors, "E-Mail der Ansprechperson")
    if contact_name and not draft.contact_consent:
        errors.append(
            "Eine Ansprechperson mit Namen nur mit ihrer Einwilligung: bitte bestätigen oder "
            "eine Funktionsadresse ohne Namen angeben."
        )
    if errors:
        raise JobError(errors)
    return {
        "municipality_ags": draft.municipality_ags,
        "title": title,
        "kind": kind.value,
        "pay_grade": pay,
        "part_time": int(bool(draft.part_time)),
        "hours_per_week": hours,
        "starts_on": starts.isoformat() if starts else None,
        "valid_through": deadline.isoformat(),
        "workplace": workplace,
        "description": description,
        "apply_text": apply_text,
        "apply_url": apply_url,
        "apply_email": apply_email,
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "contact_email": contact_email,
        "contact_consent": int(bool(contact_name and draft.contact_consent)),
    }


# --- who may act -----------------------------------------------------------------------------


def may_post(user: User, ags: str | None = None) -> bool:
    """Staff for their own municipality, the office for every member."""
    return auth.can(user.role, POST) and (ags is None or auth.acts_in(user, ags))


def _require(user: User, ags: str) -> None:
    if not auth.can(user.role, POST):
        raise PermissionDenied(
            "Stellen schreiben die Verwaltungen der Mitglieder und die Geschäftsstelle aus."
        )
    auth.require_municipality(
        user, ags, "Sie können nur Stellen Ihrer eigenen Gemeinde ausschreiben und bearbeiten."
    )


def _get(db: sqlite_utils.Database, posting_id: int) -> Posting:
    found = store.get(db, posting_id)
    if found is None:
        raise NotFound("Diese Stellenanzeige gibt es nicht.")
    return found


# --- writing ---------------------------------------------------------------------------------


def create(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    draft: PostingDraft,
    *,
    token: str | None = None,
    now: datetime | None = None,
) -> int:
    """Publish a posting at once; returns its number (its key in the address)."""
    _require(user, draft.municipality_ags)
    moment = _now(now)
    row = _checked(alliance, draft, clock.local_day(moment))
    stamp = _iso(moment)
    with write_transaction(db):
        submissions.claim(db, token, "jobs.create")
        posting_id = store.insert(
            db,
            row
            | {
                "state": State.OPEN.value,
                "created_by": user.username,
                "created_by_id": user.id,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        submissions.settle(db, token, str(posting_id))
        audit.record(
            db, user.actor, "job.create", "job_posting", str(posting_id),
            municipality_ags=row["municipality_ags"],
            details={"valid_through": row["valid_through"], "kind": row["kind"]},
        )  # fmt: skip
    return posting_id


def update(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    posting_id: int,
    draft: PostingDraft,
    *,
    now: datetime | None = None,
) -> None:
    """Change a posting that is not withdrawn; a new deadline counts as an extension (and
    the reminder is due again before it)."""
    posting = _get(db, posting_id)
    _require(user, posting.municipality_ags)
    _require(user, draft.municipality_ags)
    if posting.state is State.WITHDRAWN:
        raise Conflict("Eine zurückgezogene Anzeige kann nicht mehr geändert werden.")
    moment = _now(now)
    row = _checked(alliance, draft, clock.local_day(moment))
    if row["valid_through"] != posting.valid_through:
        row["reminded_at"] = None
    with write_transaction(db):
        store.update(db, posting_id, row | {"updated_at": _iso(moment)})
        audit.record(
            db, user.actor, "job.update", "job_posting", str(posting_id),
            municipality_ags=row["municipality_ags"],
            details={"valid_through": row["valid_through"]},
        )  # fmt: skip


def extend(
    db: sqlite_utils.Database,
    user: User,
    posting_id: int,
    new_deadline: date | str,
    *,
    now: datetime | None = None,
) -> Posting:
    """Move the deadline later (an archived posting comes back into the list); the reminder
    is sent again five days before the new deadline."""
    posting = _get(db, posting_id)
    _require(user, posting.municipality_ags)
    if posting.state is State.WITHDRAWN:
        raise Conflict("Eine zurückgezogene Anzeige kann nicht verlängert werden.")
    errors: list[str] = []
    deadline = typed_dates.day(new_deadline, errors, "Neue Bewerbungsfrist")
    today = _today(now)
    if deadline is not None and deadline <= posting.deadline:
        errors.append(
            "Die neue Bewerbungsfrist muss nach der bisherigen "
            f"({de_date(posting.valid_through)}) liegen."
        )
    elif deadline is not None and deadline < today:
        errors.append("Die neue Bewerbungsfrist liegt in der Vergangenheit.")
    elif deadline is not None and deadline > today + MAX_AHEAD:
        errors.append("Die Bewerbungsfrist liegt mehr als ein Jahr in der Zukunft.")
    if errors:
        raise JobError(errors)
    with write_transaction(db):
        store.update(
            db,
            posting_id,
            {
                "valid_through": deadline.isoformat(),
                "reminded_at": None,
                "updated_at": _iso(_now(now)),
            },
        )
        audit.record(
            db, user.actor, "job.extend", "job_posting", str(posting_id),
            municipality_ags=posting.municipality_ags,
            details={"from": posting.valid_through, "to": deadline.isoformat()},
        )  # fmt: skip
    return _get(db, posting_id)


def withdraw(
    db: sqlite_utils.Database,
    user: User,
    posting_id: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> None:
    """Take a posting off the board before its deadline (filled, cancelled); not public then."""
    posting = _get(db, posting_id)
    _require(user, posting.municipality_ags)
    if posting.state is State.WITHDRAWN:
        raise Conflict("Diese Anzeige ist schon zurückgezogen.")
    errors: list[str] = []
    text = _text(reason, REASON_MAX, "Grund", errors, required=True)
    if errors:
        raise JobError(errors)
    with write_transaction(db):
        store.update(
            db,
            posting_id,
            {
                "state": State.WITHDRAWN.value,
                "withdrawn_reason": text,
                "updated_at": _iso(_now(now)),
            },
        )
        audit.record(
            db, user.actor, "job.withdraw", "job_posting", str(posting_id),
            municipality_ags=posting.municipality_ags, reason=text,
        )  # fmt: skip


# --- the reminder ----------------------------------------------------------------------------


def reminder_day(posting: Posting) -> date:
    return posting.deadline - timedelta(days=REMIND_DAYS_BEFORE)


def _recipients(db: sqlite_utils.Database, posting: Posting, poster_id: int | None) -> list[str]:
    """The poster (while the account is active and has an address) and the member's staff
    (the office where the member has none)."""
    found = []
    poster = accounts.by_id(db, poster_id) if poster_id else None
    if poster is not None and poster.email:
        found.append(poster.email)
    found += accounts.contact_addresses(db, posting.municipality_ags)
    unique: dict[str, str] = {}
    for address in found:
        unique.setdefault(address.casefold(), address)
    return list(unique.values())


def remind(
    db: sqlite_utils.Database,
    alliance: Alliance,
    *,
    now: datetime | None = None,
    base_url: str = "",
) -> int:
    """Queue a reminder for every open posting whose deadline is at most five days away
    (and not yet passed), once per deadline; returns the mails queued. Run daily
    (`allianz jobs remind`); a second run the same day queues nothing."""
    from allianz import mail  # noqa: PLC0415 - the mail slice imports the registry

    moment = _now(now)
    today = clock.local_day(moment)
    until = today + timedelta(days=REMIND_DAYS_BEFORE)
    names = {m.ags: m.name for m in alliance.municipalities}
    sent = 0
    with write_transaction(db):
        for posting in store.due_for_reminder(db, today.isoformat(), until.isoformat()):
            subject = (
                f"Stellenanzeige endet am {de_date(posting.valid_through)}: {posting.title[:80]}"
            )
            link = f"\n\n{base_url}/jobs?stelle={posting.id}" if base_url else ""
            body = (
                f"Die Stellenanzeige „{posting.title}“ ({posting.kind_label}, "
                f"{names.get(posting.municipality_ags, posting.municipality_ags)}) ist bis "
                f"{de_date(posting.valid_through)} ausgeschrieben und verschwindet danach aus "
                "der Stellenbörse (sie bleibt im Archiv).\n\n"
                "Soll sie länger laufen, verlängern Sie die Bewerbungsfrist in der "
                "Allianz-Werkstatt unter „Stellen ausschreiben“." + link
            )
            for address in _recipients(db, posting, store.poster_id(db, posting.id)):
                mail.queue(db, address, subject, body)
                sent += 1
            store.update(db, posting.id, {"reminded_at": _iso(moment)})
            audit.record(
                db, audit.SYSTEM, "job.remind", "job_posting", str(posting.id),
                municipality_ags=posting.municipality_ags,
                details={"valid_through": posting.valid_through},
            )  # fmt: skip
    return sent


# --- reading ---------------------------------------------------------------------------------


def posting_at(db: sqlite_utils.Database, key: str | None) -> Posting | None:
    """The posting a URL key names, or None (typed by hand, stale)."""
    if not key or not key.isdigit() or len(key) > 12:
        return None
    return store.get(db, int(key))


def visible_to(posting: Posting, user: User) -> bool:
    """Open and archived postings are public; a withdrawn one only for those who may post
    for its member."""
    return posting.state is State.OPEN or may_post(user, posting.municipality_ags)


def get_for(db: sqlite_utils.Database, user: User, posting_id: int) -> Posting:
    posting = _get(db, posting_id)
    if not visible_to(posting, user):
        raise NotFound("Diese Stellenanzeige ist nicht mehr ausgeschrieben.")
    return posting


def filters_from(
    alliance: Alliance,
    municipality: str | None = None,
    kind: str | None = None,
    hours: str | None = None,
    year: str | int | None = None,
) -> Filters:
    """Filters from a list page's or feed address's values (German slugs: `art=ausbildung`,
    `umfang=teilzeit`); FilterError for a value that names nothing."""
    ags = clean(municipality or "") or None
    if ags and ags not in {m.ags for m in alliance.municipalities}:
        raise FilterError(f"Unbekannte Gemeinde „{ags[:20]}“ (bitte den Gemeindeschlüssel).")
    chosen_kind = None
    slug = clean(kind or "").casefold()
    if slug:
        chosen_kind = KIND_SLUGS.get(slug) or next((k for k in Kind if k.value == slug), None)
        if chosen_kind is None:
            raise FilterError(f"Unbekannte Art „{slug[:30]}“. Möglich: {', '.join(KIND_SLUGS)}.")
    part_time = None
    scope = clean(hours or "").casefold()
    if scope:
        if scope not in ("vollzeit", "teilzeit"):
            raise FilterError(f"Unbekannter Umfang „{scope[:20]}“. Möglich: vollzeit, teilzeit.")
        part_time = scope == "teilzeit"
    chosen_year = None
    if year not in (None, ""):
        text = str(year).strip()
        if not text.isdigit() or not 2000 <= int(text) <= 2100:
            raise FilterError(f"Unbekanntes Jahr „{text[:10]}“.")
        chosen_year = int(text)
    return Filters(ags, chosen_kind, part_time, chosen_year)


@dataclass(frozen=True)
class Page:
    postings: list[Posting]
    total: int
    page: int  # 1-based, within range
    pages: int


def open_postings(
    db: sqlite_utils.Database,
    filters: Filters = ANY,
    *,
    page: int = 1,
    size: int = PAGE_SIZE,
    now: datetime | None = None,
) -> Page:
    """The public list: open postings (deadline today or later, Berlin), newest first."""
    return _page(db, filters, page, size, now, archive=False)


def archived_postings(
    db: sqlite_utils.Database,
    filters: Filters = ANY,
    *,
    page: int = 1,
    size: int = PAGE_SIZE,
    now: datetime | None = None,
) -> Page:
    """The archive: postings whose deadline has passed (not withdrawn), latest deadline first."""
    return _page(db, filters, page, size, now, archive=True)


def _page(db, filters: Filters, page: int, size: int, now, *, archive: bool) -> Page:
    today = _today(now).isoformat()
    total = store.count(db, filters, today, archive=archive)
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    postings = store.listing(
        db, filters, today, archive=archive, offset=(page - 1) * size, limit=size
    )
    return Page(postings, total, page, pages)


def archive_years(db: sqlite_utils.Database, *, now: datetime | None = None) -> list[int]:
    return store.archive_years(db, _today(now).isoformat())


def managed_by(db: sqlite_utils.Database, user: User, limit: int = 500) -> list[Posting]:
    """The postings the user may edit: the own member's (staff), every member's (office)."""
    if not auth.can(user.role, POST):
        raise PermissionDenied(
            "Stellen schreiben die Verwaltungen der Mitglieder und die Geschäftsstelle aus."
        )
    if auth.acts_in(user, ()):  # the office: every member's postings
        return store.of_member(db, None, limit)
    if not user.municipality_ags:
        return []
    return store.of_member(db, user.municipality_ags, limit)


def ending_soon(
    db: sqlite_utils.Database, ags: str, *, days: int = REMIND_DAYS_BEFORE, now=None
) -> list[Posting]:
    """Open postings of one member whose deadline is at most `days` away (soonest first)."""
    today = _today(now)
    return store.ending_between(
        db, ags, today.isoformat(), (today + timedelta(days=days)).isoformat()
    )


def open_per_member(db: sqlite_utils.Database, *, now: datetime | None = None) -> dict[str, int]:
    return store.open_per_member(db, _today(now).isoformat())


def posted_per_member(
    db: sqlite_utils.Database, since: datetime, until: datetime
) -> dict[str, int]:
    return store.posted_per_member(db, _iso(since), _iso(until))


# --- presentation helpers (used by pages, feed and JSON-LD) ----------------------------------


def pay_text(grade: str) -> str:
    """ "E 9a" -> "Entgeltgruppe E 9a TVöD"; "A 10" -> "Besoldungsgruppe A 10"."""
    if grade.startswith("E "):
        return f"Entgeltgruppe {grade} TVöD"
    if grade.startswith("S "):
        return f"Entgeltgruppe {grade} TVöD SuE"
    if grade.startswith("A "):
        return f"Besoldungsgruppe {grade}"
    return {"TVAöD": "nach TVAöD (Ausbildung)", "TVPöD": "nach TVPöD (Praktikum)"}.get(grade, grade)


def start_label(posting: Posting) -> str:
    return f"ab {de_date(posting.starts_on)}" if posting.starts_on else "ab sofort"


def hours_text(posting: Posting) -> str:
    if posting.hours_per_week is None:
        return posting.hours_label
    return f"{posting.hours_label}, {de_number(posting.hours_per_week, 1)} Std./Woche"


def summary_line(posting: Posting, names: dict[str, str]) -> str:
    """One line about a posting without personal data: member, kind, pay, hours, deadline."""
    parts = [names.get(posting.municipality_ags, posting.municipality_ags), posting.kind_label]
    if posting.pay_grade:
        parts.append(posting.pay_grade)
    parts += [
        hours_text(posting),
        start_label(posting),
        f"Bewerbung bis {de_date(posting.valid_through)}",
    ]
    return " · ".join(parts)


def employment_types(posting: Posting) -> list[str]:
    """schema.org / Google employmentType values."""
    types = ["PART_TIME" if posting.part_time else "FULL_TIME"]
    if posting.kind is Kind.INTERNSHIP:
        types.append("INTERN")
    elif posting.kind is Kind.VOLUNTEER:
        types.append("VOLUNTEER")
    return types


def json_ld(posting: Posting, alliance: Alliance, page_url: str) -> dict:
    """The posting as schema.org `JobPosting` (Google's required and recommended properties),
    without the contact person."""
    member = alliance.municipality(posting.municipality_ags)
    address = {
        "@type": "PostalAddress",
        "addressLocality": member.name.removeprefix("Stadt ").removeprefix("Gemeinde "),
        "addressRegion": LAENDER.get(posting.municipality_ags[:2], ""),
        "addressCountry": "DE",
    }
    if posting.workplace:
        address["streetAddress"] = posting.workplace
    address = {k: v for k, v in address.items() if v}
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": rich_text.to_html(posting.description),
        "datePosted": posting.created_at[:10],
        "validThrough": _end_of_day(posting.valid_through),
        "employmentType": employment_types(posting),
        "hiringOrganization": {"@type": "Organization", "name": member.name},
        "jobLocation": {"@type": "Place", "address": address},
        "directApply": False,
        "identifier": {"@type": "PropertyValue", "name": alliance.name, "value": str(posting.id)},
        "url": page_url,
        "industry": "Öffentliche Verwaltung",
    }
    if posting.pay_grade:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "name": pay_text(posting.pay_grade),
        }
    if posting.starts_on:
        data["jobStartDate"] = posting.starts_on
    else:
        data["jobImmediateStart"] = True
    if posting.hours_per_week is not None:
        data["workHours"] = f"{de_number(posting.hours_per_week, 1)} Stunden pro Woche"
    return data


def _end_of_day(day: str) -> str:
    """The last second of a Berlin calendar day, with its UTC offset (summer or winter)."""
    end = datetime.combine(date.fromisoformat(day), datetime.max.time(), BERLIN)
    return end.replace(microsecond=0).isoformat()


def kind_labels() -> dict[str, str]:
    return {k.value: label for k, label in KIND_LABELS.items()}
