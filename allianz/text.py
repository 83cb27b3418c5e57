"""Rules for free text people type, shared by every feature."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean(text: str | None) -> str:
    """Keep what was typed, minus control characters that would corrupt exports and mails."""
    return _CONTROL.sub("", (text or "").strip())
