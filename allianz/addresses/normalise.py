"""German address text as search tokens: the same rules for the index and for what people type.

- lower case; ß → ss; ä, ö, ü → ae, oe, ue (a second, plain-vowel variant a, o, u is indexed
  too, so "Grosspösna", "Grosspoesna" and "Grossposna" all find Großpösna); other accents
  dropped (é → e);
- "Straße", "Strasse", "Str." and "Str" are one word "str", glued to the word before it:
  "Leipziger Straße", "Leipziger Str." and "Leipzigerstraße" are all "leipzigerstr";
- house numbers "12a", "12 a", "12 A" and "12-a" are "12a" (leading zeros dropped);
- a number followed by a dot is part of the name ("Straße des 17. Juni"), not a house number.

Only [a-z0-9] reach the full-text index: what people type cannot form a query expression.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_PLAIN_VOWELS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_TOKEN = re.compile(r"([a-z0-9]+)(\.?)")
_STREET_WORD = "str"
_STREET_SUFFIX = re.compile(r"(strasse|str)$")
_HOUSE_NUMBER = re.compile(r"^0*(\d{1,4})([a-z]?)$")
_NUMBER_PARTS = re.compile(r"^0*(\d{1,4})\s*[-/ ]?\s*([a-z])?$")
_POSTCODE = re.compile(r"^\d{5}$")
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8


def fold(text: str, plain_vowels: bool = False) -> str:
    """Lower case ASCII-ish text: ß → ss, umlauts → ae/oe/ue (or a/o/u), accents dropped."""
    text = unicodedata.normalize("NFC", text or "").lower()
    text = text.translate(_PLAIN_VOWELS if plain_vowels else _UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _raw_tokens(folded: str) -> list[tuple[str, bool]]:
    """(token, followed by a dot) for every run of letters and digits."""
    return [(word, bool(dot)) for word, dot in _TOKEN.findall(folded)]


def _street_word(word: str) -> str:
    """ "hauptstrasse" → "hauptstr", "strasse" → "str"; other words unchanged."""
    return _STREET_SUFFIX.sub(_STREET_WORD, word) if word.endswith(("strasse", "str")) else word


def _glue(words: list[str]) -> list[str]:
    """A separate "str" joins the word before it (unless that is a number)."""
    glued: list[str] = []
    for word in words:
        if word == _STREET_WORD and glued and not glued[-1].isdigit():
            glued[-1] += word
        else:
            glued.append(word)
    return glued


def name_words(text: str, plain_vowels: bool = False) -> list[str]:
    """The search words of a name (street, Ortsteil, place)."""
    return _glue([_street_word(w) for w, _ in _raw_tokens(fold(text, plain_vowels))])


def name_key(text: str) -> str:
    """One key per spelling family: "Hauptstr." and "Hauptstraße" are the same street."""
    return " ".join(name_words(text))


def name_terms(text: str) -> set[str]:
    """Every token under which a name is found: both umlaut variants, and for names of
    several words the words run together ("Karl-Marx-Straße" also as "karlmarxstr")."""
    terms: set[str] = set()
    for plain in (False, True):
        words = name_words(text, plain)
        terms.update(words)
        if len(words) > 1:
            terms.add("".join(words))
    return terms


def house_number(raw: str, suffix: str = "") -> tuple[str, str, int | None] | None:
    """(shown, key, numeric value) of a house number, or None when it is none.

    "12" + "a", "12 a", "12A", "012-a" → ("12a", "12a", 12); ranges and other forms
    ("12-14", "3/1") are kept as written, compacted, with the leading number as value.
    """
    folded = fold(f"{raw or ''} {suffix or ''}").strip()
    if not folded or len(folded) > 12:
        return None
    match = _NUMBER_PARTS.match(folded)
    if match:
        key = f"{int(match.group(1))}{match.group(2) or ''}"
        return key, key, int(match.group(1))
    compact = re.sub(r"\s+", "", folded)
    if not re.fullmatch(r"[0-9a-z/\-.,]+", compact) or not compact[0].isdigit():
        return None
    leading = re.match(r"\d+", compact)
    return compact, compact, int(leading.group()) if leading else None


# One word of a query may be read in more than one way; every reading is a tuple of
# prefixes that must all match ("Leipziger St" while typing: "leipziger" + "st…", or the
# glued "leipzigerst…").
Reading = tuple[str, ...]
Group = tuple[Reading, ...]


@dataclass(frozen=True)
class Query:
    """What someone typed, as search parts.

    `groups`: all must match, each by one of its readings; `number`: the house number key,
    `number_partial` when it may still be typed on; `number_word`: the same number read as
    part of a name, for "Straße des 17" when no house has the number 17.
    """

    groups: tuple[Group, ...]
    number: str | None = None
    number_partial: bool = False
    number_word: str | None = None

    @property
    def empty(self) -> bool:
        return not self.groups

    def without_number(self) -> Query:
        """The number read as a word instead of a house number."""
        extra = (((self.number_word,),),) if self.number_word else ()
        return Query((self.groups + extra)[:MAX_QUERY_WORDS])


def _merge_letters(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """ "12 a" → "12a": a single letter right after a bare number belongs to it."""
    merged: list[tuple[str, bool]] = []
    for word, dot in tokens:
        previous = merged[-1] if merged else None
        letter = len(word) == 1 and word.isalpha()
        if previous and letter and previous[0].isdigit() and not previous[1]:
            merged[-1] = (previous[0] + word, dot)
            continue
        merged.append((word, dot))
    return merged


def parse_query(text: str) -> Query:
    """German normalisation of a search text; the last word may be unfinished."""
    folded = fold((text or "")[:MAX_QUERY_CHARS])
    tokens = _merge_letters(_raw_tokens(folded))
    typing = bool(tokens) and folded[-1:].isalnum()
    number_at = None
    for index, (word, dot) in enumerate(tokens):
        if not dot and _HOUSE_NUMBER.match(word) and not is_postcode(word):
            number_at = index  # the last one wins
    number = number_word = None
    if number_at is not None:
        match = _HOUSE_NUMBER.match(tokens[number_at][0])
        number = f"{int(match.group(1))}{match.group(2)}"
        number_word = tokens[number_at][0]
    words = [_street_word(w) for i, (w, _) in enumerate(tokens) if i != number_at]
    last_open = typing and number_at != len(tokens) - 1 and bool(words)
    settled = _glue(words[:-1] if last_open else words)
    groups: list[Group] = [((w,),) for w in settled]
    if last_open:
        last = words[-1]
        if last == _STREET_WORD and settled and not settled[-1].isdigit():
            groups[-1] = ((settled[-1] + last,),)
        elif settled and not settled[-1].isdigit() and "strasse".startswith(last):
            fragment = _STREET_WORD if len(last) >= 3 else last
            groups[-1] = ((settled[-1], last), (settled[-1] + fragment,))
        else:
            groups.append(((last,),))
    return Query(
        groups=tuple(groups[:MAX_QUERY_WORDS]),
        number=number,
        number_partial=typing and number_at == len(tokens) - 1,
        number_word=number_word,
    )


def is_postcode(word: str) -> bool:
    return bool(_POSTCODE.match(word))
