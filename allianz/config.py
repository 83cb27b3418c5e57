"""Alliance configuration: one TOML file per alliance, loaded into typed, validated objects.

Nothing about a particular alliance is hard-wired in code; ALLIANZ_CONFIG picks the file
(a path, or the name of a file in geodata/alliances/).
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from allianz.errors import ValidationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ALLIANCES_DIR = PROJECT_ROOT / "geodata" / "alliances"
DEFAULT_ALLIANCE = "partheland"

_AGS = re.compile(r"^\d{8}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ConfigError(ValidationError):
    """The alliance file is missing or invalid; the message says where, in German."""


@dataclass(frozen=True)
class Municipality:
    ags: str
    name: str
    seat_lat: float
    seat_lon: float
    inhabitants: int
    inhabitants_year: int
    ortsteile: tuple[str, ...]
    area_km2: float | None = None


@dataclass(frozen=True)
class Handlungsfeld:
    number: int
    title: str


@dataclass(frozen=True)
class Category:
    code: str
    label: str


@dataclass(frozen=True)
class TileServer:
    url: str
    attribution: str
    max_zoom: int

    @property
    def host(self) -> str:
        return self.url.split("://", 1)[1].split("/", 1)[0]


@dataclass(frozen=True)
class Alliance:
    slug: str
    name: str
    legal_form: str
    district: str
    state: str
    description: str
    municipalities: tuple[Municipality, ...]
    workshop_topics: tuple[str, ...]
    handlungsfelder: tuple[Handlungsfeld, ...]
    categories: tuple[Category, ...]
    tiles: TileServer
    source_path: Path
    contact: str | None = None
    privacy_authority: str | None = None
    dwellings_per_ha: float = 15.0
    retention_months: int = 12

    @property
    def geodata_dir(self) -> Path:
        return PROJECT_ROOT / "geodata" / self.slug

    def municipality(self, ags: str) -> Municipality:
        for m in self.municipalities:
            if m.ags == ags:
                return m
        raise KeyError(ags)

    @property
    def inhabitants(self) -> int:
        return sum(m.inhabitants for m in self.municipalities)


TrustedNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(value: str | None = None) -> tuple[TrustedNetwork, ...]:
    """ALLIANZ_TRUSTED_PROXIES (or `value`): the reverse proxies whose X-Forwarded-For is
    believed, as addresses or networks separated by commas or spaces. Empty (the default):
    no proxy is trusted and every client is its TCP peer (allianz/forwarded.py)."""
    raw = os.environ.get("ALLIANZ_TRUSTED_PROXIES", "") if value is None else value
    networks = []
    for entry in raw.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ConfigError(
                f"ALLIANZ_TRUSTED_PROXIES: '{entry}' ist keine IP-Adresse und kein Netz "
                "(z. B. 127.0.0.1 oder 10.0.0.0/8)"
            ) from exc
    return tuple(networks)


def config_path(selector: str | None = None) -> Path:
    """Resolve ALLIANZ_CONFIG (or `selector`): a TOML path or an alliance name."""
    value = selector or os.environ.get("ALLIANZ_CONFIG") or DEFAULT_ALLIANCE
    candidate = Path(value)
    if candidate.suffix == ".toml":
        return candidate
    return ALLIANCES_DIR / f"{value}.toml"


def load(selector: str | None = None) -> Alliance:
    path = config_path(selector)
    if not path.is_file():
        raise ConfigError(f"Allianz-Konfiguration nicht gefunden: {path}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: kein gültiges TOML ({exc})") from exc
    try:
        return _parse(raw, path)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{path.name}: fehlender oder falscher Eintrag {exc}") from exc


def section(alliance: Alliance, name: str) -> dict:
    """A slice's own optional table of the alliance file (e.g. [mayor_hours]); the slice checks
    its keys. Read again when the file changes."""
    path = alliance.source_path
    return dict(_section(str(path), path.stat().st_mtime if path.is_file() else 0.0, name))


@cache
def _section(path: str, mtime: float, name: str) -> tuple:
    if not mtime:
        return ()
    return tuple(tomllib.loads(Path(path).read_text(encoding="utf-8")).get(name, {}).items())


def _parse(raw: dict, path: Path) -> Alliance:
    head = raw["alliance"]
    slug = head["slug"]
    if not _SLUG.match(slug):
        raise ConfigError(f"{path.name}: slug '{slug}' darf nur a-z, 0-9 und - enthalten")
    municipalities = tuple(_municipality(m, path) for m in raw["municipalities"])
    if len(municipalities) < 2:
        raise ConfigError(f"{path.name}: eine Allianz braucht mindestens zwei Gemeinden")
    ags_list = [m.ags for m in municipalities]
    if len(set(ags_list)) != len(ags_list):
        raise ConfigError(f"{path.name}: ein AGS kommt doppelt vor")
    categories = tuple(Category(str(c["code"]), str(c["label"])) for c in raw["categories"])
    if len({c.code for c in categories}) != len(categories):
        raise ConfigError(f"{path.name}: ein Kategorie-Code kommt doppelt vor")
    tiles = raw["tiles"]
    if not str(tiles["url"]).startswith("https://"):
        raise ConfigError(f"{path.name}: Kachelserver muss per https erreichbar sein")
    return Alliance(
        slug=slug,
        name=str(head["name"]),
        legal_form=str(head["legal_form"]),
        district=str(head["district"]),
        state=str(head["state"]),
        description=str(head.get("description", "")).strip(),
        municipalities=municipalities,
        workshop_topics=tuple(str(t) for t in raw["workshops"]["default_topics"]),
        handlungsfelder=tuple(
            Handlungsfeld(int(h["number"]), str(h["title"])) for h in raw["handlungsfelder"]
        ),
        categories=categories,
        tiles=TileServer(
            url=str(tiles["url"]),
            attribution=str(tiles["attribution"]),
            max_zoom=int(tiles.get("max_zoom", 18)),
        ),
        source_path=path,
        contact=str(head["contact"]).strip() if head.get("contact") else None,
        privacy_authority=str(head.get("privacy_authority") or "").strip() or None,
        dwellings_per_ha=float(raw.get("vacancies", {}).get("dwellings_per_ha", 15)),
        retention_months=int(raw.get("privacy", {}).get("retention_months", 12)),
    )


def _municipality(raw: dict, path: Path) -> Municipality:
    ags = str(raw["ags"])
    if not _AGS.match(ags):
        raise ConfigError(f"{path.name}: AGS '{ags}' ist kein 8-stelliger Gemeindeschlüssel")
    lat, lon = (float(v) for v in raw["seat"])
    if not (47.0 <= lat <= 55.5 and 5.5 <= lon <= 15.5):
        raise ConfigError(f"{path.name}: Sitz von {raw['name']} liegt nicht in Deutschland")
    area = raw.get("area_km2")
    return Municipality(
        ags=ags,
        name=str(raw["name"]),
        seat_lat=lat,
        seat_lon=lon,
        inhabitants=int(raw["inhabitants"]),
        inhabitants_year=int(raw["inhabitants_year"]),
        ortsteile=tuple(str(o) for o in raw.get("ortsteile", [])),
        area_km2=float(area) if area is not None else None,
    )
