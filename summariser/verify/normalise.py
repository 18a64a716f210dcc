"""Text rules of quote checking: the one normalisation, its map back to the original text, and
word boundaries.

Everything here is about text alone; editorial marks are read in summariser.verify.marks, quotes
are located and diffed in summariser.verify.align, and the corpus index and the verdicts are in
summariser.verify.index.

A quote "matches after normalisation" when it is a substring of the source once both sides have
been through `normalise`, which applies, in this order:

1. quote marks folded, single and double alike: ‘ ’ ‚ ‛ ′ ‵ ‹ › ` ´ ʹ ʻ ʼ ʽ ꞌ " “ ” „ ‟ ″ ‶ « »
   〝 〞  ->  ' (a report prints a respondent's "buy in" as ‘buy in’ inside its own double marks)
   a dash between words folded to a spaced hyphen: an em dash (— ―) with or without spaces
   around it, or an en dash (–) with a space on either side  ->  " - " (an editor's "IJB—NHS"
   and "IJB – NHS" are a typist's "IJB - NHS")
   other dash variants folded: ‐ ‑ ‒ – ⁃ − ⸺ ⸻ ﹘ ﹣ －  ->  - ("2016–2017" is "2016-2017")
   zero-width characters, soft hyphens and bidirectional controls removed: U+00AD, U+180E,
   U+200B-U+200F, U+2060-U+2064, U+FEFF, U+202A-U+202E, U+2066-U+2069 (a report closes a
   quote's open override, `summariser.text.controls.bidi_closed`); NUL read as U+FFFD (as
   CommonMark reads it, so a quote read back from Markdown matches its source)
2. Unicode NFKC (compatibility forms: ligatures, full-width letters, no-break and other spaces)
3. case folded (str.casefold, so "ß" matches "ss"), then step 1 again for anything NFKC produced
4. every run of whitespace (spaces, tabs, newlines, no-break spaces...) collapsed to one space.

Punctuation is never removed: a changed comma or full stop is a change.

Folding before NFKC matters: NFKC turns "´" into a space plus a combining accent, which would
otherwise split a word where a typist used the accent as an apostrophe.

Characters are normalised one cluster at a time (a character plus the combining marks of the
main diacritical blocks that follow it) so each normalised character can be traced back to the
original characters it came from. Known limits, none of which occur in our corpora: NFKC
compositions across clusters (conjoining Hangul jamo) are not applied, and a spacing accent that
NFKC turns into a space (¨ ˘) is not merged with a neighbouring space.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

from summariser.text.controls import BIDI_CONTROLS
from summariser.text.glyphs import DOUBLE_QUOTE_LIKE, SINGLE_QUOTE_LIKE

_SINGLE_QUOTES = SINGLE_QUOTE_LIKE
_DOUBLE_QUOTES = DOUBLE_QUOTE_LIKE
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
INVISIBLE = ("\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
             + BIDI_CONTROLS)

_FOLD = str.maketrans(
    {c: "'" for c in _SINGLE_QUOTES} | {c: "'" for c in _DOUBLE_QUOTES + '"'}
    | {c: "-" for c in _DASHES} | {c: None for c in INVISIBLE}
)
_SPACED_DASH = " - "
# A dash between words: an em dash (with or without spaces), or an en dash with a space beside it.
_WORD_DASH = r"[ \t]*[\u2014\u2015][ \t]*|[ \t]+\u2013[ \t]*|\u2013[ \t]+"
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# What plain ASCII lower-casing does not handle: a run of whitespace and invisible characters
# that is not a single space (-> " ", or "" if all invisible), then a cluster to fold: a
# non-ASCII character or an ASCII one carrying combining marks (plus its marks), or a backtick.
_SPECIAL = re.compile(
    rf"{_WORD_DASH}|[\s{INVISIBLE}]{{2,}}|[^\S ]|[{INVISIBLE}]"
    rf"|(?:[^\x00-\x7f]|[\x00-\x7f](?=[{_COMBINING}]))[{_COMBINING}]*|`"
)
_WHITESPACE_TO_FIX = re.compile(r"\s{2,}|[^\S ]")  # the same, for ASCII text
_ODD_SPACE = re.compile(r"[^\S ]")  # with a test for "  ", a much faster way to ask the same
_WORD = re.compile(r"\w+")

# Characters that join two word parts: a quote boundary next to one of these, with a letter on its
# far side, cuts a word ("don" from "don't", "self" from "self-directed"). En and em dashes are not
# here: "services—and staff" is two words around a dash.
_JOINERS = frozenset("'’‘ʼ-\u2010\u2011")
_CLEAR_EDGE = frozenset(" \t\n\r.,;:!?\"()[]/“”")  # next to these a span cannot be inside a word


class OffsetMap:
    """Where each normalised character came from in the original text.

    The normalised text is cut into segments, each starting at `norm_at[i]` and coming from the
    original text at `orig_at[i]`: a linear segment (`block_end[i] == -1`) maps character for
    character; a block (a folded cluster or a collapsed run of whitespace) maps as a whole to
    original [orig_at[i], block_end[i]). Plain text is one linear segment: the identity.
    """

    __slots__ = ("norm_at", "orig_at", "block_end", "length")

    def __init__(self, norm_at: list[int], orig_at: list[int], block_end: list[int], length: int):
        self.norm_at, self.orig_at, self.block_end = norm_at, orig_at, block_end
        self.length = length

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls([0], [0], [-1], length)

    @property
    def is_identity(self) -> bool:
        return len(self.norm_at) == 1

    def _segment(self, position: int) -> int:
        return bisect_right(self.norm_at, position) - 1 if len(self.norm_at) > 1 else 0

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for the normalised [start, end) (end > start)."""
        i, j = self._segment(start), self._segment(end - 1)
        first = self.orig_at[i] + (start - self.norm_at[i] if self.block_end[i] < 0 else 0)
        if self.block_end[j] < 0:
            return first, self.orig_at[j] + (end - self.norm_at[j])
        return first, self.block_end[j]

    def splits_cluster(self, start: int, end: int) -> bool:
        """True when normalised [start, end) begins or ends inside one block (e.g. the "i" of
        "ﬁ" -> "fi"): such a span has no exact counterpart in the original."""
        i, j = self._segment(start), self._segment(end - 1)
        block_stop = self.norm_at[j + 1] if j + 1 < len(self.norm_at) else self.length
        return (self.block_end[i] >= 0 and start != self.norm_at[i]) or (
            self.block_end[j] >= 0 and end != block_stop
        )

    def sliced(self, start: int, end: int) -> OffsetMap:
        """The map of normalised[start:end], where start is not inside a block."""
        i = self._segment(start)
        linear = self.block_end[i] < 0
        norm_at = [0]
        orig_at = [self.orig_at[i] + (start - self.norm_at[i]) if linear else self.orig_at[i]]
        block_end = [self.block_end[i]]
        for k in range(i + 1, len(self.norm_at)):
            if self.norm_at[k] >= end:
                break
            norm_at.append(self.norm_at[k] - start)
            orig_at.append(self.orig_at[k])
            block_end.append(self.block_end[k])
        return OffsetMap(norm_at, orig_at, block_end, end - start)


