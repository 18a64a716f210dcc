"""Locating a quote in a response: occurrences that keep words whole, an elided quote's fragments
in order, and the closest source text of a near miss with its word diff."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from summariser.verify.marks import MAX_INSERTION_WORDS, Reading
from summariser.verify.normalise import (
    Normalised,
    cuts_word,
    normalise_quote,
    normalised_text,
    word_count,
)

TOKEN = re.compile(r"\w+|[^\w\s]")  # words and single punctuation marks: the units of a word diff


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
