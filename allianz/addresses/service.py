"""Address index rules: import (per municipality, replacing), search with German
normalisation, Ortsteil points for reports without an address.

Search works on streets, not single addresses: a district has some 300.000 addresses but only
some 15.000 streets. The full-text index (FTS5, one row per street with its name, Ortsteil,
place, municipality and postcodes as normalised terms) finds the streets whose terms start
with every word typed; the streets are ranked by how well the words match (a whole word
of the street name above a prefix, the street name above the Ortsteil), then their house
numbers are read from the B-tree index (street, number).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
import sqlite_utils

from allianz import audit, submissions
from allianz.accounts.model import User
from allianz.addresses import files, normalise, store
from allianz.addresses.model import (
    PLACE_MAX,
    SEARCH_LIMIT,
    SOURCE_MAX,
    STREET_MAX,
    Address,
    AddressRow,
    ImportSummary,
    Locality,
    short_name,
)
from allianz.auth import acts_in, can
from allianz.config import Alliance
from allianz.errors import Conflict, PermissionDenied, ValidationError
from allianz.formatting import de_int
from allianz.municipalities import service as municipalities
from allianz.text import clean
from db.connection import write_transaction

AddressFileError = files.AddressFileError
CRS_CHOICES = files.CRS_CHOICES
SUFFIXES = files.SUFFIXES
get = store.get
total = store.total

CANDIDATE_STREETS = 300  # by bm25, before our own ranking
RANKED_STREETS = 30  # whose house numbers are looked at


# --- search -------------------------------------------------------------------------------


def _expression(query: normalise.Query) -> str:
    """An FTS5 expression: every group must match, by one of its readings; every word is a
    prefix. Words are [a-z0-9] only (normalise), quoted all the same."""

    def reading(words: tuple[str, ...]) -> str:
        return "(" + " AND ".join(f'"{w}"*' for w in words) + ")"

    return " AND ".join(
        "(" + " OR ".join(reading(r) for r in group) + ")" for group in query.groups
    )


def _word_score(word: str, terms: set[str], exact: float, prefix: float) -> float:
    if word in terms:
        return exact
    best = max((len(word) / len(t) for t in terms if t.startswith(word)), default=0.0)
    return prefix + best if best else 0.0


@dataclass(frozen=True)
class _Street:
    id: int
    street: str
    rank: float


def _ranked_streets(db, query: normalise.Query) -> list[_Street]:
    rows = store.matching_streets(db, _expression(query), CANDIDATE_STREETS)
    ranked = []
    for street_id, _ags, street, ortsteil, place, postcodes in rows:
        own = normalise.name_terms(street)
        around = (
            normalise.name_terms(ortsteil) | normalise.name_terms(place) | set(postcodes.split())
        )
        score = 0.0
        for group in query.groups:
            score += max(
                sum(max(_word_score(w, own, 4, 2), _word_score(w, around, 2.5, 1)) for w in reading)
                / len(reading)
                for reading in group
            )
        ranked.append(_Street(street_id, street, score))
    ranked.sort(key=lambda s: (-s.rank, len(s.street), s.street))
    return ranked[:RANKED_STREETS]


def search(db: sqlite_utils.Database, text: str, limit: int = SEARCH_LIMIT) -> list[Address]:
    """Addresses for what someone typed ("Hauptstr 5 Beucha", "beucha hauptstraße 5a",
    "Grosspoesna Am Anger"), best first; empty when nothing matches or nothing was typed
    but a number."""
    query = normalise.parse_query(text)
    if query.empty:
        return []
    streets = _ranked_streets(db, query)
    if query.number:
        found = _with_number(db, streets, query.number, query.number_partial, limit)
        if found or not query.number_word:
            return found
        query = query.without_number()  # "Straße des 17" while "17. Juni" is being typed
        streets = _ranked_streets(db, query)
    if not streets:
        return []
    shown = streets[:10]
    per_street = max(1, math.ceil(limit / len(shown)))
    order = {s.id: i for i, s in enumerate(shown)}
    found = store.first_numbers(db, list(order), per_street)
    found.sort(key=lambda a: order[a.street_id])  # stable: numbers stay in order
    return found[:limit]


def _with_number(db, streets: list[_Street], number: str, partial: bool, limit: int) -> list:
    """The number itself before longer ones ("1" before "10"), then by street rank."""
    order = {s.id: i for i, s in enumerate(streets)}
    found = store.numbered(db, list(order), number, partial)
    found.sort(key=lambda a: (a.house_number != number, order[a.street_id]))
    return found[:limit]


# --- Ortsteile ----------------------------------------------------------------------------


def localities(db: sqlite_utils.Database, alliance: Alliance) -> list[Locality]:
    """Every Ortsteil with a point from the index, and the seat of each municipality whose
    index is empty (the only place known there)."""
    names = {m.ags: m.name for m in alliance.municipalities}
    known = store.localities(db, names)
    covered = {loc.municipality_ags for loc in known}
    seats = [
        Locality(m.ags, m.name, short_name(m.name), m.seat_lat, m.seat_lon, 0)
        for m in alliance.municipalities
        if m.ags not in covered
    ]
    return known + seats


def guess_locality(items: list[Locality], text: str) -> Locality | None:
    """The Ortsteil named in a search text ("Zweenfurth, Am Anger 99"), longest name first."""
    typed = set(normalise.name_words(text)) | set(normalise.name_words(text, plain_vowels=True))
    if not typed:
        return None
    best = None
    for item in items:
        words = normalise.name_words(item.ortsteil)
        named = bool(words) and all(w in typed for w in words)
        if named and (best is None or len(item.ortsteil) > len(best.ortsteil)):
            best = item
    return best


# --- import -------------------------------------------------------------------------------


def _text(value, limit: int) -> str | None:
    """Cleaned text, or None when it is longer than allowed."""
    text = clean(str(value)) if value is not None else ""
    return None if len(text) > limit else text


def _municipality_of(
    table: files.AddressTable, alliance: Alliance, areas
) -> tuple[np.ndarray, np.ndarray]:
    """(AGS per row or "", whether the row has coordinates)."""
    has_point = np.isfinite(table.lon) & np.isfinite(table.lat)
    result = np.full(table.rows, "", dtype=object)
    wanted = {m.ags for m in alliance.municipalities}
    if "ags" in table.columns:
        given = table.columns["ags"].astype(str).str.strip().str.zfill(8).to_numpy()
        inside = np.isin(given, list(wanted))
        result[inside] = given[inside]
        return result, has_point
    lon = np.where(has_point, table.lon, 0.0)
    lat = np.where(has_point, table.lat, 0.0)
    for area in areas:
        inside = has_point & (result == "") & shapely.contains_xy(area.geometry, lon, lat)
        result[inside] = area.ags
    return result, has_point


def _rows_of(
    table: files.AddressTable, alliance: Alliance, areas, user: User | None = None
) -> tuple[list[AddressRow], Counter]:
    """The file's addresses that can be stored, and how many were left out, why."""
    ags_of, has_point = _municipality_of(table, alliance, areas)
    names = {m.ags: short_name(m.name) for m in alliance.municipalities}
    column = {role: values.tolist() for role, values in table.columns.items()}
    blank = [""] * table.rows
    streets, numbers = column.get("street", blank), column.get("number", blank)
    suffixes, postcodes = column.get("suffix", blank), column.get("postcode", blank)
    places, ortsteile = column.get("place", blank), column.get("ortsteil", blank)
    skipped: Counter = Counter()
    rows: list[AddressRow] = []
    seen: set[tuple] = set()
    for i in range(table.rows):
        ags = ags_of[i]
        if not has_point[i] and not ags:
            skipped["no_coordinates"] += 1
            continue
        if not ags:
            skipped["outside"] += 1
            continue
        if user is not None and not acts_in(user, ags):
            skipped["other_municipality"] += 1
            continue
        if not has_point[i] or not (-90 <= table.lat[i] <= 90 and -180 <= table.lon[i] <= 180):
            skipped["no_coordinates"] += 1
            continue
        place = _text(places[i], PLACE_MAX)
        ortsteil = _text(ortsteile[i], PLACE_MAX)
        street = _text(streets[i], STREET_MAX)
        if place is None or ortsteil is None or street is None:
            skipped["too_long"] += 1
            continue
        place = place or names[ags]
        ortsteil = ortsteil or place
        street = street or (ortsteile[i] and ortsteil)  # villages addressed without streets
        if not street or not normalise.name_key(street):
            skipped["no_street"] += 1
            continue
        number = normalise.house_number(str(numbers[i] or ""), str(suffixes[i] or ""))
        if number is None:
            skipped["no_number"] += 1
            continue
        postcode = str(postcodes[i] or "").strip()
        postcode = postcode.zfill(5) if postcode.isdigit() and len(postcode) <= 5 else ""
        key = (ags, normalise.name_key(ortsteil), normalise.name_key(street), number[1])
        if key in seen:
            skipped["duplicate"] += 1
            continue
        seen.add(key)
        rows.append(
            AddressRow(
                ags,
                street,
                number[0],
                number[1],
                number[2],
                postcode,
                place,
                ortsteil,
                round(float(table.lat[i]), 7),
                round(float(table.lon[i]), 7),
            )
        )
    return rows, skipped


