"""Arguments the slices' commands share: an input file that must exist."""

from __future__ import annotations

from pathlib import Path

from allianz.errors import NotFound


def input_file(value: str) -> Path:
    """The path of a file to read, refused in German when it is missing."""
    path = Path(value)
    if not path.is_file():
        raise NotFound(f"Datei nicht gefunden: {path}")
    return path
