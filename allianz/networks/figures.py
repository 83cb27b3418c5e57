"""The networks' figures for the steering group: km of both networks today, cut at the member
boundaries. Cutting thousands of segments is the slow part of the summary, so the prepared
network is kept per data version (`networks.snapshot`)."""

from __future__ import annotations

from allianz.figures import ALLIANCE, FigureRequest, FigureSection
from allianz.networks import service, snapshot

LABELS = {
    "rad": "Radwegenetz km",
    "kern": "Kernwegenetz km",
    "reviewed": "davon geprüft km",
    "poor": "Zustand 4–5 km",
    "gaps": "Lücken km",
    "priority_a": "Priorität A km",
}
SOURCE = (
    "Netze: Radwege- und Kernwegenetz von heute, Längen in ETRS89/UTM32N, an den "
    "Gemeindegrenzen geteilt."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    prepared = snapshot.current(request.db, request.areas).prepared
    data = prepared.data
    if data.empty:
        total = dict.fromkeys(LABELS, 0.0)
    else:
        km = data["length_km"]
        total = {k: round(float(km[m].sum()), 3) for k, m in service.km_masks(data).items()}
    values = {ALLIANCE: total}
    for ags, row in service.km_table(prepared).iterrows():
        values[ags] = {k: row[k] for k in LABELS}
    return [
        FigureSection(
            key="networks",
            title="Netze",
            heading="Radwege- und Kernwegenetz",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Stand heute; Längen an den Gemeindegrenzen geteilt.",
            source=SOURCE,
            compare=("poor", "Zustand 4–5 km"),
            report_chart="poor",
            link=("allianz/networks/pages/networks.py", "Zu Radwegen & Kernwegen"),
        )
    ]
