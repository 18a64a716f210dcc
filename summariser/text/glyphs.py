"""Quote marks and ellipses: the one table of their glyphs.

The verifier folds every quote mark to a straight one before comparing a quote with its source
(`summariser.verify.normalise`); the gate pairs the double marks of a draft into quotes
(`summariser.gate.quote_marks`) and counts a quote's ellipses (`summariser.gate.quotes`); drafting
strips the marks around a proposed quote. All of them read the glyphs from here.
"""

from __future__ import annotations

__all__ = ["CLOSING_MARK", "CURLY_DOUBLE", "CURLY_SINGLE", "DOUBLE_CLOSING", "DOUBLE_MARKS",
           "DOUBLE_OPENING", "DOUBLE_QUOTE_LIKE", "ELLIPSIS", "ELLIPSIS_PATTERN", "LEFT_DOUBLE",
           "LEFT_SINGLE", "RIGHT_DOUBLE", "RIGHT_SINGLE", "SINGLE_QUOTE_LIKE", "STRAIGHT_DOUBLE",
           "STRAIGHT_SINGLE"]

STRAIGHT_DOUBLE = '"'
STRAIGHT_SINGLE = "'"  # also the apostrophe
LEFT_DOUBLE, RIGHT_DOUBLE = "“", "”"
LEFT_SINGLE, RIGHT_SINGLE = "‘", "’"  # the right single mark is also the typographic apostrophe
CURLY_DOUBLE = LEFT_DOUBLE + RIGHT_DOUBLE
CURLY_SINGLE = LEFT_SINGLE + RIGHT_SINGLE
LOW_DOUBLE, LOW_SINGLE = "„", "‚"  # German and other openings: „so“, ‚so‘
GUILLEMETS_DOUBLE = "«»"
GUILLEMETS_SINGLE = "‹›"

# The double marks a draft's quotes are written with, by the role the glyph suggests when the
# position does not settle it. Guillemets open with « in French and with » in Danish; « opens
# more often, so » counts as closing.
DOUBLE_OPENING = LEFT_DOUBLE + LOW_DOUBLE + GUILLEMETS_DOUBLE[0]
DOUBLE_CLOSING = RIGHT_DOUBLE + GUILLEMETS_DOUBLE[1]
DOUBLE_MARKS = DOUBLE_OPENING + DOUBLE_CLOSING + STRAIGHT_DOUBLE

# The closing mark that pairs with each opening one, for stripping the marks around a quote.
CLOSING_MARK = {STRAIGHT_DOUBLE: STRAIGHT_DOUBLE, STRAIGHT_SINGLE: STRAIGHT_SINGLE,
                LEFT_DOUBLE: RIGHT_DOUBLE, LEFT_SINGLE: RIGHT_SINGLE,
                GUILLEMETS_DOUBLE[0]: GUILLEMETS_DOUBLE[1], LOW_DOUBLE: LEFT_DOUBLE,
                LOW_SINGLE: LEFT_SINGLE, GUILLEMETS_DOUBLE[1]: GUILLEMETS_DOUBLE[0]}

# Everything that stands for a straight mark in someone's typing, for folding: the curly, low and
# angle marks, reversed and prime marks, accents typed as apostrophes, modifier letters and the
# CJK double marks. A straight mark itself is not listed: it is what the others fold to.
SINGLE_QUOTE_LIKE = (CURLY_SINGLE + LOW_SINGLE + "‛′‵" + GUILLEMETS_SINGLE
                     + "`´" + "ʹʻʼʽꞌ")
DOUBLE_QUOTE_LIKE = CURLY_DOUBLE + LOW_DOUBLE + "‟″‶" + GUILLEMETS_DOUBLE + "〝〞"

ELLIPSIS = "…"
# An ellipsis as editors write one: three or more full stops (spaced or not), the single glyph,
# or either of those in square or round brackets: "...", ". . .", "…", "[...]", "(…)".
ELLIPSIS_PATTERN = r"[\[(]\s*(?:\.\s*){3,}[\])]|[\[(]\s*…\s*[\])]|…|\.(?:\s?\.){2,}"
