"""Rules for free text people type, shared by every feature."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Characters that show nothing on their own: controls and format characters (zero-width
# space/joiners, BOM, direction marks), separators, lone combining marks and variation
# selectors, plus the letters that render as blanks (Hangul fillers, braille blank).
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}
_BLANK_LETTERS = {"\u115f", "\u1160", "\u2800", "\u3164", "\uffa0"}


def _visible(char: str) -> bool:
    return char not in _BLANK_LETTERS and unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def clean(text: str | None) -> str:
    """Keep what was typed, minus control characters that would corrupt exports and mails;
    a text without a single visible character (only zero-width or blank characters) is empty,
    so a required field cannot be filled with nothing visible."""
    cleaned = _CONTROL.sub("", (text or "").strip())
    return cleaned if any(_visible(c) for c in cleaned) else ""
