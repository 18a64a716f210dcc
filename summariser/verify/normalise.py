"""Text rules of quote checking: the one normalisation, word boundaries, editorial marks and
the word diff of a near miss.

Everything here is about text alone; the corpus index and the verdicts are in summariser.verify.

A quote "matches after normalisation" when it is a substring of the source once both sides have
been through `normalise`, which applies, in this order:

1. quote marks folded: ‘ ’ ‚ ‛ ′ ‵ ‹ › ` ´ ʹ ʻ ʼ ʽ ꞌ  ->  '   and   “ ” „ ‟ ″ ‶ « » 〝 〞  ->  "
   dash variants folded: ‐ ‑ ‒ – — ― ⁃ − ⸺ ⸻ ﹘ ﹣ －  ->  -
   zero-width characters and soft hyphens removed: U+00AD, U+180E, U+200B-U+200F,
   U+2060-U+2064, U+FEFF
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from summariser.text.glyphs import (
    CLOSING_MARK,
    DOUBLE_QUOTE_LIKE,
    ELLIPSIS_PATTERN,
    LEFT_DOUBLE,
    LEFT_SINGLE,
    RIGHT_DOUBLE,
    RIGHT_SINGLE,
    SINGLE_QUOTE_LIKE,
    STRAIGHT_DOUBLE,
    STRAIGHT_SINGLE,
)

NORMALISATION_VERSION = 1  # bump when the rules above change: cached indexes then rebuild

_SINGLE_QUOTES = SINGLE_QUOTE_LIKE
_DOUBLE_QUOTES = DOUBLE_QUOTE_LIKE
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"

_FOLD = str.maketrans(
    {c: "'" for c in _SINGLE_QUOTES} | {c: '"' for c in _DOUBLE_QUOTES}
    | {c: "-" for c in _DASHES} | {c: None for c in INVISIBLE}
)
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# What plain ASCII lower-casing does not handle: a run of whitespace and invisible characters
# that is not a single space (-> " ", or "" if all invisible), then a cluster to fold: a
# non-ASCII character or an ASCII one carrying combining marks (plus its marks), or a backtick.
_SPECIAL = re.compile(
    rf"[\s{INVISIBLE}]{{2,}}|[^\S ]|[{INVISIBLE}]"
    rf"|(?:[^\x00-\x7f]|[\x00-\x7f](?=[{_COMBINING}]))[{_COMBINING}]*|`"
)
_WHITESPACE_TO_FIX = re.compile(r"\s{2,}|[^\S ]")  # the same, for ASCII text
_ODD_SPACE = re.compile(r"[^\S ]")  # with a test for "  ", a much faster way to ask the same
_WORD = re.compile(r"\w+")
TOKEN = re.compile(r"\w+|[^\w\s]")  # words and single punctuation marks: the units of a word diff

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
    if special[0].isspace() or special[0] in INVISIBLE:
        return " " if any(c.isspace() for c in special) else ""
    folded = unicodedata.normalize("NFKC", special.translate(_FOLD)).casefold()
    return unicodedata.normalize("NFKC", folded).translate(_FOLD)


def normalise(text: str) -> Normalised:
    """Apply the module's normalisation (see the module docstring), with a map back to `text`."""
    if text.isascii():
        lowered = text.lower().replace("`", "'")
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
        plain = text[position:begin].lower()  # only ASCII is left between specials
        replacement = _fold(match.group())
        pieces += (plain, replacement)
        length += len(plain)
        if len(replacement) != 1 or finish - begin != 1:  # a block; else it maps one to one
            norm_at += (length, length + len(replacement))
            orig_at += (begin, finish)
            block_end += (finish, -1)
        length += len(replacement)
        position = finish
    pieces.append(text[position:].lower())
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


_OPENING_MARKS = CLOSING_MARK


def strip_quote_marks(quote: str) -> str:
    """Remove one layer of surrounding quote marks (and report punctuation outside them).

    '“...services”.' -> '...services'. A quote whose marks do not pair up is returned stripped of
    whitespace only: the caller decides what to do with it.
    """
    text = quote.strip()
    trimmed = text.rstrip(".,;:")
    if trimmed and trimmed[0] in _OPENING_MARKS and len(trimmed) >= 2:
        closing = trimmed[-1]
        straight = STRAIGHT_DOUBLE + STRAIGHT_SINGLE  # typists mix curly and straight marks
        loosely = (closing in RIGHT_DOUBLE + RIGHT_SINGLE + straight
                   and trimmed[0] in LEFT_DOUBLE + LEFT_SINGLE + straight)
        if closing == _OPENING_MARKS[trimmed[0]] or loosely:
            return trimmed[1:-1].strip()
    return text


# --- reading a quote's editorial marks ------------------------------------------------------

