"""A generated district-scale address index (~300.000 invented addresses) and the searches
people type, for the benchmark (`bench/district.py`, timed there) and the scale test of the
search (`tests/unit/test_address_scale.py`, which checks the hits, not the time).

Every municipality gets villages ("Birkenhain 3") of 20–40 streets with common German names
("Lindenweg", "Goethe-Platz"), 9–39 houses each, near a point inside the municipality.
Nothing of it is real.
"""

from __future__ import annotations

import random

from allianz.addresses import normalise
from allianz.addresses.model import AddressRow
from allianz.municipalities.service import MunicipalityArea

SOURCE = "Landkreis (generiert)"
WORDS = (
    "Haupt", "Bahnhof", "Dorf", "Schul", "Garten", "Kirch", "Linden", "Goethe", "Schiller",
    "Park", "Ring", "Wald", "Birken", "Ahorn", "Rosen", "Friedhof", "Teich", "Post", "Mühl",
    "Rathaus", "Siedlung", "Sonnen", "Jahn", "Fröbel", "Kastanien", "Berg", "Tal", "Süd",
    "Nord", "Brücken", "Eichen", "Wiesen", "Feld", "Lerchen", "Amsel", "Finken", "Meisen",
    "Drossel", "Falken", "Adler", "Buchen", "Erlen", "Weiden", "Pappel", "Ulmen", "Tannen",
    "Fichten", "Kiefern", "Holunder", "Flieder",
)  # fmt: skip
ENDINGS = ("straße", "weg", "gasse", "ring", "allee", "platz", "steig", "pfad")
PEOPLE = (
    "Goethe", "Schiller", "Lessing", "Heine", "Bach", "Händel", "Luther", "Müntzer", "Kant",
    "Humboldt", "Fontane", "Brecht", "Mozart", "Beethoven", "Wagner", "Röntgen", "Planck",
    "Einstein", "Zeppelin", "Diesel",
)  # fmt: skip
# What people type into the search, as they type it (unfinished words, other spellings).
QUERIES = (
    "Hauptstr 5", "haupt", "ha", "Goethestraße 12", "goethe", "schiller pl", "Lindenweg 3",
    "Bahnhofstraße 1", "Fröbel", "Froebelweg 7", "Linden", "Müntzer-Straße 4", "mun",
    "Eichenring", "Eichenring 1", "Dorfgasse 2", "Rosen", "Heine", "Birkenallee 12",
    "Berghain 3",
)  # fmt: skip


def rows(areas: list[MunicipalityArea], target: int, seed: int = 1) -> list[AddressRow]:
    """About `target` addresses spread evenly over the areas (the same for the same seed)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible invented data
    found: list[AddressRow] = []
    seen: set[tuple] = set()
    per_municipality = target // max(1, len(areas))
    for area in areas:
        centre = area.geometry.representative_point()
        count, village = 0, 0
        while count < per_municipality:
            village += 1
            ortsteil = f"{rng.choice(WORDS)}{rng.choice(['dorf', 'hain', 'au', 'feld'])} {village}"
            for _ in range(rng.randint(20, 40)):
                if rng.random() < 0.3:
                    street = f"{rng.choice(PEOPLE)}-{rng.choice(['Straße', 'Platz', 'Weg'])}"
                else:
                    street = rng.choice(WORDS) + rng.choice(ENDINGS)
                for number in range(1, rng.randint(10, 40)):
                    key = (area.ags, ortsteil, normalise.name_key(street), number)
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append(
                        AddressRow(area.ags, street, str(number), str(number), number, "04451",
                                   area.name, ortsteil, centre.y + rng.uniform(-0.01, 0.01),
                                   centre.x + rng.uniform(-0.01, 0.01))
                    )  # fmt: skip
                    count += 1
    return found
