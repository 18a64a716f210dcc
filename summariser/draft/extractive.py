"""The offline default backend: themes proposed from shared phrases (`summariser.draft.propose`).

It needs no model and no key, and its output is deterministic for a given corpus. Its titles are
phrases the respondents used and its descriptions say so: an honest extractive draft for an
analyst to edit, through the section's codebook.
"""

from __future__ import annotations

from collections.abc import Sequence

from summariser.draft.propose import propose_themes
from summariser.draft.section import Proposal, ProposedAnswer
from summariser.project.manifest import Section
from summariser.records import Passage
from summariser.retrieve.evidence import Evidence


class ExtractiveBackend:
    name = "extractive"
    model = ""

    def __init__(self, noun: tuple[str, str] = ("respondent", "respondents")):
        self.noun = noun  # the respondent noun names no theme

    def propose(self, section: Section, evidence: Evidence, budget: int,
                context: str = "") -> Proposal:
        themes, notes = propose_themes(evidence.counted, evidence.counted_vectors, budget,
                                       context, self.noun, grow=section.max_themes is None,
                                       about=evidence.about, embed=evidence.embed,
                                       masked=evidence.masked)
        return Proposal(tuple(themes), notes=tuple(notes))

    def revise_quote(self, section_id: str, passage: Passage, quote: str,
                     reason: str) -> str | None:
        return None  # quotes are the respondents' own segments: there is nothing to revise

    def answer_question(self, question: str, passages: Sequence[Passage], denominator: int,
                        noun: tuple[str, str], max_quotes: int) -> ProposedAnswer:
        """Every passage counts (they were all close enough to be found); the closest of
        different respondents are quoted whole. The count is stated by the caller, by kind."""
        text = ("Passages close to this question (extractive answer: ranked by similarity, not "
                "read by a model). The closest are quoted below.")
        quoted: list[Passage] = []
        for passage in passages:
            if all(p.respondent != passage.respondent for p in quoted):
                quoted.append(passage)
            if len(quoted) == max_quotes:
                break
        return ProposedAnswer(text, tuple(passages), tuple((p, p.text) for p in quoted))

