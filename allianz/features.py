"""The feature registry: every slice declares itself once, and the central mechanisms loop over it.

A slice is a package under `allianz/` whose `__init__.py` holds `FEATURE = Feature(...)`: its
pages, its permissions, its personal data, its figures for the steering group, its demo data,
its command group and its HTTP routes. Navigation, access checks, privacy rights, demo loading,
the summary, the CLI and the HTTP app read this registry; none of them knows a slice's tables.
Adding a feature is a new package plus one line in `SLICES`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    import click
    import sqlite_utils
    from starlette.routing import BaseRoute

    from allianz.audit import Actor
    from allianz.auth import Role
    from allianz.config import Alliance
    from allianz.figures import FigureRequest, FigureSection

# Audit actions of the central modules (allianz/privacy.py); slices declare their own.
CENTRAL_AUDIT_ACTIONS = {
    "privacy.export": "Datenauskunft erteilt",
    "privacy.erase": "Personendaten gelöscht",
    "privacy.purge": "Aufbewahrungsfrist angewandt",
}

# One line per slice. The order is the order of pages within a navigation section and the
# order in which demo data is loaded (member areas before anything placed in them).
SLICES: tuple[str, ...] = (
    "allianz.portal",
    "allianz.municipalities",
    "allianz.addresses",
    "allianz.suggestions",
    "allianz.networks",
    "allianz.workshops",
    "allianz.vacancies",
    "allianz.summary",
    "allianz.measures",
    "allianz.accounts",
    "allianz.meetings",
    "allianz.sharing",
    "allianz.developments",
    "allianz.mayor_hours",
    "allianz.news",
    "allianz.events",
    "allianz.jobs",
    "allianz.places",
    "allianz.feed_import",
    "allianz.digest",
    "allianz.mail",
    "allianz.capacity",
)


@dataclass(frozen=True)
class Page:
    """A Streamlit page of a slice; `path` is relative to the project root."""

    path: str
    title: str
    icon: str
    section: str
    summary: str
    permission: str
    default: bool = False
    # False for pages reached only by link or from outside (a map embedded in a member's
    # website): routable and access-checked, but not listed in the navigation.
    in_navigation: bool = True


@dataclass(frozen=True)
class PersonalData:
    """One table's personal data and how the slice answers for it (GDPR Art. 15, 17, 5(1)(e)).

    `export(db, address)` returns the rows about one e-mail address, `erase(db, address)`
    removes or anonymises them (public content stays) and returns counts per label,
    `purge(db, cutoff_iso)` deletes what is older than the retention period. `retention` says
    the rule in German for the privacy notice.
    """

    table: str
    columns: tuple[str, ...]
    export_key: str
    export: Callable[[sqlite_utils.Database, str], list[dict]]
    erase: Callable[[sqlite_utils.Database, str], dict[str, int]]
    retention: str
    purge: Callable[[sqlite_utils.Database, str], dict[str, int]] | None = None
    # Rows found through the account that has the address (not by the address itself).
    via_account: bool = False


@dataclass(frozen=True)
class Teaser:
    """A line on the start page that leads into a slice (the next dates, the newest news)."""

    text: str
    page: str
    query: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Feature:
    """A slice's manifest; every field but `name` and `label` is optional."""

    name: str
    label: str
    pages: tuple[Page, ...] = ()
    permissions: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    personal_data: tuple[PersonalData, ...] = ()
    figures: Callable[[FigureRequest], Sequence[FigureSection]] | None = None
    demo: Callable[[sqlite_utils.Database, Alliance, Actor], Any] | None = None
    cli: click.Group | None = None
    routes: Sequence[BaseRoute] = ()
    warmup: Callable[[sqlite_utils.Database, Alliance, date], None] | None = None
    # (heading, lines) for the start page, as the given user may see them
    start_page: Callable[[sqlite_utils.Database, Any], tuple[str, Sequence[Teaser]]] | None = None
    # (heading, lines) for "Meine Gemeinde" of one member (AGS), as the given user may see
    # them: what the member has still to do in the slice (open answers with their deadline)
    municipality_desk: (
        Callable[[sqlite_utils.Database, Any, str], tuple[str, Sequence[Teaser]]] | None
    ) = None
    # audit action code -> German label for the audit trail ("vacancy.update" -> "Fläche geändert")
    audit_actions: Mapping[str, str] = field(default_factory=dict)
    # Websites that may frame a page of the slice (CSP frame-ancestors beside 'self'): given a
    # request's path and query, the origins allowed for it (an embeddable map of one member)
    frame_ancestors: Callable[[str, Mapping[str, str]], Sequence[str]] | None = None
    # Work beside the server in every app process (a periodic report): started when the
    # server starts, returns the function that stops it when the server shuts down
    background: Callable[[], Callable[[], None]] | None = None


class RegistryError(RuntimeError):
    """Two slices claim the same thing, or a page names a permission nobody declared."""


@cache
def registry() -> tuple[Feature, ...]:
    """The features in `SLICES` order, checked for clashes once per process."""
    features = tuple(importlib.import_module(name).FEATURE for name in SLICES)
    _check(features)
    return features


def reset() -> None:
    """Forget the loaded registry (tests that register a throwaway slice call this)."""
    registry.cache_clear()
    permission_table.cache_clear()
    audit_labels.cache_clear()


def _check(features: tuple[Feature, ...]) -> None:
    names = [f.name for f in features]
    if len(set(names)) != len(names):
        raise RegistryError(f"Slice names are not unique: {names}")
    seen: dict[str, str] = {}
    for feature in features:
        for key in feature.permissions:
            if key in seen:
                raise RegistryError(f"{key} declared by {seen[key]} and {feature.name}")
            seen[key] = feature.name
    paths = [p.path for f in features for p in f.pages]
    if len(set(paths)) != len(paths):
        raise RegistryError("A page is declared twice")
    for feature in features:
        for page in feature.pages:
            if page.permission not in seen:
                raise RegistryError(f"{page.path} needs {page.permission}, declared by nobody")
    tables = [d.table for f in features for d in f.personal_data]
    if len(set(tables)) != len(tables):
        raise RegistryError("A table's personal data is declared by two slices")


@cache
def permission_table() -> dict[str, frozenset[Role]]:
    """The one permission table: the union of the slices' declarations."""
    return {key: roles for f in registry() for key, roles in f.permissions.items()}


@cache
def audit_labels() -> dict[str, str]:
    """German labels of every audit action: the central ones and the slices' declarations."""
    return {
        **CENTRAL_AUDIT_ACTIONS,
        **{k: v for f in registry() for k, v in f.audit_actions.items()},
    }


def frame_ancestors(path: str, query: Mapping[str, str]) -> tuple[str, ...]:
    """The origins besides our own that may frame the page at `path` (none for most)."""
    return tuple(
        origin
        for f in registry()
        if f.frame_ancestors is not None
        for origin in f.frame_ancestors(path, query)
    )


def pages() -> list[Page]:
    return [page for feature in registry() for page in feature.pages]


def page_at(path: str) -> Page | None:
    return next((p for p in pages() if p.path == path), None)
