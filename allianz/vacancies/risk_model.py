"""Leerstandsrisiko vocabulary: what a register extract becomes (derived flags only), the
owner-contact outcomes, and the rules of the aggregates (k-anonymity, grid)."""

from __future__ import annotations

from dataclasses import dataclass

# A building is a risk building when every registered resident is 70 or older, or when
# nobody is registered there (possibly vacant already).
RISK_AGE = 70
HIGH_AGE = 80
MAX_RESIDENTS = 1000  # more at one address is an export error, not a building
K_MIN = 5  # aggregates show no group of fewer buildings
CELL_M = 500  # grid cells of the aggregates map, in EPSG:25832 metres
KEEP_YEARS = 2  # default of [vacancy_risk] keep_years
OLDEST_BIRTH_YEAR = 1880
OLDEST_AGE = 125

BANDS = {
    "0": "keine Meldung",
    "1": "1 Person",
    "2": "2 Personen",
    "3-5": "3–5 Personen",
    "6+": "6 und mehr Personen",
}
OUTCOMES = {
    "kein_interesse": "kein Interesse",
    "gespraech": "Gespräch vereinbart",
    "verkauf": "Verkauf geplant",
    "einwilligung": "Einwilligung zur Aufnahme ins Leerstandsregister",
}
CONSENT = "einwilligung"
NOTE_MAX = 1000
FLAG_LABELS = {
    "all_80": "alle Gemeldeten 80 oder älter",
    "all_70": "alle Gemeldeten 70 oder älter",
    "no_resident": "niemand gemeldet",
}


def band_of(count: int) -> str:
    if count <= 2:
        return str(count)
    return "3-5" if count <= 5 else "6+"


@dataclass
class AgeCounts:
    """Residents of one building, already reduced to counts: no age or year survives this.
    Residents only counted (no age) count in `total` alone, so they never make a flag."""

    total: int = 0
    from_70: int = 0
    from_80: int = 0

    def add_age(self, age: int) -> None:
        self.total += 1
        self.from_70 += age >= RISK_AGE
        self.from_80 += age >= HIGH_AGE

    def add_band(self, low: int, count: int) -> None:
        """`count` residents of an age group starting at `low` (a group that starts below 70
        counts as not all 70+, even where it reaches beyond)."""
        self.total += count
        if low >= RISK_AGE:
            self.from_70 += count
        if low >= HIGH_AGE:
            self.from_80 += count

    def add_unknown(self, count: int) -> None:
        self.total += count

    def merge(self, other: AgeCounts) -> None:
        self.total += other.total
        self.from_70 += other.from_70
        self.from_80 += other.from_80


@dataclass(frozen=True)
class Flags:
    all_70: bool
    all_80: bool
    no_resident: bool
    band: str

    @property
    def risk(self) -> bool:
        return self.all_70 or self.no_resident


def derive(counts: AgeCounts) -> Flags:
    """The only thing that leaves the import: flags and the count band."""
    occupied = counts.total > 0
    return Flags(
        all_70=occupied and counts.from_70 == counts.total,
        all_80=occupied and counts.from_80 == counts.total,
        no_resident=not occupied,
        band=band_of(counts.total),
    )


@dataclass(frozen=True)
class RiskBuilding:
    id: int
    municipality_ags: str
    location_key: str
    street: str
    house_number: str
    ortsteil: str | None
    lat: float
    lon: float
    all_70: bool
    all_80: bool
    no_resident: bool
    resident_band: str
    site_id: int | None
    imported_at: str
    expires_at: str

    @property
    def risk(self) -> bool:
        return self.all_70 or self.no_resident

    @property
    def label(self) -> str:
        if self.street:
            return f"{self.street} {self.house_number}".strip()
        return f"Punkt {self.lat:.5f}, {self.lon:.5f}"

    @property
    def flag(self) -> str:
        """The strongest flag in German."""
        if self.no_resident:
            return FLAG_LABELS["no_resident"]
        if self.all_80:
            return FLAG_LABELS["all_80"]
        if self.all_70:
            return FLAG_LABELS["all_70"]
        return "kein Risikomerkmal"


@dataclass(frozen=True)
class Contact:
    id: int
    building_id: int
    contacted_on: str
    outcome: str
    note: str
    actor: str
    created_at: str

    @property
    def consent(self) -> bool:
        return self.outcome == CONSENT
