"""Demo data: three developments of the demo alliance in different planning stages, one with
answers and one released to the public map. Areas are small squares near the members' seats."""

from __future__ import annotations

import sqlite_utils
from shapely.geometry import box, mapping

from allianz import audit
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.developments import service
from allianz.developments.model import Draft
from allianz.municipalities import service as municipalities

# (member AGS, offset lon/lat from the seat, size in degrees, draft fields, answers, public)
DEVELOPMENTS = (
    (
        "14729300",
        (0.012, 0.010),
        (0.008, 0.005),
        {
            "title": "Gewerbegebiet Naunhof-Nord (Erweiterung)",
            "kind": "commercial",
            "stage": "fruehzeitig",
            "floor_space_m2": 24000,
            "effects": ("traffic", "noise"),
            "effects_text": "Mehr Lkw-Verkehr auf der Staatsstraße Richtung Brandis.",
        },
        (("14729070", "remarks", "Bitte die Zufahrt über die Staatsstraße mit uns abstimmen."),),
        False,
    ),
    (
        "14729070",
        (-0.004, 0.004),
        (0.005, 0.003),
        {
            "title": "Wohngebiet Am Kirchberg",
            "kind": "housing",
            "stage": "entwurf",
            "dwellings": 45,
            "effects": ("traffic",),
        },
        (("14729060", "no_objection", ""),),
        True,
    ),
    (
        "14729250",
        (0.015, -0.008),
        (0.012, 0.006),
        {
            "title": "Freiflächen-Photovoltaik Machern Ost",
            "kind": "solar",
            "stage": "aufstellung",
            "effects": ("landscape",),
        },
        (),
        False,
    ),
)


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> int:
    """Idempotent: nothing happens when developments exist already."""
    if db["developments"].count:
        return 0
    members = {m.ags for m in alliance.municipalities}
    areas = municipalities.areas(db)
    office = User(actor.name, "Geschäftsstelle", Role.MANAGER)
    made = 0
    for ags, (dx, dy), (w, h), fields, answers, public in DEVELOPMENTS:
        if ags not in members:
            continue
        seat = alliance.municipality(ags)
        x, y = seat.seat_lon + dx, seat.seat_lat + dy
        geometry = mapping(box(x - w / 2, y - h / 2, x + w / 2, y + h / 2))
        staff = User(actor.name, "Demo-Verwaltung", Role.STAFF, ags)
        draft = Draft(geometry=geometry, geometry_source="Demo", **fields)
        development_id = service.report(db, alliance, areas, staff, draft, is_demo=True)
        asked = {a.ags for a in service.get(db, alliance, office, development_id).answers}
        for member, kind, statement in answers:
            if member in asked:
                answerer = User(actor.name, "Demo-Verwaltung", Role.STAFF, member)
                service.answer(db, alliance, answerer, development_id, kind, statement)
        if public:
            service.release(db, alliance, office, development_id, True)
        made += 1
    return made
