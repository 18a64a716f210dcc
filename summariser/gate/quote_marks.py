"""Quotes in a run of text, for `summariser eval`: double quote marks (“…”, "…", „…“, «…») paired
into quoted spans, by position first and by glyph when the position says nothing. A mark that is
never closed, or a closing mark never opened, still makes a span, flagged `malformed` with a note
saying how it was read. The rules are in the `summariser.gate.parse` module docstring."""

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
    stack: list[int] = []
    last_close = 0
    for offset, role in _roles(text):
        if role == "open":
            stack.append(offset)
            continue
        notes: tuple[str, ...] = ()
        if text[offset] in DOUBLE_OPENING:
            notes = (f"the closing quote mark is printed as an opening one ({text[offset]})",)
        if stack:
            start = stack.pop()
            spans.append(QuoteSpan(start + 1, offset, offset + 1, None, notes))
        else:
            back = max([last_close] + [m.end() for m in _CLAUSE_END.finditer(text, 0, offset)])
            spans.append(QuoteSpan(back, offset, offset + 1, "unopened",
                                   notes + ("the closing quote mark has no opening one: read "
                                            "back to the start of its clause",)))
        last_close = offset + 1
    for start in stack:
        spans.append(QuoteSpan(start + 1, len(text), len(text), "unclosed",
                               ("the opening quote mark is never closed: read to the end of the "
                                "paragraph",)))
    # A quote inside a properly closed quote is part of it.
    closed = [s for s in spans if s.malformed is None]
    kept = [s for s in spans if not any(o is not s and o.start <= s.start and s.end <= o.end
                                        for o in closed)]
    return sorted(kept, key=lambda s: s.start)