class ShrinkUnconfirmed(Conflict):
    """The file would replace a municipality's index by far fewer addresses (a test file, an
    extract of one street): done only when the person confirms it."""


def import_file(
    db: sqlite_utils.Database,
    alliance: Alliance,
    user: User,
    path: Path,
    crs: str | None = None,
    token: str | None = None,
    source: str | None = None,
    *,
    allow_shrink: bool = False,
) -> ImportSummary:
    """Read an address file and replace the index of every municipality it contains.

    Staff take their own municipality's addresses only (the others are counted as left
    out); the alliance manager takes all. All or nothing: a refusal changes nothing.
    """
    if not can(user.role, "addresses.import"):
        raise PermissionDenied("Das Adressverzeichnis pflegen Verwaltung und Allianzmanagement.")
    if not acts_in(user, [m.ags for m in alliance.municipalities]):
        raise PermissionDenied("Ihr Konto ist keiner Mitgliedsgemeinde zugeordnet.")
    areas = municipalities.areas(db)
    bounds = shapely.union_all([a.geometry for a in areas]) if areas else None
    table = files.read(Path(path), crs, bounds)
    rows, skipped = _rows_of(table, alliance, areas, user)
    if not rows:
        if skipped.get("other_municipality"):
            raise PermissionDenied(
                "Die Datei enthält keine Adressen Ihrer Gemeinde; Adressen anderer Gemeinden "
                "übernimmt das Allianzmanagement. Nichts wurde geändert."
            )
        raise ValidationError(_nothing_usable(skipped))
    label = clean(source or Path(path).name)[:SOURCE_MAX] or "Datei"
    stored = replace(
        db, alliance, rows, f"Datei {label}", user.actor, token=token, allow_shrink=allow_shrink
    )
    return ImportSummary(stored, dict(skipped), table.crs, label)


