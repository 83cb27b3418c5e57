"""News ("Neuigkeiten") of the alliance's office and the members' administrations: drafts, the
office's review, a publishing window, the public list with filters, RSS and Atom feeds,
schema.org `NewsArticle` on each item, and a page explaining how to subscribe to the feeds."""

from datetime import UTC, datetime

from allianz.auth import EVERYONE, MANAGER_ONLY, STAFF_AND_MANAGER
from allianz.features import Feature, Page, Teaser
from allianz.formatting import de_date
from allianz.news import cli, demo, feeds, figures, personal_data, service
from allianz.news.model import DETAIL_KEY, State

PAGE_PUBLIC = "allianz/news/pages/news.py"
PAGE_DESK = "allianz/news/pages/news_desk.py"
PAGE_SUBSCRIBE = "allianz/news/pages/subscribe.py"


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, actor)


def _newest(db, user) -> tuple[str, list[Teaser]]:
    return "Neueste Neuigkeiten", [
        Teaser(
            f"{de_date(item.visible_from)} · {item.title}", PAGE_PUBLIC, {DETAIL_KEY: str(item.id)}
        )
        for item in service.newest(db, 3, datetime.now(UTC))
    ]


def _desk(db, user, ags: str) -> tuple[str, list[Teaser]]:
    items = service.open_for(db, user, ags)
    return f"Neuigkeiten: zurückgegeben oder wartend ({len(items)})", [
        Teaser(
            f"{item.title} · "
            + (
                f"zurückgegeben: {item.review_note}"
                if item.state is State.DRAFT
                else "wartet auf Freigabe"
            ),
            PAGE_DESK,
            {DETAIL_KEY: str(item.id)},
        )
        for item in items
    ]


FEATURE = Feature(
    name="news",
    label="Neuigkeiten",
    pages=(
        Page(
            PAGE_PUBLIC,
            "Neuigkeiten",
            ":material/newspaper:",
            "Aktuelles",
            "Meldungen der Geschäftsstelle und der Gemeinden, nach Gemeinde und Thema gefiltert; "
            "als RSS- und Atom-Feed zum Abonnieren.",
            "page.news",
        ),
        Page(
            PAGE_DESK,
            "Neuigkeiten schreiben",
            ":material/edit_note:",
            "Verwaltung",
            "Meldungen schreiben, als Entwurf speichern, zur Freigabe senden, ändern und "
            "zurückziehen; die Geschäftsstelle gibt die Meldungen der Gemeinden frei.",
            "page.news_desk",
        ),
        Page(
            PAGE_SUBSCRIBE,
            "Abonnieren",
            ":material/rss_feed:",
            "Aktuelles",
            "So abonnieren Sie Neuigkeiten, Veranstaltungen und Stellenangebote als RSS-, Atom- "
            "oder Kalender-Feed.",
            "page.subscribe",
        ),
    ),
    permissions={
        "page.news": EVERYONE,
        "page.subscribe": EVERYONE,
        "page.news_desk": STAFF_AND_MANAGER,
        "news.write": STAFF_AND_MANAGER,
        "news.review": MANAGER_ONLY,
    },
    personal_data=(personal_data.AUTHORS,),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    routes=tuple(feeds.ROUTES),
    start_page=_newest,
    municipality_desk=_desk,
    audit_actions={
        "news.create": "Meldung angelegt",
        "news.update": "Meldung geändert",
        "news.submit": "Meldung zur Freigabe gesendet",
        "news.publish": "Meldung veröffentlicht",
        "news.approve": "Meldung freigegeben",
        "news.return": "Meldung zur Überarbeitung zurückgegeben",
        "news.withdraw": "Meldung zurückgezogen",
    },
)
