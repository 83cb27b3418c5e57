"""The council report (Sitzungsvorlage) as PDF: the summary's figures, charts and tables, top
ideas, measures with overdue steps, and where each number comes from."""

from __future__ import annotations

import pandas as pd

from allianz import charts
from allianz.config import Alliance
from allianz.formatting import de_value
from allianz.pdf import Document
from allianz.summary.figures import ALLIANCE, Summary

SOURCES = (
    "Hinweise: Bürgermelder der Allianz-Werkstatt (ohne ausgeblendete und zusammengeführte), "
    "im Zeitraum gemeldet; Status von heute.",
    "Bürgerwerkstätten: im Zeitraum begonnene Werkstätten; allianzweite Werkstätten zählen nur "
    "in der Spalte Allianz.",
    "Netze: Radwege- und Kernwegenetz von heute, Längen in ETRS89/UTM32N, an den "
    "Gemeindegrenzen geteilt.",
    "Leerstand: Leerstandskataster von heute (leer oder in Vermittlung); Veränderung gegenüber "
    "dem Stand vor 91 Tagen aus dem Verlauf.",
    "Maßnahmen: Maßnahmenmatrix der Lenkungsgruppe; überfällig = nächster Schritt nach "
    "Fälligkeit nicht erledigt.",
)


def _columns(summary: Summary, municipality: str | None) -> list[str]:
    return [ALLIANCE, municipality] if municipality else list(summary.columns)


def _section(
    doc: Document,
    title: str,
    frame: pd.DataFrame,
    columns: list[str],
    chart_row: str | None = None,
) -> None:
    doc.heading(title, 2)
    shown = frame[columns].T  # one row per municipality, figures as columns
    if chart_row is not None:
        municipalities = [c for c in frame.columns if c != ALLIANCE]
        doc.picture(
            charts.bars(
                municipalities,
                {chart_row: [float(frame.loc[chart_row, c] or 0) for c in municipalities]},
                f"{chart_row} je Gemeinde",
            ),
            width_mm=140,
            caption=f"{chart_row} je Gemeinde (Werte in der Tabelle)",
        )
    figures = list(shown.columns)
    width_name = 38
    width_each = max(12, int((180 - width_name) / max(1, len(figures))))
    doc.table_of(
        ["Gemeinde", *figures],
        [[name, *(de_value(v) for v in row)] for name, row in shown.iterrows()],
        widths=(width_name, *([width_each] * len(figures))),
        size=7 if len(figures) > 6 else 8,
    )


def pdf(alliance: Alliance, summary: Summary, municipality: str | None = None) -> bytes:
    """`municipality` (a name) narrows the tables to the alliance and that municipality."""
    scope = municipality or alliance.name
    doc = Document(
        f"Sitzungsvorlage {scope}: Bericht {summary.period.label}", "Quelle: Allianz-Werkstatt"
    )
    doc.heading(f"Bericht an die Räte: {scope}")
    doc.paragraph(
        f"{alliance.name} · Zeitraum {summary.period.label} · Netze, Leerstand und Maßnahmen: "
        "Stand heute."
    )
    columns = _columns(summary, municipality)
    _section(
        doc, "Hinweise der Bürgerinnen und Bürger", summary.suggestions, columns, "neu im Zeitraum"
    )
    categories = summary.categories[columns]
    categories = categories[(categories != 0).any(axis=1)]
    if not categories.empty:
        doc.heading("Hinweise nach Kategorie", 3)
        doc.table_of(
            ["Kategorie", *columns],
            [[name, *(de_value(v) for v in row)] for name, row in categories.iterrows()],
            widths=(44, *([int(136 / len(columns))] * len(columns))),
            size=6 if len(columns) > 4 else 8,
        )
    _section(doc, "Bürgerwerkstätten", summary.workshops, columns)
    ideas = [i for i in summary.top_ideas if municipality in (None, i.scope) or i.scope == ALLIANCE]
    if ideas:
        doc.heading("Die wichtigsten Ideen je Thementisch", 3)
        doc.table_of(
            ["Werkstatt", "Thementisch", "Idee", "Punkte"],
            [[i.workshop, i.topic, i.text, i.dots] for i in ideas],
            widths=(40, 40, 85, 15),
            size=7,
        )
    _section(doc, "Radwege- und Kernwegenetz", summary.networks, columns, "Zustand 4–5 km")
    _section(doc, "Leerstand", summary.vacancy, columns, "je 1.000 Einw.")
    _section(doc, "Maßnahmen", summary.measures, columns)
    doc.heading("Überfällige nächste Schritte", 3)
    names = {m.ags: m.name for m in alliance.municipalities}
    overdue = [
        o
        for o in summary.overdue
        if municipality is None
        or not o.municipalities
        or municipality in {names[a] for a in o.municipalities}
    ]
    if overdue:
        doc.table_of(
            ["Nr.", "Maßnahme", "Schritt", "fällig", "zuständig"],
            [[o.ref, o.measure, o.step, o.due_on, o.responsible] for o in overdue],
            widths=(14, 55, 65, 20, 26),
            size=7,
        )
    else:
        doc.paragraph("Keine überfälligen Schritte.")
    doc.heading("Datengrundlage", 2)
    for note in SOURCES:
        doc.paragraph(note, size=8)
    return doc.to_bytes()
