"""Offline theme proposals: find what several people talk about, name it, write a codebook.

A proposal is only a codebook. Who counts in a theme is decided afterwards, by coding every
segment against it (`summariser.draft.coding`), so nothing here becomes a count by itself.

A theme is founded by a phrase (`summariser.draft.phrases.candidates`: a run of one to three
content words) that
- at least `min_support` people use (three for a single word: two people sharing one word is too
  often chance), and at most `MAX_PHRASE_SHARE` of the section (a word nearly everyone uses names
  no theme); words of the question itself ("Bowling Green" in "What should change in Bowling
  Green?", and their initials, "BG") and nouns too general to name anything ("issues") never do;
- is about one thing: the mean cosine similarity between the segments that use it exceeds the
  section's own mean by `MIN_LIFT` ("year" or "city" in many unrelated sentences does not; a
  shared run of several words rarely happens by chance, so for it no lift is required);
- is not part of a longer phrase that nearly the same people use ("delayed", given "delayed
  discharge").
Counting uses a segment x phrase matrix built with scikit-learn's CountVectorizer. Candidates
are taken greedily, best first by people x lift: one whose segments mean the same as a theme
already taken (centres within `SAME_IDEA`, after the section's mean vector is removed) becomes a
further phrase of that theme ("fiber" for "internet"); one that mostly repeats a taken theme's
people is left out. The best are kept up to the section's theme budget. A theme's examples are
the most typical segments that use its title phrase. Everything is deterministic: no seed, and
the result does not depend on the order of the input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from summariser.draft.codebook import CodebookTheme
from summariser.draft.phrases import (
    FILLERS,
    FUNCTION_WORDS,
    VERBS,
    as_title,
    candidates,
    join_words,
    surface_form,
    tokens,
)
from summariser.records import Passage

MAX_PHRASE_SHARE = 0.4  # a phrase used by more of the section's people founds no theme
MIN_LIFT = 0.15  # how much more alike a candidate's segments are than the section's
MAX_REPEAT = 0.6  # a candidate whose people are mostly a taken theme's people is left out
SAME_IDEA = 0.8  # ... and one whose centre is this close to a taken theme's (centred vectors)
SUBSUMED = 0.75  # a phrase gives way to a longer one used by this share of its people
# Nouns too general to name a theme alone ("Issues", "Change").
VAGUE = frozenset("""
issue challenge change problem progress process approach organisation system level part area
point case fact aspect matter situation example kind type number amount range work role term
place option opportunity experience question answer idea thing step stage side reason result
""".split())
MAX_PHRASES = 3  # coding phrases per proposed theme
MAX_EXAMPLES = 2
MODIFIER_SHARE = 0.9  # a title word followed by a content word this often names nothing alone


def theme_budget(answers: int) -> int:
    """How many themes a section may have: grows with the number of answers, from two to 12
    (16 answers: 6; 600: 10; 10,000: 12)."""
    return max(2, min(12, round(2 + 3 * math.log10(max(answers, 1)))))


def min_support(people: int) -> int:
    """People a theme needs: two, or one in a hundred in a large section."""
    return max(2, math.ceil(people / 100))


@dataclass
class _Candidate:
    phrase: str  # folded title phrase
    rows: set[int]  # member segments (indices into the section's passages)
    people: set[str]
    lift: float
    phrases: list[str] = field(default_factory=list)  # folded coding phrases, title first

    @property
    def score(self) -> float:
        return len(self.people) * self.lift


def _initials(text: str) -> set[str]:
    """'bg' for 'Bowling Green': people abbreviate the names the question uses."""
    runs = re.findall(r"[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+", text)
    return {"".join(word[0] for word in run.split()).lower() for run in runs}


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.clip(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12, None)


class _Section:
    """A section's segments with their vectors, people and candidate phrases."""

    def __init__(self, passages: Sequence[Passage], vectors: np.ndarray, context: str):
        from sklearn.feature_extraction.text import CountVectorizer

        self.passages = passages
        self.vectors = vectors
        self.person = [p.respondent for p in passages]
        self.people = len(set(self.person))
        stop = set(tokens(context)) | _initials(context)
        vectorizer = CountVectorizer(analyzer=lambda text: sorted(
            c for c in candidates(text) if not set(c.split()) <= stop), binary=True,
            lowercase=False)
        self.matrix = vectorizer.fit_transform([p.text for p in passages]).tocsc()
        self.phrases = [str(p) for p in vectorizer.get_feature_names_out()]
        self.index = {p: i for i, p in enumerate(self.phrases)}
        self.base = self._alike(vectors)
        self.centred = _unit_rows(vectors - vectors.mean(axis=0)) if len(vectors) > 1 \
            else vectors

    def rows_of(self, phrase: str) -> set[int]:
        column = self.index[phrase]
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


