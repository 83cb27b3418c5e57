"""Places on the city map and the town halls' contacts, with their German labels."""

from __future__ import annotations

from dataclasses import dataclass

from allianz.formatting import count_of

# Category key -> German label, in the order of the map's layer list.
CATEGORIES: dict[str, str] = {
    "rathaus": "Rathaus & Bürgerbüro",
    "bauhof": "Bauhof",
    "schule": "Schule",
    "kita": "Kindertagesstätte",
    "bibliothek": "Bibliothek",
    "arzt": "Arzt & Apotheke",
    "spielplatz": "Spielplatz",
    "sport": "Sport",
    "kultur": "Kultur",
    "touristinfo": "Tourist-Information",
    "ladestation": "E-Bike-Ladestation",
    "toilette": "Öffentliche Toilette",
    "haltestelle": "Bushaltestelle",
    "wertstoff": "Wertstoffhof & Container",
    "parken": "Parken",
    "aussicht": "Aussichtspunkt",
}
CATEGORY_COLORS: dict[str, str] = {
    "rathaus": "#1d3557",
    "bauhof": "#e76f51",
    "schule": "#2a9d8f",
    "kita": "#f4a261",
    "bibliothek": "#6a4c93",
    "arzt": "#c1121f",
    "spielplatz": "#8ac926",
    "sport": "#1982c4",
    "kultur": "#b5179e",
    "touristinfo": "#ffb703",
    "ladestation": "#06d6a0",
    "toilette": "#6c757d",
    "haltestelle": "#3a86ff",
    "wertstoff": "#588157",
    "parken": "#495057",
    "aussicht": "#9c6644",
}
WHEELCHAIR: dict[str, str] = {
    "yes": "rollstuhlgerecht",
    "limited": "eingeschränkt rollstuhlgerecht",
    "no": "nicht rollstuhlgerecht",
    "": "keine Angabe",
}
# How a contact may be shown: an official function address is public; a person's own data
# only with their recorded consent; everything else stays inside the administration.
BASIS: dict[str, str] = {
    "function": "Funktionsadresse (öffentlich)",
    "consent": "Person mit Einwilligung (öffentlich)",
    "internal": "nur intern (keine Einwilligung)",
}
PUBLIC_BASES = ("function", "consent")

NAME_MAX = 120
ADDRESS_MAX = 200
HOURS_MAX = 300
PHONE_MAX = 40
WEB_MAX = 300
NOTE_MAX = 1000
SOURCE_ID_MAX = 80
DEPARTMENT_MAX = 120
ROLE_MAX = 120
ROOM_MAX = 40
KEYWORDS_MAX = 500
EMAIL_MAX = 200


@dataclass(frozen=True)
class Place:
    id: int
    municipality_ags: str
    category: str
    name: str
    address_text: str
    lat: float
    lon: float
    opening_hours: str
    phone: str
    web: str
    wheelchair: str
    note: str
    has_photo: bool
    source: str
    source_id: str
    is_demo: bool
    updated_at: str

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)


@dataclass(frozen=True)
class Contact:
    id: int
    municipality_ags: str
    place_id: int | None
    department: str
    role: str
    person_name: str
    phone: str
    email: str
    room: str
    office_hours: str
    keywords: str
    basis: str
    consent_at: str | None
    is_demo: bool
    updated_at: str

    @property
    def public(self) -> bool:
        return self.basis in PUBLIC_BASES

    @property
    def title(self) -> str:
        """How the contact is named in lists: the person (if shown), else role or department."""
        return self.person_name or self.role or self.department

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


@dataclass(frozen=True)
class PlaceDraft:
    """What a form, a file line or the demo gives for a place."""

    municipality_ags: str | None
    category: str
    name: str
    lat: float | None
    lon: float | None
    address_text: str = ""
    opening_hours: str = ""
    phone: str = ""
    web: str = ""
    wheelchair: str = ""
    note: str = ""
    source: str = "manual"
    source_id: str = ""


@dataclass(frozen=True)
class ContactDraft:
    municipality_ags: str | None
    department: str
    basis: str
    role: str = ""
    person_name: str = ""
    phone: str = ""
    email: str = ""
    room: str = ""
    office_hours: str = ""
    keywords: str = ""
    place_id: int | None = None


@dataclass(frozen=True)
class ImportReport:
    """What an import did: new and updated places, and one German sentence per refused line."""

    created: int
    updated: int
    errors: tuple[str, ...]

    @property
    def summary(self) -> str:
        text = (
            f"{count_of(self.created, 'Ort neu angelegt', 'Orte neu angelegt')}, "
            f"{count_of(self.updated, 'Ort aktualisiert', 'Orte aktualisiert')}"
        )
        if self.errors:
            text += f", {count_of(len(self.errors), 'Zeile abgewiesen', 'Zeilen abgewiesen')}"
        return text + "."
