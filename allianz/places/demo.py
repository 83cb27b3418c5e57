"""Demo places and contacts for every member: a town hall with opening hours, the Bauhof
("Bauhof Naunhof"), school, kindergarten, library, playground, sports ground, e-bike charging
station (seed 000's joint project), bus stop, toilet, recycling, parking, a museum, a tourist
information and a viewpoint, placed in a ring around the municipal seat inside the member's
area; the town hall's departments as function addresses and one person with consent. All of
it is generated, marked as demo (`is_demo`) and imported like a file, so a second load only
updates it."""

from __future__ import annotations

import math

import sqlite_utils

from allianz import audit
from allianz.accounts.model import User
from allianz.auth import Role
from allianz.config import Alliance
from allianz.municipalities import service as municipalities
from allianz.places import service, store
from allianz.places.model import ContactDraft

TOWN_HALL_HOURS = (
    "Mo,Mi,Fr 09:00-12:00; Di 09:00-12:00,14:00-18:00; Do 09:00-12:00,13:00-16:00; PH off"
)
LIBRARY_HOURS = "Di 10:00-12:00,14:00-18:00; Do 14:00-18:00; PH off"
# (category, name with {town}, opening hours, wheelchair, distance from the seat in metres)
PLACES = (
    ("rathaus", "Rathaus {town}", TOWN_HALL_HOURS, "yes", 0),
    ("bauhof", "Bauhof {town}", "Mo-Do 07:00-15:30; Fr 07:00-12:00; PH off", "limited", 900),
    ("schule", "Grundschule {town}", "Mo-Fr 07:00-16:00; PH off", "yes", 500),
    ("kita", "Kita „Sonnenschein“ {town}", "Mo-Fr 06:00-17:00; PH off", "yes", 650),
    ("bibliothek", "Gemeindebibliothek {town}", LIBRARY_HOURS, "limited", 250),
    ("arzt", "Apotheke am Markt {town}", "Mo-Fr 08:00-18:30; Sa 08:30-12:00", "yes", 180),
    ("spielplatz", "Spielplatz am Park {town}", "", "limited", 400),
    ("sport", "Sportplatz {town}", "", "no", 1100),
    ("kultur", "Heimatmuseum {town}", "Sa,Su 14:00-17:00", "no", 350),
    ("touristinfo", "Tourist-Information {town}", "Mo-Fr 10:00-16:00; Sa 10:00-12:00", "yes", 120),
    ("ladestation", "E-Bike-Ladestation am Rathaus {town}", "24/7", "yes", 60),
    ("toilette", "Öffentliche Toilette am Markt {town}", "Mo-Su 06:00-22:00", "yes", 150),
    ("haltestelle", "Bushaltestelle {town}, Markt", "", "yes", 220),
    ("wertstoff", "Wertstoffhof {town}", "Mi 14:00-18:00; Sa 09:00-12:00", "limited", 1300),
    ("parken", "Parkplatz am Rathaus {town}", "24/7", "yes", 90),
    ("aussicht", "Aussichtspunkt {town}", "", "no", 1500),
)  # fmt: skip
# (department, role, keywords, office hours)
DEPARTMENTS = (
    ("Bürgerbüro", "", "Meldewesen, Personalausweis, Reisepass, Führungszeugnis, Fundsachen",
     "Di 09:00-12:00,14:00-18:00; Do 09:00-12:00"),
    ("Bauamt", "", "Bauanträge, Straßenbeleuchtung, Winterdienst, Straßenreinigung, Bauhof",
     "Di 09:00-12:00,14:00-18:00"),
    ("Ordnungsamt", "", "Hundesteuer, Gewerbeanmeldung, Veranstaltungen, Parken, Lärm",
     "Di 09:00-12:00,14:00-18:00; Do 09:00-12:00"),
    ("Kämmerei", "", "Grundsteuer, Gebühren, Abgaben, Zahlungen", "Di 14:00-18:00"),
)  # fmt: skip
PEOPLE = (
    "Anne Berger", "Thomas Krause", "Katrin Wolf", "Jens Hartmann", "Susanne Lehmann",
    "Michael Schulze", "Petra Neumann", "Frank Richter",
)  # fmt: skip
OFFICE = User("demo", "Demo", Role.MANAGER)


