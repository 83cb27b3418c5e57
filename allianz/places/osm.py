"""Places from an OpenStreetMap extract (.osm.pbf) read with osmium: nodes and ways whose tags
map to one of our categories, a way placed at the mean of its nodes. The mapping is `key=value`
-> category; the default below may be replaced (CLI option, a TOML/JSON file)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from allianz.errors import ValidationError
from allianz.places.model import CATEGORIES

DEFAULT_MAPPING: dict[str, str] = {
    "amenity=townhall": "rathaus",
    "office=government": "rathaus",
    "landuse=depot": "bauhof",
    "amenity=school": "schule",
    "amenity=kindergarten": "kita",
    "amenity=childcare": "kita",
    "amenity=library": "bibliothek",
    "amenity=doctors": "arzt",
    "amenity=pharmacy": "arzt",
    "healthcare=doctor": "arzt",
    "leisure=playground": "spielplatz",
    "leisure=sports_centre": "sport",
    "leisure=pitch": "sport",
    "leisure=swimming_pool": "sport",
    "amenity=theatre": "kultur",
    "amenity=arts_centre": "kultur",
    "tourism=museum": "kultur",
    "amenity=community_centre": "kultur",
    "tourism=information": "touristinfo",
    "amenity=charging_station": "ladestation",
    "amenity=toilets": "toilette",
    "highway=bus_stop": "haltestelle",
    "amenity=recycling": "wertstoff",
    "amenity=parking": "parken",
    "amenity=bicycle_parking": "parken",
    "tourism=viewpoint": "aussicht",
}
MAX_OBJECTS = 50_000


class OsmError(ValidationError):
    """An unreadable extract or mapping; German message."""


def load_mapping(path: Path) -> dict[str, str]:
    """A mapping file: TOML or JSON of "key=value" = "category"."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = json.loads(text) if str(path).endswith(".json") else tomllib.loads(text)
    except (OSError, ValueError) as exc:
        raise OsmError("Die Zuordnungsdatei ist nicht lesbar (TOML oder JSON).") from exc
    return check_mapping(data)


def check_mapping(data: object) -> dict[str, str]:
    if not isinstance(data, dict) or not data:
        raise OsmError("Die Zuordnung muss Einträge „schlüssel=wert“ = „kategorie“ haben.")
    mapping = {}
    for tag, category in data.items():
        if "=" not in str(tag) or category not in CATEGORIES:
            raise OsmError(
                f"Zuordnung „{str(tag)[:60]}“: bitte „schlüssel=wert“ und eine Kategorie aus "
                f"{', '.join(CATEGORIES)} angeben."
            )
        mapping[str(tag)] = str(category)
    return mapping


def _category(tags, mapping: dict[str, str]) -> str | None:
    for tag in tags:
        found = mapping.get(f"{tag.k}={tag.v}")
        if found:
            return found
    return None


def _record(kind: str, obj, category: str, lat: float, lon: float) -> dict:
    tags = {tag.k: tag.v for tag in obj.tags}
    street = " ".join(p for p in (tags.get("addr:street"), tags.get("addr:housenumber")) if p)
    town = " ".join(p for p in (tags.get("addr:postcode"), tags.get("addr:city")) if p)
    return {
        "source_id": f"{kind}/{obj.id}",
        "name": tags.get("name") or CATEGORIES[category],
        "category": category,
        "lat": lat,
        "lon": lon,
        "address_text": ", ".join(p for p in (street, town) if p),
        "opening_hours": tags.get("opening_hours", ""),
        "phone": tags.get("phone") or tags.get("contact:phone", ""),
        "web": tags.get("website") or tags.get("contact:website", ""),
        "wheelchair": tags.get("wheelchair", "") if tags.get("wheelchair") in
        ("yes", "limited", "no") else "",
    }  # fmt: skip


def records(path: Path, mapping: dict[str, str] | None = None) -> list[dict]:
    """The mapped objects of the extract as import records (source id "node/123")."""
    import osmium  # noqa: PLC0415 - imported only when an extract is read

    chosen = check_mapping(mapping) if mapping is not None else DEFAULT_MAPPING
    found: list[dict] = []
    try:
        processor = osmium.FileProcessor(str(path)).with_locations()
        for obj in processor:
            if obj.is_node():
                category = _category(obj.tags, chosen)
                if category and obj.location.valid():
                    found.append(_record("node", obj, category, obj.location.lat, obj.location.lon))
            elif obj.is_way():
                category = _category(obj.tags, chosen)
                if not category:
                    continue
                points = [(n.lat, n.lon) for n in obj.nodes if n.location.valid()]
                if points:
                    lat = sum(p[0] for p in points) / len(points)
                    lon = sum(p[1] for p in points) / len(points)
                    found.append(_record("way", obj, category, lat, lon))
            if len(found) > MAX_OBJECTS:
                raise OsmError(f"Der Auszug enthält mehr als {MAX_OBJECTS} passende Objekte.")
    except OsmError:
        raise
    except Exception as exc:  # libosmium reports broken input with RuntimeError and others
        raise OsmError(
            "Der OpenStreetMap-Auszug ist nicht lesbar (beschädigte oder keine .osm.pbf-Datei)."
        ) from exc
    return found
