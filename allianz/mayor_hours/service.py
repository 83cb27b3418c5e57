"""The rules of the consultation hours: who may announce, moderate and answer; when citizens
may ask; one support per visitor; the moderation's counts; answers and their notification;
the transcript; turning an open question into a suggestion of the Bürgermelder."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlite_utils

from allianz import audit, auth, config, limits, mail, submissions, typed_dates, visitors
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.errors import Conflict, NotFound, PermissionDenied, ValidationError
from allianz.formatting import BERLIN
from allianz.mayor_hours import store
from allianz.mayor_hours.model import (
    ANONYMOUS,
    ANSWER_KINDS,
    ANSWER_MAX,
    ANSWER_TARGET_DAYS,
    BACKGROUND_MAX,
    BODY_MAX,
    HOLD_REASONS,
    HOST_KINDS,
    HOST_MAX,
    NAME_MAX,
    PUBLIC,
    STATE_LABELS,
    TOPIC_MAX,
    TRANSITIONS,
    Counts,
    Hour,
    Question,
    State,
)
from allianz.text import EMAIL, clean
from db.connection import write_transaction

ASK_LIMIT = limits.Limit(
    "mayor_hours.ask",
    5,
    15 * 60,
    "Sie haben in kurzer Zeit viele Fragen gestellt. Bitte versuchen Sie es {wann} erneut.",
)
SUPPORT_RATE = limits.Limit(
    "mayor_hours.support",
    60,
    10 * 60,
    "Sie haben in kurzer Zeit sehr viele Fragen unterstützt. Bitte versuchen Sie es {wann} erneut.",
)
SIMILAR_SHARE = 0.5
REFRESH_SECONDS, REFRESH_RANGE = 3, (2, 30)
_WORD = re.compile(r"[a-zäöüß0-9]+")
_STOP = frozenset(
    [
        "der",
        "die",
        "das",
        "und",
        "oder",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "ist",
        "sind",
        "wird",
        "werden",
        "wann",
        "warum",
        "wie",
        "was",
        "wer",
        "wo",
        "wieso",
        "weshalb",
        "mit",
        "von",
        "für",
        "auf",
        "aus",
        "bei",
        "nach",
        "den",
        "dem",
        "des",
        "im",
        "in",
        "zu",
        "zur",
        "zum",
        "es",
        "sie",
        "wir",
        "ich",
        "man",
        "nicht",
        "noch",
        "auch",
        "schon",
        "gibt",
        "denn",
        "dass",
        "da",
        "hier",
        "dort",
        "an",
        "am",
        "als",
        "ob",
        "so",
        "welche",
        "welcher",
        "welches",
        "kann",
        "können",
        "soll",
        "sollen",
    ]
)


class QuestionError(ValidationError):
    """Refused question or moderation step; German message(s)."""


# --- reading ------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _now() -> datetime:
    return datetime.now(UTC)


def refresh_seconds(alliance: Alliance) -> int:
    """How often the live list and the screen refresh: 3 s by default; the alliance file's
    [mayor_hours] refresh_seconds raises it for large audiences (bench/live_viewers.py: one app
    process carries about 100 viewers at 3 s)."""
    value = config.section(alliance, "mayor_hours").get("refresh_seconds", REFRESH_SECONDS)
    if not isinstance(value, int) or not REFRESH_RANGE[0] <= value <= REFRESH_RANGE[1]:
        raise config.ConfigError(
            f"{alliance.source_path.name}: [mayor_hours] refresh_seconds muss eine ganze Zahl "
            f"von {REFRESH_RANGE[0]} bis {REFRESH_RANGE[1]} sein."
        )
    return value


def get_hour(db: sqlite_utils.Database, hour_id: int) -> Hour:
    found = store.hour(db, hour_id)
    if found is None:
        raise NotFound("Diese Sprechstunde gibt es nicht.")
    return found


def hour_at(db: sqlite_utils.Database, key: str) -> Hour | None:
    """The hour a URL key names, or None for a key that names none (typed by hand, or stale)."""
    if not key.isdigit() or len(key) > 12:
        return None
    return store.hour(db, int(key))


def hours(db: sqlite_utils.Database) -> list[Hour]:
    """Every hour, newest first."""
    return store.hours(db)


def upcoming(db: sqlite_utils.Database, now: datetime, limit: int = 3) -> list[Hour]:
    """Hours not yet over (running or announced), soonest first."""
    return store.hours(db, ending_after=_iso(now))[:limit]


def phase(hour: Hour, now: datetime | None = None) -> str:
    """ "announced" (questions collected in advance), "live" or "ended"."""
    moment = _iso(now or _now())
    if moment < hour.starts_at:
        return "announced"
    return "live" if moment < hour.ends_at else "ended"


PHASE_LABELS = {
    "announced": "angekündigt – Fragen können schon gestellt werden",
    "live": "läuft gerade",
    "ended": "beendet",
}


def when(hour: Hour) -> str:
    """Fr., 18.05.2026, 18:00–19:00 Uhr (local time)."""
    start = datetime.fromisoformat(hour.starts_at).astimezone(BERLIN)
    end = datetime.fromisoformat(hour.ends_at).astimezone(BERLIN)
    weekday = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")[start.weekday()]
    return f"{weekday}, {start:%d.%m.%Y}, {start:%H:%M}–{end:%H:%M} Uhr"


def get_question(db: sqlite_utils.Database, question_id: int) -> Question:
    found = store.question(db, question_id)
    if found is None:
        raise NotFound("Diese Frage gibt es nicht.")
    return found


def public_queue(db: sqlite_utils.Database, hour_id: int) -> list[Question]:
    """What every viewer sees live: published questions by support, then the answered ones."""
    return store.queue(db, hour_id)


def current(db: sqlite_utils.Database, hour: Hour) -> Question | None:
    """The question on the presentation screen: the one the moderator put up (while public),
    else the most supported open one."""
    if hour.current_question_id:
        chosen = store.question(db, hour.current_question_id)
        if chosen is not None and chosen.state in PUBLIC:
            return chosen
    return next((q for q in store.queue(db, hour.id) if q.state is State.PUBLISHED), None)


def counts(db: sqlite_utils.Database, hour_id: int) -> Counts:
    """Received, published (answered ones included), answered, merged, held back by reason."""
    by_reason = dict.fromkeys(HOLD_REASONS, 0)
    totals = dict.fromkeys(State, 0)
    for state, reason, n in store.state_counts(db, hour_id):
        totals[State(state)] += n
        if state == State.HELD and reason in by_reason:
            by_reason[reason] += n
    return Counts(
        received=sum(totals.values()),
        published=totals[State.PUBLISHED] + totals[State.ANSWERED],
        answered=totals[State.ANSWERED],
        merged=totals[State.MERGED],
        held=totals[State.HELD],
        held_by_reason=by_reason,
        waiting=totals[State.SUBMITTED],
    )


def transcript(db: sqlite_utils.Database, hour_id: int) -> list[Question]:
    """The public questions in the order they were answered, the open ones after them."""
    public = store.questions(db, hour_id, PUBLIC)
    answered = sorted(
        (q for q in public if q.state is State.ANSWERED), key=lambda q: q.answered_at or ""
    )
    return answered + [q for q in public if q.state is State.PUBLISHED]


def answer_due(hour: Hour) -> datetime:
    return datetime.fromisoformat(hour.ends_at) + timedelta(days=ANSWER_TARGET_DAYS)


def overdue(hour: Hour, question: Question, now: datetime | None = None) -> bool:
    """An open public question past the answer target (14 days after the hour)."""
    return question.state is State.PUBLISHED and (now or _now()) > answer_due(hour)


# --- similar questions --------------------------------------------------------------------


def words(text: str) -> frozenset[str]:
    """The text's meaningful words, normalised: lower case, no stop words, no short words."""
    return frozenset(w for w in _WORD.findall(clean(text).lower()) if len(w) > 2 and w not in _STOP)


