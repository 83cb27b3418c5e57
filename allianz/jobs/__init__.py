"""The members' job board ("Stellenbörse"): postings with pay grade, hours, start and deadline;
they leave the list after the deadline day and stay in the archive; a reminder five days
before; an RSS feed and schema.org JSON-LD for search engines and the members' websites."""

from allianz.auth import EVERYONE, STAFF_AND_MANAGER
from allianz.features import Feature, Page, Teaser
from allianz.formatting import de_date
from allianz.jobs import cli, demo, feeds, figures, personal_data, service

PAGE_PUBLIC = "allianz/jobs/pages/jobs.py"
PAGE_OFFICE = "allianz/jobs/pages/jobs_office.py"


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, actor)


def _open_jobs(db, user) -> tuple[str, list[Teaser]]:
    newest = service.open_postings(db, size=3).postings
    return "Offene Stellen", [
        Teaser(
            f"{p.title} · {p.kind_label} · bis {de_date(p.valid_through)}",
            PAGE_PUBLIC,
            {"stelle": str(p.id)},
        )
        for p in newest
    ]


def _desk(db, user, ags: str) -> tuple[str, list[Teaser]]:
    ending = service.ending_soon(db, ags)
    return f"Stellenanzeigen: Bewerbungsfrist endet bald ({len(ending)})", [
        Teaser(f"{p.title} · bis {de_date(p.valid_through)}", PAGE_PUBLIC, {"stelle": str(p.id)})
        for p in ending
    ]


FEATURE = Feature(
    name="jobs",
    label="Stellenbörse",
    pages=(
        Page(
            PAGE_PUBLIC,
            "Stellenbörse",
            ":material/work:",
            "Aktuelles",
            "Offene Stellen, Ausbildungs- und Praktikumsplätze und Freiwilligendienste der "
            "Mitgliedsgemeinden; Archiv und RSS-Feed.",
            "page.jobs",
        ),
        Page(
            PAGE_OFFICE,
            "Stellen ausschreiben",
            ":material/work_history:",
            "Verwaltung",
            "Stellenanzeigen der eigenen Gemeinde anlegen, ändern, verlängern und zurückziehen.",
            "page.jobs_office",
        ),
    ),
    permissions={
        "page.jobs": EVERYONE,
        "page.jobs_office": STAFF_AND_MANAGER,
        "jobs.post": STAFF_AND_MANAGER,
    },
    personal_data=(personal_data.POSTINGS,),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    routes=tuple(feeds.ROUTES),
    start_page=_open_jobs,
    municipality_desk=_desk,
    audit_actions={
        "job.create": "Stellenanzeige veröffentlicht",
        "job.update": "Stellenanzeige geändert",
        "job.extend": "Bewerbungsfrist verlängert",
        "job.withdraw": "Stellenanzeige zurückgezogen",
        "job.remind": "Erinnerung an die Bewerbungsfrist versandt",
    },
)
