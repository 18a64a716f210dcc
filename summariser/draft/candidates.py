"""Candidate themes of a section: shared phrases, compared by lemma, and groups by meaning.

`SectionWords` holds a section's substantive segments: their vectors (raw, and in the section's
meaning space, `summariser.draft.space`), their people, and a segment x phrase matrix (scikit-
learn's CountVectorizer over `summariser.draft.phrases.candidates`, keyed by lemma). A candidate
is a set of segments that may found a theme; `summariser.draft.propose` chooses among them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from summariser.draft.discover import meaning_groups
from summariser.draft.phrases import (
    FUNCTION_WORDS,
    candidates,
    is_noun,
    lemma,
    lemma_key,
    mostly_capitalised,
    surface_form,
    tokens,
)
from summariser.draft.space import nuisance_basis, project_out
from summariser.draft.stance import asks_for_a_change, asks_for_the_good, proposed
from summariser.draft.titles import VAGUE
from summariser.index.embedders import Embed
from summariser.records import Passage, Response
from summariser.text.names import people_named
from summariser.text.words import fold

# Chosen with discovery as a whole on the labelled sets and the development judgments; where,
# and what they give held back: benchmarks/README.md, "Thresholds".
# A word used by more of the section's people is common to it: it titles no theme it did not
# found. It may still found one: the idea most people raise is a finding.
MAX_PHRASE_SHARE = 0.4
MIN_LIFT = 0.15  # how much more alike a candidate's segments are than the section's
SAME_SURFACE = 0.5  # forms of one lemma ("parks", "parking") this far apart are two ideas
# Not fitted on answers: set from word pairs. Another form or a clipping of a word ("ads" and
# "advertisements" 0.88, "sports" and "sporting" 0.87) is nearer; words of related ideas
# ("plane" and "flight" 0.75, "betting" and "gambling" 0.71) are further.
ASKED_ALIKE = 0.8  # a word this near in meaning to a word of the question is one of its words
SUBSUMED = 0.75  # a phrase gives way to a longer one used by this share of its people
LONGEST_PHRASE = 4
# Not fitted: "most" in plain words. A name over half the respondents use, in answers to over
# half the questions, is what the survey is about, not an idea of one of its sections.
SURVEY_NAME_SHARE = 0.5


def min_support(people: int) -> int:
    """People a theme needs: two, or one in a hundred in a large section."""
    return max(2, math.ceil(people / 100))


@dataclass
class Candidate:
    key: str  # lemma key of its founding phrase; "" for a group found by meaning
    rows: set[int]  # member segments (indices into the section's passages)
    people: set[str]
    lift: float
    keys: list[str] = field(default_factory=list)  # lemma keys of its coding phrases
    forms: list[str] = field(default_factory=list)  # folded forms it codes by (default: all)
    tone: str = ""  # "praise" or "other": one side of a theme people both praise and fault;
    # "for" or "against": one side of what the question proposes
    pair: int = 0  # the two sides of one such theme share a number (the other's title words)
    thing: str = ""  # a proposal's theme: what its sides are for or against ("a complete ban")

    def gain(self, covered: set[str]) -> float:
        return len(self.people - covered) * self.lift


def _names(text: str) -> list[str]:
    """Capitalised words inside the question's sentences: names, or words of a title ("the
    Health and Social Care Delivery Plan"); only those the answers write as names are names."""
    # After a word and a space, or joined to the word before ("Bowling Green/Warren County").
    return re.findall(r"(?:(?<=[\w,;:)] )|(?<=\w[/&]))[A-Z][\w'’-]*", text)


