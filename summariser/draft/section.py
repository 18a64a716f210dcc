"""Drafting a section: a backend proposes themes; code verifies quotes and counts respondents.

The rules here are enforced by code, whatever the backend says:
- a theme's count is the number of distinct counted respondents among the passages assigned to
  it; the denominator is the number who answered the section's questions;
- every quote is verified against the response of the passage it cites; one that fails is
  retried once with the verifier's reason, then dropped and listed in `failures`;
- at most one quote per respondent per theme, and at most three quotes per theme;
- only participants' words are evidence (interviewer turns never reach a backend).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from summariser.draft.records import Failure, QuoteRef, SectionDraft, Theme
from summariser.project.manifest import Section
from summariser.records import Passage
from summariser.retrieve.evidence import Evidence
from summariser.text.sentences import sentence_spans
from summariser.text.wording import count_text, mentions_quantity

if TYPE_CHECKING:
    from summariser.verify import CorpusIndex, Verification

MAX_QUOTES_PER_THEME = 3
MAX_QUOTE_WORDS = 60


@dataclass(frozen=True, slots=True)
class ProposedQuote:
    passage_id: str
    text: str


@dataclass(frozen=True, slots=True)
class ProposedTheme:
    title: str
    summary: str
    passage_ids: tuple[str, ...]
    quotes: tuple[ProposedQuote, ...]


@dataclass(frozen=True, slots=True)
class Proposal:
    lead: str
    themes: tuple[ProposedTheme, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProposedAnswer:
    """A backend's answer to a question over the passages put before it (`ask --answer`)."""

    text: str
    relevant: tuple[Passage, ...]  # the passages that speak to the question: they are counted
    quotes: tuple[tuple[Passage | None, str], ...]  # (passage, excerpt); None: an unknown id


class Backend(Protocol):
    """What drafting needs from a backend: themes for a section, one retry for a quote, and an
    answer to a question."""

    name: str
    model: str

    def propose(self, section: Section, evidence: Evidence) -> Proposal: ...

    def revise_quote(self, section_id: str, passage: Passage, quote: str,
                     reason: str) -> str | None: ...

    def answer_question(self, question: str, passages: Sequence[Passage], denominator: int,
                        noun: tuple[str, str], max_quotes: int) -> ProposedAnswer:
        """`passages` come best first; at most `max_quotes` quotes are used."""
        ...


def draft_section(section: Section, evidence: Evidence, backend: Backend, index: CorpusIndex,
                  noun: tuple[str, str], run_id: str = "") -> SectionDraft:
    proposal = backend.propose(section, evidence)
    passages = evidence.by_id()
    counted = {p.respondent for p in evidence.counted}
    themes: list[Theme] = []
    failures: list[Failure] = []
    for proposed in proposal.themes:
        assigned = [passages[pid] for pid in proposed.passage_ids if pid in passages]
        respondents = {p.respondent for p in assigned if p.respondent in counted}
        quotes: list[QuoteRef] = []
        for candidate in proposed.quotes:
            if len(quotes) == MAX_QUOTES_PER_THEME:
                break
            passage = passages.get(candidate.passage_id)
            if passage is None:
                failures.append(Failure(proposed.title, candidate.text, None,
                                        f"cites '{candidate.passage_id}', which is not one of "
                                        "the section's passages"))
                continue
            if any(q.respondent == passage.respondent for q in quotes):
                continue  # one voice per theme: a second quote adds weight, not evidence
            quote, failure = verified_quote(section.id, proposed.title, candidate.text,
                                            passage, index, backend)
            if failure:
                failures.append(failure)
                continue
            quotes.append(quote)
            if passage.respondent in counted:
                respondents.add(passage.respondent)
        if respondents or quotes:
            themes.append(Theme(proposed.title, proposed.summary, tuple(sorted(respondents)),
                                tuple(quotes)))
    themes.sort(key=lambda t: (-len(t.respondents), t.title == "Other points", t.title))
    lead = lead_paragraph(evidence, [(t.title, len(t.respondents)) for t in themes], noun)
    if proposal.lead and not mentions_quantity(proposal.lead):
        lead += " " + proposal.lead  # a model's overview may stand, but never its numbers
    return SectionDraft(
        section_id=section.id, number=section.number, title=section.title,
        lead=lead, themes=tuple(themes), denominator=evidence.denominator,
        respondent_noun=noun, questions=section.questions, backend=backend.name,
        model=backend.model, run_id=run_id, failures=tuple(failures), notes=proposal.notes)


def verified_quote(section_id: str, theme: str, text: str, passage: Passage,
                   index: CorpusIndex, backend: Backend) -> tuple[QuoteRef | None, Failure | None]:
    """Verify a proposed excerpt of `passage`, retrying once through the backend if it fails."""
    from summariser.verify import strip_quote_marks

    text = strip_quote_marks(text.strip())
    result = _check(index, text, passage)
    if not result.passed:
        revised = backend.revise_quote(section_id, passage, text, result.reason)
        if revised:
            text = strip_quote_marks(revised.strip())
            result = _check(index, text, passage)
    if not result.passed:
        return None, Failure(theme, text, passage.response_id, result.reason)
    span = result.span
    # Publish the respondent's own characters when only case, quote marks or spacing differed.
    published = span.text if result.status == "normalized" else text
    return QuoteRef(text=published, response_id=span.response_id, respondent=span.respondent,
                    question=span.question, source_file=span.source_file, start=span.start,
                    end=span.end, status=str(result.status)), None


def _check(index: CorpusIndex, text: str, passage: Passage) -> Verification:
    from summariser.verify import Status, Verification

    if len(text.split()) > MAX_QUOTE_WORDS:
        return Verification(text, Status.NOT_FOUND, f"A quote must be a short excerpt of at most "
                                                    f"{MAX_QUOTE_WORDS} words.")
    return index.verify(text, response_id=passage.response_id)


def excerpt(passage: Passage, phrases: Sequence[str], max_words: int = 40) -> str:
    """The passage itself when short; else its sentence richest in the theme's key phrases."""
    text = passage.text
    if len(text.split()) <= max_words:
        return text
    spans = sentence_spans(text)

    def hits(span: tuple[int, int]) -> int:
        sentence = text[span[0]:span[1]].lower()
        return sum(phrase.lower() in sentence for phrase in phrases)

    best = max(range(len(spans)), key=lambda i: (hits(spans[i]), -i))
    start, end = spans[best]
    # A very short sentence reads better with the one after it.
    if len(text[start:end].split()) < 12 and best + 1 < len(spans):
        end = spans[best + 1][1]
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) > max_words:
        end = start + words[max_words - 1].end()
    return text[start:end]


def lead_paragraph(evidence: Evidence, themes: Sequence[tuple[str, int]],
                   noun: tuple[str, str]) -> str:
    """A lead stating only counts the code knows."""
    answered = len({p.respondent for p in evidence.counted})
    opening = f"{count_text(answered, evidence.denominator, noun)} gave evidence for this section."
    if answered == 0:
        return opening
    if not themes:
        return opening + " No themes emerged."
    title, count = themes[0]
    rest = f"{len(themes)} themes emerged" if len(themes) > 1 else "One theme emerged"
    return (f"{opening} {rest}; the most common, “{title}”, was raised by "
            f"{count_text(count, evidence.denominator, noun)}.")
