"""A realistic demo inventory for every member's Bauhof (deterministic: the same catalogue
dealt out by the member's position), with operator crews, plus the alliance's event kit.
Naunhof (or the fourth member) always has the mulcher that needs an operator."""

from __future__ import annotations

import sqlite_utils

from allianz import audit
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.sharing import service

# (category, title, description, rate/h, rate/day, rate/km, deposit, operator rate or None,
#  licence) — rates in cents, after the ILE Donauschleife's pool and municipal cost tables.
CATALOGUE = (
    (
        "machine",
        "Böschungsmulcher am Geräteträger",
        "Auslegemulcher 5,6 m für Gräben, Böschungen und Wegränder.",
        4500,
        0,
        0,
        0,
        3800,
        "Klasse T/C",
    ),
    (
        "machine",
        "Radlader 5 t",
        "Mit Schaufel und Palettengabel; Schnellwechsler.",
        3500,
        0,
        0,
        50000,
        3800,
        "Klasse C1/T",
    ),
    (
        "vehicle",
        "Kehrmaschine",
        "Kompaktkehrmaschine 2 m³ für Straßen und Plätze.",
        5200,
        0,
        0,
        0,
        3800,
        "Klasse C",
    ),
    (
        "machine",
        "Hubarbeitsbühne 20 m",
        "Auf Lkw-Fahrgestell, Korb 200 kg.",
        6500,
        0,
        0,
        0,
        4200,
        "Klasse C, Unterweisung Hubarbeitsbühne",
    ),
    (
        "trailer",
        "Tieflader-Anhänger 3,5 t",
        "Rampen, Zurrpunkte; Abholung mit eigenem Zugfahrzeug.",
        0,
        2500,
        45,
        20000,
        None,
        "Klasse BE",
    ),
    (
        "event",
        "Bühne 6 × 4 m",
        "Mobile Bühnenelemente mit Treppe und Geländer.",
        0,
        12000,
        0,
        30000,
        None,
        "",
    ),
    (
        "event",
        "Bierzeltgarnituren (20 Sätze)",
        "Tisch und zwei Bänke je Satz.",
        0,
        4000,
        0,
        10000,
        None,
        "",
    ),
    ("event", "Bauzaun (50 Felder)", "Mit Füßen und Schellen.", 0, 3000, 0, 10000, None, ""),
    ("tool", "Rüttelplatte 100 kg", "Für Pflaster- und Wegebau.", 0, 3500, 0, 5000, None, ""),
    (
        "machine",
        "Holzhäcksler",
        "Bis 15 cm Astdurchmesser, Zapfwellenantrieb.",
        4000,
        0,
        0,
        0,
        3800,
        "Klasse T",
    ),
)
# Purchase/replacement value in cents per catalogue entry (new price, typical municipal
# tenders 2024–2026), for the figure "savings vs. buying".
PURCHASE_CENTS = (
    9_800_000,  # Böschungsmulcher am Geräteträger
    7_500_000,  # Radlader 5 t
    14_500_000,  # Kehrmaschine
    12_000_000,  # Hubarbeitsbühne 20 m
    850_000,  # Tieflader-Anhänger 3,5 t
    1_900_000,  # Bühne 6 × 4 m
    450_000,  # Bierzeltgarnituren (20 Sätze)
    600_000,  # Bauzaun (50 Felder)
    380_000,  # Rüttelplatte 100 kg
    2_400_000,  # Holzhäcksler
)
# member position -> catalogue entries of its Bauhof (the fourth member gets the mulcher)
DEAL = ((1, 4, 8), (2, 5, 6), (3, 7, 9), (0, 4, 8), (6, 7, 9), (1, 8, 9), (2, 4, 5))


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> int:
    """Idempotent: nothing happens when the pool has items already."""
    if db["pool_items"].count:
        return 0
    office = User(actor.name, "Geschäftsstelle", Role.MANAGER)
    made = 0
    for position, member in enumerate(alliance.municipalities):
        crew = service.create_crew(
            db,
            alliance,
            office,
            member.ags,
            "Bauhof-Mannschaft",
            2 if position % 2 == 0 else 1,
            is_demo=True,
        )
        depot = f"Bauhof {member.name}"
        for number, entry in enumerate(DEAL[position % len(DEAL)]):
            category, title, text, hour, day, km, deposit, operator, licence = CATALOGUE[entry]
            lat = round(member.seat_lat + 0.004 * ((number % 3) - 1), 5)
            lon = round(member.seat_lon + 0.006, 5)
            service.create_item(
                db,
                alliance,
                office,
                service.ItemDraft(
                    holder_kind="municipality",
                    holder_ags=member.ags,
                    category=category,
                    title=title,
                    description=text,
                    depot=depot,
                    point=f"{lat}, {lon}",
                    rate_hour_cents=hour,
                    rate_day_cents=day,
                    rate_km_cents=km,
                    deposit_cents=deposit,
                    operator_required=operator is not None,
                    operator_rate_cents=operator or 0,
                    crew_id=crew if operator is not None else None,
                    licence=licence,
                    insurance_note="Haftpflicht über den Kommunalen Schadenausgleich; Schäden "
                    "durch Bedienfehler trägt die entleihende Gemeinde.",
                    pickup_place=f"{depot}, Hof",
                    return_place=f"{depot}, Hof",
                    purchase_value_cents=PURCHASE_CENTS[entry],
                ),
                is_demo=True,
            )
            made += 1
    service.create_item(
        db,
        alliance,
        office,
        service.ItemDraft(
            holder_kind="alliance",
            holder_ags=None,
            category="event",
            title="Infostand der Allianz",
            description="Pavillon 3 × 3 m, Roll-up, Prospektständer.",
            rate_day_cents=0,
            pickup_place="Geschäftsstelle",
            return_place="Geschäftsstelle",
        ),
        is_demo=True,
    )
    return made + 1