def _initials(text: str) -> set[str]:
    """'bg' for 'Bowling Green': people abbreviate the names the question uses."""
    runs = re.findall(r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+", text)
    return {"".join(word[0] for word in run.split()).lower() for run in runs}


def survey_names(responses: Sequence[Response]) -> frozenset[str]:
    """The lemmas of the names a whole survey is about: a name (written with a capital in the
    middle of sentences) that over `SURVEY_NAME_SHARE` of its respondents use, in answers to
    over that share of its questions, of two or more ("IJB", in a survey of the Chief Officers
    of IJBs). Like a word of the question, it founds no theme alone and is no title alone; what
    people say of it may ("IJB development")."""
    answers = [r for r in responses if r.is_participant and r.speaker is None]
    questions = {r.question for r in answers}
    people = {r.respondent for r in answers}
    if len(questions) < 2:
        return frozenset()  # one question: its own names are its `stop` words
    asked: dict[str, set[str]] = {}
    users: dict[str, set[str]] = {}
    for r in answers:
        for word in set(re.findall(r"(?<=[a-z,;] )[A-Z][\w'’-]*", r.text)):
            asked.setdefault(word, set()).add(r.question)
            users.setdefault(word, set()).add(r.respondent)
    texts = [r.text for r in answers]
    return frozenset(lemma(w) for word in asked
                     if len(asked[word]) > SURVEY_NAME_SHARE * len(questions)
                     and len(users[word]) > SURVEY_NAME_SHARE * len(people)
                     and mostly_capitalised(word, texts) for w in tokens(word))


class SectionWords:
    """A section's substantive segments with their vectors, people and candidate phrases."""

    def __init__(self, passages: Sequence[Passage], vectors: np.ndarray, context: str,
                 noun: tuple[str, str], about: frozenset[str] = frozenset(),
                 embed: Embed | None = None, masked: Sequence[str] = ()):
        from sklearn.feature_extraction.text import CountVectorizer

        self.passages = passages
        self.vectors = vectors
        self.person = [p.respondent for p in passages]
        self.people = len(set(self.person))
        # Names in the question ("Bowling Green", "BG") and the respondent noun are who or
        # what every answer is about: never an idea. The question's other words ("ban" in
        # "Should ads be banned?") and the names the whole survey is about (`about`, "IJB":
        # `survey_names`) may be part of one ("IJB development"), but never found one alone.
        texts = [p.text for p in passages]
        names = [w for w in _names(context) if mostly_capitalised(w, texts)]
        self.stop = {lemma(w) for w in tokens(" ".join(names))} | _initials(context)
        # People named in the answers ("Dave the engineer") or masked by the analyst ("mark",
        # which English also knows): what is said of them may be an idea, who they are is
        # not, and a report names no member of staff in a title. Each word of a masked name is
        # a stop word: "Jones" alone, of "Sarah Jones", titled a theme. That costs "John
        # Park"'s "park" as an idea: the analyst can add it to the codebook.
        self.stop |= {lemma(fold(w)) for w in people_named(texts)}
        self.stop |= {lemma(fold(w)) for name in masked for w in tokens(name)}
        self.noun = frozenset(lemma(w) for w in tokens(" ".join(noun)))
        self.asked = {lemma(w) for w in tokens(context)} | about
        # What the question asks people to take a side on ("ban" in "Should ads be banned?"):
        # a word of the question that founds the theme of those who write about it.
        self.proposal = proposed(context)
        self.praised = asks_for_the_good(context)  # every answer is praise of what it names
        self.mending = asks_for_a_change(context)  # "Nothing, all excellent" answers it
        self.surfaces: dict[str, Counter] = {}

        def analyse(text: str) -> list[str]:
            keys = set()
            for phrase in candidates(text, LONGEST_PHRASE):
                key = lemma_key(phrase)
                if not set(key.split()) <= self.stop | self.noun:
                    keys.add(key)
                    self.surfaces.setdefault(key, Counter())[phrase] += 1
            return sorted(keys)

        vectorizer = CountVectorizer(analyzer=analyse, binary=True, lowercase=False)
        self.matrix = vectorizer.fit_transform([p.text for p in passages]).tocsc()
        self.keys = [str(k) for k in vectorizer.get_feature_names_out()]
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.base = self._alike(vectors)
        users = np.asarray(self.matrix.sum(axis=0)).ravel()  # segments: an upper bound of people
        if embed is not None:
            self.asked |= self._asked_otherwise(context, users, embed)
        self.common = frozenset(  # words too many of the section use to name one of its ideas
            k for k, n in zip(self.keys, users) if " " not in k
            and n > MAX_PHRASE_SHARE * self.people
            and len(self.people_of(self.rows_of(k))) > MAX_PHRASE_SHARE * self.people)
        self.centred = project_out(vectors, nuisance_basis(passages, vectors)) \
            if len(vectors) > 1 else vectors

    def _asked_otherwise(self, context: str, users: np.ndarray, embed: Embed) -> set[str]:
        """The words people use for a word of the question ("ads" for "advertisements", which
        share no lemma): those as near it in meaning as another form of one word
        (`ASKED_ALIKE`). Only words enough people use to found a theme are compared."""
        asked = sorted({w for w in tokens(context) if w.isalpha() and w not in FUNCTION_WORDS})
        least = min_support(self.people)
        words = [k for k, n in zip(self.keys, users) if " " not in k and k.isalpha()
                 and n >= least and k not in self.asked and k not in FUNCTION_WORDS]
        if not asked or not words:
            return set()
        nearness = embed([self.forms(k)[0] for k in words]) @ embed(asked).T
        return {k for k, row in zip(words, nearness) if float(row.max()) >= ASKED_ALIKE}

    def rows_of(self, key: str) -> set[int]:
        column = self.index[key]
        return set(self.matrix.indices[self.matrix.indptr[column]:self.matrix.indptr[column + 1]]
                   .tolist())

    def people_of(self, rows: set[int]) -> set[str]:
        return {self.person[i] for i in rows}

    @staticmethod
    def _alike(vectors: np.ndarray) -> float:
        """Mean cosine similarity between distinct rows of unit vectors."""
        n = len(vectors)
        if n < 2:
            return 1.0
        total = vectors.sum(axis=0)
        return (float(total @ total) - n) / (n * n - n)

    def lift(self, rows: set[int]) -> float:
        return self._alike(self.vectors[sorted(rows)]) - self.base

    def centre(self, rows: set[int]) -> np.ndarray:
        total = self.centred[sorted(rows)].sum(axis=0)
        return total / max(float(np.linalg.norm(total)), 1e-12)

    def forms(self, key: str) -> list[str]:
        """The folded forms people wrote a lemma key in, most used first."""
        return [f for f, _ in sorted(self.surfaces[key].items(), key=lambda i: (-i[1], i[0]))]

    def shown(self, key: str, rows: set[int]) -> str:
        """A key as the theme's people wrote it most often ("Waiting times", "GP"); a single
        word in a form that can be a noun ("delays" rather than "delayed")."""
        texts = [self.passages[i].text for i in sorted(rows)]
        forms = self.forms(key)
        if " " not in key:
            forms = [f for f in forms if is_noun(f)] or forms
        return surface_form(forms[0], texts)


def phrase_candidates(section: SectionWords, least: int) -> list[Candidate]:
    """Phrases that can found or code a theme."""
    found: dict[str, Candidate] = {}
    users = np.asarray(section.matrix.sum(axis=0)).ravel()  # segments, an upper bound of people
    for column in np.flatnonzero(users >= least):
        key = section.keys[column]
        single = " " not in key
        if single and (key in VAGUE or (key in section.asked and key not in section.proposal)):
            continue
        rows = section.rows_of(key)
        people = section.people_of(rows)
        if len(people) < least:
            continue
        lift = section.lift(rows)
        # People rarely share a run of words by chance, so a shared multi-word phrase needs only
        # to be no less alike than the section; a single word must show its sentences cohere,
        # unless it is what the question proposes: those for it and against it write unalike.
        if lift >= (MIN_LIFT if single and key not in section.proposal else 0.0):
            found[key] = Candidate(key, rows, people, max(lift, MIN_LIFT), [key])
    # A phrase gives way to a longer one that nearly the same people use.
    return [c for key, c in sorted(found.items()) if not any(
        len(o.key) > len(key) and set(key.split()) <= set(o.key.split())
        and len(o.people & c.people) >= SUBSUMED * len(c.people) for o in found.values())]


def one_idea(section: SectionWords, candidate: Candidate) -> Candidate:
    """The candidate with only the forms of its lemma that mean alike where they are used:
    "parks" and "parking" share the lemma "park" and are two ideas, so the less used form's
    segments leave it (and code it no more)."""
    forms = section.forms(candidate.key)
    if len(forms) < 2 or " " in candidate.key:
        return candidate
    by_form: dict[str, set[int]] = {}
    for i in sorted(candidate.rows):
        words = set(tokens(section.passages[i].text))
        form = next((f for f in forms if f in words), forms[0])
        by_form.setdefault(form, set()).add(i)
    main = max(by_form, key=lambda f: (len(by_form[f]), f))
    centre = section.centre(by_form[main])
    kept = [f for f in forms if f in by_form
            and float(section.centre(by_form[f]) @ centre) >= SAME_SURFACE]
    if len(kept) == len(by_form):
        return candidate
    rows = set().union(*(by_form[f] for f in kept))
    return Candidate(candidate.key, rows, section.people_of(rows), section.lift(rows),
                      candidate.keys, kept)


def group_candidates(section: SectionWords, rows: Sequence[int], least: int) -> list[Candidate]:
    order = [p.passage_id for p in section.passages]
    found = []
    for group in meaning_groups(section.centred, rows, order):
        members = set(group)
        people = section.people_of(members)
        lift = section.lift(members)
        if len(people) >= least and lift >= MIN_LIFT:
            found.append(Candidate("", members, people, lift))
    return found
