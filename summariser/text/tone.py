"""Tone: whether a segment reads as praise, by VADER's lexicon (vaderSentiment, MIT).

Feedback praises in plain words ("lovely staff", "great service") but often criticises without
any ("the waits are far too long", "always cold"), so the one test here is for clear praise: a
compound score of at least `PRAISE`. A theme that holds both praise and the rest of what people
say about one thing is proposed as two ("Praise for staff" and what else they say about staff),
and a codebook theme's `tone` keeps each to its side (summariser.draft.coding).
"""

from __future__ import annotations

from functools import lru_cache

# VADER's compound score from which a segment reads as praise. Chosen with discovery on the
# development judgments (the library's staff praise); held back, see benchmarks/README.md.
PRAISE = 0.3


@lru_cache(maxsize=1)
def _analyser():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1 << 16)
def positivity(text: str) -> float:
    """VADER's compound score of `text`, from -1 (negative) to 1 (positive)."""
    return float(_analyser().polarity_scores(text)["compound"])


def is_praise(text: str) -> bool:
    return positivity(text) >= PRAISE
