"""The workshops' figures for the steering group: workshops held in the period, their
participants, cards and dots, and the top ideas of each table."""

from __future__ import annotations

from allianz.figures import ALLIANCE, FigureRequest, FigureSection, Listing
from allianz.workshops import results, store
from allianz.workshops.model import Phase

LABELS = {
    "workshops": "Werkstätten",
    "participants": "Teilnehmende",
    "cards": "Karten",
    "online_cards": "davon online",
    "dots": "Punkte",
}
SOURCE = (
    "Bürgerwerkstätten: im Zeitraum begonnene Werkstätten; allianzweite Werkstätten zählen nur "
    "in der Spalte Allianz."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    since, until = request.period.since.isoformat(), request.period.until.isoformat()
    held = [
        w
        for w in store.all_workshops(request.db)
        if since <= w.date <= until and w.phase is not Phase.PLANNED
    ]
    cards = {w.id: store.cards(request.db, w.id) for w in held}
    values = {}
    for scope in request.scopes():
        mine = [w for w in held if scope == ALLIANCE or w.scope_ags == scope]
        values[scope] = {
            "workshops": len(mine),
            "participants": sum(w.participants for w in mine),
            "cards": sum(len(cards[w.id]) for w in mine),
            "online_cards": sum(1 for w in mine for c in cards[w.id] if c.origin == "online"),
            "dots": sum(c.dots for w in mine for c in cards[w.id]),
        }
    ideas = [
        (w, table, ranked)
        for w in held
        for table in w.tables
        for ranked in results.top([c for c in cards[w.id] if c.table_id == table.id], 3)
    ]
    top_ideas = Listing(
        key="top_ideas",
        title="Die wichtigsten Ideen je Thementisch",
        columns={"workshop": "Werkstatt", "topic": "Thementisch", "text": "Idee", "dots": "Punkte"},
        rows=tuple(
            {"workshop": w.title, "topic": t.topic, "text": r.card.text, "dots": r.card.dots}
            for w, t, r in ideas
        ),
        scopes=tuple((w.scope_ags,) if w.scope_ags else () for w, _, _ in ideas),
    )
    return [
        FigureSection(
            key="workshops",
            title="Werkstätten",
            heading="Bürgerwerkstätten",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Gezählt: im Zeitraum begonnene Werkstätten, die stattgefunden haben.",
            source=SOURCE,
            compare=("cards", "Karten"),
            headline=(("workshops", "Werkstätten"),),
            listings=(top_ideas,),
            link=("allianz/workshops/pages/workshops.py", "Zur Bürgerwerkstatt"),
        )
    ]
