"""The embeddable city map of one member: which websites may frame it.

The alliance file names, per member (AGS), the origins of its websites:

    [places.embed_origins]
    "14729300" = ["https://www.naunhof.de"]

The page `places_embed?gemeinde=<AGS>&ebenen=<key,key>` is then served with
`frame-ancestors 'self' https://www.naunhof.de` (allianz/security_headers.py); every other
page, and this page for another member, keeps `frame-ancestors 'self'`."""

from __future__ import annotations

import re
from collections.abc import Mapping

from allianz import config
from allianz.places.model import CATEGORIES

EMBED_PAGE = "places_embed"  # the Streamlit URL path of pages/places_embed.py
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?")


def origins(alliance: config.Alliance, ags: str) -> tuple[str, ...]:
    """The configured websites of member `ags` (ConfigError for a malformed entry)."""
    table = config.section(alliance, "places").get("embed_origins", {})
    if not isinstance(table, dict):
        raise config.ConfigError(
            f"{alliance.source_path.name}: [places.embed_origins] muss Gemeindeschlüssel auf "
            "Listen von Adressen (https://…) abbilden."
        )
    found = table.get(ags, [])
    if not isinstance(found, list) or not all(
        isinstance(o, str) and _ORIGIN.fullmatch(o) for o in found
    ):
        raise config.ConfigError(
            f"{alliance.source_path.name}: [places.embed_origins] „{ags}“: bitte eine Liste von "
            "Adressen wie „https://www.beispiel.de“ (ohne Pfad) angeben."
        )
    return tuple(found)


def frame_ancestors(path: str, query: Mapping[str, str]) -> tuple[str, ...]:
    """For the registry: the member's websites when the embed page of that member is asked."""
    if path.rstrip("/").rsplit("/", 1)[-1] != EMBED_PAGE:
        return ()
    ags = query.get("gemeinde", "")
    if not ags.isdigit():
        return ()
    return origins(config.load(), ags)


def layers(text: str | None) -> list[str]:
    """The layers named in the address (`ebenen=rathaus,bauhof`); all when none is valid."""
    chosen = [k for k in (text or "").split(",") if k in CATEGORIES]
    return chosen or list(CATEGORIES)


def snippet(base_url: str, ags: str, chosen: list[str]) -> str:
    """The HTML a member's website puts where the map should appear."""
    src = f"{base_url}/{EMBED_PAGE}?gemeinde={ags}&ebenen={','.join(chosen)}&embed=true"
    return (
        f'<iframe src="{src}" title="Stadtplan" width="100%" height="640" '
        'style="border:0" loading="lazy"></iframe>'
    )
