"""The quote verifier: is a quote verbatim in the response it is attributed to?

In: responses and a quote. Out: a `Verification` (status, offsets, reason, word diff).
One function decides for drafting and for the gate alike. It reads records and text rules
only: never the store or any other stage.

  normalise.py  the one normalisation, its offset map, word boundaries
  marks.py      quote marks and editorial marks (ellipses, [insertions]) read as fragments
  align.py      occurrences, fragments in order, the word diff of a near miss
  postings.py   word trigram postings: which responses may hold a quote
  index.py      `CorpusIndex`: the verdicts
  cache.py      the index of a corpus (`Corpus`: the store is one), built once per process
"""

from summariser.verify.align import render_diff
from summariser.verify.index import (
    MIN_ANCHOR_WORDS,
    NEAR_THRESHOLD,
    CorpusIndex,
    QuoteClaim,
    Span,
    Status,
    Verification,
)
from summariser.verify.marks import MAX_INSERTION_WORDS, strip_quote_marks

__all__ = [
    "MAX_INSERTION_WORDS", "MIN_ANCHOR_WORDS", "NEAR_THRESHOLD", "CorpusIndex", "QuoteClaim",
    "Span", "Status", "Verification", "render_diff", "strip_quote_marks",
]
