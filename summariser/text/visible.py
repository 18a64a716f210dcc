"""Whether a text holds anything a reader can see: the one rule for a blank answer.

A cell holding only a zero-width space (U+200B), a byte-order mark, a soft hyphen or a word
joiner looks empty wherever it is shown, yet `str.strip` keeps it (to Python these are not
whitespace): such an answer once counted as a respondent's words, listed as uncoded and
counted in its question's denominator. A character draws nothing when it is a separator
(Unicode categories Zs, Zl, Zp: spaces of every width), a control character (Cc: tabs, line
breaks), a format character (Cf: zero-width spaces and joiners, bidirectional controls, the
soft hyphen, U+FEFF), or one of the few others fonts draw as blank: the Hangul fillers, the
braille blank, the combining grapheme joiner and the variation selectors.
"""

from __future__ import annotations

import unicodedata

__all__ = ["blank", "invisible", "trimmed"]

_DRAWS_NOTHING = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
_BLANK_GLYPHS = frozenset(
    "\u034f\u115f\u1160\u2800\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))  # variation selectors 1-16
    + "".join(map(chr, range(0xE0100, 0xE01F0))))  # variation selectors 17-256


def invisible(char: str) -> bool:
    """Whether one character draws nothing."""
    return char in _BLANK_GLYPHS or unicodedata.category(char) in _DRAWS_NOTHING


def trimmed(text: str) -> str:
    """`text` without the characters that draw nothing at either end: what `str.strip` does
    for whitespace, for every invisible character."""
    start, end = 0, len(text)
    while start < end and invisible(text[start]):
        start += 1
    while end > start and invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def blank(text: str | None) -> bool:
    """Whether `text` is missing or holds no character a reader can see."""
    return text is None or not trimmed(text)
