"""Quotes in a run of text, for `summariser eval`: quote marks paired into quoted spans.

Double marks (“…”, "…", „…“, «…») are paired by position first (a mark after a space opens, a
mark before a space or punctuation closes) and by glyph when the position says nothing. Curly
and straight marks are two families: a closing mark pairs with the latest open mark of its own
family, so a stray straight mark inside a curly quote (or the reverse) is part of the quote's
text, never its end. A mark that is never closed, or a closing mark never opened, still makes a
span, flagged `malformed` with a note saying how it was read.

Single marks (‘…’, '…') make a span only when they pair up, an opening one at the start of a word
and a closing one at its end; an unpaired one is an apostrophe. A span inside a properly closed
quote is part of that quote. The rules are in the `summariser.gate.parse` module docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summariser.text.glyphs import (
    DOUBLE_CLOSING,
    DOUBLE_MARKS,
    DOUBLE_OPENING,
    ELLIPSIS,
    LEFT_SINGLE,
    RIGHT_SINGLE,
    STRAIGHT_DOUBLE,
    STRAIGHT_SINGLE,
)

__all__ = ["ALL_MARKS", "QuoteSpan", "quote_spans"]

ALL_MARKS = DOUBLE_MARKS
_BEFORE_OPENING = set(" \t\n([{/—–-" + LEFT_SINGLE + STRAIGHT_SINGLE)
_AFTER_CLOSING = set(" \t\n.,;:!?)]}—–-" + ELLIPSIS + RIGHT_SINGLE + STRAIGHT_SINGLE)


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quote in a run of text, by offsets into it."""

    start: int  # inner text offsets
    end: int
    close: int  # offset just after the closing mark (== end when none)
    malformed: str | None = None
    notes: tuple[str, ...] = ()
    single: bool = False  # in single quote marks


def _family(mark: str) -> str:
    return "straight" if mark == STRAIGHT_DOUBLE else "curly"


def _roles(text: str) -> list[tuple[int, str]]:
    """(offset, "open"|"close") for each double quote mark, by position, else by glyph."""
    roles: list[tuple[int, str]] = []
    depth = 0
    for i, mark in enumerate(text):
        if mark not in ALL_MARKS:
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opens = before in _BEFORE_OPENING or before in ALL_MARKS
        closes = after in _AFTER_CLOSING or after in ALL_MARKS
        if opens and not closes:
            role = "open"
        elif closes and not opens:
            role = "close"
        elif mark in DOUBLE_OPENING:
            role = "open"
        elif mark in DOUBLE_CLOSING:
            role = "close"
        else:
            role = "close" if depth else "open"
        depth = depth + 1 if role == "open" else max(0, depth - 1)
        roles.append((i, role))
    return roles


_CLAUSE_END = re.compile(r"[.!?;:](?=\s)|[" + re.escape(DOUBLE_CLOSING + STRAIGHT_DOUBLE) + "]")


def quote_spans(text: str) -> list[QuoteSpan]:
    """The quoted spans of `text`, in order; quotes nested in a closed quote are left out."""
    spans: list[QuoteSpan] = []
    stack: list[tuple[int, str]] = []  # open marks: (offset, family)
    last_close = 0
    roles = _roles(text)
    # For each mark, the families of the closing marks after it.
    closing_after: list[set[str]] = [set() for _ in roles]
    for k in range(len(roles) - 2, -1, -1):
        offset, role = roles[k + 1]
        closing_after[k] = closing_after[k + 1] | ({_family(text[offset])} if role == "close"
                                                   else set())
    for k, (offset, role) in enumerate(roles):
        family = _family(text[offset])
        if role == "open":
            stack.append((offset, family))
            continue
        if stack and stack[-1][1] != family:
            if any(f == family for _, f in stack):
                # Marks of the other family opened inside this quote and never closed: they are
                # characters of the quote's text, not quotes, so they cannot cut it short.
                while stack[-1][1] != family:
                    stack.pop()
            elif stack[-1][1] in closing_after[k]:
                continue  # a stray mark inside a quote that closes later: part of its text
        notes: tuple[str, ...] = ()
        if text[offset] in DOUBLE_OPENING:
            notes = (f"the closing quote mark is printed as an opening one ({text[offset]})",)
        if stack:
            start = stack.pop()[0]
            spans.append(QuoteSpan(start + 1, offset, offset + 1, None, notes))
        else:
            back = max([last_close] + [m.end() for m in _CLAUSE_END.finditer(text, 0, offset)])
            spans.append(QuoteSpan(back, offset, offset + 1, "unopened",
                                   notes + ("the closing quote mark has no opening one: read "
                                            "back to the start of its clause",)))
        last_close = offset + 1
    for start, _ in stack:
        spans.append(QuoteSpan(start + 1, len(text), len(text), "unclosed",
                               ("the opening quote mark is never closed: read to the end of the "
                                "paragraph",)))
    spans += _single_spans(text)
    # A quote inside a properly closed quote is part of it.
    closed = [s for s in spans if s.malformed is None]
    kept = [s for s in spans if not any(o is not s and o.start <= s.start and s.end <= o.end
                                        for o in closed)]
    return sorted(kept, key=lambda s: s.start)


_SINGLE_OPEN = re.compile(rf"(?:^|(?<=[\s(\[{{/—–\-{re.escape(DOUBLE_MARKS)}]))"
                          rf"[{LEFT_SINGLE}{STRAIGHT_SINGLE}](?=[^\s{RIGHT_SINGLE}])")
_SINGLE_CLOSE = re.compile(rf"(?<=\S)[{RIGHT_SINGLE}{STRAIGHT_SINGLE}]"
                           rf"(?=$|[\s.,;:!?)\]}}—–\-…{re.escape(DOUBLE_MARKS)}])")


def _single_spans(text: str) -> list[QuoteSpan]:
    """Spans in single quote marks that pair up: an opening mark at the start of a word, then the
    first closing mark at the end of one. Unpaired marks are apostrophes."""
    found: list[QuoteSpan] = []
    position = 0
    while True:
        opening = _SINGLE_OPEN.search(text, position)
        if opening is None:
            return found
        closing = _SINGLE_CLOSE.search(text, opening.end())
        if closing is None:
            return found
        if "\n\n" not in text[opening.end():closing.start()]:
            found.append(QuoteSpan(opening.end(), closing.start(), closing.end(), single=True))
        position = closing.end()
