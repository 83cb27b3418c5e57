"""Ask the mayor: consultation hours of the mayors and the alliance speaker with a moderated
question queue, support, a live view, a presentation screen and a transcript."""

from datetime import UTC, datetime

from allianz.auth import EVERYONE, MUNICIPAL_DESK
from allianz.features import Feature, Page, Teaser
from allianz.mayor_hours import cli, demo, feeds, figures, personal_data, service

PAGE_PUBLIC = "allianz/mayor_hours/pages/mayor_hours.py"
PAGE_OFFICE = "allianz/mayor_hours/pages/mayor_hours_office.py"
PAGE_SCREEN = "allianz/mayor_hours/pages/mayor_hours_screen.py"


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, actor)


def _next_hours(db, user) -> tuple[str, list[Teaser]]:
    coming = service.upcoming(db, datetime.now(UTC), limit=3)
    return "Frag den Bürgermeister", [
        Teaser(
            f"{service.when(h)} · {h.host_title}" + (f" · {h.topic}" if h.topic else ""),
            PAGE_PUBLIC,
            {"sprechstunde": str(h.id)},
        )
        for h in coming
    ]


FEATURE = Feature(
    name="mayor_hours",
    label="Sprechstunden",
    pages=(
        Page(
            PAGE_PUBLIC,
            "Frag den Bürgermeister",
            ":material/record_voice_over:",
            "Allianz",
            "Sprechstunden der Bürgermeister: Fragen stellen und unterstützen, live die Antworten "
            "lesen, Protokoll als PDF und Markdown.",
            "page.mayor_hours",
        ),
        Page(
            PAGE_OFFICE,
            "Sprechstunden moderieren",
            ":material/forum:",
            "Allianz",
            "Sprechstunden ankündigen, Fragen freigeben, zusammenführen oder mit Grund "
            "zurückhalten, live beantworten; offene Fragen zum Hinweis machen.",
            "page.mayor_hours_office",
        ),
        Page(
            PAGE_SCREEN,
            "Sprechstunde: Leinwand",
            ":material/present_to_all:",
            "Allianz",
            "Präsentationsansicht für eine Bürgerversammlung: die aktuelle Frage und Antwort in "
            "großer Schrift.",
            "page.mayor_hours_screen",
        ),
    ),
    permissions={
        "page.mayor_hours": EVERYONE,
        "page.mayor_hours_screen": EVERYONE,
        "page.mayor_hours_office": MUNICIPAL_DESK,
        "mayor_hours.manage": MUNICIPAL_DESK,
        "mayor_hours.moderate": MUNICIPAL_DESK,
    },
    personal_data=(personal_data.QUESTIONS,),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    routes=tuple(feeds.ROUTES),
    start_page=_next_hours,
    audit_actions={
        "mayor_hour.create": "Sprechstunde angekündigt",
        "mayor_question.create": "Frage an die Sprechstunde eingegangen",
        "mayor_question.approve": "Frage freigegeben",
        "mayor_question.hold": "Frage zurückgehalten",
        "mayor_question.merge": "Frage zusammengeführt",
        "mayor_question.answer": "Frage beantwortet",
        "mayor_question.suggestion": "Frage als Hinweis übernommen",
    },
)
