"""The workshop protocol as Markdown, PDF or CSV: facts, tables, every card with its dots,
top ideas per table, tag clusters and the photos of the paper boards.

It holds no personal data: hosts appear by the name the organisers entered, participants
not at all; hidden cards are counted, not shown.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from allianz import charts
from allianz.config import Alliance
from allianz.errors import ValidationError
from allianz.exports import markdown_text, neutralise
from allianz.formatting import count_of
from allianz.pdf import Document
from allianz.workshops import results, store
from allianz.workshops.model import ORIGIN_LABELS, PHASE_LABELS, Card, Workshop

FORMATS = {"md": "text/markdown", "pdf": "application/pdf", "csv": "text/csv"}


class ProtocolError(ValidationError):
    """The protocol cannot be made (unknown workshop or format); German message."""


@dataclass(frozen=True)
class Content:
    alliance: Alliance
    workshop: Workshop
    cards: list[Card]
    hidden: int
    photos: list[dict]

    @property
    def scope(self) -> str:
        if self.workshop.scope_ags is None:
            return f"ganze Allianz {self.alliance.name}"
        return self.alliance.municipality(self.workshop.scope_ags).name

    def field_title(self, number: int | None) -> str:
        if number is None:
            return "–"
        return next(
            (f"{h.number} {h.title}" for h in self.alliance.handlungsfelder if h.number == number),
            str(number),
        )

    def municipality(self, ags: str | None) -> str:
        if ags is None:
            return ""
        return next((m.name for m in self.alliance.municipalities if m.ags == ags), ags)


def load(db: sqlite_utils.Database, alliance: Alliance, workshop_id: int) -> Content:
    workshop = store.get(db, workshop_id)
    if workshop is None:
        raise ProtocolError(f"Eine Werkstatt Nr. {workshop_id} gibt es nicht.")
    everything = store.cards(db, workshop_id, include_hidden=True)
    return Content(
        alliance=alliance,
        workshop=workshop,
        cards=[c for c in everything if not c.hidden],
        hidden=sum(1 for c in everything if c.hidden),
        photos=store.photos(db, workshop_id),
    )


def file_name(workshop: Workshop, fmt: str) -> str:
    return f"protokoll-werkstatt-{workshop.id}-{workshop.date}.{fmt}"


def build(db: sqlite_utils.Database, alliance: Alliance, workshop_id: int, fmt: str) -> bytes:
    builders = {"md": markdown, "pdf": pdf, "csv": csv_table}
    if fmt not in builders:
        raise ProtocolError("Das Format (Dateiendung) muss md, pdf oder csv sein.")
    return builders[fmt](load(db, alliance, workshop_id))


def _when(workshop: Workshop) -> str:
    moment = datetime.fromisoformat(workshop.starts_at)
    return moment.strftime("%d.%m.%Y, %H:%M Uhr")


def _facts(content: Content) -> list[tuple[str, str]]:
    w = content.workshop
    split = results.origin_split(content.cards)
    rows = [
        ("Termin", _when(w)),
        ("Ort", w.place or "–"),
        ("Bereich", content.scope),
        ("Stand", PHASE_LABELS[w.phase]),
        ("Runden", str(w.rounds)),
        ("Teilnehmende", str(w.participants)),
        ("Punkte je Person", str(w.dots_per_person)),
        ("Karten", f"{split.live_cards} vor Ort, {split.online_cards} online"),
        ("Punkte", f"{split.live_dots} vor Ort, {split.online_dots} online"),
    ]
    if w.online_until:
        rows.append(("Online-Phase bis", _german_date(w.online_until)))
    if content.hidden:
        rows.append(("Ausgeblendet", f"{content.hidden} Karten (Moderation)"))
    return rows


def _german_date(iso: str) -> str:
    return datetime.fromisoformat(iso[:10]).strftime("%d.%m.%Y")


def _card_facts(content: Content, card: Card) -> str:
    parts = [count_of(card.dots, "Punkt", "Punkte"), ORIGIN_LABELS[card.origin]]
    if card.round:
        parts.append(f"Runde {card.round}")
    if card.tags:
        parts.append("Schlagworte: " + ", ".join(card.tags))
    place = ", ".join(p for p in (content.municipality(card.municipality_ags), card.ortsteil) if p)
    if place:
        parts.append(place)
    return " · ".join(parts)


def markdown(content: Content) -> bytes:
    w, md = content.workshop, markdown_text
    lines = [f"# Protokoll: {md(w.title)}", "", f"{md(content.alliance.name)}", ""]
    lines += ["| | |", "|---|---|"]
    lines += [f"| {md(k)} | {md(v)} |" for k, v in _facts(content)]
    lines += ["", "## Thementische", "", "| Nr. | Thema | Moderation | Handlungsfeld | Karten |"]
    lines += ["|---|---|---|---|---|"]
    ranking = results.by_table(w, content.cards)
    for table in w.tables:
        lines.append(
            f"| {table.position} | {md(table.topic)} | {md(table.host) or '–'} | "
            f"{md(content.field_title(table.handlungsfeld))} | {len(ranking[table.id])} |"
        )
    lines += ["", "## Die wichtigsten Ideen je Tisch", ""]
    for table in w.tables:
        lines.append(f"**{md(table.topic)}**")
        lines.append("")
        best = results.top([r.card for r in ranking[table.id]])
        lines += [
            f"{r.rank}. {md(r.card.text)} ({count_of(r.card.dots, 'Punkt', 'Punkte')})"
            for r in best
        ]
        if not best:
            lines.append("Noch keine Punkte vergeben.")
        lines.append("")
    lines += ["## Alle Karten", ""]
    for table in w.tables:
        lines += [f"### Tisch {table.position}: {md(table.topic)}", ""]
        for r in ranking[table.id]:
            lines.append(f"- **{r.rank}.** {md(r.card.text)}  ")
            lines.append(f"  {md(_card_facts(content, r.card))}")
        if not ranking[table.id]:
            lines.append("Keine Karten.")
        lines.append("")
    lines += ["## Schlagworte", "", "| Schlagwort | Karten | Punkte |", "|---|---|---|"]
    lines += [
        f"| {md(c.tag)} | {c.cards} | {c.dots} |" for c in results.tag_clusters(content.cards)
    ]
    lines += ["", "## Fotos der Stellwände", ""]
    for index, photo in enumerate(content.photos, start=1):
        caption = md(photo["caption"]) or "ohne Beschreibung"
        lines.append(f"- Foto {index}: {caption} ({photo['width']} × {photo['height']} px, im PDF)")
    if not content.photos:
        lines.append("Keine Fotos hochgeladen.")
    lines += ["", f"_{md(_source(content))}_", ""]
    return "\n".join(lines).encode("utf-8")


def _source(content: Content) -> str:
    return (
        f"Quelle: Allianz-Werkstatt, {content.alliance.name}, Werkstatt Nr. {content.workshop.id}"
    )


def pdf(content: Content) -> bytes:
    w = content.workshop
    doc = Document(f"Protokoll: {w.title}", _source(content))
    doc.heading(f"Protokoll: {w.title}")
    doc.paragraph(content.alliance.name)
    doc.facts(_facts(content))
    ranking = results.by_table(w, content.cards)
    doc.heading("Thementische", 2)
    doc.table_of(
        ["Nr.", "Thema", "Moderation", "Handlungsfeld", "Karten"],
        [
            [
                t.position,
                t.topic,
                t.host or "–",
                content.field_title(t.handlungsfeld),
                len(ranking[t.id]),
            ]
            for t in w.tables
        ],
        widths=(10, 55, 35, 65, 15),
    )
    if content.cards:
        doc.picture(
            charts.bars(
                [t.topic for t in w.tables],
                {
                    "Karten": [len(ranking[t.id]) for t in w.tables],
                    "Punkte": [sum(r.card.dots for r in ranking[t.id]) for t in w.tables],
                },
                "Karten und Punkte je Thementisch",
            ),
            width_mm=150,
            caption="Karten und Punkte je Thementisch (Zahlen in der Tabelle oben und unten)",
        )
    doc.heading("Die wichtigsten Ideen je Tisch", 2)
    for table in w.tables:
        best = results.top([r.card for r in ranking[table.id]])
        doc.heading(table.topic, 3)
        if best:
            doc.table_of(
                ["Rang", "Idee", "Punkte"],
                [[r.rank, r.card.text, r.card.dots] for r in best],
                widths=(15, 145, 20),
            )
        else:
            doc.paragraph("Noch keine Punkte vergeben.")
    doc.heading("Alle Karten", 2)
    for table in w.tables:
        doc.heading(f"Tisch {table.position}: {table.topic}", 3)
        rows = [
            [
                r.rank,
                r.card.text,
                r.card.dots,
                r.card.live_dots,
                r.card.online_dots,
                ORIGIN_LABELS[r.card.origin],
                ", ".join(r.card.tags),
            ]
            for r in ranking[table.id]
        ]
        if rows:
            doc.table_of(
                ["Rang", "Karte", "Punkte", "vor Ort", "online", "Herkunft", "Schlagworte"],
                rows,
                widths=(12, 78, 14, 14, 14, 18, 30),
                size=8,
            )
        else:
            doc.paragraph("Keine Karten.")
    clusters = results.tag_clusters(content.cards)
    if clusters:
        doc.heading("Schlagworte", 2)
        doc.table_of(
            ["Schlagwort", "Karten", "Punkte"],
            [[c.tag, c.cards, c.dots] for c in clusters],
            widths=(120, 30, 30),
        )
    if content.photos:
        doc.heading("Fotos der Stellwände", 2)
        for index, photo in enumerate(content.photos, start=1):
            doc.picture(
                photo["image"],
                width_mm=150,
                caption=f"Foto {index}: {photo['caption'] or 'ohne Beschreibung'}",
            )
    return doc.to_bytes()


CSV_COLUMNS = (
    "Werkstatt",
    "Datum",
    "Tisch",
    "Thema",
    "Rang",
    "Karte",
    "Punkte",
    "Punkte vor Ort",
    "Punkte online",
    "Herkunft",
    "Runde",
    "Schlagworte",
    "Gemeinde",
    "Ortsteil",
    "Handlungsfeld",
    "Breite",
    "Länge",
)


def csv_table(content: Content) -> bytes:
    """One row per visible card; semicolons and UTF-8 with BOM for German spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    w = content.workshop
    for table in w.tables:
        for r in results.by_table(w, content.cards)[table.id]:
            card = r.card
            writer.writerow(
                neutralise(v)
                for v in (
                    w.title,
                    w.date,
                    table.position,
                    table.topic,
                    r.rank,
                    card.text,
                    card.dots,
                    card.live_dots,
                    card.online_dots,
                    ORIGIN_LABELS[card.origin],
                    card.round or "",
                    ", ".join(card.tags),
                    content.municipality(card.municipality_ags),
                    card.ortsteil or "",
                    content.field_title(card.handlungsfeld),
                    "" if card.lat is None else f"{card.lat:.6f}",
                    "" if card.lon is None else f"{card.lon:.6f}",
                )
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
