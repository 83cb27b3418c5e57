"""Addresses (house coordinates), Ortsteil points and what an import did."""

from __future__ import annotations

from dataclasses import dataclass, field

from allianz.formatting import count_of, de_int

STREET_MAX = 120
PLACE_MAX = 80
SOURCE_MAX = 200
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class AddressRow:
    """One address ready to be stored (read from a file or generated for the demo)."""

    municipality_ags: str
    street: str
    house_number: str
    number_key: str
    number_value: int | None
    postcode: str
    place: str
    ortsteil: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Address:
    """A stored address, as search hits and lookups return it."""

    id: int
    street_id: int
    municipality_ags: str
    street: str
    house_number: str
    postcode: str
    place: str
    ortsteil: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        """German postal style: "Hauptstraße 5, 04451 Borsdorf OT Panitzsch"."""
        town = " ".join(part for part in (self.postcode, self.place) if part)
        if self.ortsteil and self.ortsteil != self.place:
            town = f"{town} OT {self.ortsteil}" if town else self.ortsteil
        return f"{self.street} {self.house_number}, {town}".rstrip(", ")


@dataclass(frozen=True)
class Locality:
    """Where a report without an address is placed: an Ortsteil's point (a real address near
    the middle of the Ortsteil), or the municipal seat where the index knows no Ortsteil."""

    municipality_ags: str
    municipality: str
    ortsteil: str
    lat: float
    lon: float
    entries: int  # addresses of the Ortsteil; 0 for the seat of a municipality without index

    @property
    def key(self) -> str:
        return f"{self.municipality_ags}:{self.ortsteil}"

    @property
    def is_seat(self) -> bool:
        return self.entries == 0

    @property
    def label(self) -> str:
        if self.is_seat:
            return f"{self.municipality} (Gemeindesitz, kein Adressverzeichnis)"
        if self.ortsteil == short_name(self.municipality):
            return f"{self.ortsteil} (Hauptort von {self.municipality})"
        return f"{self.ortsteil} (Ortsteil von {self.municipality})"


def short_name(municipality: str) -> str:
    """ "Stadt Brandis" → "Brandis": the place name of a municipality."""
    for prefix in ("Stadt ", "Gemeinde ", "Markt "):
        if municipality.startswith(prefix):
            return municipality.removeprefix(prefix)
    return municipality


# Why rows of a file were not taken, in German, in the order the summary names them.
SKIP_REASONS = {
    "outside": "außerhalb der Allianz",
    "other_municipality": "in einer anderen Gemeinde (übernimmt das Allianzmanagement)",
    "no_street": "ohne Straße",
    "no_number": "ohne gültige Hausnummer",
    "no_coordinates": "ohne gültige Koordinaten",
    "too_long": "mit zu langen Angaben",
    "duplicate": "doppelt",
}


@dataclass(frozen=True)
class ImportSummary:
    """What an import stored per municipality (AGS → addresses) and what it left out."""

    stored: dict[str, int]
    skipped: dict[str, int] = field(default_factory=dict)
    crs: str = ""
    source: str = ""

    @property
    def total(self) -> int:
        return sum(self.stored.values())

    def message(self, names: dict[str, str]) -> str:
        parts = ", ".join(f"{names.get(a, a)} {de_int(n)}" for a, n in sorted(self.stored.items()))
        text = (
            f"Adressverzeichnis übernommen: {count_of(self.total, 'Adresse', 'Adressen')} "
            f"({parts}). Das Verzeichnis dieser Gemeinden wurde ersetzt."
        )
        left_out = [
            f"{de_int(self.skipped[k])} {label}"
            for k, label in SKIP_REASONS.items()
            if self.skipped.get(k)
        ]
        if left_out:
            text += " Nicht übernommen: " + ", ".join(left_out) + "."
        return text
