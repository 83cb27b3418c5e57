"""Vacancy vocabulary (from the Bavarian land-management database) and the site record."""

from __future__ import annotations

from dataclasses import dataclass

TYPES = {
    "baulücke": "Baulücke",
    "gering_bebaut": "geringfügig bebautes Grundstück",
    "brache": "Brachfläche",
    "brache_restnutzung": "Brachfläche mit Restnutzung",
    "leerstand": "Leerstand (Gebäude)",
    "hofstelle": "Hofstelle",
}
USAGES = {
    "wohnen": "Wohnen",
    "gewerbe": "Gewerbe",
    "landwirtschaft": "Landwirtschaft",
    "gemischt": "gemischt",
}
STATUSES = {
    "active": "leer / ungenutzt",
    "in_progress": "in Vermittlung",
    "reused": "wieder genutzt",
    "removed": "entfallen",
}
ACTIVE = frozenset({"active", "in_progress"})
EPOCHS = {
    "vor_1919": "vor 1919",
    "1919_1948": "1919–1948",
    "1949_1978": "1949–1978",
    "1979_1990": "1979–1990",
    "1991_2010": "1991–2010",
    "ab_2011": "ab 2011",
    "unbekannt": "unbekannt",
}
CONDITIONS = {
    "gut": "gut",
    "mittel": "mittel",
    "schlecht": "schlecht",
    "ruinös": "ruinös",
    "unbekannt": "unbekannt",
}
OWNER_TYPES = {
    "privat": "privat",
    "erbengemeinschaft": "Erbengemeinschaft",
    "kommune": "Kommune",
    "unternehmen": "Unternehmen",
    "kirche": "Kirche",
    "sonstige": "sonstige",
    "unbekannt": "unbekannt",
}
WILLINGNESS = {
    "verkauf": "Verkauf",
    "vermietung": "Vermietung",
    "bebauung": "Bebauung",
    "nein": "nein",
    "unbekannt": "unbekannt",
}
# Fields that carry a code from one of the lists above.
CODED = {
    "type": TYPES,
    "usage": USAGES,
    "status": STATUSES,
    "building_epoch": EPOCHS,
    "condition": CONDITIONS,
    "owner_type": OWNER_TYPES,
    "willingness": WILLINGNESS,
}
# Every public field of a site, in the order of forms, tables and files.
FIELDS = (
    "municipality_ags",
    "ortsteil",
    "address",
    "lat",
    "lon",
    "location_precise",
    "type",
    "usage",
    "status",
    "vacant_since",
    "building_epoch",
    "condition",
    "area_m2",
    "owner_type",
    "owner_contacted_on",
    "willingness",
    "publication_consent",
    "description",
    "source",
    "next_review",
)
LABELS = {
    "ref": "Nummer",
    "municipality_ags": "AGS",
    "municipality": "Gemeinde",
    "ortsteil": "Ortsteil",
    "address": "Adresse",
    "lat": "Breite",
    "lon": "Länge",
    "location_precise": "Lage genau",
    "type": "Art",
    "usage": "Nutzung",
    "status": "Stand",
    "vacant_since": "leer seit",
    "building_epoch": "Baualter",
    "condition": "Zustand",
    "area_m2": "Fläche m²",
    "owner_type": "Eigentümerart",
    "owner_contacted_on": "Eigentümer angesprochen am",
    "willingness": "Bereitschaft",
    "publication_consent": "Veröffentlichung erlaubt",
    "description": "Beschreibung",
    "source": "Quelle",
    "next_review": "nächste Prüfung",
    "owner_name": "Eigentümer (Name)",
    "owner_contact": "Eigentümer (Kontakt)",
    "owner_note": "Eigentümer (Notiz)",
}
OWNER_FIELDS = ("owner_name", "owner_contact", "owner_note")
TEXT_MAX = {"address": 200, "description": 1000, "source": 200, "ortsteil": 100}


@dataclass(frozen=True)
class Site:
    id: int
    ref: str
    municipality_ags: str
    ortsteil: str | None
    address: str
    lat: float
    lon: float
    location_precise: bool
    type: str
    usage: str | None
    status: str
    vacant_since: str | None
    building_epoch: str | None
    condition: str | None
    area_m2: float | None
    owner_type: str | None
    owner_contacted_on: str | None
    willingness: str | None
    publication_consent: bool
    description: str
    source: str
    next_review: str | None
    version: int
    is_demo: bool
    created_at: str
    updated_at: str

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def values(self) -> dict:
        """The public fields as plain values (what the history keeps of each version)."""
        return {name: getattr(self, name) for name in FIELDS}


@dataclass(frozen=True)
class Owner:
    name: str = ""
    contact: str = ""
    note: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name or self.contact or self.note)