def _phrase_candidates(section: _Section, least: int) -> dict[str, _Candidate]:
    """Phrases that can found or code a theme, by folded phrase."""
    found: dict[str, _Candidate] = {}
    users = np.asarray(section.matrix.sum(axis=0)).ravel()  # segments, an upper bound of people
    for column in np.flatnonzero(users >= least):
        phrase = section.phrases[column]
        single = " " not in phrase
        if single and phrase in VAGUE:
            continue
        rows = section.rows_of(phrase)
        people = section.people_of(rows)
        if len(people) < least or len(people) > MAX_PHRASE_SHARE * section.people:
            continue
        lift = section.lift(rows)
        # People rarely share a run of words by chance, so a shared multi-word phrase needs only
        # to be no less alike than the section; a single word must show its sentences cohere.
        if single and len(people) < max(least, 3):
            continue  # two people sharing one word is too often chance
        if lift >= (MIN_LIFT if single else 0.0):
            found[phrase] = _Candidate(phrase, rows, people, max(lift, MIN_LIFT), [phrase])
    # A phrase gives way to a longer one that nearly the same people use.
    return {phrase: c for phrase, c in found.items() if not any(
        len(o.phrase) > len(phrase) and set(phrase.split()) <= set(o.phrase.split())
        and len(o.people & c.people) >= SUBSUMED * len(c.people) for o in found.values())}


def _titled(candidate: _Candidate) -> bool:
    first = candidate.phrase.split()[0]
    return first not in VERBS and first not in FUNCTION_WORDS and first not in FILLERS


def propose_themes(passages: Sequence[Passage], vectors: np.ndarray, budget: int,
                   context: str = "") -> tuple[list[CodebookTheme], list[str]]:
    """Proposed themes for a section's counted passages, best supported first, and notes on
    what was not proposed. `context` is the question text: its words found no theme."""
    if len(passages) < 2:
        return [], []
    section = _Section(passages, vectors, context)
    least = min_support(section.people)
    pool = sorted((c for c in _phrase_candidates(section, least).values() if _titled(c)),
                  key=lambda c: (-c.score, c.phrase))
    taken: list[_Candidate] = []
    centres: list[np.ndarray] = []  # of the taken themes, kept: recomputing them for every
    # candidate took most of the time of a large section
    for candidate in pool:
        centre = section.centre(candidate.rows)
        same = [n for n, c in enumerate(centres) if float(c @ centre) >= SAME_IDEA]
        if same:  # another word for a theme already taken ("fiber" for "internet")
            theme = taken[same[0]]
            words = set(candidate.phrase.split())
            # Another word for it, or a longer form of its title ("mental health" for
            # "health"); not a phrase that repeats part of one ("change in mental").
            new = not words & {w for p in theme.phrases for w in p.split()}
            longer = set(theme.phrases[0].split()) < words
            if len(theme.phrases) < MAX_PHRASES and (new or longer):
                theme.phrases.append(candidate.phrase)
                theme.rows |= candidate.rows
                theme.people |= candidate.people
                centres[same[0]] = section.centre(theme.rows)
            continue
        if any(len(candidate.people & t.people) >= MAX_REPEAT * len(candidate.people)
               for t in taken):
            continue
        taken.append(candidate)
        centres.append(centre)
    left_out = max(0, len(taken) - budget)
    themes = [_theme(section, n, c) for n, c in enumerate(taken[:budget], 1)]
    notes = [f"{left_out} smaller theme(s) beyond the section's budget of {budget} were not "
             "proposed."] if left_out else []
    return themes, notes


def _theme(section: _Section, number: int, candidate: _Candidate) -> CodebookTheme:
    texts = [section.passages[i].text for i in sorted(candidate.rows)]
    phrases = list(candidate.phrases)
    # "Opening hours" names the idea better than "opening" when both are the theme's phrases.
    users = len(section.people_of(section.rows_of(phrases[0])))
    longer = [p for p in phrases[1:] if set(phrases[0].split()) < set(p.split())
              and len(section.people_of(section.rows_of(p))) >= SUBSUMED * users]
    if longer:  # and the shorter form, which says less, no longer codes
        phrases = [longer[0], *(p for p in phrases[1:] if p != longer[0])]
    shown = [surface_form(p, texts) for p in phrases]
    description = (f"Answers that mention {join_words(shown, 'or')}, or say the same in other "
                   "words.")
    # Examples say what the title says: the most typical segments that use the title phrase.
    named = section.rows_of(phrases[0])
    centre = section.centre(named)
    examples: list[str] = []
    seen: set[str] = set()
    for i in sorted(named, key=lambda i: (-float(section.centred[i] @ centre), i)):
        passage = section.passages[i]
        if passage.respondent in seen or len(passage.text.split()) > 40:
            continue
        examples.append(passage.text)
        seen.add(passage.respondent)
        if len(examples) == MAX_EXAMPLES:
            break
    title = shown[0]
    if " " not in phrases[0] and _modifies(phrases[0], texts):
        # "Joint" names nothing on its own: its theme is titled by the longer phrase it is part
        # of ("Joint working"), and keeps coding by both.
        title = next((shown[n] for n, p in enumerate(phrases)
                      if p.split()[0] == phrases[0] and " " in p), title)
    return CodebookTheme(id=f"t{number}", title=as_title(title), description=description,
                         phrases=tuple(shown), examples=tuple(examples))


def _modifies(word: str, texts: Sequence[str]) -> bool:
    """Whether `word` is a modifier in these texts, as "joint" in "joint working" and "joint
    posts": nearly every time it is used, a content word follows it."""
    after = [m.group(1) for text in texts
             for m in re.finditer(rf"\b{re.escape(word)}\b(?:[ \t]+(\w+))?", text, re.IGNORECASE)]
    followed = sum(1 for w in after if w and w.casefold() not in FUNCTION_WORDS)
    return len(after) >= 2 and followed >= MODIFIER_SHARE * len(after)
