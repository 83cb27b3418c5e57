"""The navigation: the registered pages a role may open, grouped into sections."""

from __future__ import annotations

from allianz import features
from allianz.auth import Role, can
from allianz.features import Page

# Sections in the sidebar: content first, then sections of new slices, account and legal last.
LEADING_SECTIONS = (
    "Allianz",
    "Aktuelles",
    "Mitmachen",
    "Verwaltung",
    "Netze",
    "Bürgerwerkstatt",
    "Leerstand",
)
TRAILING_SECTIONS = ("Konto", "Rechtliches")


def pages_for(role: Role) -> list[Page]:
    """The pages the navigation lists for a role (every page stays routable by URL)."""
    return [page for page in features.pages() if page.in_navigation and can(role, page.permission)]


def by_section(pages: list[Page]) -> list[tuple[str, list[Page]]]:
    """Sections in their fixed order (others between content and account), pages in order."""
    sections: dict[str, list[Page]] = {}
    for page in pages:
        sections.setdefault(page.section, []).append(page)

    def rank(name: str) -> tuple[int, int]:
        if name in LEADING_SECTIONS:
            return (0, LEADING_SECTIONS.index(name))
        if name in TRAILING_SECTIONS:
            return (2, TRAILING_SECTIONS.index(name))
        return (1, 0)

    return sorted(sections.items(), key=lambda item: rank(item[0]))
