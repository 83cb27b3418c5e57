"""Feeds übernehmen: the members' staff register the RSS/Atom and iCal feeds of their own
websites; a job (`allianz feed-import run`, or "Jetzt abrufen" on the page) fetches them
carefully and takes new and changed entries over as the member's news and events, through the
news and events services, de-duplicated by GUID/UID and marked with their source."""

from allianz.auth import STAFF_AND_MANAGER
from allianz.features import Feature, Page, Teaser
from allianz.feed_import import cli, service

PAGE_SOURCES = "allianz/feed_import/pages/feed_sources.py"


def _desk(db, user, ags: str) -> tuple[str, list[Teaser]]:
    broken = service.failing(db, user, ags)
    return f"Feeds übernehmen: letzter Abruf fehlgeschlagen ({len(broken)})", [
        Teaser(f"{s.website} · {s.last_error[:120]}", PAGE_SOURCES, {"quelle": str(s.id)})
        for s in broken
    ]


FEATURE = Feature(
    name="feed_import",
    label="Feeds übernehmen",
    pages=(
        Page(
            PAGE_SOURCES,
            "Feeds übernehmen",
            ":material/dynamic_feed:",
            "Verwaltung",
            "RSS-, Atom- und iCal-Feeds der eigenen Website eintragen: neue Meldungen und "
            "Termine erscheinen automatisch unter Neuigkeiten und Veranstaltungen.",
            "page.feed_import",
        ),
    ),
    permissions={
        "page.feed_import": STAFF_AND_MANAGER,
        "feed_import.manage": STAFF_AND_MANAGER,
    },
    cli=cli.group,
    municipality_desk=_desk,
    audit_actions={
        "feed_import.add": "Feed-Quelle eingetragen",
        "feed_import.pause": "Feed-Quelle pausiert",
        "feed_import.resume": "Feed-Quelle fortgesetzt",
        "feed_import.delete": "Feed-Quelle gelöscht",
        "feed_import.run": "Feed übernommen",
    },
)
