"""Locating a quote in a response: occurrences that keep words whole, an elided quote's fragments
in order, and the closest source text of a near miss with its word diff."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from summariser.verify.marks import CLAUSE_END, MAX_INSERTION_WORDS, Reading, changed_meaning
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


def fragments_in_order(text: str, source: Normalised, reading: Reading,
                       withheld: frozenset[str] = frozenset()) -> list[tuple[int, int]] | None:
    """Original spans of the reading's fragments: in order, without overlap, gaps within limits,
    and nothing the marks stand for that changes the meaning (`summariser.verify.marks`;
    `withheld`: the names the report masks)."""
    chain = _chain(text, source, reading, strict=True, withheld=withheld)
    return None if chain is None else [original for _, original in chain]


@dataclass(frozen=True, slots=True)
class MeaningChange:
    """A quote whose fragments are in a response in order, but whose marks change what it says."""

    fragments: tuple[tuple[int, int], ...]  # original offsets
    reason: str
    diff: tuple[tuple[str, str], ...]  # the source's words left out, the marks' words put in


def meaning_change(text: str, source: Normalised, reading: Reading,
                   withheld: frozenset[str] = frozenset()) -> MeaningChange | None:
    """The fragments found in order as the marks' limits allow, when the meaning rules are what
    rejects them; None when they are not there at all."""
    chain = _chain(text, source, reading, strict=False)
    if chain is None:
        return None
    reason = None
    diff: list[tuple[str, str]] = []
    for i, (normalised, original) in enumerate(chain):
        left_out = _elided_edge(source.text, reading, normalised, first=i == 0,
                                last=i == len(chain) - 1)
        if left_out:
            why = changed_meaning(left_out, "", ellipsis=True)
            reason = reason or (why and f"{why}: the source reads “{_around(text, *original)}”")
        if i == 0 and reading.leading:
            diff.append(("insert", reading.leading))
            why = changed_meaning("", reading.leading, ellipsis=False)
            reason = reason or (why and f"{why}: the source reads “{_around(text, *original)}”")
        diff.append(("equal", text[original[0] : original[1]]))
        if i + 1 < len(chain):
            dropped = _original_between(text, source, normalised[1], chain[i + 1][0][0])
            printed = reading.inserted[i] if i < len(reading.inserted) else ""
            ellipsis = reading.max_gap_words[i] is None
            if dropped.strip():
                diff.append(("delete", dropped.strip()))
            if printed or ellipsis:
                diff.append(("insert", " ".join(filter(None, ["…" if ellipsis else "", printed]))))
            why = changed_meaning(dropped, printed, ellipsis=ellipsis,
                                  after_sentence=text[original[1] - 1] in _SENTENCE_END,
                                  withheld=withheld)
            reason = reason or (why and (f"{why}: the source reads "
                                         f"“{_around(text, original[1], chain[i + 1][1][0])}”"))
    if reading.trailing:
        diff.append(("insert", reading.trailing))
        why = changed_meaning("", reading.trailing, ellipsis=False)
        reason = reason or (why and f"{why}: the source reads “{_around(text, *chain[-1][1])}”")
    if reason is None:
        return None
    return MeaningChange(tuple(original for _, original in chain), reason, tuple(diff))


def _around(text: str, start: int, end: int, words: int = 3) -> str:
    """text[start:end] with up to `words` words either side, on one line."""
    before = _text_of(re.search(rf"(?:\S+\s*){{0,{words}}}$",
                                text[max(0, start - 200) : start]))
    after = _text_of(re.match(rf"(?:\s*\S+){{0,{words}}}", text[end : end + 200]))
    return " ".join((before + text[start:end] + after).split())


def _text_of(match: re.Match[str] | None) -> str:
    """The text of a match that cannot fail: its pattern matches the empty string."""
    assert match is not None
    return match.group()


def _original_between(text: str, source: Normalised, start: int, end: int) -> str:
    """The original text between normalised offsets `start` and `end` ("" when they meet)."""
    if end <= start:
        return ""
    a, b = source.offsets.to_original(start, end)
    return text[a:b]


def _chain(text: str, source: Normalised, reading: Reading, *, strict: bool,
           withheld: frozenset[str] = frozenset()
           ) -> list[tuple[tuple[int, int], tuple[int, int]]] | None:
    """(normalised span, original span) of each fragment, in order, or None. `strict`: what the
    marks stand for may not change the meaning."""
    norm = source.text
    if any(normalised_text(group) in norm for group in reading.editorial_round):
        return None  # the respondent wrote this aside: it must be quoted where they put it
    if strict and (changed_meaning("", reading.leading, ellipsis=False)
                   or changed_meaning("", reading.trailing, ellipsis=False)):
        return None
    places = [occurrences(text, source, f) for f in reading.fragments]
    if not all(places):
        return None
    last = len(places) - 1

    def clean(start: int, end: int) -> bool:
        return not _BRACKETS.search(norm, start, end)

    def edges_clean(i: int, start: int, end: int) -> bool:
        """The first fragment's start and the last one's end, where an insertion touches them
        or an ellipsis leaves words out."""
        if i == 0 and reading.aside_before[0] and not clean(_words_before(norm, start, 0), start):
            return False
        left_out = _elided_edge(norm, reading, (start, end), first=i == 0, last=i == last)
        if strict and left_out and changed_meaning(left_out, "", ellipsis=True):
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
        if reading.aside_before[i + 1] and not clean(_words_before(norm, start, end), start):
            return False
        printed = reading.inserted[i] if i < len(reading.inserted) else ""
        # The source's words as written: a name withheld is told by its capitals.
        return not (strict and changed_meaning(_original_between(text, source, end, start),
                                               printed, ellipsis=limit is None,
                                               after_sentence=norm[end - 1] in _SENTENCE_END,
                                               withheld=withheld))

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
        chain.append(places[i][a])
        a = following[i].get(a, 0)
    return chain


_BRACKETS = re.compile(r"[()]")
_SENTENCE_END = ".!?;:"


def _elided_edge(norm: str, reading: Reading, span: tuple[int, int], *, first: bool, last: bool
                 ) -> str:
    """The words of its sentence an opening (or closing) ellipsis leaves out before the first
    fragment (after the last), normalised; "" where there is no such ellipsis."""
    start, end = span
    before = after = ""
    if first and reading.opens_elided:
        breaks = [m.end() for m in CLAUSE_END.finditer(norm, 0, start)]
        before = norm[breaks[-1] if breaks else 0 : start]
    if last and reading.closes_elided:
        found = CLAUSE_END.search(norm, end)
        after = norm[end : found.start() if found else len(norm)]
    return f"{before} {after}".strip()
_EDGE_WORDS = re.compile(rf"\W*(?:\w+\W*){{0,{MAX_INSERTION_WORDS}}}")


def _words_after(norm: str, end: int, limit: int) -> int:
    """Where the source text an insertion after a fragment could stand for ends: six words on,
    but not beyond `limit` (the next fragment)."""
    return min(limit, end + len(_text_of(_EDGE_WORDS.match(norm, end))))


def _words_before(norm: str, start: int, limit: int) -> int:
    """Where the source text an insertion before a fragment could stand for starts: six words
    back, but not before `limit` (the previous fragment)."""
    before = norm[max(0, start - 200) : start][::-1]
    return max(limit, start - len(_text_of(_EDGE_WORDS.match(before))))


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


_LETTERS = re.compile(r"[^\W\d_]+")
_STARTS = frozenset(".!?:;\"“”‘’'•-–—([")


def _words_with_starts(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The words in `spans` of `text`, each with whether it starts a sentence or a line there."""
    words = []
    for low, high in spans:
        for match in _LETTERS.finditer(text, low, high):
            j = match.start() - 1
            while j >= 0 and text[j] in " \t\r":
                j -= 1
            words.append((match.group(), j < 0 or text[j] in _STARTS or text[j] == "\n"))
    return words


