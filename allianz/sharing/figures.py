"""The pool's figures for the steering group: items in the pool, loans between members that
ended in the period, machine hours, the amounts settled and the savings against buying; usage
per item as a listing.

Savings against buying ("Ersparnis gegenüber eigenem Kauf"): for each pair of an item and a
member that borrowed it from another member in the period, the item's purchase/replacement
value (the purchase that member did not have to make) minus what that member paid for the
item in the period's settlement. Items without a purchase value do not count. A pair counts
once however often the item was borrowed; a negative value means renting cost more than
buying would have."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from allianz.figures import ALLIANCE, FigureRequest, FigureSection, Listing
from allianz.formatting import BERLIN
from allianz.sharing import service, store
from allianz.versioned_cache import VersionedCache

LABELS = {
    "items": "Geräte im Pool",
    "loans": "Ausleihen zwischen Mitgliedern (zurückgegeben)",
    "hours": "Maschinenstunden bei anderen Mitgliedern",
    "amount": "Abgeltung in Euro",
    "avoided": "Vermiedene Anschaffungen in Euro (Anschaffungswert)",
    "savings": "Ersparnis gegenüber eigenem Kauf in Euro",
}
SAVINGS_NOTE = (
    "Ersparnis gegenüber eigenem Kauf: für jedes Gerät und jede Gemeinde, die es im Zeitraum "
    "bei einem anderen Mitglied ausgeliehen hat, der Anschaffungswert des Geräts (den diese "
    "Gemeinde nicht ausgeben musste) abzüglich der Abgeltung, die sie dafür im Zeitraum "
    "gezahlt hat. Jedes Paar aus Gerät und Gemeinde zählt einmal, auch bei mehreren "
    "Ausleihen; Geräte ohne eingetragenen Anschaffungswert zählen nicht. Die Ersparnis zählt "
    "bei der entleihenden Gemeinde."
)
SOURCE = (
    "Geräte-Pool: Inventar der Bauhöfe; Ausleihen = zurückgegebene Buchungen, deren Nutzung im "
    "Zeitraum endete; Abgeltung nach den Sätzen der Buchung."
)

_cache: VersionedCache[list[FigureSection]] = VersionedCache(keep=16)


def savings(lines) -> dict[tuple[int, str], tuple[int, int]]:
    """(item id, borrowing AGS) -> (purchase value, settlement paid) in cents, for the items
    with a purchase value; the saving of a pair is the first minus the second."""
    found: dict[tuple[int, str], tuple[int, int]] = {}
    for line in lines:
        value = line.item.purchase_value_cents
        if not value:
            continue
        key = (line.item.id, line.debtor_ags)
        paid = found.get(key, (value, 0))[1]
        found[key] = (value, paid + line.total_cents)
    return found


def sections(request: FigureRequest) -> list[FigureSection]:
    """Kept per data version and period: a district's year holds tens of thousands of loans,
    and the steering group's page reruns on every click."""
    return _cache.get(
        (store.version(request.db), request.alliance.slug, request.period),
        lambda: _computed(request),
    )


def _computed(request: FigureRequest) -> list[FigureSection]:
    start = datetime.combine(request.period.since, time.min, BERLIN)
    end = datetime.combine(request.period.until + timedelta(days=1), time.min, BERLIN)
    items = service.items(request.db)
    # plain rows, not bookings: a district's year has tens of thousands of loans
    lines = service.loan_figures(request.db, start, end)
    totals = {scope: [0, 0, 0] for scope in request.scopes()}  # loans, minutes, cents
    everyone = totals[ALLIANCE]
    for line in lines:  # one pass; lender and borrower are never the same member
        for total in (everyone, totals.get(line.creditor_ags), totals.get(line.debtor_ags)):
            if total is not None:
                total[0] += 1
                total[1] += line.machine_minutes
                total[2] += line.total_cents
    held: dict[str, int] = defaultdict(int)
    for item in items:
        held[ALLIANCE] += 1
        held[item.holder_ags] += 1
    saved: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # scope -> avoided, savings
    for (_, who), (value, paid) in savings(lines).items():
        for scope in (ALLIANCE, who):
            saved[scope][0] += value
            saved[scope][1] += value - paid
    values = {}
    for scope, (loans, minutes, cents) in totals.items():
        avoided, saving = saved[scope]
        values[scope] = {
            "items": held[scope],
            "loans": loans,
            "hours": round(minutes / 60, 1),
            "amount": round(cents / 100, 2),
            "avoided": round(avoided / 100, 2),
            "savings": round(saving / 100, 2),
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
                "hours": float(Decimal(sum(x.machine_minutes for x in used)) / 60),
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
            note="Eine Ausleihe zählt für die verleihende und die entleihende Gemeinde. "
            + SAVINGS_NOTE,
            source=SOURCE,
            compare=("loans", "Ausleihen"),
            headline=(("loans", "Ausleihen"), ("hours", "Maschinenstunden")),
            listings=(listing,),
            link=("allianz/sharing/pages/pool.py", "Zum Geräte-Pool"),
        )
    ]
