"""The newsletter's figure for the steering group: confirmed subscribers, per member those
whose choice includes it (a subscriber of all members counts for each), today's stand."""

from __future__ import annotations

from allianz.digest import service
from allianz.figures import ALLIANCE, FigureRequest, FigureSection

PAGE = "allianz/digest/pages/newsletter.py"
LABELS = {"confirmed": "Newsletter-Abonnements (bestätigt, heute)"}
SOURCE = (
    "Newsletter: bestätigte Anmeldungen (Double-Opt-in), Stand heute; je Gemeinde die "
    "Abonnements, deren Auswahl die Gemeinde einschließt."
)


def sections(request: FigureRequest) -> list[FigureSection]:
    per_member = service.confirmed_per_municipality(request.db, request.alliance)
    total = service.confirmed_count(request.db)
    values = {
        scope: {"confirmed": total if scope == ALLIANCE else per_member.get(scope, 0)}
        for scope in request.scopes()
    }
    return [
        FigureSection(
            key="digest",
            title="Newsletter",
            heading="Newsletter: bestätigte Abonnements",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Wer alle Gemeinden gewählt hat, zählt bei jeder Gemeinde; die Allianz zählt "
            "jedes Abonnement einmal.",
            source=SOURCE,
            headline=(("confirmed", "Newsletter-Abonnements"),),
            link=(PAGE, "Zum Newsletter"),
        )
    ]
