"""The coded evidence behind a tool theme's count, checked against the corpus for the gate.

A tool draft keeps, per theme, every counted respondent's coded segments with their offsets
(`summariser.draft.records.EvidenceRef`). A segment supports its respondent when it is in that
respondent's own response, at its offsets, word for word; when that response is a participant's
answer to one of the section's questions or sources; and, when it was coded by a phrase, when it
contains that phrase (matched as drafting matches it, `summariser.draft.phrases.Phrase`). A
theme's true count is the number of distinct respondents with a supporting segment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from summariser.draft.phrases import Phrase
from summariser.gate.corpus import EvalCorpus
from summariser.gate.parsed import ThemeFacts
from summariser.project.manifest import Section

if TYPE_CHECKING:
    from summariser.draft.records import EvidenceRef

__all__ = ["ThemeEvidence", "theme_evidence"]


@dataclass(frozen=True, slots=True)
class ThemeEvidence:
    people: frozenset[str]  # respondents with at least one supporting segment
    unsupported: tuple[str, ...]  # counted respondents without one
    problems: tuple[str, ...]  # why segments did not support their respondent

    def shown(self) -> str:
        return ", ".join(sorted(self.people)) or "nobody"


def _problem(corpus: EvalCorpus, section: Section | None, evidence: EvidenceRef) -> str | None:
    """Why a coded segment does not support its respondent (None: it does)."""
    who = evidence.respondent
    response = corpus.by_id.get(evidence.response_id)
    if response is None:
        return f"{who}'s evidence cites response {evidence.response_id}, which the corpus lacks"
    if response.respondent != who:
        return (f"{who}'s evidence is in {evidence.response_id}, which is "
                f"{response.respondent}'s, not theirs")
    if not response.is_participant:
        return f"{who}'s evidence is an interviewer's words ({evidence.response_id})"
    if section is not None and not corpus.allowed(section, response):
        return (f"{who}'s evidence answers {response.question}, not one of the section's "
                "questions")
    if response.text[evidence.start : evidence.end] != evidence.text:
        return (f"{who}'s evidence “{evidence.text}” is not at {evidence.start}-{evidence.end} "
                f"of {evidence.response_id}")
    if evidence.via == "phrase" and not (evidence.phrase
                                         and Phrase.of(evidence.phrase).found_in(evidence.text)):
        return (f"{who}'s evidence was coded by the phrase “{evidence.phrase}”, which it does not "
                "contain")
    return None


def theme_evidence(corpus: EvalCorpus, section: Section | None, theme: ThemeFacts
                   ) -> ThemeEvidence:
    people: set[str] = set()
    problems: list[str] = []
    for evidence in theme.evidence:
        problem = _problem(corpus, section, evidence)
        if problem is None:
            people.add(evidence.respondent)
        else:
            problems.append(problem)
    unsupported = tuple(sorted(set(theme.respondents) - people))
    return ThemeEvidence(frozenset(people), unsupported, tuple(dict.fromkeys(problems)))
