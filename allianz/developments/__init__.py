"""Building developments between members: a member reports a development (B-Plan, FNP change,
commercial, solar or wind area ...) with its area; the members within a kind-dependent distance
are asked and answer by a deadline; "Bedenken" lead to a coordination meeting. Not public
unless the office releases a development to the public map (never with the statements)."""

from allianz.auth import EVERYONE, MANAGER_ONLY, MUNICIPAL_DESK, STAFF_AND_MANAGER, Role
from allianz.developments import cli, demo, figures, personal_data, service
from allianz.features import Feature, Page, Teaser
from allianz.formatting import de_date

PAGES_DEVELOPMENTS = "allianz/developments/pages/developments.py"


def _demo(db, alliance, actor) -> None:
    demo.load(db, alliance, actor)


def _teaser(request: service.OpenRequest) -> Teaser:
    late = " – Frist abgelaufen" if request.overdue else ""
    return Teaser(
        f"{request.ref} · {request.title} · Rückmeldung bis {de_date(request.deadline)}{late}",
        PAGES_DEVELOPMENTS,
        {"vorhaben": str(request.development_id)},
    )


def _to_answer(db, user) -> tuple[str, list[Teaser]]:
    waiting = service.open_for_member(db, user)
    return "Bauvorhaben: Rückmeldung erbeten", [_teaser(r) for r in waiting[:3]]


def _desk(db, user, ags: str) -> tuple[str, list[Teaser]]:
    waiting = service.open_for(db, user, ags)
    return f"Bauvorhaben: offene Rückmeldungen ({len(waiting)})", [_teaser(r) for r in waiting]


FEATURE = Feature(
    name="developments",
    label="Bauvorhaben",
    pages=(
        Page(
            PAGES_DEVELOPMENTS,
            "Bauvorhaben",
            ":material/domain_add:",
            "Allianz",
            "Bauvorhaben der Mitglieder (B-Plan, FNP, Gewerbe, Wohnen, PV, Wind): betroffene "
            "Nachbargemeinden, Rückmeldungen, Karte; veröffentlichte Vorhaben für alle.",
            "page.developments",
        ),
        Page(
            "allianz/developments/pages/developments_report.py",
            "Bauvorhaben melden",
            ":material/add_location_alt:",
            "Allianz",
            "Ein Bauvorhaben der eigenen Gemeinde mit Fläche (GeoJSON, GeoPackage, Shapefile, "
            "KML oder XPlanGML) melden; die Nachbargemeinden werden benachrichtigt.",
            "page.developments_report",
        ),
        Page(
            "allianz/developments/pages/developments_office.py",
            "Bauvorhaben abstimmen",
            ":material/handshake:",
            "Allianz",
            "Übersicht aller Bauvorhaben mit Rückmeldungen; Abstimmungsgespräch, "
            "Veröffentlichung, Ergebnis, Export als GeoPackage und CSV.",
            "page.developments_office",
        ),
    ),
    permissions={
        "page.developments": EVERYONE,
        "page.developments_report": STAFF_AND_MANAGER,
        "page.developments_office": MANAGER_ONLY,
        "developments.report": STAFF_AND_MANAGER,
        "developments.answer": frozenset({Role.STAFF, Role.MAYOR}),
        "developments.view_internal": MUNICIPAL_DESK,
        "developments.manage": MANAGER_ONLY,
    },
    personal_data=(personal_data.CONTACT,),
    figures=figures.sections,
    demo=_demo,
    cli=cli.group,
    start_page=_to_answer,
    municipality_desk=_desk,
    audit_actions={
        "development.report": "Bauvorhaben gemeldet",
        "development.member": "Gemeinde am Bauvorhaben beteiligt",
        "development.answer": "Rückmeldung zum Bauvorhaben",
        "development.remind": "Erinnerung an Rückmeldung versandt",
        "development.release": "Bauvorhaben veröffentlicht",
        "development.withdraw": "Bauvorhaben nicht mehr öffentlich",
        "development.meeting": "Abstimmungsgespräch angelegt",
        "development.settle": "Ergebnis der Abstimmung eingetragen",
        "development.document": "Dokument zum Bauvorhaben hochgeladen",
    },
)