class Normalised(NamedTuple):
    text: str
    offsets: OffsetMap


@lru_cache(maxsize=4096)
def _fold(special: str) -> str:
    if not special.strip(" \t\u2013\u2014\u2015") and (
            "\u2014" in special or "\u2015" in special
            or ("\u2013" in special and special.strip() != special)):
        return _SPACED_DASH
    if special[0].isspace() or special[0] in INVISIBLE:
        return " " if any(c.isspace() for c in special) else ""
    folded = unicodedata.normalize("NFKC", special.translate(_FOLD)).casefold()
    return unicodedata.normalize("NFKC", folded).translate(_FOLD)


def normalise(text: str) -> Normalised:
    """Apply the module's normalisation (see the module docstring), with a map back to `text`."""
    text = text.replace("\x00", "\ufffd")  # one character for one: the offsets are unchanged
    if text.isascii():
        lowered = text.lower().replace("`", "'").replace('"', "'")
        if "  " not in lowered and not _ODD_SPACE.search(lowered):
            return Normalised(lowered, OffsetMap.identity(len(lowered)))
        return _rebuild(lowered, _WHITESPACE_TO_FIX)
    return _rebuild(text, _SPECIAL)


def _rebuild(text: str, special: re.Pattern) -> Normalised:
    pieces: list[str] = []
    norm_at, orig_at, block_end = [0], [0], [-1]
    position = length = 0
    for match in special.finditer(text):
        begin, finish = match.span()
        plain = text[position:begin].lower().replace('"', "'")  # only ASCII between specials
        replacement = _fold(match.group())
        pieces += (plain, replacement)
        length += len(plain)
        if len(replacement) != 1 or finish - begin != 1:  # a block; else it maps one to one
            norm_at += (length, length + len(replacement))
            orig_at += (begin, finish)
            block_end += (finish, -1)
        length += len(replacement)
        position = finish
    pieces.append(text[position:].lower().replace('"', "'"))
    length += len(pieces[-1])
    return Normalised("".join(pieces), OffsetMap(norm_at, orig_at, block_end, length))


