"""Respondents' words in the review page: escaped (they are hostile input: markup, scripts), with
control and direction-changing characters shown as what they are rather than acting on the page,
and coded segments highlighted inside the whole answer."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

from summariser.document.escape import html_text

# C0 and C1 controls but tab and newline, DEL, and the characters that reorder or hide text
# (bidirectional overrides and isolates, zero-width joiners and spaces, the line separators).
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _shown(character: str) -> str:
    return f"<span class=\"ctl\" title=\"a hidden character\">U+{ord(character):04X}</span>"


def text(value: str) -> Markup:
    """`value` escaped, its hidden characters shown as their code points (marked before
    escaping, which would show a control character as its picture instead)."""
    parts = re.split(f"({_HIDDEN.pattern})", value)  # text, then a hidden character, in turn
    return Markup("".join(_shown(part) if n % 2 else html_text(part)
                          for n, part in enumerate(parts)))


def highlighted(whole: str, spans: Iterable[tuple[int, int]]) -> Markup:
    """The whole answer, escaped, with each (start, end) span marked; overlapping spans are
    joined, and spans outside the text are ignored."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(whole), e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out += [text(whole[at:start]), Markup("<mark>"), text(whole[start:end]),
                Markup("</mark>")]
        at = end
    out.append(text(whole[at:]))
    return Markup("").join(out)
