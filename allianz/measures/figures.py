"""The measures' figures for the steering group: by priority and status per member, and the
next steps that are overdue."""

from __future__ import annotations

from allianz.figures import ALLIANCE, FigureRequest, FigureSection, Listing
from allianz.formatting import de_date
from allianz.measures import service
from allianz.measures.model import PRIORITIES, STATUSES

LABELS = {
    **{f"priority.{p}": f"Priorität {p}" for p in PRIORITIES},
    **{f"status.{code}": label for code, label in STATUSES.items()},
    "overdue": "überfällige Schritte",
}
SOURCE = (
    "Maßnahmen: Maßnahmenmatrix der Lenkungsgruppe; überfällig = nächster Schritt nach "
    "Fälligkeit nicht erledigt."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    items = service.all_measures(request.db)
    values = {}
    for scope in request.scopes():
        mine = [m for m in items if service.concerns(m, None if scope == ALLIANCE else scope)]
        column = {f"priority.{p}": sum(1 for m in mine if m.priority == p) for p in PRIORITIES}
        column |= {f"status.{code}": sum(1 for m in mine if m.status == code) for code in STATUSES}
        column["overdue"] = len(service.overdue_steps(mine, request.today))
        values[scope] = column
    overdue = service.overdue_steps(items, request.today)
    listing = Listing(
        key="overdue",
        title="Überfällige nächste Schritte",
        columns={
            "ref": "Nr.",
            "measure": "Maßnahme",
            "step": "Schritt",
            "due_on": "fällig",
            "responsible": "zuständig",
        },  # fmt: skip
        rows=tuple(
            {
                "ref": m.ref,
                "measure": m.title,
                "step": s.text,
                "due_on": de_date(s.due_on),
                "responsible": s.responsible,
            }
            for m, s in overdue
        ),  # fmt: skip
        scopes=tuple(tuple(m.municipalities) for m, _ in overdue),
        empty_text="Keine überfälligen Schritte.",
    )
    return [
        FigureSection(
            key="measures",
            title="Maßnahmen",
            heading="Maßnahmen",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Maßnahmen, die die Gemeinde nennen oder keine Gemeinde nennen (= alle).",
            source=SOURCE,
            compare=("overdue", "überfällige Schritte"),
            headline=(("overdue", "überfällige Schritte"),),
            listings=(listing,),
            link=("allianz/measures/pages/measures.py", "Zu den Maßnahmen"),
        )
    ]
