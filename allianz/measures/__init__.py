"""Measures (Maßnahmen) of the alliance: the steering group's matrix as data."""

from allianz.auth import EVERYONE, MANAGER_ONLY
from allianz.features import Feature, Page
from allianz.measures import demo, figures


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, actor)


FEATURE = Feature(
    name="measures",
    label="Maßnahmen",
    pages=(
        Page(
            "allianz/measures/pages/measures.py",
            "Maßnahmen",
            ":material/checklist:",
            "Allianz",
            "Maßnahmen je Handlungsfeld mit Priorität, Bewertung, nächsten Schritten und Stand.",
            "page.measures",
        ),
    ),
    permissions={"page.measures": EVERYONE, "measures.edit": MANAGER_ONLY},
    figures=figures.sections,
    demo=_demo,
    audit_actions={
        "measure.create": "Maßnahme angelegt",
        "measure.update": "Maßnahme geändert",
        "measure.link": "Maßnahme verknüpft",
        "measure.unlink": "Verknüpfung gelöst",
    },
)
