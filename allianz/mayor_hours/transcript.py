"""The transcript of a consultation hour (questions and answers in the order answered, the open
ones after them, and the moderation's counts) as Markdown and PDF."""

from __future__ import annotations

import sqlite_utils

from allianz.config import Alliance
from allianz.formatting import de_datetime
from allianz.mayor_hours import service
from allianz.mayor_hours.model import ANSWER_KINDS, HOLD_REASONS, Hour, Question, State
from allianz.pdf import Document


def file_name(hour: Hour, fmt: str) -> str:
    return f"sprechstunde-{hour.id}-{hour.starts_at[:10]}.{fmt}"


def _answer_line(question: Question) -> str:
    if question.state is not State.ANSWERED:
        return "noch offen – schriftliche Antwort folgt"
    kind = ANSWER_KINDS.get(question.answer_kind or "text", "")
    text = question.answer or kind
    return f"{text} ({kind}, {de_datetime(question.answered_at)} Uhr)"


def _count_lines(db: sqlite_utils.Database, hour: Hour) -> list[str]:
    counts = service.counts(db, hour.id)
    lines = [
        f"Eingegangen: {counts.received}, veröffentlicht: {counts.published}, beantwortet: "
        f"{counts.answered}, zusammengeführt: {counts.merged}, zurückgehalten: {counts.held}"
    ]
    lines += [
        f"zurückgehalten – {HOLD_REASONS[code]}: {n}"
        for code, n in counts.held_by_reason.items()
        if n
    ]
    return lines


def markdown(db: sqlite_utils.Database, hour: Hour, alliance: Alliance) -> str:
    """Headings and labels are ours; questions and answers stand as they were typed."""
    out = [
        f"# Sprechstunde: {hour.host_title}",
        "",
        alliance.name,
        "",
        f"- **Termin:** {service.when(hour)}",
    ]
    if hour.topic:
        out.append(f"- **Thema:** {hour.topic}")
    out += [f"- {line}" for line in _count_lines(db, hour)]
    out += ["", "## Fragen und Antworten", ""]
    for n, question in enumerate(service.transcript(db, hour.id), start=1):
        out += [f"### {n}. Frage von {question.author} ({question.supports} Unterstützungen)", ""]
        out += [question.body, ""]
        if question.background:
            out += [f"Hintergrund: {question.background}", ""]
        out += [f"**Antwort:** {_answer_line(question)}", ""]
    return "\n".join(out) + "\n"


def pdf(db: sqlite_utils.Database, hour: Hour, alliance: Alliance) -> bytes:
    doc = Document(f"Sprechstunde: {hour.host_title}", f"Sprechstunden der {alliance.name}")
    doc.heading(f"Sprechstunde: {hour.host_title}")
    facts = [("Termin", service.when(hour))]
    if hour.topic:
        facts.append(("Thema", hour.topic))
    doc.facts(facts)
    for line in _count_lines(db, hour):
        doc.paragraph(line)
    doc.heading("Fragen und Antworten", 2)
    for n, question in enumerate(service.transcript(db, hour.id), start=1):
        doc.heading(f"{n}. Frage von {question.author} ({question.supports} Unterstützungen)", 3)
        doc.paragraph(question.body)
        if question.background:
            doc.paragraph(f"Hintergrund: {question.background}", size=9)
        doc.paragraph(f"Antwort: {_answer_line(question)}")
    return doc.to_bytes()


def build(db: sqlite_utils.Database, alliance: Alliance, hour_id: int, fmt: str) -> bytes | str:
    hour = service.get_hour(db, hour_id)
    return markdown(db, hour, alliance) if fmt == "md" else pdf(db, hour, alliance)