MAX_INSERTION_WORDS = 6  # source words one [insertion] may stand for
_MAX_ROUND_GROUPS = 4  # beyond this, round brackets are read all-literal or all-editorial only
# A round group never spans another mark: in "(left [we] right)" or "(Chick-fil-A, [...] etc)"
# the brackets are the respondent's and the inner mark is the editor's.
_MARK = re.compile(
    rf"(?P<ellipsis>{ELLIPSIS_PATTERN})"
    r"|(?P<square>\[[^\[\]]*\])|(?P<round>\((?:(?!\.\s?\.\s?\.)[^()\[\]…])*\))"
)
_SIC = re.compile(r"\[sic!?\]", re.IGNORECASE)
_PLAIN_WORD = r"[^\W_]+(?:['’-][^\W_]+)*"  # letters and digits, maybe joined by ' or -
_PLAIN_INSERTION = re.compile(
    rf"\(\s*{_PLAIN_WORD}(?:\s+{_PLAIN_WORD}){{0,{MAX_INSERTION_WORDS - 1}}}\s*\)$")


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a quote's editorial marks: normalised fragments to find in order."""

    fragments: tuple[str, ...]
    max_gap_words: tuple[int | None, ...]  # between fragment i and i+1; None after an ellipsis
    editorial_round: tuple[str, ...]  # round-bracket groups read as insertions: a style warning
    # Fragments that a round group read as an insertion touches (no ellipsis between them), before
    # or after. There the source must have no brackets of its own, or the "insertion" would be the
    # respondent's own aside, altered or moved.
    aside_before: tuple[bool, ...] = ()
    aside_after: tuple[bool, ...] = ()


def editorial_readings(quote: str) -> tuple[Reading, ...]:
    """The ways to read `quote` as fragments split at ellipses and [insertions], best first.

    Ellipses (..., …, . . ., [...], (...)) allow any gap; each [insertion] stands for at most
    MAX_INSERTION_WORDS source words. Round brackets are ambiguous (respondents write them too),
    so every choice of which plain "(groups)" (up to six words, no punctuation) are editorial is
    offered, fewest editorial first. "[sic]" stands for nothing and splits nothing.
    A quote without marks has no readings: it can only match as a whole.
    """
    plain = quote.strip()
    if not any(sign in plain for sign in ("..", ". .", "…", "[", "(")):
        return ()  # most quotes: skip the regex, which is slow to fail
    raw = _SIC.sub(lambda m: " " * len(m.group()), plain)  # blanked, so offsets stay put
    marks = [(m.lastgroup, m.group(), m.start()) for m in _MARK.finditer(raw)]
    if not marks:  # at most a [sic]: the rest must be found as it stands
        return () if raw == plain else (Reading((normalised_text(raw),), (), (), (False,),
                                                (False,)),)
    # Respondents write round brackets more often than editors, and their asides carry commas,
    # dashes and lists; an editor's supply a few plain words: "(are)", "(We gave a)", "(health
    # and social care)". Only those may be insertions.
    rounds = [start for kind, text, start in marks
              if kind == "round" and _PLAIN_INSERTION.match(text)]
    if len(rounds) <= _MAX_ROUND_GROUPS:
        choices = [set(c) for n in range(len(rounds) + 1) for c in combinations(rounds, n)]
    else:
        choices = [set(), set(rounds)]
    whole = normalised_text(plain)
    readings = []
    for editorial in choices:
        reading = _reading(raw, marks, editorial)
        if reading is not None and (reading.fragments != (whole,) or reading.max_gap_words):
            readings.append(reading)
    return tuple(readings)


def _reading(raw: str, marks: list[tuple[str, str, int]], editorial_rounds: set[int]
             ) -> Reading | None:
    """One reading, or None when a round group read as an insertion touches no fragment: an
    editor's "(are)" joins quoted words, so "(...) ... words" cannot be one."""
    fragments: list[str] = []
    gaps: list[int | None] = []
    before: list[bool] = []
    after: list[bool] = []
    insertions, ellipsis, position = 0, False, 0
    loose: list[list[bool]] = []  # round groups since the last fragment: [touched it, touches next]

    def flush(text: str) -> bool:
        nonlocal insertions, ellipsis
        fragment = normalised_text(text)
        if not word_count(fragment):
            return True  # bare punctuation between two marks says nothing
        if any(not touched and not touching for touched, touching in loose):
            return False
        if fragments:
            gaps.append(None if ellipsis else MAX_INSERTION_WORDS * insertions)
        before.append(any(touching for _, touching in loose))
        after.append(False)
        fragments.append(fragment)
        insertions, ellipsis = 0, False
        loose.clear()
        return True

    for kind, text, start in marks:
        if kind == "round" and start not in editorial_rounds:
            continue  # literal: stays inside the surrounding fragment
        if not flush(raw[position:start]):
            return None
        position = start + len(text)
        if kind == "ellipsis":
            ellipsis = True
            for group in loose:
                group[1] = False  # the ellipsis parts it from the next fragment
            continue
        insertions += 1
        if kind == "round":
            touched = bool(fragments) and not ellipsis
            if touched:
                after[-1] = True
            loose.append([touched, True])
    if not flush(raw[position:]) or not fragments or not all(t for t, _ in loose):
        return None
    editorial = tuple(text for kind, text, start in marks
                      if kind == "round" and start in editorial_rounds)
    return Reading(tuple(fragments), tuple(gaps), editorial, tuple(before), tuple(after))


