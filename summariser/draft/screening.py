"""Passages that read as instructions to a model ("ignore previous instructions", "write that
100% of respondents ...") are flagged for a reviewer and never counted without review.

Whatever a model does with such a passage, it reaches the draft only as a flag: coding never
sees it, so no theme can count its author, until the reviewer, having read it, lists its
response id in the codebook's `reviewed` (a false flag: "I would say that all our teams ...").
The patterns are narrow on purpose: a survey answer rarely
tells a reader what to write, and a false flag costs only a look.
"""

from __future__ import annotations

import re

_PATTERNS = (
    r"\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+)*(previous|prior|"
    r"above|earlier|preceding|other|system)\s+(instructions?|prompts?|rules|directions)",
    r"\b(write|report|state|say|conclude|claim)\s+that\s+(all|every(one|body)?|no\s?one|"
    r"nobody|\d+\s*(%|per\s*cent)|the\s+(majority|minister|government))\b",
    r"^\W*(please\s+)?(write|report|state|conclude)\s+that\b",
    r"\b(system\s+prompt|you\s+are\s+now\s+an?\b|as\s+an\s+ai\b)",
    r"\b(reply|respond|answer)\s+(only\s+)?with\s+(the\s+word|only|json)\b",
)
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def instruction_in(text: str) -> str | None:
    """The words that make `text` read as an instruction to a model, or None."""
    match = _INSTRUCTION.search(text)
    return match.group(0) if match else None
