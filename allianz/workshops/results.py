"""What a workshop produced: ranked cards per table, tag clusters, live vs online, trends.

Pure functions over cards already loaded, so the page, the protocol and the mayors' summary
compute the same numbers the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from allianz.workshops.model import Card, Workshop

NO_TAG = "ohne Schlagwort"


@dataclass(frozen=True)
class Ranked:
    rank: int
    card: Card


def ranked(cards: list[Card]) -> list[Ranked]:
    """Most dots first; equal dots share a rank (1, 2, 2, 4), then the earlier card first."""
    ordered = sorted(cards, key=lambda c: (-c.dots, c.id))
    result: list[Ranked] = []
    for index, card in enumerate(ordered):
        rank = result[-1].rank if result and result[-1].card.dots == card.dots else index + 1
        result.append(Ranked(rank, card))
    return result


def by_table(workshop: Workshop, cards: list[Card]) -> dict[int, list[Ranked]]:
    """Every table of the workshop (also empty ones), with its cards ranked."""
    return {
        table.id: ranked([c for c in cards if c.table_id == table.id]) for table in workshop.tables
    }


def top(cards: list[Card], n: int = 3) -> list[Ranked]:
    """The best n cards that received dots at all."""
    return [r for r in ranked(cards) if r.card.dots > 0][:n]


@dataclass(frozen=True)
class TagCluster:
    tag: str
    cards: int
    dots: int


def tag_clusters(cards: list[Card]) -> list[TagCluster]:
    """Cards and dots per tag, largest first; a card with two tags counts in both."""
    count: Counter[str] = Counter()
    dots: Counter[str] = Counter()
    for card in cards:
        for tag in card.tags or (NO_TAG,):
            count[tag] += 1
            dots[tag] += card.dots
    return sorted(
        (TagCluster(tag, count[tag], dots[tag]) for tag in count),
        key=lambda c: (-c.cards, -c.dots, c.tag),
    )


@dataclass(frozen=True)
class OriginSplit:
    live_cards: int
    online_cards: int
    live_dots: int
    online_dots: int


def origin_split(cards: list[Card]) -> OriginSplit:
    """Live and online counted apart: cards by where they were written, dots by where given."""
    return OriginSplit(
        live_cards=sum(1 for c in cards if c.origin == "live"),
        online_cards=sum(1 for c in cards if c.origin == "online"),
        live_dots=sum(c.live_dots for c in cards),
        online_dots=sum(c.online_dots for c in cards),
    )


def per_handlungsfeld(cards: list[Card]) -> dict[int | None, tuple[int, int]]:
    """(cards, dots) per field of action; None collects cards not linked to one."""
    result: dict[int | None, tuple[int, int]] = {}
    for card in cards:
        n, d = result.get(card.handlungsfeld, (0, 0))
        result[card.handlungsfeld] = (n + 1, d + card.dots)
    return result


@dataclass(frozen=True)
class TopicPoint:
    topic: str
    workshop_id: int
    date: str
    cards: int
    dots: int


def table_totals(cards: list[Card]) -> dict[int, tuple[int, int]]:
    """(cards, dots) per table id."""
    totals: dict[int, tuple[int, int]] = {}
    for card in cards:
        n, d = totals.get(card.table_id, (0, 0))
        totals[card.table_id] = (n + 1, d + card.dots)
    return totals


def topic_over_time(
    workshops: list[Workshop], totals: dict[int, tuple[int, int]]
) -> list[TopicPoint]:
    """The same topic across workshops (matched by its wording, case-insensitive);
    `totals` holds (cards, dots) per table id (see table_totals and store.table_totals)."""
    points = []
    for workshop in workshops:
        for table in workshop.tables:
            cards, dots = totals.get(table.id, (0, 0))
            points.append(
                TopicPoint(
                    topic=" ".join(table.topic.split()),
                    workshop_id=workshop.id,
                    date=workshop.date,
                    cards=cards,
                    dots=dots,
                )
            )
    return sorted(points, key=lambda p: (p.topic.casefold(), p.date, p.workshop_id))


def recurring_topics(points: list[TopicPoint]) -> list[str]:
    """Topics that appear in more than one workshop."""
    seen: dict[str, set[int]] = {}
    names: dict[str, str] = {}
    for point in points:
        key = point.topic.casefold()
        seen.setdefault(key, set()).add(point.workshop_id)
        names.setdefault(key, point.topic)
    return sorted(names[k] for k, ids in seen.items() if len(ids) > 1)
