"""The pool's figures for the steering group: items in the pool, loans between members that
ended in the period, machine hours and the amounts settled; usage per item as a listing."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from allianz.figures import ALLIANCE, FigureRequest, FigureSection, Listing
from allianz.formatting import BERLIN
from allianz.sharing import service

LABELS = {
    "items": "Geräte im Pool",
    "loans": "Ausleihen zwischen Mitgliedern (zurückgegeben)",
    "hours": "Maschinenstunden bei anderen Mitgliedern",
    "amount": "Abgeltung in Euro",
}
SOURCE = (
    "Geräte-Pool: Inventar der Bauhöfe; Ausleihen = zurückgegebene Buchungen, deren Nutzung im "
    "Zeitraum endete; Abgeltung nach den Sätzen der Buchung."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    start = datetime.combine(request.period.since, time.min, BERLIN)
    end = datetime.combine(request.period.until + timedelta(days=1), time.min, BERLIN)
    items = service.items(request.db)
    lines = service.returned_between(request.db, start, end)
    values = {}
    for scope in request.scopes():

        def concerns(line, scope=scope):
            return scope == ALLIANCE or scope in (line.creditor_ags, line.debtor_ags)

        mine = [x for x in lines if concerns(x)]
        values[scope] = {
            "items": sum(1 for i in items if scope == ALLIANCE or i.holder_ags == scope),
            "loans": len(mine),
            "hours": round(sum(x.booking.machine_minutes or 0 for x in mine) / 60, 1),
            "amount": round(sum(x.total_cents for x in mine) / 100, 2),
        }
    usage: dict[int, list] = defaultdict(list)
    for line in lines:
        usage[line.item.id].append(line)
    rows, scopes = [], []
    for used in sorted(usage.values(), key=lambda u: -len(u)):
        item = used[0].item
        rows.append(
            {
                "item": item.title,
                "holder": item.holder_label,
                "loans": len(used),
                "hours": float(Decimal(sum(x.booking.machine_minutes or 0 for x in used)) / 60),
                "amount": float(Decimal(sum(x.total_cents for x in used)) / 100),
            }
        )
        scopes.append(tuple({item.holder_ags, *(x.debtor_ags for x in used)}))
    listing = Listing(
        key="usage",
        title="Nutzung je Gerät",
        columns={
            "item": "Gerät",
            "holder": "Bauhof",
            "loans": "Ausleihen",
            "hours": "Maschinenstunden",
            "amount": "Abgeltung (€)",
        },
        rows=tuple(rows),
        scopes=tuple(scopes),
        empty_text="Im Zeitraum wurden keine Geräte zwischen Mitgliedern verliehen.",
    )
    return [
        FigureSection(
            key="sharing",
            title="Geräte-Pool",
            heading="Gemeinsame Nutzung von Bauhof-Geräten",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Eine Ausleihe zählt für die verleihende und die entleihende Gemeinde.",
            source=SOURCE,
            compare=("loans", "Ausleihen"),
            headline=(("loans", "Ausleihen"), ("hours", "Maschinenstunden")),
            listings=(listing,),
            link=("allianz/sharing/pages/pool.py", "Zum Geräte-Pool"),
        )
    ]
