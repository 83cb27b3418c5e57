"""The council report (Sitzungsvorlage) as PDF: every slice's figures, charts and tables, its
listings (top ideas, overdue steps), and where each number comes from."""

from __future__ import annotations

import pandas as pd

from allianz import charts
from allianz.config import Alliance
from allianz.figures import ALLIANCE, FigureSection, Listing
from allianz.formatting import de_value
from allianz.pdf import Document
from allianz.summary.service import Summary


def _figures(doc: Document, section: FigureSection, summary: Summary, scopes: list[str]) -> None:
    doc.heading(section.heading, 2)
    frame = section.frame[scopes]
    if section.report_chart is not None:
        members = [s for s in section.frame.columns if s != ALLIANCE]
        label = section.labels[section.report_chart]
        doc.picture(
            charts.bars(
                [summary.names[s] for s in members],
                {label: [float(section.frame.loc[section.report_chart, s] or 0) for s in members]},
                f"{label} je Gemeinde",
            ),
            width_mm=140,
            caption=f"{label} je Gemeinde (Werte in der Tabelle)",
        )
    figures = [section.labels[i] for i in frame.index]
    width_name = 38
    width_each = max(12, int((180 - width_name) / max(1, len(figures))))
    doc.table_of(
        ["Gemeinde", *figures],
        [[summary.names[s], *(de_value(v) for v in frame[s])] for s in scopes],
        widths=(width_name, *([width_each] * len(figures))),
        size=7 if len(figures) > 6 else 8,
    )


def _matrix(doc: Document, title: str, frame: pd.DataFrame, summary: Summary, scopes: list[str]):
    shown = frame[scopes]
    shown = shown[(shown != 0).any(axis=1)]
    if shown.empty:
        return
    doc.heading(title, 3)
    doc.table_of(
        ["", *(summary.names[s] for s in scopes)],
        [[name, *(de_value(v) for v in row)] for name, row in shown.iterrows()],
        widths=(44, *([int(136 / len(scopes))] * len(scopes))),
        size=6 if len(scopes) > 4 else 8,
    )


def _listings(doc: Document, section: FigureSection, municipality_ags: str | None) -> None:
    for listing in section.listings:
        rows = listing.for_scope(municipality_ags)
        if not rows and listing.empty_text is None:
            continue
        doc.heading(listing.title, 3)
        if not rows:
            doc.paragraph(listing.empty_text or "")
            continue
        keys = list(listing.columns)
        widths = [max(15, int(180 * _share(listing, k, rows))) for k in keys]
        doc.table_of(
            list(listing.columns.values()),
            [[de_value(row[k]) for k in keys] for row in rows],
            widths=tuple(widths),
            size=7,
        )


def _share(listing: Listing, key: str, rows: list) -> float:
    """A column's share of the page width, by the length of its longest entry."""
    longest = {
        k: max(len(str(label)), *(len(str(r[k] or "")) for r in rows))
        for k, label in listing.columns.items()
    }
    capped = {k: min(60, max(6, n)) for k, n in longest.items()}
    return capped[key] / sum(capped.values())


def pdf(alliance: Alliance, summary: Summary, municipality_ags: str | None = None) -> bytes:
    """`municipality_ags` narrows the tables to the alliance and that member."""
    name = summary.names[municipality_ags] if municipality_ags else None
    scope = name or alliance.name
    doc = Document(
        f"Sitzungsvorlage {scope}: Bericht {summary.period.label}", "Quelle: Allianz-Werkstatt"
    )
    doc.heading(f"Bericht an die Räte: {scope}")
    doc.paragraph(
        f"{alliance.name} · Zeitraum {summary.period.label} · Netze, Leerstand und Maßnahmen: "
        "Stand heute."
    )
    scopes = [ALLIANCE, municipality_ags] if municipality_ags else list(summary.names)
    for section in summary.sections:
        _figures(doc, section, summary, scopes)
        for title, frame in section.matrices:
            _matrix(doc, title, frame, summary, scopes)
        _listings(doc, section, municipality_ags)
    doc.heading("Datengrundlage", 2)
    for section in summary.sections:
        doc.paragraph(section.source, size=8)
    return doc.to_bytes()