def similar(db: sqlite_utils.Database, hour_id: int, text: str, limit: int = 3) -> list[Question]:
    """Public open questions of this hour sharing at least half of the shorter question's words,
    most similar first: offered for support before a new question is created."""
    mine = words(text)
    if not mine:
        return []
    found = []
    for question in store.questions(db, hour_id, (State.PUBLISHED,)):
        theirs = words(question.body)
        if not theirs:
            continue
        share = len(mine & theirs) / min(len(mine), len(theirs))
        if share >= SIMILAR_SHARE:
            found.append((share, question.supports, question))
    found.sort(key=lambda t: (-t[0], -t[1], t[2].id))
    return [q for _, _, q in found[:limit]]


# --- announcing ---------------------------------------------------------------------------


@dataclass
class HourDraft:
    host_kind: str
    municipality_ags: str | None
    host_title: str
    day: date | str
    start_time: time | str
    end_time: time | str
    topic: str = ""


def may_manage(user: User, hour_municipality: str | None, host_kind: str) -> bool:
    """Announce and moderate: the office everywhere; a mayor or the municipality's staff for
    the mayor's hours of their own municipality; the speaker's hours are the office's."""
    if not auth.can(user.role, "mayor_hours.moderate"):
        return False
    scope = () if host_kind == "speaker" else hour_municipality
    return auth.acts_in(user, scope)


