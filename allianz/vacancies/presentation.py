"""German tables, labels and map layers for the vacancy pages (no rules of their own)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from allianz.config import Alliance
from allianz.formatting import de_date, de_datetime, de_value
from allianz.vacancies.model import CODED, LABELS, TYPES, Site

TYPE_COLORS = {
    "Baulücke": "#e9a23b",
    "geringfügig bebautes Grundstück": "#f4d35e",
    "Brachfläche": "#8d6e63",
    "Brachfläche mit Restnutzung": "#a1887f",
    "Leerstand (Gebäude)": "#c8553d",
    "Hofstelle": "#2a9d8f",
}


def label(field: str, code: str | None) -> str:
    if code is None or code == "":
        return "–"
    return CODED[field].get(code, code)


WORK_LIST_LABELS = {
    "ref": "Nummer",
    "municipality": "Gemeinde",
    "ortsteil": "Ortsteil",
    "address": "Adresse",
    "type": "Art",
    "status": "Stand",
    "area_m2": "Fläche m²",
    "vacant_since": "leer seit",
    "owner_contacted_on": "Eigentümer angesprochen",
    "willingness": "Bereitschaft",
    "publication_consent": "veröffentlichen",
    "next_review": "nächste Prüfung",
}
WORK_LIST_EDITABLE = (
    "status", "area_m2", "vacant_since", "owner_contacted_on", "willingness",
    "publication_consent", "next_review",
)  # fmt: skip
_DATES = ("vacant_since", "owner_contacted_on", "next_review")


def work_list(sites: list[Site], alliance: Alliance) -> pd.DataFrame:
    """Staff view of the register, keyed by field ids with codes as values (public fields only;
    owner data has its own form). Labels come in only at display (`WORK_LIST_LABELS`)."""
    names = {m.ags: m.name for m in alliance.municipalities}
    rows = []
    for s in sites:
        row = {field: getattr(s, field) for field in WORK_LIST_LABELS if hasattr(s, field)}
        row["municipality"] = names.get(s.municipality_ags, s.municipality_ags)
        row["ortsteil"] = s.ortsteil or ""
        for field in _DATES:
            row[field] = date.fromisoformat(row[field]) if row[field] else None
        rows.append(row)
    return pd.DataFrame(rows, columns=list(WORK_LIST_LABELS))


def snapshot_table(items: list[dict], alliance: Alliance) -> pd.DataFrame:
    names = {m.ags: m.name for m in alliance.municipalities}
    return pd.DataFrame(
        [
            {
                "Nr.": r["id"],
                "Gemeinde": names.get(r["municipality_ags"], r["municipality_ags"]),
                "Adresse": r.get("address") or "",
                "Art": label("type", r.get("type")),
                "Stand": label("status", r.get("status")),
                "Fläche m²": r.get("area_m2"),
            }
            for r in items
        ],
        columns=["Nr.", "Gemeinde", "Adresse", "Art", "Stand", "Fläche m²"],
    )


def history_table(rows: list[dict]) -> pd.DataFrame:
    def describe(changes: dict) -> str:
        parts = []
        for field, value in changes.items():
            if field == "owner":
                parts.append(f"Eigentümerdaten {value}")
                continue
            old, new = value
            parts.append(f"{LABELS.get(field, field)}: {_show(field, old)} → {_show(field, new)}")
        return "; ".join(parts)

    return pd.DataFrame(
        [
            {
                "Version": r["version"],
                "Zeit": de_datetime(r["at"], ""),
                "Wer": r["actor"],
                "Aktion": {"create": "erfasst", "update": "geändert", "import": "importiert"}.get(
                    r["action"], r["action"]
                ),
                "Änderungen": describe(r["changes"]),
            }
            for r in rows
        ],
        columns=["Version", "Zeit", "Wer", "Aktion", "Änderungen"],
    )


def _show(field: str, value) -> str:
    if value is None or value == "":
        return "–"
    if field in CODED:
        return label(field, value)
    if isinstance(value, bool) or field in ("publication_consent", "location_precise"):
        return "ja" if value else "nein"
    if field in _DATES:
        return de_date(str(value))
    return de_value(value)


def matching(sites: list[Site], query: str, alliance: Alliance, limit: int = 50) -> dict[int, str]:
    """Up to `limit` sites whose number, address or municipality contains `query`, labelled
    for a choice by keyboard."""
    names = {m.ags: m.name for m in alliance.municipalities}
    text = query.strip().casefold()
    labels = {}
    for site in sites:
        label = (
            f"{site.ref} – {names[site.municipality_ags]}, "
            f"{site.address or 'ohne Adresse'} ({TYPES[site.type]})"
        )
        if text in label.casefold():
            labels[site.id] = label
            if len(labels) == limit:
                break
    return labels
