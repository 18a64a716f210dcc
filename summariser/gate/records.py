"""The publication gate's records: an `Outcome` for each check, the five kinds of check (quotes,
citations, numbers, concentration, markup) and the `EvalReport` that holds them.

What each check tests is in the `summariser.gate.run` module docstring.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summariser.verify import Verification

__all__ = ["CitationCheck", "ConcentrationCheck", "Context", "EvalReport", "MarkupCheck",
           "NumberCheck", "Outcome", "QuoteCheck"]


class Outcome(StrEnum):
    PASS = "pass"
    WARNING = "warning"
    FAIL = "fail"
    UNCHECKED = "unchecked"


@dataclass(frozen=True, slots=True)
class Context:
    """The source around a match: `segments` are (text, highlighted) in order."""

    response_id: str
    respondent: str
    question: str
    source_file: str
    where: str  # "row 7" or "line 29, Chief Officer"
    segments: tuple[tuple[str, bool], ...]
    cut_before: bool
    cut_after: bool


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    draft: str
    where: str
    section: str  # heading as written, or "(no section)"
    section_id: str | None
    quote: str  # as printed
    read_as: str  # what was verified (differs when the quote marks were malformed)
    cited: tuple[str, ...]
    attribution: str  # "response", "respondent" or "unattributed"
    outcome: Outcome
    verification: Verification
    marks: tuple[str, ...] = ()  # the editorial marks, classified
    notes: tuple[str, ...] = ()
    context: Context | None = None
    fragments: tuple[str, ...] = ()  # elided quotes: each fragment as the source has it

    @property
    def status(self) -> str:
        return str(self.verification.status)

    @property
    def respondent(self) -> str | None:
        span = self.verification.span
        return span.respondent if span is not None else None


@dataclass(frozen=True, slots=True)
class CitationCheck:
    draft: str
    where: str
    section: str
    section_id: str | None
    cited: str
    outcome: Outcome
    reason: str
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class NumberCheck:
    draft: str
    where: str
    section: str
    section_id: str | None
    kind: str  # "count", "percentage" or "quantifier"
    claim: str
    sentence: str
    outcome: Outcome
    reason: str


@dataclass(frozen=True, slots=True)
class ConcentrationCheck:
    draft: str
    section: str
    section_id: str | None
    quotes: int
    shares: tuple[tuple[str, int], ...]  # (respondent, quotes), most first
    outcome: Outcome
    reason: str


@dataclass(frozen=True, slots=True)
class MarkupCheck:
    """Markup the gate refuses to read past: raw HTML, an image, struck-through text."""

    draft: str
    where: str
    section: str
    section_id: str | None
    markup: str  # as written
    outcome: Outcome
    reason: str


@dataclass(frozen=True, slots=True)
class EvalReport:
    drafts: tuple[str, ...]
    quotes: tuple[QuoteCheck, ...]
    citations: tuple[CitationCheck, ...]
    numbers: tuple[NumberCheck, ...]
    concentration: tuple[ConcentrationCheck, ...]
    notes: tuple[str, ...] = ()
    project: str = ""
    markup: tuple[MarkupCheck, ...] = ()

    @property
    def checks(self) -> tuple:
        return self.quotes + self.citations + self.numbers + self.concentration + self.markup

    @property
    def passed(self) -> bool:
        return not any(c.outcome is Outcome.FAIL for c in self.checks)

    def counts(self) -> dict[str, int]:
        counted = Counter(c.outcome for c in self.checks)
        return {str(o): counted.get(o, 0) for o in Outcome}