def short_name(name: str) -> str:
    return name.removeprefix("Stadt ").removeprefix("Gemeinde ").strip()


def _slug(name: str) -> str:
    return service.fold(short_name(name)).replace(" ", "-")


def _spot(areas, municipality, distance_m: float, index: int) -> tuple[float, float]:
    """A point `distance_m` from the seat in a direction of its own, pulled in towards the
    seat until it lies inside the member's area."""
    angle = index * 2.399  # golden angle: directions spread evenly
    for share in (1.0, 0.6, 0.3, 0.1, 0.0):
        d = distance_m * share
        lat = municipality.seat_lat + d * math.cos(angle) / 111_320
        lon = municipality.seat_lon + d * math.sin(angle) / (
            111_320 * math.cos(math.radians(municipality.seat_lat))
        )
        found = municipalities.locate(areas, lat, lon).municipality
        if found is not None and found.ags == municipality.ags:
            return round(lat, 6), round(lon, 6)
    return municipality.seat_lat, municipality.seat_lon


def records(db: sqlite_utils.Database, alliance: Alliance) -> list[dict]:
    areas = municipalities.areas(db)
    out = []
    for m in alliance.municipalities:
        town = short_name(m.name)
        for index, (category, name, opening, wheelchair, distance) in enumerate(PLACES):
            lat, lon = _spot(areas, m, distance, index)
            out.append(
                {
                    "id": f"demo-{m.ags}-{category}",
                    "name": name.format(town=town),
                    "kategorie": category,
                    "lat": lat,
                    "lon": lon,
                    "adresse": f"Markt {index + 1}, {town}" if distance < 600 else town,
                    "oeffnungszeiten": opening,
                    "telefon": f"034{m.ags[-3:]} {100 + index * 7}",
                    "web": f"https://www.{_slug(m.name)}.example/orte/{category}",
                    "rollstuhl": wheelchair,
                    "gemeinde": m.ags,
                }
            )
    return out


def load(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> None:
    if db.execute("SELECT 1 FROM places WHERE source = 'demo' LIMIT 1").fetchone():
        return
    service.import_records(db, alliance, OFFICE, records(db, alliance), "demo")
    store.mark_demo(db, "demo")
    for number, m in enumerate(alliance.municipalities):
        hall = store.by_source(db, m.ags, f"demo-{m.ags}-rathaus")
        domain, town = f"{_slug(m.name)}.example", short_name(m.name)
        for department, role, keywords, opening in DEPARTMENTS:
            mailbox = service.fold(department).replace(" ", "")
            service.save_contact(
                db, alliance, OFFICE,
                ContactDraft(m.ags, department, "function", role=role or f"{department} {town}",
                             phone=f"034{m.ags[-3:]} 42-{10 + len(mailbox)}",
                             email=f"{mailbox}@{domain}", room=f"{len(mailbox) % 3}.{number + 10}",
                             office_hours=opening, keywords=keywords, place_id=hall),
            )  # fmt: skip
        person = PEOPLE[number % len(PEOPLE)]
        service.save_contact(
            db, alliance, OFFICE,
            ContactDraft(m.ags, "Hauptamt", "consent", role="Sachbearbeitung Kita-Plätze",
                         person_name=person, phone=f"034{m.ags[-3:]} 42-30",
                         email=f"{service.fold(person).replace(' ', '.')}@{domain}",
                         room="1.05", office_hours="Di 09:00-12:00,14:00-18:00",
                         keywords="Kita-Plätze, Elternbeiträge, Ferienprogramm", place_id=hall),
        )  # fmt: skip
    store.mark_demo_contacts(db)
