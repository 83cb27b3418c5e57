"""The demo alliance: areas from geodata/ and one demo account per role (idempotent)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import sqlite_utils
from shapely.geometry import Point

from allianz import audit, demo_geodata
from allianz.accounts import service as accounts
from allianz.accounts import store as account_store
from allianz.accounts.model import User
from allianz.auth import Role, generate_password
from allianz.config import Alliance
from allianz.measures import demo as measure_demo
from allianz.municipalities import service as municipalities
from allianz.networks import service as networks
from allianz.suggestions import service as suggestions
from allianz.suggestions.model import Status
from allianz.vacancies import demo as vacancy_demo
from allianz.workshops import demo as workshop_demo


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    municipality_ags: str | None
    password: str | None  # None: existed already, password unchanged


def demo_accounts_spec(alliance: Alliance) -> list[tuple[str, Role, str | None, str]]:
    first = alliance.municipalities[0]
    return [
        ("demo-allianz", Role.MANAGER, None, "Allianzmanagement (Demo)"),
        ("demo-verwaltung", Role.STAFF, first.ags, f"Verwaltung {first.name} (Demo)"),
        ("demo-buergermeister", Role.MAYOR, first.ags, f"Bürgermeister {first.name} (Demo)"),
        ("demo-arbeitskreis", Role.WORKING_GROUP, None, "Arbeitskreis Radwege (Demo)"),
        ("demo-tisch", Role.HOST, None, "Tischmoderation (Demo)"),
    ]


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


def _demo_suggestions(db, alliance: Alliance, actor: audit.Actor) -> int:
    """A few example suggestions per municipality so the public pages are not empty."""
    if db["suggestions"].count:
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


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> list[DemoAccount]:
    municipalities.load_demo_areas(db, alliance, actor)
    _demo_suggestions(db, alliance, actor)
    networks.load_demo(db, demo_geodata.load_networks(alliance), actor)
    areas = municipalities.areas(db)
    workshop_demo.load(db, alliance, areas, actor.name)
    vacancy_demo.load(db, alliance, areas, actor)
    measure_demo.load(db, alliance, actor)
    result = []
    for username, role, ags, display in demo_accounts_spec(alliance):
        if account_store.exists(db, username):
            result.append(DemoAccount(username, role, ags, None))
            continue
        password = generate_password()
        accounts.create_user(
            db,
            alliance,
            actor,
            username=username,
            role=role,
            password=password,
            municipality_ags=ags,
            display_name=display,
        )
        result.append(DemoAccount(username, role, ags, password))
    return result