def _nothing_usable(skipped: Counter) -> str:
    if skipped.get("outside") and skipped["outside"] >= sum(skipped.values()) / 2:
        return (
            "Keine Adresse der Datei liegt im Gebiet der Allianz. Bitte das Koordinatensystem "
            "prüfen (z. B. Rechts- und Hochwert vertauscht?). Nichts wurde geändert."
        )
    return (
        "Die Datei enthält keine verwendbare Adresse (Straße, Hausnummer und Koordinaten je "
        "Zeile). Nichts wurde geändert."
    )


def replace(
    db: sqlite_utils.Database,
    alliance: Alliance,
    rows: list[AddressRow],
    source: str,
    actor: audit.Actor,
    token: str | None = None,
    action: str = "addresses.import",
    allow_shrink: bool = False,
) -> dict[str, int]:
    """Replace the index of every municipality in `rows` by these rows, in one transaction;
    running it again with the same rows gives the same index. Returns AGS → addresses.
    Less than half of a municipality's current addresses is refused unless `allow_shrink`."""
    by_municipality: dict[str, list[AddressRow]] = defaultdict(list)
    for row in rows:
        by_municipality[row.municipality_ags].append(row)
    names = {m.ags: m.name for m in alliance.municipalities}
    stamp = audit.now_iso()
    with write_transaction(db):
        shrinking = [
            f"{names.get(ags, ags)}: {de_int(len(items))} statt {de_int(store.entries(db, ags))}"
            for ags, items in sorted(by_municipality.items())
            if len(items) < store.entries(db, ags) / 2
        ]
        if shrinking and not allow_shrink:
            raise ShrinkUnconfirmed(
                "Die Datei hat viel weniger Adressen als das Verzeichnis ("
                + "; ".join(shrinking)
                + "). Bitte bestätigen, dass sie das Verzeichnis ersetzen soll. Nichts wurde "
                "geändert."
            )
        submissions.claim(db, token, action)
        for ags, items in sorted(by_municipality.items()):
            store.delete_municipality(db, ags)
            _insert(db, ags, names.get(ags, ags), items)
            store.record_import(db, ags, source, len(items), stamp)
            audit.record(
                db,
                actor,
                action,
                "address_index",
                ags,
                municipality_ags=ags,
                reason=source,
                details={"addresses": len(items)},
            )
    return {ags: len(items) for ags, items in by_municipality.items()}


