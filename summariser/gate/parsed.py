"""A draft as `summariser eval` reads it: its sections, quotes, citations and number claims, as
frozen records. `summariser.evaluate_parse.parse_draft` makes them; `summariser.gate.run`
checks them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summariser.draft.records import EvidenceRef

__all__ = ["DraftCitation", "DraftQuote", "DraftRefusal", "DraftSection", "GroupFigure",
           "NumberClaim", "ParsedDraft", "ThemeFacts", "Ungrouped"]


@dataclass(frozen=True, slots=True)
class ThemeFacts:
    """A tool theme as the sidecar records it: the counted respondents and their coded
    evidence (the gate counts those whose evidence it finds in their own answers)."""

    title: str
    respondents: tuple[str, ...]
    evidence: tuple[EvidenceRef, ...] = ()
    aliases: tuple[str, ...] = ()  # headings the draft gives it instead of its title
    id: str = ""  # the codebook theme's id
    heard: tuple[str, ...] = ()  # interviewees and documents with coded passages (not counted)

    @property
    def names(self) -> tuple[str, ...]:
        """What prose may call it: its title, and the headings the analyst renamed it to."""
        return (self.title, *self.aliases)


@dataclass(frozen=True, slots=True)
class DraftSection:
    heading: str | None  # as written in the draft (None: text before the first heading)
    where: str
    section_id: str | None = None  # the manifest section it was matched to
    themes: tuple[ThemeFacts, ...] = ()  # tool drafts only
    denominator: int | None = None  # tool drafts only
    sidecar: bool = False  # counts and ids come from a tool sidecar


@dataclass(frozen=True, slots=True)
class DraftQuote:
    text: str  # the words between the marks, as printed (emphasis and line breaks removed)
    where: str  # "line 12", "paragraph 4" or "theme “…”, quote 2"
    section: int  # index into ParsedDraft.sections
    cited: tuple[str, ...] = ()  # ids in the citation right after it
    block: bool = False
    theme: str | None = None
    response_id: str | None = None  # from a tool sidecar
    malformed: str | None = None  # "unclosed" (trim from the end) or "unopened" (from the start)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftCitation:
    """Ids in brackets that follow no quote."""

    ids: tuple[str, ...]
    where: str
    section: int


# The heading over the failed checks a report built with --allow-failures lists first.
REVIEW_HEADING = "Review required before publication"


@dataclass(frozen=True, slots=True)
class DraftRefusal:
    """Markup the gate will not read past (raw HTML, an image, struck-through text)."""

    where: str
    section: int
    what: str
    reason: str


@dataclass(frozen=True, slots=True)
class GroupFigure:
    """What a breakdown's cell states of one group: "8.7 (n=7)" in the row "Financial pressures
    | mean rating" under "Medium" (the figure itself is the claim's `value`)."""

    item: str  # the row's label: a question's short label ("Financial pressures")
    group: str  # the column's header: a value of a respondent attribute ("Medium")
    measure: str  # what the figure is: "mean rating", "% Satisfied or Very satisfied"
    n: int  # how many in the group it is of


@dataclass(frozen=True, slots=True)
class Ungrouped:
    """What a breakdown's note states of one question: how many of those who answered it gave
    no value of the attribute, so are in no column ("Financial pressures: the three who answered
    but gave no size are in no column."; the number is the claim's `count`)."""

    item: str  # the question's short label, as the note names it ("Financial pressures")
    attribute: str  # the respondent attribute's name in the manifest ("size")


@dataclass(frozen=True, slots=True)
class NumberClaim:
    phrase: str  # the words that make the claim
    sentence: str
    where: str
    section: int
    theme: str | None = None  # the theme it sits under, or the theme the sentence names
    count: int | None = None
    denominator: int | None = None  # stated ("of 16")
    percent: str | None = None  # as printed, without "%"
    quantifier: str | None = None  # "most", "a few", ...
    bound: str | None = None  # "at least", "more than", "fewer than", "up to"
    earlier: tuple[int, ...] = ()  # counts stated earlier in the sentence ("Twelve ... of these")
    of_these: bool = False  # "of these/them/whom/those" comes before the count
    quotes: tuple[int, ...] = ()  # indices into ParsedDraft.quotes of the sentence's quotes
    named_theme: bool = False  # the sentence names `theme` by its title
    statistic: str | None = None  # "mean" or "median", stated as `value`
    value: str | None = None  # as printed ("8.6")
    question: str | None = None  # the rating question a statistic is of, by the label it names
    rate: bool = False  # a response rate: who answered, as a share of those invited
    took_part: bool = False  # who took part, counted by what they sent ("we received 16 responses")
    non_response: bool = False  # those invited who did not take part ("16 responded; 15 did not")
    negated: bool = False  # a count of those who did not ("five did not raise governance")
    thing: bool = False  # a count of a noun the gate does not know ("nine partnerships (56%)")
    of_answers: bool = False  # an amount of answers, not of people ("most comments")
    group: GroupFigure | None = None  # a breakdown's figure of one group (`value`, a statistic)
    ungrouped: Ungrouped | None = None  # a breakdown's note: how many are in no column (`count`)


@dataclass(frozen=True, slots=True)
class ParsedDraft:
    path: str
    kind: str  # "tool" (sidecar JSON), "markdown", "text", "docx"
    sections: tuple[DraftSection, ...]
    quotes: tuple[DraftQuote, ...] = ()
    citations: tuple[DraftCitation, ...] = ()
    claims: tuple[NumberClaim, ...] = ()
    notes: tuple[str, ...] = ()
    sidecar: str | None = None
    refusals: tuple[DraftRefusal, ...] = ()
    review: tuple[str, ...] = ()  # what the drafting run asked a reviewer to look at