def may_moderate(user: User, hour: Hour) -> bool:
    return may_manage(user, hour.municipality_ags, hour.host_kind)


def _require_moderator(user: User, hour: Hour) -> None:
    if not may_moderate(user, hour):
        raise PermissionDenied(
            "Diese Sprechstunde moderieren die Geschäftsstelle und die Verwaltung der Gemeinde."
        )


def create_hour(
    db: sqlite_utils.Database, alliance: Alliance, user: User, draft: HourDraft
) -> Hour:
    if not auth.can(user.role, "mayor_hours.manage"):
        raise PermissionDenied("Sprechstunden kündigen die Geschäftsstelle und die Gemeinden an.")
    errors: list[str] = []
    if draft.host_kind not in HOST_KINDS:
        errors.append("Bitte wählen, wer die Sprechstunde hält.")
    ags = draft.municipality_ags if draft.host_kind == "mayor" else None
    members = {m.ags for m in alliance.municipalities}
    if draft.host_kind == "mayor" and ags not in members:
        errors.append("Bitte die Gemeinde der Bürgermeisterin oder des Bürgermeisters wählen.")
    host_title, topic = clean(draft.host_title), clean(draft.topic)
    if not 3 <= len(host_title) <= HOST_MAX:
        errors.append(f"Wer spricht? Bitte 3 bis {HOST_MAX} Zeichen angeben.")
    if len(topic) > TOPIC_MAX:
        errors.append(f"Das Thema darf höchstens {TOPIC_MAX} Zeichen haben.")
    day = typed_dates.day(draft.day, errors)
    start = typed_dates.clock(draft.start_time, "Beginn", errors)
    end = typed_dates.clock(draft.end_time, "Ende", errors)
    if start and end and end <= start:
        errors.append("Das Ende muss nach dem Beginn liegen.")
    if errors:
        raise QuestionError(errors)
    if not may_manage(user, ags, draft.host_kind):
        raise PermissionDenied(
            "Sprechstunden Ihrer eigenen Gemeinde können Sie ankündigen; die des Sprechers "
            "der Allianz kündigt die Geschäftsstelle an."
        )
    stamp = audit.now_iso()
    starts = datetime.combine(day, start, BERLIN)
    ends = datetime.combine(day, end, BERLIN)
    with write_transaction(db):
        new_id = store.insert_hour(
            db,
            {
                "host_kind": draft.host_kind,
                "municipality_ags": ags,
                "host_title": host_title,
                "topic": topic,
                "starts_at": _iso(starts),
                "ends_at": _iso(ends),
                "created_by": user.username,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        audit.record(
            db, user.actor, "mayor_hour.create", "mayor_hour", str(new_id), municipality_ags=ags
        )
    return get_hour(db, new_id)


# --- asking and supporting ----------------------------------------------------------------


@dataclass
class QuestionDraft:
    body: str
    background: str = ""
    shown_name: str = ""
    email: str = ""
    email_consent: bool = False
    visitor: visitors.Visitor | None = None
    token: str | None = None


def ask(
    db: sqlite_utils.Database, hour_id: int, draft: QuestionDraft, now: datetime | None = None
) -> Question:
    """A citizen's question, from the announcement until the end of the hour; it waits for
    moderation and is public only once approved."""
    hour = get_hour(db, hour_id)
    if phase(hour, now) == "ended":
        raise QuestionError(
            "Diese Sprechstunde ist beendet; neue Fragen nimmt sie nicht mehr an. Ihr Anliegen "
            "können Sie im Bürgermelder als Hinweis senden."
        )
    errors: list[str] = []
    body, background = clean(draft.body), clean(draft.background)
    shown_name, email = clean(draft.shown_name), clean(draft.email)
    if len(body) < 5:
        errors.append("Bitte formulieren Sie Ihre Frage (mindestens 5 Zeichen).")
    elif len(body) > BODY_MAX:
        errors.append(f"Die Frage darf höchstens {BODY_MAX} Zeichen haben.")
    if len(background) > BACKGROUND_MAX:
        errors.append(f"Der Hintergrund darf höchstens {BACKGROUND_MAX} Zeichen haben.")
    if len(shown_name) > NAME_MAX:
        errors.append(f"Der Name darf höchstens {NAME_MAX} Zeichen haben.")
    if shown_name.lower() == ANONYMOUS:
        shown_name = ""
    if email and not EMAIL.match(email):
        errors.append("Die E-Mail-Adresse ist ungültig.")
    if email and not draft.email_consent:
        errors.append(
            "Für eine Nachricht per E-Mail bitte die Einwilligung ankreuzen oder das Feld leeren."
        )
    if errors:
        raise QuestionError(errors)
    stamp = audit.now_iso()
    with write_transaction(db):
        submissions.claim(db, draft.token, "mayor_hours.ask")
        if draft.visitor is not None:
            limits.admit(db, ASK_LIMIT, draft.visitor.identities())
        new_id = store.insert_question(
            db,
            {
                "hour_id": hour.id,
                "body": body,
                "background": background,
                "shown_name": shown_name,
                "asker_email": email,
                "state": State.SUBMITTED.value,
                "created_at": stamp,
                "updated_at": stamp,
            },
        )
        audit.record(
            db,
            audit.Actor("buerger", Role.CITIZEN.value),
            "mayor_question.create",
            "mayor_question",
            str(new_id),
            municipality_ags=hour.municipality_ags,
        )
        submissions.settle(db, draft.token, str(new_id))
    return get_question(db, new_id)


def _marks(db: sqlite_utils.Database, question_id: int, visitor: visitors.Visitor) -> list[str]:
    return visitors.pseudonyms(db, f"mayor-question:{question_id}", visitor)


def has_supported(db: sqlite_utils.Database, question_id: int, visitor: visitors.Visitor) -> bool:
    return store.has_mark(db, question_id, _marks(db, question_id, visitor))


def support(db: sqlite_utils.Database, question_id: int, visitor: visitors.Visitor) -> Question:
    """+1 for an open public question, once per visitor (any of its keys: account, address,
    cookie), for as long as the question exists."""
    marks = _marks(db, question_id, visitor)
    with write_transaction(db):
        question = get_question(db, question_id)
        if question.state is State.HELD:
            raise Conflict("Diese Frage wurde zurückgehalten und kann nicht unterstützt werden.")
        if question.state is State.MERGED:
            raise Conflict(
                "Diese Frage wurde mit einer gleichen zusammengeführt; bitte unterstützen Sie jene."
            )
        if question.state is State.ANSWERED:
            raise Conflict("Diese Frage ist schon beantwortet.")
        if question.state is not State.PUBLISHED:
            raise NotFound("Diese Frage gibt es nicht (mehr).")
        if store.has_mark(db, question_id, marks):
            raise Conflict("Sie haben diese Frage schon unterstützt.")
        limits.admit(db, SUPPORT_RATE, visitor.identities())
        store.add_marks(db, question_id, marks)
        store.add_supports(db, question_id, 1)
    return get_question(db, question_id)


# --- moderation and answers ---------------------------------------------------------------


def moderation_queue(db: sqlite_utils.Database, user: User, hour_id: int) -> list[Question]:
    hour = get_hour(db, hour_id)
    _require_moderator(user, hour)
    return store.questions(db, hour_id, (State.SUBMITTED,))


def private_email(db: sqlite_utils.Database, user: User, question_id: int) -> str:
    """The asker's address, for the moderators of the hour only."""
    question = get_question(db, question_id)
    _require_moderator(user, get_hour(db, question.hour_id))
    return store.asker_email(db, question_id)


def _step(
    db: sqlite_utils.Database, user: User, question_id: int, target: State
) -> tuple[Hour, Question]:
    question = get_question(db, question_id)
    hour = get_hour(db, question.hour_id)
    _require_moderator(user, hour)
    if target not in TRANSITIONS[question.state]:
        raise Conflict(f"Die Frage ist {_state_label(question.state)}; das geht jetzt nicht mehr.")
    return hour, question


def _state_label(state: State) -> str:
    return STATE_LABELS[state]


def _notify(
    db: sqlite_utils.Database, question_id: int, hour: Hour, subject: str, text: str
) -> bool:
    address = store.asker_email(db, question_id)
    if not address:
        return False
    mail.queue(db, address, subject, f"Guten Tag,\n\n{text}\n\n{hour.host_title}, {when(hour)}\n")
    return True


def approve(db: sqlite_utils.Database, user: User, question_id: int) -> Question:
    with write_transaction(db):
        hour, _ = _step(db, user, question_id, State.PUBLISHED)
        store.update_question(
            db, question_id, {"state": State.PUBLISHED.value, "updated_at": audit.now_iso()}
        )
        audit.record(
            db, user.actor, "mayor_question.approve", "mayor_question", str(question_id),
            municipality_ags=hour.municipality_ags,
        )  # fmt: skip
    return get_question(db, question_id)


def hold(db: sqlite_utils.Database, user: User, question_id: int, reason: str) -> Question:
    """Hold a question back with a reason of the published code; the asker is told why."""
    if reason not in HOLD_REASONS:
        raise QuestionError("Bitte einen Grund aus dem Moderationskodex wählen.")
    with write_transaction(db):
        hour, question = _step(db, user, question_id, State.HELD)
        store.update_question(
            db,
            question_id,
            {"state": State.HELD.value, "hold_reason": reason, "updated_at": audit.now_iso()},
        )
        _notify(
            db,
            question_id,
            hour,
            "Ihre Frage an die Sprechstunde wurde nicht veröffentlicht",
            f"Ihre Frage „{question.body}“ wurde nicht veröffentlicht. Grund nach unserem "
            f"Moderationskodex: {HOLD_REASONS[reason]}.",
        )
        audit.record(
            db, user.actor, "mayor_question.hold", "mayor_question", str(question_id),
            municipality_ags=hour.municipality_ags, details={"reason": reason},
        )  # fmt: skip
    return get_question(db, question_id)


def merge(db: sqlite_utils.Database, user: User, question_id: int, into_id: int) -> Question:
    """Fold a duplicate into a public question of the same hour; supports carry over (each
    visitor once)."""
    with write_transaction(db):
        hour, question = _step(db, user, question_id, State.MERGED)
        target = get_question(db, into_id)
        if target.id == question.id or target.hour_id != question.hour_id:
            raise QuestionError("Bitte eine andere Frage derselben Sprechstunde wählen.")
        if target.state not in PUBLIC:
            raise QuestionError("Zusammenführen geht nur mit einer veröffentlichten Frage.")
        store.move_marks(db, question.id, target.id)
        store.add_supports(db, target.id, question.supports + 1)
        store.update_question(
            db,
            question_id,
            {
                "state": State.MERGED.value,
                "merged_into": target.id,
                "updated_at": audit.now_iso(),
            },
        )
        _notify(
            db,
            question_id,
            hour,
            "Ihre Frage an die Sprechstunde wurde zusammengeführt",
            f"Ihre Frage „{question.body}“ wurde mit der gleichbedeutenden Frage „{target.body}“ "
            "zusammengeführt; die Antwort auf jene gilt auch für Sie.",
        )
        audit.record(
            db, user.actor, "mayor_question.merge", "mayor_question", str(question_id),
            municipality_ags=hour.municipality_ags, details={"into": target.id},
        )  # fmt: skip
    return get_question(db, into_id)


def answer(
    db: sqlite_utils.Database,
    user: User,
    question_id: int,
    text: str,
    kind: str = "text",
    now: datetime | None = None,
) -> Question:
    """Answer in text, or mark "mündlich beantwortet" (a short note may go with it)."""
    if kind not in ANSWER_KINDS:
        raise QuestionError("Unbekannte Art der Antwort.")
    body = clean(text)
    if kind == "text" and not body:
        raise QuestionError("Bitte schreiben Sie die Antwort.")
    if len(body) > ANSWER_MAX:
        raise QuestionError(f"Die Antwort darf höchstens {ANSWER_MAX} Zeichen haben.")
    with write_transaction(db):
        hour, question = _step(db, user, question_id, State.ANSWERED)
        stamp = _iso(now or _now())
        store.update_question(
            db,
            question_id,
            {
                "state": State.ANSWERED.value,
                "answer": body,
                "answer_kind": kind,
                "answered_at": stamp,
                "answered_by": user.display_name,
                "updated_at": stamp,
            },
        )
        store.update_hour(db, hour.id, {"current_question_id": question_id})
        reply = body if body else ANSWER_KINDS[kind]
        _notify(
            db,
            question_id,
            hour,
            "Ihre Frage an die Sprechstunde wurde beantwortet",
            f"Ihre Frage: „{question.body}“\n\nAntwort ({ANSWER_KINDS[kind]}): {reply}",
        )
        audit.record(
            db, user.actor, "mayor_question.answer", "mayor_question", str(question_id),
            municipality_ags=hour.municipality_ags, details={"kind": kind},
        )  # fmt: skip
    return get_question(db, question_id)


def show_on_screen(db: sqlite_utils.Database, user: User, question_id: int) -> Question:
    """Put a public question on the presentation screen."""
    question = get_question(db, question_id)
    hour = get_hour(db, question.hour_id)
    _require_moderator(user, hour)
    if question.state not in PUBLIC:
        raise QuestionError("Nur veröffentlichte Fragen können gezeigt werden.")
    with write_transaction(db):
        store.update_hour(
            db, hour.id, {"current_question_id": question_id, "updated_at": audit.now_iso()}
        )
    return question


# --- after the hour -----------------------------------------------------------------------


def _category(alliance: Alliance) -> str:
    codes = [c.code for c in alliance.categories]
    return next((c for c in codes if c in ("alliance-idea", "other")), codes[-1])


def to_suggestion(
    db: sqlite_utils.Database,
    alliance: Alliance,
    areas,
    user: User,
    question_id: int,
    now: datetime | None = None,
    municipality_ags: str | None = None,
) -> str:
    """Turn an open question of an ended hour into a suggestion of the Bürgermelder, routed to
    the mayor's municipality (placed at its seat, approximately); both keep the link. A
    question to the alliance speaker belongs to no municipality: the moderator names one."""
    from allianz.suggestions import service as suggestions  # noqa: PLC0415 - one-way use

    question = get_question(db, question_id)
    hour = get_hour(db, question.hour_id)
    _require_moderator(user, hour)
    if question.suggestion_ref:
        raise Conflict(f"Diese Frage ist schon der Hinweis {question.suggestion_ref}.")
    if question.state is not State.PUBLISHED:
        raise QuestionError("Nur offene, veröffentlichte Fragen werden zum Hinweis.")
    if phase(hour, now) != "ended":
        raise QuestionError("Erst nach der Sprechstunde wird eine offene Frage zum Hinweis.")
    ags = hour.municipality_ags or municipality_ags
    if not ags:
        raise QuestionError(
            "Fragen an den Sprecher der Allianz gehören keiner Gemeinde: bitte die Gemeinde "
            "wählen, die den Hinweis bearbeiten soll."
        )
    seat = next((a for a in areas if a.ags == ags), None)
    if seat is None:
        raise QuestionError("Für diese Gemeinde ist keine Gemeindefläche geladen.")
    title = question.body if len(question.body) <= 120 else question.body[:119] + "…"
    description = (
        f"{question.body}\n\n{question.background}".strip()
        + f"\n\nAus der Sprechstunde „{hour.host_title}“ am {when(hour)} (Frage Nr. {question.id})."
    )
    created = suggestions.submit(
        db,
        alliance,
        areas,
        suggestions.Submission(
            category=_category(alliance),
            title=title if len(title) >= 3 else f"Frage: {title}",
            description=description,
            lat=seat.seat_lat,
            lon=seat.seat_lon,
            location_precise=False,
            chosen_ags=ags,
            token=f"mayor-question:{question.id}",
            source="sprechstunde",
        ),
        now=now,
    )
    with write_transaction(db):
        store.update_question(
            db, question.id, {"suggestion_ref": created.ref, "updated_at": audit.now_iso()}
        )
        audit.record(
            db, user.actor, "mayor_question.suggestion", "mayor_question", str(question.id),
            municipality_ags=ags, details={"suggestion": created.ref},
        )  # fmt: skip
    return created.ref


def from_suggestion(db: sqlite_utils.Database, ref: str) -> Question | None:
    """The question a suggestion came from (the link back)."""
    return store.by_suggestion(db, ref)


# --- figures ------------------------------------------------------------------------------


def answer_figures(
    db: sqlite_utils.Database, since: datetime, until: datetime, now: datetime
) -> dict[str | None, dict]:
    """Per municipality (None: the speaker): questions answered in the period, median hours
    from question to answer, public questions open beyond the target."""
    result: dict[str | None, dict] = {}
    lo, hi = _iso(since), _iso(until)
    for row in store.all_for_figures(db):
        entry = result.setdefault(row["municipality_ags"], {"answered": 0, "hours": [], "open": 0})
        if row["state"] == State.ANSWERED and lo <= (row["answered_at"] or "") < hi:
            entry["answered"] += 1
            spent = datetime.fromisoformat(row["answered_at"]) - datetime.fromisoformat(
                row["created_at"]
            )
            entry["hours"].append(spent.total_seconds() / 3600)
        due = datetime.fromisoformat(row["ends_at"]) + timedelta(days=ANSWER_TARGET_DAYS)
        if row["state"] == State.PUBLISHED and now > due:
            entry["open"] += 1
    return result


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None
