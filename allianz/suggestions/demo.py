"""Example suggestions per member (marked "Demo") so the public pages are not empty."""

from __future__ import annotations

import random

import sqlite_utils
from shapely.geometry import Point

from allianz import audit
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.municipalities import service as municipalities
from allianz.suggestions import service as suggestions
from allianz.suggestions.model import Status

DEMO_SUGGESTIONS = (
    (
        "lighting",
        "Straßenlampe flackert",
        "Die Lampe vor der Bushaltestelle flackert abends.",
        Status.DONE,
        "Leuchtmittel wurde getauscht. Danke für den Hinweis!",
    ),
    (
        "road-damage",
        "Schlagloch im Feldweg",
        "Tiefes Schlagloch, nach Regen kaum zu sehen.",
        Status.PLANNED,
        "Die Ausbesserung ist für das Frühjahr eingeplant.",
    ),
    (
        "cycle-path",
        "Radweg endet abrupt",
        "Der Radweg hört mitten im Ort auf, keine Fortführung.",
        Status.IN_REVIEW,
        "Der Arbeitskreis Radwege prüft die Lücke im Netz.",
    ),
    ("waste", "Wilder Müll am Waldrand", "Mehrere Säcke Hausmüll am Parkplatz.", Status.NEW, None),
    (
        "playground",
        "Schaukel defekt",
        "Eine Kette der Schaukel ist gerissen.",
        Status.DONE,
        "Die Schaukel wurde repariert.",
    ),
    (
        "bus-stop",
        "Haltestelle ohne Wetterschutz",
        "Kein Dach, im Winter sehr ungemütlich.",
        Status.DECLINED,
        "Der Kreis plant hier keinen Unterstand; Alternative: Haltestelle Markt.",
    ),
    (
        "alliance-idea",
        "Gemeinsamer Veranstaltungskalender",
        "Alle Feste der Region an einem Ort.",
        Status.IN_REVIEW,
        "Wir nehmen die Idee in die nächste Allianzsitzung.",
    ),
    (
        "green-space",
        "Blühwiese statt Rasen",
        "Die Fläche am Friedhof könnte eine Blühwiese werden.",
        Status.NEW,
        None,
    ),
)


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> int:
    """A few example suggestions per municipality so the public pages are not empty."""
    if suggestions.count(db, suggestions.Filters(include_hidden=True)):
        return 0
    areas = municipalities.areas(db)
    codes = {c.code for c in alliance.categories}
    manager = User(username=actor.name, display_name=actor.name, role=Role.MANAGER)
    rng = random.Random(alliance.slug)  # noqa: S311 - reproducible demo positions
    made = 0
    for index, area in enumerate(areas):
        for offset in range(3):
            category, title, text, status, answer = DEMO_SUGGESTIONS[
                (index * 3 + offset) % len(DEMO_SUGGESTIONS)
            ]
            if category not in codes:
                category = alliance.categories[-1].code
            point = area.geometry.buffer(-0.004).representative_point()
            lat = point.y + rng.uniform(-0.006, 0.006)
            lon = point.x + rng.uniform(-0.009, 0.009)
            if not area.geometry.buffer(-0.001).contains(Point(lon, lat)):
                lat, lon = point.y, point.x
            created = suggestions.submit(
                db,
                alliance,
                areas,
                suggestions.Submission(
                    category, f"{title} (Demo)", text, lat, lon, chosen_ags=area.ags, source="demo"
                ),
            )
            if status is not Status.NEW:
                suggestions.set_status(db, alliance, manager, created.id, status, answer)
            made += 1
    return made
