"""Arguments the slices' commands share: an input file that must exist, the app's address."""

from __future__ import annotations

from pathlib import Path

import click

from allianz.errors import NotFound

# For the links in files written outside the app (calendars): where the app answers.
base_url_option = click.option(
    "--base-url",
    default="http://localhost:8501",
    show_default=True,
    help="Adresse der App für die Links in den Terminen",
)


def input_file(value: str) -> Path:
    """The path of a file to read, refused in German when it is missing."""
    path = Path(value)
    if not path.is_file():
        raise NotFound(f"Datei nicht gefunden: {path}")
    return path
