"""A quote's editorial marks: the quote marks around it, and the ellipses and [insertions] inside
it, read as fragments of the source to find in order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from summariser.text.glyphs import (
    CLOSING_MARK,
    ELLIPSIS_PATTERN,
    LEFT_DOUBLE,
    LEFT_SINGLE,
    RIGHT_DOUBLE,
    RIGHT_SINGLE,
    STRAIGHT_DOUBLE,
    STRAIGHT_SINGLE,
)
from summariser.verify.normalise import normalised_text, word_count

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
