"""How wide text is printed in the Word report's font, so a table's columns can be sized to what
they hold: no column narrower than its longest word, the rest of the width shared out as the
text needs it (as a browser lays out an HTML table).

The Word report is set in Arial (`summariser.document.docx`), whose widths are Helvetica's; on
Linux LibreOffice prints it in Liberation Sans, made to the same widths. The widths below are of
the bold face (a header or first-column cell is bold; a plain cell is never wider), in
thousandths of the font size, as Liberation Sans Bold 2.1 gives them. A character not listed is
measured as its base letter ("é" as "e"), else as 1 em, wider than nearly every letter of any
script, so a word is never measured narrower than it prints.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

__all__ = ["Fitted", "fit_columns", "longest_word", "text_width", "words"]

_BOLD = {
    238: "'", 240: "′", 278: " ,./I\\ijl·ÌÍÎÏìíîï‘’‚", 280: "|¦",
    333: "!()-:;[]`ft¡¨²³´¸¹", 350: "•", 365: "º", 370: "ª", 389: "*r{}", 400: "°",
    474: '"', 479: "″", 500: "z“”„", 549: "±÷≤≥≠", 552: "¯",
    556: "#$0123456789J_aceksvxy¢£¤¥§«¶»àáâãäåçèéêëýÿ–€", 576: "µ",
    584: "+<=>^~¬×−", 611: "?FLTZbdghnopqu¿ßðñòóôõöøùúûüþ", 667: "EPSVXYÈÉÊËÝÞ",
    722: "&ABCDHKNRUÀÁÂÃÄÅÇÐÑÙÚÛÜ", 737: "©®", 778: "GOQwÒÓÔÕÖØ", 833: "M", 834: "¼½¾",
    889: "%mæ", 944: "W", 975: "@", 1000: "Æ—…",
}
_WIDTH = {char: width for width, chars in _BOLD.items() for char in chars}
_EM = 1000
# Where a line may break inside a cell: at white space, and after a hyphen inside a word
# ("Inter-|professional"), as Word and LibreOffice both break. Not at "/", where Word does not.
_BREAKS = re.compile(r"\s+|(?<=\w[-\u2010])(?=\w)")


@cache
def _char_width(char: str) -> int:
    if char in _WIDTH:
        return _WIDTH[char]
    base = unicodedata.normalize("NFKD", char)[:1]
    return _WIDTH.get(base, _EM)


def text_width(text: str, size: float) -> float:
    """Points `text` takes on one line at `size` points (bold)."""
    return sum(map(_char_width, text)) * size / 1000


def words(text: str) -> list[str]:
    """The pieces a line cannot be broken inside."""
    return [w for w in _BREAKS.split(text) if w]


def longest_word(texts: Sequence[str], size: float) -> float:
    return max((text_width(w, size) for t in texts for w in words(t)), default=0.0)


@dataclass(frozen=True)
class Fitted:
    size: float  # the font size of the table's text, in points
    widths: tuple[float, ...]  # each column's text width in points (cell margins not included)
    breaks_words: bool  # even the smallest size could not keep every word whole


def fit_columns(columns: Sequence[Sequence[str]], width: float, padding: float,
                sizes: Sequence[float] = (9, 8, 7)) -> Fitted:
    """Column widths for a table `width` points wide whose cells lose `padding` points each to
    their margins, at the first of `sizes` at which every column holds its longest word:
    - when every cell fits on one line, each column gets its longest line, and the width left
      over is shared in proportion to those;
    - otherwise each column gets the same width, but never less than its longest word nor more
      than its longest line, so short columns stay on one line and the long ones share the rest.
    When no size fits, the smallest is used and the columns are shared in proportion to their
    longest words (some words will break)."""
    room = width - padding * len(columns)
    for size in sizes:
        least = [_slack(longest_word(cells, size)) for cells in columns]
        if sum(least) <= room:
            break
    else:
        return Fitted(sizes[-1], tuple(w * room / max(sum(least), 1) for w in least), True)
    most = [max(_slack(max((text_width(" ".join(c.split()), size) for c in cells),
                           default=0.0)), w) for cells, w in zip(columns, least)]
    if sum(most) <= room:
        total = sum(most) or 1
        return Fitted(size, tuple(m + (room - sum(most)) * m / total for m in most), False)
    low, high = 0.0, max(most)
    for _ in range(50):  # the common width at which the columns fill the table
        level = (low + high) / 2
        if sum(min(max(level, w), m) for w, m in zip(least, most)) > room:
            high = level
        else:
            low = level
    widths = [min(max(low, w), m) for w, m in zip(least, most)]
    widest = widths.index(max(widths))
    widths[widest] += room - sum(widths)  # what the search left over
    return Fitted(size, tuple(widths), False)


def _slack(width: float) -> float:
    """A little more than measured: renderers round each letter's advance to their own units,
    and a word measured to the point can overflow by a letter's fraction."""
    return width * 1.04 + 1.5 if width else 0.0
