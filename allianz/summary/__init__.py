"""The steering group's summary (Lenkungsgruppe) and the council report (Sitzungsvorlage)."""

from allianz.auth import MUNICIPAL_DESK
from allianz.features import Feature, Page
from allianz.summary import cli

FEATURE = Feature(
    name="summary",
    label="Lenkungsgruppe",
    pages=(
        Page(
            "allianz/summary/pages/summary.py",
            "Lenkungsgruppe",
            ":material/insights:",
            "Allianz",
            "Zahlen der Allianz und jeder Gemeinde für einen Zeitraum, Sitzungsvorlage als PDF.",
            "page.summary",
        ),
    ),
    permissions={"page.summary": MUNICIPAL_DESK, "summary.report": MUNICIPAL_DESK},
    cli=cli.report,
)
