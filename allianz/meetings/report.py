"""The activity report (Tätigkeitsbericht) of the alliance office for a period, for the funding
body: foreword, meetings held with their topics, measures and their progress, participation,
external appointments and the press log; as PDF and as a Word file the office edits further.

`collect` gathers everything into one plain structure (`ActivityReport`: sections of paragraphs
and tables, every value already written the German way); `pdf` and `docx` only lay it out, and
the page shows the same structure as its preview. Other slices' numbers come from their figure
sections in the registry (`Feature.figures`), the rest from their services; no other slice's
table is read here. This is an internal report: non-public agenda items are listed, marked
"(nichtöffentlich)".
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import sqlite_utils

from allianz import features
from allianz.accounts.model import User
from allianz.config import Alliance
from allianz.errors import PermissionDenied, ValidationError
from allianz.figures import FigureRequest, FigureSection, Period
from allianz.formatting import BERLIN, de_date, de_float, de_int
from allianz.measures import service as measures
from allianz.measures.model import STATUSES as MEASURE_STATUSES
from allianz.meetings import figures as meeting_figures
from allianz.meetings import service
from allianz.meetings.model import KINDS
from allianz.municipalities import service as municipalities
from allianz.text import clean
from allianz.vacancies import service as vacancies
from allianz.workshops import service as workshops
from allianz.workshops.model import Phase

SOURCE_NOTE = "Quelle: Allianz-Werkstatt"
# kind -> (one, several) as the sentence "Im Zeitraum … haben 4 Allianzsitzungen stattgefunden."
KIND_NOUNS = {
    "steering_group": ("Allianzsitzung", "Allianzsitzungen"),
    "assembly": ("Mitgliederversammlung", "Mitgliederversammlungen"),
    "working_group": ("Arbeitskreistreffen", "Arbeitskreistreffen"),
    "network_working": (
        "Netzwerkveranstaltung auf Arbeitsebene",
        "Netzwerkveranstaltungen auf Arbeitsebene",
    ),
    "network_decision": (
        "Netzwerkveranstaltung auf Entscheidungsebene",
        "Netzwerkveranstaltungen auf Entscheidungsebene",
    ),
    "public_event": ("öffentliche Veranstaltung", "öffentliche Veranstaltungen"),
}
# Measures listed under "Projekte": those under way, and any with progress in the period.
UNDER_WAY = ("planned", "in_progress")
# The other slices whose figure sections the report uses (feature name -> section key).
FIGURE_SLICES = {
    "workshops": "workshops",
    "suggestions": "suggestions",
    "networks": "networks",
    "vacancies": "vacancy",
}
OWN_SOURCES = (
    "Maßnahmen: Maßnahmenmatrix der Lenkungsgruppe; aufgeführt sind geplante und laufende "
    "Maßnahmen sowie alle mit einem im Zeitraum erledigten Schritt; Stand von heute.",
    "Vermittlung von Leerständen: Anfragen über „Leerstand teilen“ mit Eingang im Zeitraum; "
    "Stand der Flächen laut Verlauf des Leerstandskatasters am Tag vor Beginn und am Ende des "
    "Zeitraums.",
    "Außentermine und Pressespiegel: Einträge der Geschäftsstelle mit Datum im Zeitraum.",
)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Table:
    """Rows of text cells; a cell's lines are separated by "\\n". `widths` are shares."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]


Block = str | Table  # a paragraph or a table


