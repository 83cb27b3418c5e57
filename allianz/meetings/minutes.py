"""The minutes of a meeting as a file: Markdown (to edit further) and PDF (to file away), built
from the meeting as the reader may see it, so the public copy holds the public part only."""

from __future__ import annotations

from allianz.config import Alliance
from allianz.formatting import BERLIN, de_date
from allianz.meetings import service
from allianz.meetings.model import ANSWERS, Meeting, Participant
from allianz.pdf import Document

FORMATS = {"md": "text/markdown", "pdf": "application/pdf"}


def file_name(meeting: Meeting, fmt: str) -> str:
    day = meeting.starts_at.astimezone(BERLIN).date().isoformat()
    return f"protokoll-{day}-{meeting.ref}.{fmt}"


def _facts(meeting: Meeting, attendees: list[Participant]) -> list[tuple[str, str]]:
    facts = [
        ("Sitzung", meeting.kind_label),
        ("Termin", service.when(meeting)),
        ("Ort", meeting.place or ("online" if meeting.online_url else "–")),
        ("Stand", meeting.state_label),
    ]
    if meeting.released_at:
        facts.append(("Freigegeben am", de_date(meeting.released_at)))
    if attendees:
        present = [p.display_name for p in attendees if p.attended]
        facts.append(("Anwesend", f"{len(present)}: {', '.join(present)}" if present else "–"))
    return facts


def _items(meeting: Meeting) -> list[tuple[str, list[str]]]:
    blocks = []
    for item in meeting.items:
        lines = []
        if not item.public:
            lines.append("nichtöffentlich")
        lines += [f"Bezug: {link.label}" for link in item.links]
        if item.result:
            lines.append(f"Ergebnis: {item.result}")
        if item.resolution:
            lines.append(f"Beschluss: {item.resolution}")
        blocks.append((f"TOP {item.position}: {item.title}", lines))
    return blocks


def markdown(meeting: Meeting, attendees: list[Participant], alliance: Alliance) -> str:
    """Markdown whose text is the users' own: headings and labels are ours, their text is
    written as it was typed (a reader opens it in an editor, not a browser)."""
    out = [f"# Protokoll: {meeting.title}", "", f"{alliance.name}", ""]
    out += [f"- **{label}:** {value}" for label, value in _facts(meeting, attendees)]
    out += ["", "## Tagesordnung", ""]
    for heading, lines in _items(meeting):
        out += [f"### {heading}", "", *(f"{line}  " for line in lines), ""]
    out += ["## Protokoll", "", meeting.minutes or "(noch nicht geschrieben)", ""]
    if meeting.minutes_internal:
        out += ["## Nichtöffentlicher Teil", "", meeting.minutes_internal, ""]
    if attendees:
        out += ["## Eingeladen", ""]
        out += [f"- {p.display_name}: {ANSWERS.get(p.answer, 'offen')}" for p in attendees]
    return "\n".join(out) + "\n"


def pdf(meeting: Meeting, attendees: list[Participant], alliance: Alliance) -> bytes:
    doc = Document(f"Protokoll: {meeting.title}", f"Sitzungen der {alliance.name}")
    doc.heading(f"Protokoll: {meeting.title}")
    doc.facts(_facts(meeting, attendees))
    doc.heading("Tagesordnung", 2)
    for heading, lines in _items(meeting):
        doc.heading(heading, 3)
        for line in lines:
            doc.paragraph(line)
    doc.heading("Protokoll", 2)
    doc.paragraph(meeting.minutes or "(noch nicht geschrieben)")
    if meeting.minutes_internal:
        doc.heading("Nichtöffentlicher Teil", 2)
        doc.paragraph(meeting.minutes_internal)
    return doc.to_bytes()


def build(db, user, alliance: Alliance, meeting_id: int, fmt: str) -> bytes | str:
    """The minutes as `user` may read them (a citizen: the public part once released)."""
    meeting = service.get(db, user, meeting_id)
    attendees = service.participants(db, user, meeting_id)
    return (
        markdown(meeting, attendees, alliance) if fmt == "md" else pdf(meeting, attendees, alliance)
    )
