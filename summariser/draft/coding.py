"""Coding: which segments speak to which theme. This, not clustering, decides who counts.

A segment (one sentence or clause of an answer or an interview turn) is coded to a theme when
  - it uses one of the theme's `phrases` ("phrase"), or
  - the theme codes by meaning, and the segment's similarity to the theme is at least
    `MEANING_FLOOR` and within `MEANING_MARGIN` of its most similar theme ("meaning"), or
  - a model assigned it to the theme and its similarity is at least `ASSIGNED_FLOOR`
    ("model"; below that the assignment is rejected and listed, so a model cannot count people
    whose words are far from the theme),
and it uses none of the theme's `exclude` phrases. A segment may be coded to several themes, and
an answer counts in every theme one of its segments is coded to. A theme's meaning is the
normalised sum of three unit vectors: its title and description embedded together, the mean of
its examples, and the mean of the segments its phrases code. Similarities are cosine similarities
of all-MiniLM-L6-v2 vectors from which the section's common direction (the normalised mean of its
segments) has been removed: what all of a section's answers share, such as the place or service
the question is about, would otherwise make unrelated answers look alike ("Bowling Green needs
cheaper cable" close to any theme whose examples name Bowling Green). Segments coded to no theme
stay uncoded and are reported.

The floor was set against hand judgments (evals/theme-truth.jsonl; benchmarks/themes.py):
coding by meaning alone, from a title and description with no phrases, it gave precision 0.91
and recall 0.65 over the three corpora there; a phrase an analyst adds codes exactly.

`ASSIGNED_FLOOR` was set against the same judgments for the worst case, a model that assigns
every judged respondent to every judged theme (benchmarks/floor.py, 492 judgments, 161 true):
accepted at 0.15, 70% of those assignments were true (recall 0.75); at 0.20, 83% (0.68); at
0.25, 89% (0.66); at 0.30, 94% (0.55). 0.20 is the floor: it keeps paraphrases a model is
there to find ("People stuck in hospital waiting to go home has come down a lot" for "Delayed
discharge", 0.25) and still refuses most of an obedient model's list; a theme that then counts
nearly everyone is marked for review (summariser.draft.section).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from summariser.draft.codebook import Codebook, CodebookTheme
from summariser.draft.phrases import Phrase, first_match
from summariser.records import Passage

MEANING_FLOOR = 0.25
MEANING_MARGIN = 0.05
ASSIGNED_FLOOR = 0.20

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class CodedSegment:
    passage: Passage
    via: str  # "phrase", "meaning" or "model"
    similarity: float  # to the theme's meaning
    phrase: str | None = None  # the codebook phrase it uses


@dataclass(frozen=True, slots=True)
class ThemeCoding:
    theme: CodebookTheme
    segments: tuple[CodedSegment, ...]

    def people(self, counted: set[str]) -> set[str]:
        return {s.passage.respondent for s in self.segments if s.passage.respondent in counted}


@dataclass(frozen=True, slots=True)
class RejectedAssignment:
    theme_id: str
    passage: Passage
    similarity: float


@dataclass(frozen=True, slots=True)
class Coding:
    themes: tuple[ThemeCoding, ...]
    uncoded: tuple[Passage, ...]  # passages coded to no theme
    rejected: tuple[RejectedAssignment, ...] = ()


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def _without(vectors: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Unit vectors with their component along `direction` removed."""
    kept = vectors - np.outer(vectors @ direction, direction)
    return kept / np.clip(np.linalg.norm(kept, axis=1, keepdims=True), 1e-12, None)


def theme_vectors(codebook: Codebook, passages: Sequence[Passage], vectors: np.ndarray,
                  embed: Embed) -> np.ndarray:
    """Each theme's meaning as one unit vector (see the module docstring)."""
    if not codebook.themes:
        return np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 1), dtype=np.float32)
    texts = [f"{t.title}. {t.description}".strip() for t in codebook.themes]
    examples = [e for t in codebook.themes for e in t.examples]
    embedded = np.asarray(embed(texts + examples), dtype=np.float32)
    described, example_vectors = embedded[:len(texts)], embedded[len(texts):]
    rows = []
    position = 0
    for n, theme in enumerate(codebook.themes):
        parts = [_unit(described[n])]
        if theme.examples:
            parts.append(_unit(example_vectors[position:position + len(theme.examples)]
                               .mean(axis=0)))
            position += len(theme.examples)
        phrases = [Phrase.of(p) for p in theme.phrases]
        hits = [i for i, p in enumerate(passages) if first_match(phrases, p.text)]
        if hits:
            parts.append(_unit(vectors[hits].mean(axis=0)))
        rows.append(_unit(np.sum(parts, axis=0)))
    return np.array(rows, dtype=np.float32)


def code(codebook: Codebook, passages: Sequence[Passage], vectors: np.ndarray, embed: Embed,
         assignments: Mapping[str, Sequence[str]] | None = None) -> Coding:
    """Code every passage against every theme of the codebook.

    `assignments` maps a theme id to the passage ids a model assigned to it.
    """
    themes = codebook.themes
    if not themes or not passages:
        return Coding(tuple(ThemeCoding(t, ()) for t in themes), tuple(passages))
    common = _unit(vectors.mean(axis=0))
    space = _without(vectors, common)
    meaning = _without(theme_vectors(codebook, passages, vectors, embed), common)
    similarity = space @ meaning.T  # passages x themes
    best = similarity.max(axis=1)
    index = {p.passage_id: i for i, p in enumerate(passages)}
    coded: list[list[CodedSegment]] = [[] for _ in themes]
    rejected: list[RejectedAssignment] = []
    for t, theme in enumerate(themes):
        phrases = [Phrase.of(p) for p in theme.phrases]
        excluded = [Phrase.of(p) for p in theme.exclude]
        assigned = {pid for pid in (assignments or {}).get(theme.id, ()) if pid in index}
        for i, passage in enumerate(passages):
            if excluded and first_match(excluded, passage.text):
                continue
            score = float(similarity[i, t])
            hit = first_match(phrases, passage.text)
            if hit:
                coded[t].append(CodedSegment(passage, "phrase", score, hit.text))
            elif theme.by_meaning and score >= MEANING_FLOOR and score >= best[i] - MEANING_MARGIN:
                coded[t].append(CodedSegment(passage, "meaning", score))
            elif passage.passage_id in assigned:
                if score >= ASSIGNED_FLOOR:
                    coded[t].append(CodedSegment(passage, "model", score))
                else:
                    rejected.append(RejectedAssignment(theme.id, passage, score))
    coded_ids = {s.passage.passage_id for segments in coded for s in segments}
    return Coding(tuple(ThemeCoding(theme, tuple(segments))
                        for theme, segments in zip(themes, coded)),
                  tuple(p for p in passages if p.passage_id not in coded_ids), tuple(rejected))