@dataclass(frozen=True)
class Section:
    """A heading with its paragraphs and tables; `number` is "2.1" or empty."""

    number: str
    title: str
    level: int  # 1: chapter, 2: sub-chapter, 3: a block within one
    blocks: tuple[Block, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass(frozen=True)
class ActivityReport:
    alliance: str
    period: Period
    foreword: tuple[str, ...]  # the office's paragraphs, as typed (cleaned)
    sections: tuple[Section, ...]  # everything after the foreword
    figures: Mapping[str, int | float | None] = field(default_factory=dict)
    made_on: date = field(default_factory=date.today)

    @property
    def title(self) -> str:
        return f"Tätigkeitsbericht Allianzmanagement {self.period.label}"

    @property
    def subtitle(self) -> str:
        return f"{self.alliance} · Zeitraum {self.period.label}"

    def all_sections(self) -> tuple[Section, ...]:
        return (Section("1", "Vorbemerkung", 1, self.foreword), *self.sections)


# --- collecting ------------------------------------------------------------------------------


def default_period(today: date | None = None) -> Period:
    """The last twelve months up to today."""
    today = today or date.today()
    return Period(today - timedelta(days=365), today)


def _text(value: str | None) -> str:
    """User text as the documents show it: cleaned, one kind of line break."""
    return clean(value).replace("\r\n", "\n").replace("\r", "\n")


def foreword_paragraphs(text: str | None, alliance: Alliance, period: Period) -> tuple[str, ...]:
    """The office's foreword split at blank lines; a sentence of our own when none is given."""
    paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", _text(text)) if p.strip())
    if paragraphs:
        return paragraphs
    return (
        "Dieser Bericht gibt einen Überblick über die Tätigkeiten des Allianzmanagements für "
        f"{alliance.name} im Zeitraum vom {_day(period.since)} bis {_day(period.until)}.",
    )


def with_foreword(report: ActivityReport, text: str | None, alliance: Alliance) -> ActivityReport:
    """The same report with another foreword (the figures are not collected again)."""
    return replace(report, foreword=foreword_paragraphs(text, alliance, report.period))


def collect(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    period: Period,
    foreword: str | None = None,
    today: date | None = None,
) -> ActivityReport:
    if not service.may_manage(user):
        raise PermissionDenied("Den Tätigkeitsbericht erstellt die Geschäftsstelle der Allianz.")
    if period.since > period.until:
        raise ValidationError("Der Beginn des Zeitraums liegt nach seinem Ende.")
    today = today or date.today()
    request = FigureRequest(db, alliance, municipalities.areas(db), period, today)
    figures: dict[str, int | float | None] = {}
    sections = (
        Section("2", "Funktion und Aufgaben", 1),
        *_meetings(request, figures),
        *_projects(request, figures),
        *_participation(request, user, figures),
        _appointments(request, user, figures),
        _press(request, user, figures),
        _sources(request),
    )
    return ActivityReport(
        alliance=alliance.name,
        period=period,
        foreword=foreword_paragraphs(foreword, alliance, period),
        sections=sections,
        figures=figures,
        made_on=today,
    )


def _day(value: date | str | None) -> str:
    return de_date(value.isoformat() if isinstance(value, date) else value)


def _n(value) -> str:
    return de_int(int(value or 0))


def _km(value) -> str:
    return de_float(float(value or 0), 1)


def _of(n: int, one: str, several: str) -> str:
    """1 Beschluss, 2 Beschlüssen, 1.234 Beschlüssen."""
    return f"{_n(n)} {one if n == 1 else several}"


def _count(n: int, one: str, several: str) -> str:
    return f"{'hat' if n == 1 else 'haben'} {_n(n)} {one if n == 1 else several}"


def _meetings(request: FigureRequest, figures: dict) -> list[Section]:
    period = request.period
    held = [m for m in meeting_figures.period_meetings(request) if m.state in meeting_figures.HELD]
    span = f"Im Zeitraum vom {_day(period.since)} bis {_day(period.until)}"
    blocks: list[Block] = [
        "Zu den Aufgaben des Allianzmanagements zählen die Geschäftsführung der Allianz sowie "
        "die Vorbereitung und Protokollführung ihrer Sitzungen, Arbeitskreise und "
        "Netzwerkveranstaltungen."
    ]
    if not held:
        blocks.append(f"{span} haben keine Sitzungen stattgefunden.")
    own = meeting_figures.sections(request)[0]
    for key in ("held", "items", "resolutions", "present"):
        figures[f"meetings.{key}"] = int(own.value(key) or 0)
    if held:
        blocks.append(
            "Insgesamt: "
            + _of(
                figures["meetings.held"],
                "Sitzung oder Veranstaltung",
                "Sitzungen und Veranstaltungen",
            )
            + " mit "
            + _of(figures["meetings.items"], "Tagesordnungspunkt", "Tagesordnungspunkten")
            + ", "
            + _of(figures["meetings.resolutions"], "Beschluss", "Beschlüssen")
            + " und "
            + _of(figures["meetings.present"], "Teilnahme", "Teilnahmen")
            + "."
        )
    sections = [Section("2.1", "Geschäftsführung", 2, tuple(blocks))]
    for kind in (*KINDS, *sorted({m.kind for m in held} - set(KINDS))):
        mine = [m for m in held if m.kind == kind]
        figures[f"meetings.{kind}"] = len(mine)
        if not mine:
            continue
        one, several = KIND_NOUNS.get(kind, (f"Sitzung ({kind})", f"Sitzungen ({kind})"))
        titled = len({m.title for m in mine}) > 1
        rows = tuple(
            (
                _day(m.starts_at.astimezone(BERLIN).date()),
                *((_text(m.title),) if titled else ()),
                "\n".join(
                    f"– {_text(i.title)}" + ("" if i.public else " (nichtöffentlich)")
                    for i in m.items
                )
                or "–",
            )
            for m in mine
        )
        table = Table(
            ("Datum", *(("Sitzung",) if titled else ()), "Themen"),
            rows,
            (18, 30, 52) if titled else (18, 82),
        )
        sentence = f"{span} {_count(len(mine), one, several)} stattgefunden."
        sections.append(Section("", KINDS.get(kind, kind), 3, (sentence, table)))
    return sections


def _projects(request: FigureRequest, figures: dict) -> list[Section]:
    since, until = request.period.since.isoformat(), request.period.until.isoformat()
    items = measures.all_measures(request.db)

    def done_in_period(measure) -> list:
        return [s for s in measure.steps if s.done_on and since <= s.done_on[:10] <= until]

    shown = [m for m in items if m.status in UNDER_WAY or done_in_period(m)]
    steps_done = sum(len(done_in_period(m)) for m in items)
    figures["measures.total"] = len(items)
    figures["measures.steps_done"] = steps_done
    for code in MEASURE_STATUSES:
        figures[f"measures.{code}"] = sum(1 for m in items if m.status == code)
    blocks: list[Block] = []
    if not items:
        blocks.append("Die Maßnahmenmatrix enthält noch keine Maßnahmen.")
    else:
        counts = ", ".join(
            f"{_n(figures[f'measures.{code}'])} {label}"
            for code, label in MEASURE_STATUSES.items()
            if figures[f"measures.{code}"]
        )
        blocks.append(
            f"Die Maßnahmenmatrix der Allianz umfasst {_of(len(items), 'Maßnahme', 'Maßnahmen')} "
            f"({counts}). "
            f"Im Zeitraum {'wurde' if steps_done == 1 else 'wurden'} {_n(steps_done)} "
            f"{'Schritt' if steps_done == 1 else 'Schritte'} erledigt."
        )
    if shown:
        rows = []
        for m in shown:
            following = next((s for s in m.steps if not s.done_on), None)
            rows.append(
                (
                    m.ref,
                    _text(m.title),
                    MEASURE_STATUSES.get(m.status, m.status),
                    "\n".join(f"{_day(s.done_on)}: {_text(s.text)}" for s in done_in_period(m))
                    or "–",
                    (
                        _text(following.text)
                        + (f" (fällig {_day(following.due_on)})" if following.due_on else "")
                    )
                    if following
                    else "–",
                )
            )
        blocks.append(
            Table(
                ("Nr.", "Maßnahme", "Stand", "im Zeitraum erledigt", "nächster Schritt"),
                tuple(rows),
                (9, 30, 13, 26, 22),
            )
        )
    return [Section("2.2", "Projekte", 2, tuple(blocks))]


def slice_sections(request: FigureRequest) -> dict[str, FigureSection]:
    """The figure sections of the slices named in FIGURE_SLICES, by section key; a slice that
    is not registered is left out (and so is its part of the report)."""
    found: dict[str, FigureSection] = {}
    for feature in features.registry():
        if feature.name in FIGURE_SLICES and feature.figures is not None:
            for section in feature.figures(request):
                found[section.key] = section
    return found


def _participation(request: FigureRequest, user: User, figures: dict) -> list[Section]:
    found = slice_sections(request)
    rows: list[tuple[str, str, str]] = []
    areas: list[str] = []

    def add(area: str, key: str, label: str, value, shown: str) -> None:
        """A figure's row; the area is named on its first row only."""
        figures[key] = value
        rows.append((area if area not in areas else "", label, shown))
        areas.append(area)

    blocks: list[Block] = [
        "Die Geschäftsstelle begleitet die Beteiligung der Bürgerinnen und Bürger: "
        "Bürgerwerkstätten, den Bürgermelder für Hinweise, die Prüfung der Rad- und Kernwege "
        "und die Vermittlung leerstehender Flächen."
    ]
    held = []
    if "workshops" in found:
        section = found["workshops"]
        area = "Bürgerwerkstätten"
        for key, label in (
            ("workshops", "Werkstätten im Zeitraum"),
            ("participants", "Teilnehmende"),
            ("cards", "Ideenkarten"),
            ("online_cards", "davon online eingereicht"),
            ("dots", "vergebene Punkte"),
        ):
            value = int(section.value(key) or 0)
            add(area, f"workshops.{key}", label, value, _n(value))
        since, until = request.period.since.isoformat(), request.period.until.isoformat()
        held = [
            w
            for w in workshops.all_workshops(request.db)
            if since <= w.date <= until and w.phase is not Phase.PLANNED
        ]
    if "suggestions" in found:
        section = found["suggestions"]
        area = "Hinweise (Bürgermelder)"
        for key, label in (
            ("new", "im Zeitraum eingegangen"),
            ("done", "davon heute erledigt"),
            ("declined", "davon abgelehnt"),
            ("open", "davon offen"),
        ):
            value = int(section.value(key) or 0)
            add(area, f"suggestions.{key}", label, value, _n(value))
        days = section.value("answer_days")
        days = None if days is None or days != days else float(days)
        add(area, "suggestions.answer_days", "Median Tage bis zur ersten Antwort", days,
            "–" if days is None else de_float(days, 1))  # fmt: skip
    if "networks" in found:
        section = found["networks"]
        area = "Radwege- und Kernwegenetz (Stand heute)"
        for key, label in (
            ("rad", "Radwegenetz km"),
            ("kern", "Kernwegenetz km"),
            ("reviewed", "davon geprüft km"),
        ):
            value = float(section.value(key) or 0)
            add(area, f"networks.{key}", label, value, _km(value))
    if "vacancy" in found:
        area = "Leerstand"
        sites = int(found["vacancy"].value("sites") or 0)
        add(area, "vacancies.sites", "Flächen im Kataster (heute leer oder in Vermittlung)",
            sites, _n(sites))  # fmt: skip
        for key, (label, value) in _brokered(request, user).items():
            add(area, f"vacancies.{key}", label, value, _n(value))
    if rows:
        blocks.append(Table(("Bereich", "Kennzahl", "Wert"), tuple(rows), (34, 50, 16)))
    if held:
        blocks.append("Bürgerwerkstätten im Zeitraum:")
        blocks.append(
            Table(
                ("Datum", "Werkstatt", "Ort", "Teilnehmende"),
                tuple(
                    (_day(w.date), _text(w.title), _text(w.place), _n(w.participants)) for w in held
                ),
                (16, 40, 30, 14),
            )
        )
    return [Section("2.3", "Beteiligung", 2, tuple(blocks))]


def _brokered(request: FigureRequest, user: User) -> dict[str, tuple[str, int]]:
    """Interest requests in the period and how the sites' state moved between the day before
    the period and its end (from the register's history)."""
    since, until = request.period.since, request.period.until
    requests = sum(
        1
        for r in vacancies.interests(request.db, user)
        if since.isoformat() <= str(r["created_at"])[:10] <= until.isoformat()
    )
    before = {
        r["id"]: r.get("status")
        for r in vacancies.records_as_of(request.db, user, since - timedelta(days=1))
    }
    after = {r["id"]: r.get("status") for r in vacancies.records_as_of(request.db, user, until)}
    changed = [i for i, status in after.items() if i in before and before[i] != status]
    return {
        "interests": ("Anfragen von Interessierten im Zeitraum", requests),
        "new": ("Flächen neu erfasst", sum(1 for i in after if i not in before)),
        "changed": ("Flächen mit geändertem Stand", len(changed)),
        "in_progress": ("davon jetzt in Vermittlung",
                        sum(1 for i in changed if after[i] == "in_progress")),
        "reused": ("davon jetzt wieder genutzt", sum(1 for i in changed if after[i] == "reused")),
    }  # fmt: skip


def _appointments(request: FigureRequest, user: User, figures: dict) -> Section:
    period = request.period
    entries = service.appointments(request.db, user, period.since, period.until)
    figures["appointments"] = len(entries)
    if not entries:
        return Section("2.4", "Austausch und Vernetzung", 2,
                       ("Im Zeitraum sind keine Außentermine eingetragen.",))  # fmt: skip
    return Section(
        "2.4",
        "Austausch und Vernetzung",
        2,
        (
            "Ein weiteres Aufgabenfeld des Allianzmanagements ist die Koordinierung des "
            "Zusammenwirkens der Allianzkommunen untereinander, mit benachbarten "
            "interkommunalen Zusammenschlüssen sowie mit regionalen Akteuren. An folgenden "
            "Veranstaltungen nahm das Allianzmanagement teil "
            f"({_of(len(entries), 'Termin', 'Termine')}):",
            Table(
                ("Datum", "Veranstaltung", "Partner", "Thema"),
                tuple(
                    (_day(a.on_date), _text(a.event), _text(a.partner), _text(a.topic))
                    for a in entries
                ),
                (16, 38, 22, 24),
            ),
        ),
    )


def _press(request: FigureRequest, user: User, figures: dict) -> Section:
    period = request.period
    entries = service.press(request.db, user, period.since, period.until)
    figures["press"] = len(entries)
    if not entries:
        return Section("2.5", "Öffentlichkeitsarbeit", 2,
                       ("Im Zeitraum sind keine Presseberichte eingetragen.",))  # fmt: skip
    return Section(
        "2.5",
        "Öffentlichkeitsarbeit",
        2,
        (
            f"Im Zeitraum {'ist' if len(entries) == 1 else 'sind'} {_n(len(entries))} "
            f"{'Bericht' if len(entries) == 1 else 'Berichte'} über die Allianz erschienen:",
            _press_table(entries),
        ),
    )


def _press_table(entries) -> Table:
    """Date, outlet, topic; the link column only when an entry has a link."""
    links = any(p.url for p in entries)
    return Table(
        ("Datum", "Medium", "Thema", *(("Link",) if links else ())),
        tuple(
            (_day(p.on_date), _text(p.outlet), _text(p.topic), *((_text(p.url),) if links else ()))
            for p in entries
        ),
        (16, 22, 38, 24) if links else (16, 24, 60),
    )


def _sources(request: FigureRequest) -> Section:
    lines = [meeting_figures.SOURCE, OWN_SOURCES[0]]
    lines += [s.source for s in slice_sections(request).values()]
    lines += OWN_SOURCES[1:]
    return Section("3", "Datengrundlage", 1, tuple(lines))


# --- PDF ---------------------------------------------------------------------------------------


def pdf(report: ActivityReport) -> bytes:
    from allianz.pdf import Document  # noqa: PLC0415 - fpdf and matplotlib only when asked

    doc = Document(f"{report.title} · {report.alliance}", SOURCE_NOTE)
    doc.heading(report.title)
    doc.paragraph(report.subtitle)
    for section in report.all_sections():
        doc.heading(section.heading, section.level + 1)
        for block in section.blocks:
            if isinstance(block, Table):
                doc.table_of(block.columns, block.rows, widths=block.widths, size=8)
            else:
                doc.paragraph(block, size=8 if section.number == "3" else 10)
    return doc.to_bytes()


# --- Word ------------------------------------------------------------------------------------


def _xml(text: str) -> str:
    """Characters XML cannot carry (python-docx refuses them) become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def docx(report: ActivityReport) -> bytes:
    import docx as python_docx  # noqa: PLC0415 - only when a Word file is asked for
    from docx.shared import Cm  # noqa: PLC0415

    document = python_docx.Document()
    _german(document)
    properties = document.core_properties
    properties.title = _xml(report.title)
    properties.subject = _xml(report.alliance)
    properties.author = "Allianz-Werkstatt"
    properties.language = "de-DE"
    page = document.sections[0]
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.left_margin = page.right_margin = Cm(2)
    _footer(page, report)
    document.add_heading(_xml(report.title), 0)
    document.add_paragraph(_xml(report.subtitle))
    width = page.page_width - page.left_margin - page.right_margin
    for section in report.all_sections():
        document.add_heading(_xml(section.heading), section.level)
        for block in section.blocks:
            if isinstance(block, Table):
                _word_table(document, block, width)
            else:
                document.add_paragraph(_xml(block))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _german(document) -> None:
    """Word checks spelling in German: the default language of the styles."""
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415

    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr.find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for key in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(key), "de-DE")


def _footer(page, report: ActivityReport) -> None:
    """'Stand 04.12.2026 · Quelle: Allianz-Werkstatt · Seite n' (n as a field Word fills)."""
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415

    paragraph = page.footer.paragraphs[0]
    paragraph.text = f"Stand {_day(report.made_on)} · {SOURCE_NOTE} · Seite "
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _word_table(document, table: Table, width) -> None:
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415

    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    shares = [w / sum(table.widths) for w in table.widths]
    header = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")  # the heading row again on every page
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, table.columns, strict=True):
        cell.paragraphs[0].add_run(_xml(text)).bold = True
    for values in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            lines = _xml(value).split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for row in grid.rows:
        for cell, share in zip(row.cells, shares, strict=True):
            cell.width = int(width * share)
    document.add_paragraph()
