"""The address search at district scale (~300.000 addresses, ~12.000 streets): every search
as people type it finds addresses, and the best one first. How fast it answers is measured by
`make bench` (README, "Benchmark"), not asserted here."""

from __future__ import annotations

import pytest

from allianz.addresses import district, normalise, service
from allianz.municipalities import service as municipalities
from tests.conftest import TEST_ACTOR

# A street and house number typed in full: every hit is that address (in some village).
WHOLE = {
    "Hauptstr 5": ("Hauptstraße", "5"),
    "Goethestraße 12": ("Goethestraße", "12"),
    "Lindenweg 3": ("Lindenweg", "3"),
    "Bahnhofstraße 1": ("Bahnhofstraße", "1"),
    "Froebelweg 7": ("Fröbelweg", "7"),
    "Müntzer-Straße 4": ("Müntzer-Straße", "4"),
    "Eichenring 1": ("Eichenring", "1"),
    "Dorfgasse 2": ("Dorfgasse", "2"),
    "Birkenallee 12": ("Birkenallee", "12"),
}


@pytest.fixture(scope="module")
def district_hits(tmp_path_factory):
    """The hits of every query of `district.QUERIES` on a generated district index."""
    from allianz import config, database  # noqa: PLC0415 - a database of its own, once

    alliance = config.load("partheland")
    db = database.initialise(alliance, tmp_path_factory.mktemp("scale") / "scale.sqlite3")
    municipalities.load_demo_areas(db, alliance, TEST_ACTOR)
    rows = district.rows(municipalities.areas(db), 300_000)
    assert len(rows) > 280_000
    stored = service.replace(db, alliance, rows, district.SOURCE, TEST_ACTOR)
    assert sum(stored.values()) == len(rows) == service.total(db)
    hits = {text: service.search(db, text) for text in district.QUERIES}
    db.close()
    return hits


def _key(text: str) -> str:
    return normalise.name_key(text)


@pytest.mark.parametrize("text", district.QUERIES)
def test_every_search_finds_addresses_at_scale(district_hits, text):
    assert district_hits[text], text


@pytest.mark.parametrize("text", sorted(WHOLE))
def test_a_whole_address_finds_only_that_street_and_number(district_hits, text):
    street, number = WHOLE[text]
    found = {(_key(h.street), h.house_number) for h in district_hits[text]}
    assert found == {(_key(street), number)}, text


@pytest.mark.parametrize(
    "text", ["haupt", "ha", "goethe", "schiller pl", "Fröbel", "Linden", "mun", "Rosen", "Heine"]
)
def test_typed_words_start_the_words_of_the_first_street(district_hits, text):
    """Unfinished words rank a street whose own name starts with them above streets that are
    only found by their village's name ("ha" → a street "Händel-…", not one in "…hain")."""
    first = district_hits[text][0]
    terms = normalise.name_terms(first.street)
    for group in normalise.parse_query(text).groups:
        assert any(all(any(t.startswith(w) for t in terms) for w in r) for r in group), (
            text,
            first.street,
        )


def test_a_village_and_a_number_find_that_number_in_the_village(district_hits):
    hits = district_hits["Berghain 3"]
    assert all(h.ortsteil.startswith("Berghain ") and h.house_number == "3" for h in hits)
