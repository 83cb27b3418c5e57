"""Building developments: kinds, planning stages, answers, effects, and the records."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = {
    "b_plan": "Bebauungsplan",
    "vb_plan": "vorhabenbezogener Bebauungsplan",
    "fnp": "FNP-Änderung",
    "commercial": "Gewerbe-/Industriegebiet",
    "housing": "Wohngebiet",
    "solar": "Freiflächen-PV",
    "wind": "Windenergie",
    "retail": "Einzelhandel",
    "infrastructure": "Verkehr/Infrastruktur",
    "other": "sonstiges",
}
STAGES = {
    "aufstellung": "Aufstellungsbeschluss",
    "fruehzeitig": "frühzeitige Beteiligung",
    "entwurf": "Entwurf",
    "satzung": "Satzungsbeschluss",
}
EFFECTS = {
    "traffic": "Verkehr",
    "retail": "Einzelhandel/Einzugsbereich",
    "landscape": "Landschaftsbild",
    "noise": "Lärm",
}
ANSWERS = {
    "noted": "zur Kenntnis genommen",
    "no_objection": "keine Bedenken",
    "remarks": "Hinweise",
    "objection": "Bedenken",
}
STATUSES = {
    "open": "Abstimmung läuft",
    "coordination": "Abstimmungsgespräch vorgeschlagen",
    "settled": "abgestimmt",
}
# Distance (km) around the development within which a member counts as affected, by kind;
# an alliance may set others in its TOML file under [developments.distance_km].
DEFAULT_DISTANCE_KM = {
    "b_plan": 2.0,
    "vb_plan": 2.0,
    "fnp": 5.0,
    "commercial": 5.0,
    "housing": 2.0,
    "solar": 2.0,
    "wind": 10.0,
    "retail": 5.0,
    "infrastructure": 5.0,
    "other": 2.0,
}
DEFAULT_ANSWER_DAYS = 28
REMIND_DAYS_BEFORE = 7


@dataclass(frozen=True)
class Draft:
    """What the reporting member enters."""

    title: str
    kind: str
    stage: str
    geometry: dict  # GeoJSON in WGS84, already read from a file
    area_ha: float | None = None
    dwellings: int | None = None
    floor_space_m2: int | None = None
    effects: tuple[str, ...] = ()
    effects_text: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    extra_members: tuple[str, ...] = ()
    geometry_source: str = ""


@dataclass(frozen=True)
class Answer:
    ags: str
    member: str
    reason: str  # "distance" or "manual"
    distance_m: float | None
    notified_at: str | None
    reminded_at: str | None
    answer: str | None
    statement: str
    answered_at: str | None
    answered_by: str
    late: bool
    statement_lon: float | None = None  # optional map point of the statement (WGS84)
    statement_lat: float | None = None

    @property
    def answer_label(self) -> str:
        return ANSWERS.get(self.answer or "", "noch keine Antwort")

    @property
    def point(self) -> tuple[float, float] | None:
        """(lon, lat) of the statement's map point, if the member gave one."""
        if self.statement_lon is None or self.statement_lat is None:
            return None
        return (self.statement_lon, self.statement_lat)


@dataclass(frozen=True)
class Development:
    id: int
    title: str
    kind: str
    stage: str
    municipality_ags: str
    area_ha: float
    dwellings: int | None
    floor_space_m2: int | None
    effects: tuple[str, ...]
    effects_text: str
    contact_name: str
    contact_email: str
    contact_phone: str
    geometry: dict
    geometry_source: str
    distance_km: float
    deadline: str  # date ISO (Europe/Berlin calendar day)
    status: str
    outcome: str
    public: bool
    released_at: str | None
    meeting_id: int | None
    version: int
    is_demo: bool
    created_by: str
    created_at: str
    updated_at: str
    answers: tuple[Answer, ...] = field(default=())

    @property
    def ref(self) -> str:
        return f"BV-{self.id:04d}"

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class Document:
    id: int
    development_id: int
    ags: str | None  # None: the reporter's document; else the answering member's
    file_title: str
    size: int
    sha1: str
    uploaded_at: str
