"""The developments' figures for the steering group: reported by kind and stage, open and late
acknowledgements, mean answer time per member."""

from __future__ import annotations

from datetime import date, datetime

from allianz.accounts.model import COMMAND_LINE
from allianz.developments import service
from allianz.developments.model import KINDS, STAGES, Answer, Development
from allianz.figures import ALLIANCE, FigureRequest, FigureSection

LABELS = {
    "reported": "Bauvorhaben gemeldet",
    **{f"kind.{code}": f"davon {label}" for code, label in KINDS.items()},
    **{f"stage.{code}": f"Stand: {label}" for code, label in STAGES.items()},
    "asked": "Rückmeldungen erbeten",
    "open": "Rückmeldungen offen",
    "late": "Rückmeldungen verspätet",
    "mean_days": "mittlere Antwortzeit (Tage ab Benachrichtigung)",
}
SOURCE = (
    "Bauvorhaben: Meldungen der Mitglieder in der Allianz-Werkstatt (gemeldet im Zeitraum); "
    "Rückmeldungen: erbetene Antworten der betroffenen Gemeinden, Stand heute."
)


def _day(iso: str) -> date:
    return datetime.fromisoformat(iso).date()


def answer_days(development: Development, answer: Answer) -> float:
    """Days from the member's notification (the report, for demo rows never mailed) to its
    answer, to the hour."""
    since = datetime.fromisoformat(answer.notified_at or development.created_at)
    return (datetime.fromisoformat(answer.answered_at) - since).total_seconds() / 86_400


def sections(request: FigureRequest) -> list[FigureSection]:
    everything = service.listing(request.db, request.alliance, COMMAND_LINE)
    period = [
        d for d in everything
        if request.period.since <= _day(d.created_at) <= request.period.until
    ]  # fmt: skip
    values = {}
    for scope in request.scopes():
        reported = [d for d in period if scope == ALLIANCE or d.municipality_ags == scope]
        asked = [(d, a) for d in period for a in d.answers if scope == ALLIANCE or a.ags == scope]
        waited = [answer_days(d, a) for d, a in asked if a.answered_at]
        values[scope] = {
            "reported": len(reported),
            **{f"kind.{k}": sum(1 for d in reported if d.kind == k) for k in KINDS},
            **{f"stage.{s}": sum(1 for d in reported if d.stage == s) for s in STAGES},
            "asked": len(asked),
            "open": sum(1 for _, a in asked if a.answer is None),
            "late": sum(1 for d, a in asked if a.late or service.is_overdue(a, d, request.today)),
            "mean_days": round(sum(waited) / len(waited), 1) if waited else None,
        }
    return [
        FigureSection(
            key="developments",
            title="Bauvorhaben",
            heading="Abstimmung von Bauvorhaben",
            labels=LABELS,
            frame=request.frame(values, list(LABELS)),
            note="Eine Gemeinde zählt die eigenen Meldungen und die Rückmeldungen, um die sie "
            "gebeten wurde; verspätet = nach der Frist oder noch offen nach der Frist; "
            "Antwortzeit = Tage von der Benachrichtigung bis zur Rückmeldung, gemittelt über "
            "die Rückmeldungen der Gemeinde.",
            source=SOURCE,
            compare=("reported", "Bauvorhaben"),
            headline=(("reported", "Bauvorhaben"), ("open", "offene Rückmeldungen")),
            link=("allianz/developments/pages/developments.py", "Zu den Bauvorhaben"),
        )
    ]
