"""The corpus as the publication gate's checks need it: responses by id and by respondent, each
section's questions and sources, how many answered it, how many responded to the survey, and
each rating question's values, one per person, as the statistics count them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from summariser.draft.phrases import Phrase
from summariser.gate.parsed import DraftSection
from summariser.project.closed import people_answers, person_rating
from summariser.project.manifest import Manifest, Question, Section
from summariser.project.respondents import survey_respondents
from summariser.records import Attribute, Rating, Response
from summariser.text.nonanswers import asks_a_side, says_nothing
from summariser.text.sentences import sentence_spans

if TYPE_CHECKING:
    from summariser.verify import CorpusIndex

__all__ = ["EvalCorpus", "section_label"]


class EvalCorpus:
    def __init__(self, index: CorpusIndex, manifest: Manifest, responses: Sequence[Response],
                 ratings: Sequence[Rating] = (), attributes: Sequence[Attribute] = ()):
        self.index = index
        # Each attribute's groups as a breakdown splits them (respondent -> value), and each
        # subgroup a breakdown shows ("Small"), by its value: who is in it.
        self.membership: dict[str, dict[str, str]] = defaultdict(dict)
        groups: dict[str, set[str]] = defaultdict(set)
        for fact in attributes:
            self.membership[fact.name][fact.respondent] = fact.value
            groups[fact.value].add(fact.respondent)
        self.groups = {value: frozenset(people) for value, people in groups.items()}
        self.manifest = manifest
        self.ratings = ratings
        self.by_id = {r.response_id: r for r in responses}
        self.by_respondent: dict[str, list[Response]] = defaultdict(list)
        for r in responses:
            self.by_respondent[r.respondent].append(r)
        self.responses = responses
        self.survey_people = frozenset(survey_respondents(manifest, responses, ratings))
        self.survey_size = len(self.survey_people)
        self._sections = {s.id: s for s in manifest.sections}
        self._documents = {s.id for s in manifest.sources if s.format == "text"}
        self._scopes: dict[str, tuple[str, ...]] = {}
        self._answered: dict[str, int | None] = {}
        self._holders: dict[tuple, frozenset[str]] = {}

    def section(self, section_id: str | None) -> Section | None:
        """The manifest section a draft section was matched to (None: not matched)."""
        return self._sections.get(section_id or "")

    def scope(self, section: Section | None) -> tuple[str, ...] | None:
        """Question ids a quote of this section may come from (None: anywhere)."""
        if section is None:
            return None
        if section.id not in self._scopes:
            from_sources = {r.question for r in self.responses if r.source in section.sources}
            self._scopes[section.id] = tuple(dict.fromkeys([*section.questions,
                                                            *sorted(from_sources)]))
        return self._scopes[section.id]

    @staticmethod
    def allowed(section: Section | None, response: Response) -> bool:
        return section is None or response.question in section.questions or (
            response.source in section.sources)

    def answered(self, section: Section | None) -> int | None:
        """How many participants answered the section's questions (else gave its sources)."""
        if section is None:
            return None
        if section.id not in self._answered:
            counted = {r.respondent for r in self.responses
                       if r.is_participant and r.question in section.questions}
            self._answered[section.id] = len(counted or {
                r.respondent for r in self.responses
                if r.is_participant and r.source in section.sources}) or None
        return self._answered[section.id]


    def people(self, section: Section | None) -> frozenset[str]:
        """The participants who answered the section's questions (else gave its sources)."""
        if section is None:
            return frozenset()
        counted = {r.respondent for r in self.responses
                   if r.is_participant and r.question in section.questions}
        # A section of interviews and notes counts its interviewees: a document is no person.
        return frozenset(counted or {r.respondent for r in self.responses
                                     if r.is_participant and r.source in section.sources
                                     and r.source not in self._documents})

    def answering(self, section: Section | None) -> frozenset[str]:
        """Who answered the section's questions, in words or on a scale (its participants, for
        a section of interviews and notes); the survey's respondents outside any section."""
        if section is None:
            return self.survey_people
        rated = {r.respondent for r in self.ratings
                 if r.question in section.questions and r.value is not None}
        wrote = {r.respondent for r in self.responses
                 if r.is_participant and r.question in section.questions and r.text.strip()}
        return frozenset(rated | wrote) or self.people(section)

    def silent(self, section: Section | None) -> frozenset[str]:
        """The participants whose every answer to the section's questions is a non-answer
        ("Don't know"), by the rule drafting uses (`summariser.text.nonanswers`)."""
        if section is None:
            return frozenset()
        answers: dict[str, list[Response]] = defaultdict(list)
        for r in self.responses:
            if r.is_participant and r.question in section.questions:
                answers[r.respondent].append(r)
        # As drafting reads them: a bare "No" answers questions that ask for a side.
        sided = asks_a_side(" ".join(self.manifest.question(q).text for q in section.questions))
        return frozenset(person for person, given in answers.items() if all(
            says_nothing((r.text[a:b] for a, b in sentence_spans(r.text)), sided=sided)
            for r in given))

    def rating_values(self, question: Question) -> list[float]:
        """A rating question's values, one per person who gave one (`summariser.report.stats`
        summarises the same values)."""
        answers = people_answers(self.ratings, question.id)
        return [person_rating(values) for values in answers.values.values()]

    def holders(self, section: Section | None, phrase: Phrase) -> frozenset[str]:
        """The participants whose answers in the section (anywhere, when it is not known) use
        `phrase`, matched as drafting matches codebook phrases."""
        key = (section.id if section else None, phrase.words, phrase.exact_case)
        if key not in self._holders:
            self._holders[key] = frozenset(
                r.respondent for r in self.responses
                if r.is_participant and self.allowed(section, r) and phrase.found_in(r.text))
        return self._holders[key]


def section_label(draft_section: DraftSection, section: Section | None) -> str:
    """The section's name in a check: its heading as written, else the manifest's."""
    return draft_section.heading or (section.heading if section else "(no section)")