def _insert(db, ags: str, municipality: str, rows: list[AddressRow]) -> None:
    """Streets (with their search terms), addresses and Ortsteil points of one municipality."""
    groups: dict[tuple[str, str], list[AddressRow]] = defaultdict(list)
    for row in rows:
        groups[(normalise.name_key(row.ortsteil), normalise.name_key(row.street))].append(row)
    around = normalise.name_terms(municipality) | normalise.name_terms(short_name(municipality))
    next_id = store.next_street_id(db)
    streets, terms, addresses = [], [], []
    for (ortsteil_key, street_key), items in sorted(groups.items()):
        street = max((r.street for r in items), key=lambda s: (len(s), s))  # not "Hauptstr."
        ortsteil = items[0].ortsteil
        place = Counter(r.place for r in items).most_common(1)[0][0]
        postcodes = sorted({r.postcode for r in items if r.postcode})
        streets.append(
            (next_id, ags, street, street_key, ortsteil, ortsteil_key, place, " ".join(postcodes))
        )
        words = (
            normalise.name_terms(street)
            | normalise.name_terms(ortsteil)
            | normalise.name_terms(place)
            | around
            | set(postcodes)
        )
        terms.append((next_id, " ".join(sorted(words))))
        addresses += [
            (next_id, r.house_number, r.number_key, r.number_value, r.postcode, r.lat, r.lon)
            for r in items
        ]
        next_id += 1
    store.insert_streets(db, streets, terms)
    store.insert_addresses(db, addresses)
    store.insert_localities(db, _localities(ags, rows))


def _localities(ags: str, rows: list[AddressRow]) -> list[tuple]:
    """Per Ortsteil: the address nearest to the middle of its addresses (a point that lies in
    the village, also for a village shaped like a crescent)."""
    groups: dict[str, list[AddressRow]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in rows:
        key = normalise.name_key(row.ortsteil)
        groups[key].append(row)
        names.setdefault(key, row.ortsteil)
    result = []
    for key, items in sorted(groups.items()):
        lat = np.array([r.lat for r in items])
        lon = np.array([r.lon for r in items])
        scale = math.cos(math.radians(float(lat.mean())))
        nearest = int(np.argmin((lat - lat.mean()) ** 2 + ((lon - lon.mean()) * scale) ** 2))
        result.append((ags, names[key], key, float(lat[nearest]), float(lon[nearest]), len(items)))
    return result


# --- overview and demo --------------------------------------------------------------------


def overview(db: sqlite_utils.Database, alliance: Alliance) -> list[dict]:
    """One row per member municipality, with or without an index (German headings)."""
    present = {r["municipality_ags"]: r for r in store.overview(db)}
    table = []
    for municipality in alliance.municipalities:
        row = present.get(municipality.ags)
        table.append(
            {
                "Gemeinde": municipality.name,
                "Adressen": row["entries"] if row else 0,
                "Straßen": row["streets"] if row else 0,
                "Ortsteile": row["localities"] if row else 0,
                "Quelle": row["source"] if row else "",
                "übernommen am": row["imported_at"] if row else None,
            }
        )
    return table


def load_demo(db: sqlite_utils.Database, alliance: Alliance, actor: audit.Actor) -> int:
    """The generated demo index, for municipalities without any index yet (idempotent)."""
    from allianz.addresses import demo  # noqa: PLC0415 - the generator is only for the demo

    areas = municipalities.areas(db)
    present = {r["municipality_ags"] for r in store.overview(db)}
    missing = [a for a in areas if a.ags not in present]
    if not missing:
        return 0
    rows = demo.generate(alliance, missing)
    stored = replace(db, alliance, rows, demo.SOURCE, actor, action="addresses.demo_load")
    return sum(stored.values())