def normalised_text(text: str) -> str:
    """`normalise_quote(text).text`, without building the offset map."""
    return normalise(text).text.strip(" ")


def normalise_quote(quote: str) -> Normalised:
    """`normalise`, then leading and trailing whitespace dropped (offsets kept aligned)."""
    normalised = normalise(quote)
    text = normalised.text
    stripped = text.strip(" ")
    if len(stripped) == len(text):
        return normalised
    lead = len(text) - len(text.lstrip(" "))
    return Normalised(stripped, normalised.offsets.sliced(lead, lead + len(stripped)))


def word_tokens(normalised_text: str) -> list[str]:
    """Word tokens (runs of letters and digits) of a normalised text, as the index counts them."""
    return _WORD.findall(normalised_text)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _is_word_char(character: str) -> bool:
    return character.isalnum() or unicodedata.combining(character) != 0


def _visible(text: str, index: int, step: int) -> int:
    """Index of the first visible character at or beyond `index` going `step`, or -1 at the edge."""
    while 0 <= index < len(text):
        if text[index] not in INVISIBLE:
            return index
        index += step
    return -1


def _continues_word(text: str, index: int, step: int) -> bool:
    """Is there a word character next to the edge (a letter, or a joiner then a letter)?"""
    neighbour = _visible(text, index, step)
    if neighbour < 0:
        return False
    if _is_word_char(text[neighbour]):
        return True
    beyond = _visible(text, neighbour + step, step)
    return text[neighbour] in _JOINERS and beyond >= 0 and _is_word_char(text[beyond])


def cuts_word(text: str, start: int, end: int) -> bool:
    """True when original-text span [start, end) starts or ends inside a word.

    Only edges that are themselves word characters can cut a word ("...services," may be followed
    by anything). A joiner (apostrophe, hyphen) between the edge and a further word character also
    counts as inside a word: "don" is not a quote of "don't". Invisible characters are looked
    through, so "chal" does not stand alone in "chal\u00adlenge".
    """
    if end <= start:
        return False
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before in _CLEAR_EDGE and after in _CLEAR_EDGE:  # the common case, decided cheaply
        return False
    return (_is_word_char(text[start]) and _continues_word(text, start - 1, -1)) or (
        _is_word_char(text[end - 1]) and _continues_word(text, end, 1)
    )