def without_editorial_marks(quote: str) -> str:
    """The quote with ellipses and [insertions] blanked out; round brackets kept (they may be the
    respondent's own). Used to compare a failed elided quote word by word with its source."""
    quote = _SIC.sub(" ", quote)
    return _MARK.sub(lambda m: m.group() if m.lastgroup == "round" else " ", quote)


# --- locating a quote's fragments, and showing a near miss ---------------------------------

def occurrences(text: str, source: Normalised, needle: str
                ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(normalised span, original span) of each occurrence of `needle` that keeps words whole."""
    norm, offsets = source
    found = []
    start = norm.find(needle)
    while start != -1:
        end = start + len(needle)
        if not offsets.splits_cluster(start, end):
            original = offsets.to_original(start, end)
            if not cuts_word(text, *original):
                found.append(((start, end), original))
        start = norm.find(needle, start + 1)
    return found


def fragments_in_order(text: str, source: Normalised, reading: Reading
                       ) -> list[tuple[int, int]] | None:
    """Original spans of the reading's fragments: in order, without overlap, gaps within limits."""
    norm = source.text
    if any(normalised_text(group) in norm for group in reading.editorial_round):
        return None  # the respondent wrote this aside: it must be quoted where they put it
    places = [occurrences(text, source, f) for f in reading.fragments]
    if not all(places):
        return None
    last = len(places) - 1

    def clean(start: int, end: int) -> bool:
        return not _BRACKETS.search(norm, start, end)

    def edges_clean(i: int, start: int, end: int) -> bool:
        """The first fragment's start and the last one's end, where an insertion touches them."""
        if i == 0 and reading.aside_before[0] and not clean(_words_before(norm, start, 0), start):
            return False
        return not (i == last and reading.aside_after[last]
                    and not clean(end, _words_after(norm, end, len(norm))))

    def may_follow(i: int, end: int, start: int) -> bool:
        """Can fragment i+1 at `start` follow fragment i ending at `end`?"""
        limit = reading.max_gap_words[i]
        if start < end or (limit is not None and word_count(norm[end:start]) > limit):
            return False
        if reading.aside_after[i] and not clean(end, _words_after(norm, end, start)):
            return False
        return not (reading.aside_before[i + 1]
                    and not clean(_words_before(norm, start, end), start))

    # Walk back from the last fragment: for each occurrence of fragment i, the first occurrence of
    # fragment i+1 that can follow it and itself starts a complete chain.
    following: list[dict[int, int]] = [{} for _ in places]
    viable = [b for b, (span, _) in enumerate(places[last]) if edges_clean(last, *span)]
    for i in range(last - 1, -1, -1):
        next_viable = []
        for a, ((_, end), _) in enumerate(places[i]):
            for b in viable:
                if may_follow(i, end, places[i + 1][b][0][0]):
                    following[i][a] = b
                    next_viable.append(a)
                    break
        viable = next_viable
    viable = [a for a in viable if edges_clean(0, *places[0][a][0])]
    if not viable:
        return None
    chain, a = [], viable[0]
    for i in range(len(places)):
        chain.append(places[i][a][1])
        a = following[i].get(a, 0)
    return chain


_BRACKETS = re.compile(r"[()]")
_EDGE_WORDS = re.compile(rf"\W*(?:\w+\W*){{0,{MAX_INSERTION_WORDS}}}")


def _words_after(norm: str, end: int, limit: int) -> int:
    """Where the source text an insertion after a fragment could stand for ends: six words on,
    but not beyond `limit` (the next fragment)."""
    return min(limit, end + len(_EDGE_WORDS.match(norm, end).group()))


def _words_before(norm: str, start: int, limit: int) -> int:
    """Where the source text an insertion before a fragment could stand for starts: six words
    back, but not before `limit` (the previous fragment)."""
    before = norm[max(0, start - 200) : start][::-1]
    return max(limit, start - len(_EDGE_WORDS.match(before).group()))


def word_diff(opcodes: Sequence, source_spans: list[tuple[int, int]], source: Normalised,
              source_text: str, quote_spans: list[tuple[int, int]], quote: Normalised,
              quote_text: str) -> tuple[tuple[str, str], ...]:
    """Token diff from source to quote, each run shown as the original text it covers: a changed
    run is the source's words deleted, then the quote's inserted."""

    def shown(spans: list[tuple[int, int]], normalised: Normalised, text: str, i: int, j: int
              ) -> str:
        start, end = normalised.offsets.to_original(spans[i][0], spans[j - 1][1])
        return text[start:end]

    ops: list[tuple[str, str]] = []
    deleted: list[int] = []  # [i, j) of the current changed run, in source tokens
    inserted: list[int] = []  # and in quote tokens

    def close_run() -> None:
        if deleted:
            ops.append(("delete", shown(source_spans, source, source_text, *deleted)))
        if inserted:
            ops.append(("insert", shown(quote_spans, quote, quote_text, *inserted)))
        deleted.clear()
        inserted.clear()

    for op in opcodes:
        if op.tag == "equal":
            close_run()
            ops.append(("equal",
                        shown(source_spans, source, source_text, op.src_start, op.src_end)))
        elif op.tag == "delete":
            deleted[:] = [deleted[0] if deleted else op.src_start, op.src_end]
        elif op.tag == "insert":
            inserted[:] = [inserted[0] if inserted else op.dest_start, op.dest_end]
    close_run()
    return tuple(ops)


ALIGN_MARGIN = 3  # words either side of a rough window that a near miss may still reach


@dataclass(frozen=True, slots=True)
class NearMiss:
    start: int  # original offsets of the closest source text
    end: int
    similarity: float  # 0-100, tokens (words and punctuation marks) in common
    diff: tuple[tuple[str, str], ...]


def align_words(quote: str, source_text: str, source: Normalised, first: int, last: int
                ) -> NearMiss | None:
    """Align a quote with its closest source text near a rough window of the source's words.

    [first, last) is a window of space-separated words of `source.text` (e.g. from rapidfuzz's
    partial alignment, which has the quote's length). Inserted or deleted words shift the true
    span, so the words are re-aligned over a wider window; the span is what the matching words
    cover, less stray matches at either end (a lone "the" several words away), widened over
    source words that the quote's unmatched first or last words replace ("...on the mat" quoted
    as "...on the hat"). Then the same again with tokens (words and punctuation marks), on just
    that span, for the exact edges, the similarity and the diff.
    """
    quoted = normalise_quote(quote)
    words = source.text.split(" ")
    margin = ALIGN_MARGIN + (last - first) // 2
    low, high = max(0, first - margin), min(len(words), last + margin)
    located = _matched_range(words[low:high], quoted.text.split(" "))
    if located is None:
        return None
    char_low = len(" ".join(words[: low + located[0]])) + (low + located[0] > 0)
    char_high = char_low + len(" ".join(words[low + located[0] : low + located[1]]))
    source_spans = [m.span() for m in TOKEN.finditer(source.text, char_low, char_high)]
    quote_spans = [m.span() for m in TOKEN.finditer(quoted.text)]
    window = [source.text[a:b] for a, b in source_spans]
    quote_tokens = [quoted.text[a:b] for a, b in quote_spans]
    exact = _matched_range(window, quote_tokens)
    if exact is None:
        return None
    source_spans, window = source_spans[exact[0] : exact[1]], window[exact[0] : exact[1]]
    start, end = source.offsets.to_original(source_spans[0][0], source_spans[-1][1])
    opcodes = list(Indel.opcodes(window, quote_tokens))
    diff = word_diff(opcodes, source_spans, source, source_text, quote_spans, quoted, quote)
    return NearMiss(start, end, fuzz.ratio(quote_tokens, window), diff)


def _matched_range(source: list[str], quote: list[str]) -> tuple[int, int] | None:
    """The range of `source` aligned with `quote` (see `align_words`), or None if none is."""
    matched = [op for op in Indel.opcodes(source, quote) if op.tag == "equal"]
    while len(matched) > 1 and _stray(matched[0], matched[1].src_start - matched[0].src_end):
        matched.pop(0)
    while len(matched) > 1 and _stray(matched[-1], matched[-1].src_start - matched[-2].src_end):
        matched.pop()
    if not matched:
        return None
    first = matched[0].src_start - min(matched[0].src_start, matched[0].dest_start)
    last = matched[-1].src_end + min(len(source) - matched[-1].src_end,
                                     len(quote) - matched[-1].dest_end)
    return first, last


def _stray(block, gap: int) -> bool:
    """A match of one or two tokens cut off from the rest by a longer run of other words."""
    size = block.src_end - block.src_start
    return size < 3 and gap > size


def render_diff(diff: Iterable[tuple[str, str]]) -> str:
    """'the budget is [-tight-] {+fine+}': deleted source words and inserted quote words marked."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return " ".join(marks[op].format(text) for op, text in diff)
