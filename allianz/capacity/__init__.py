"""Operations and capacity: every app process reports itself (sessions, memory, CPU) to the
database for the page "Betrieb"; `allianz capacity serve` runs several processes behind
HAProxy; `bench/capacity.py` measures how many citizens one process serves."""

from allianz.auth import MANAGER_ONLY
from allianz.capacity import cli, heartbeat
from allianz.features import Feature, Page

FEATURE = Feature(
    name="capacity",
    label="Betrieb",
    pages=(
        Page(
            "allianz/capacity/pages/operations.py",
            "Betrieb",
            ":material/dns:",
            "Verwaltung",
            "Die laufenden Prozesse der Anwendung mit Sitzungen, Speicher und letzter Meldung.",
            "page.operations",
        ),
    ),
    permissions={"page.operations": MANAGER_ONLY, "capacity.view": MANAGER_ONLY},
    cli=cli.group,
    background=heartbeat.start,
)