def _case_kind(word: str) -> str:
    if len(word) > 1 and word.isupper():
        return "acronym"
    if word[0].isupper() and word[1:].islower():
        return "capital"
    return "lower" if word.islower() else "mixed"


def case_changes(quote: str, source_text: str, spans: Sequence[tuple[int, int]]
                 ) -> tuple[str, ...]:
    """Warnings for words whose case the quote changed where case can carry meaning: an acronym
    ("IT" -> "it", "us" -> "US") or a name inside a sentence ("Polish" -> "polish"). A capital at
    the start of a sentence is the writer's to change. `quote` is without editorial marks."""
    quoted = _words_with_starts(quote, [(0, len(quote))])
    source = _words_with_starts(source_text, spans)
    found: list[str] = []
    for op in Indel.opcodes([w.lower() for w, _ in quoted], [w.lower() for w, _ in source]):
        if op.tag != "equal":
            continue
        for (q, q_start), (s, s_start) in zip(quoted[op.src_start : op.src_end],
                                              source[op.dest_start : op.dest_end]):
            if q == s:
                continue
            q_kind, s_kind = _case_kind(q), _case_kind(s)
            meaningful = "acronym" in (q_kind, s_kind) or (
                s_kind == "capital" and not s_start and q_kind == "lower") or (
                q_kind == "capital" and not q_start and s_kind == "lower")
            if meaningful:
                found.append(f"case changed: the source has “{s}”, the quote “{q}” (in another "
                             "case an acronym or a name can mean something else)")
    return tuple(dict.fromkeys(found))
