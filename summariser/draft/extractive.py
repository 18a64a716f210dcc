"""The offline default backend: themes proposed from shared phrases (`summariser.draft.propose`).

It needs no model and no key, and its output is deterministic for a given corpus. Its titles are
phrases the respondents used and its descriptions say so: an honest extractive draft for an
analyst to edit, through the section's codebook.
"""

from __future__ import annotations

from summariser.draft.propose import propose_themes
from summariser.draft.section import Proposal
from summariser.project.manifest import Section
from summariser.records import Passage
from summariser.retrieve.evidence import Evidence


class ExtractiveBackend:
    name = "extractive"
    model = ""

    def propose(self, section: Section, evidence: Evidence, budget: int,
                context: str = "") -> Proposal:
        themes, notes = propose_themes(evidence.counted, evidence.counted_vectors, budget,
                                       context)
        return Proposal(tuple(themes), notes=tuple(notes))

    def revise_quote(self, section_id: str, passage: Passage, quote: str,
                     reason: str) -> str | None:
        return None  # quotes are the respondents' own segments: there is nothing to revise
