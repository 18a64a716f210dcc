"""Coding: which segments speak to which theme. This, not clustering, decides who counts.

A segment (one sentence or clause of an answer or an interview turn) is coded to a theme when
  - it uses one of the theme's `phrases` ("phrase"), or
  - the theme codes by meaning, and the segment's similarity to the theme is at least
    `MEANING_FLOOR` and within `MEANING_MARGIN` of its most similar theme ("meaning"), or
  - a model assigned it to the theme and its similarity is at least `ASSIGNED_FLOOR`
    ("model"; below that the assignment is rejected and listed, so a model cannot count people
    whose words are far from the theme),
and it uses none of the theme's `exclude` phrases, its answer is not one of the theme's
`exclude_answers`, and its tone agrees with the theme's `tone` when it has one
(`summariser.text.tone`: "praise", or "other"; `summariser.draft.stance`: "for" or "against"
what the title names, read from the segment's words and vector). A turn of an interview is
coded by a phrase only when it is also about the theme (its similarity at least
`MEANING_FLOOR`): in a long interview a word said once in passing ("teachers") would otherwise
count every speaker. A segment may be coded to several themes, and an answer counts in every
theme one of its segments is coded to. A theme's meaning is the normalised sum of three unit
vectors: its title and description embedded together, the mean of its examples, and the mean of
the segments its phrases code. Similarities are cosine similarities
of all-MiniLM-L6-v2 vectors in the section's meaning space (`summariser.draft.space`): what all of
a section's answers share, such as the place or service the question is about, or who they are
addressed to, would otherwise make unrelated answers look alike ("Bowling Green needs cheaper
cable" close to any theme whose examples name Bowling Green). Segments coded to no theme stay
uncoded and are reported. An answer the analyst listed in a theme's `include_answers` is coded to
it whatever its words say ("analyst"): the segment of it closest to the theme's meaning, unless
another of its segments is coded already.

Both floors are set on the development half of the hand judgments (evals/theme-truth.jsonl,
split once by a hash of each truth theme, `part` in benchmarks/themes.py), and measured on the
held-back half, which chose nothing (benchmarks/README.md, "Thresholds"):
- `MEANING_FLOOR` (benchmarks/provenance.py): coding by meaning alone, from a title and
  description with no phrases, the floor with the best development F1 is 0.25 (precision 0.90,
  recall 0.58); held back, precision 0.91 and recall 0.75. A phrase an analyst adds codes
  exactly. `MEANING_MARGIN` is not fitted: a segment nearly as close to two themes counts in
  both.
- `ASSIGNED_FLOOR` (benchmarks/floor.py), for the worst case, a model that assigns every judged
  respondent to every judged theme: the lowest floor at which at least 0.8 of those
  assignments are true is 0.20 (development precision 0.80, recall 0.59); held back, precision
  0.86 and recall 0.80. It keeps paraphrases a model is there to find ("People stuck in
  hospital waiting to go home has come down a lot" for "Delayed discharge", 0.25) and still
  refuses most of an obedient model's list; a theme that then counts nearly everyone is marked
  for review (summariser.draft.section). The 0.8 rule was written down after 0.20 had been
  set on all the judgments: it states why 0.20, it did not find it blind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from summariser.draft.codebook import Codebook, CodebookTheme
from summariser.draft.phrases import Phrase, PhraseMatcher
from summariser.draft.space import CHUNK as SPACE_CHUNK
from summariser.draft.space import nuisance_basis, project_out
from summariser.draft.stance import SIDES, Sides, opens, stated, thing_of
from summariser.engines import LOCAL, Engine
from summariser.index.embedders import Embed
from summariser.records import Passage
from summariser.text.tone import is_praise, praised_thing

MEANING_FLOOR = 0.25
MEANING_MARGIN = 0.05
ASSIGNED_FLOOR = 0.20
# Segments per coding task: the rows `project_out` takes at once, so a chunk's vectors are
# projected exactly as the whole section's are.
CHUNK = SPACE_CHUNK



@dataclass(frozen=True, slots=True)
class CodedSegment:
    passage: Passage
    via: str  # "phrase", "meaning", "stated" (an answer's "Yes"/"No"), "model" or "analyst"
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


@dataclass(frozen=True, slots=True)
class _PhraseHits:
    """Which passages use each theme's phrases (the first one they use) and its exclusions,
    found in one pass over the passages, each passage's words read once."""

    used: tuple[dict[int, Phrase], ...]  # per theme: passage index -> the phrase it uses
    excluded: tuple[set[int], ...]  # per theme: passages using one of its exclude phrases

    @classmethod
    def find(cls, codebook: Codebook, passages: Sequence[Passage]) -> _PhraseHits:
        phrases = [[Phrase.of(p) for p in t.phrases] for t in codebook.themes]
        excludes = [[Phrase.of(p) for p in t.exclude] for t in codebook.themes]
        used: tuple[dict[int, Phrase], ...] = tuple({} for _ in codebook.themes)
        excluded: tuple[set[int], ...] = tuple(set() for _ in codebook.themes)
        matcher = PhraseMatcher([p for group in phrases + excludes for p in group])
        if not matcher.lengths:
            return cls(used, excluded)
        for i, passage in enumerate(passages):
            runs = matcher.runs(passage.text)
            for t in range(len(phrases)):
                if excludes[t] and matcher.first(excludes[t], runs):
                    excluded[t].add(i)
                if phrases[t] and (hit := matcher.first(phrases[t], runs)):
                    used[t][i] = hit
        return cls(used, excluded)

    @classmethod
    def joined(cls, chunks: Sequence[_PhraseHits], starts: Sequence[int]) -> _PhraseHits:
        """The hits of consecutive chunks of passages, each found from its own first index."""
        if len(chunks) == 1:
            return chunks[0]
        themes = range(len(chunks[0].used)) if chunks else range(0)
        return cls(tuple({first + i: hit for chunk, first in zip(chunks, starts)
                          for i, hit in chunk.used[t].items()} for t in themes),
                   tuple({first + i for chunk, first in zip(chunks, starts)
                          for i in chunk.excluded[t]} for t in themes))


def theme_vectors(codebook: Codebook, passages: Sequence[Passage], vectors: np.ndarray,
                  embed: Embed, hits: _PhraseHits | None = None) -> np.ndarray:
    """Each theme's meaning as one unit vector (see the module docstring)."""
    if not codebook.themes:
        return np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 1), dtype=np.float32)
    hits = hits or _PhraseHits.find(codebook, passages)
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
        if hits.used[n]:
            parts.append(_unit(vectors[sorted(hits.used[n])].mean(axis=0)))
        rows.append(_unit(np.sum(parts, axis=0)))
    return np.array(rows, dtype=np.float32)


def code(codebook: Codebook, passages: Sequence[Passage], vectors: np.ndarray, embed: Embed,
         assignments: Mapping[str, Sequence[str]] | None = None,
         engine: Engine = LOCAL, assigned_floor: float = ASSIGNED_FLOOR) -> Coding:
    """Code every passage against every theme of the codebook.

    `assignments` maps a theme id to the passage ids a model assigned to it; one counts when
    its similarity is at least `assigned_floor` (a model that only cited a few answers as
    examples of a theme it found is held to `MEANING_FLOOR`). Phrases are found
    in one pass over the passages and the meaning test is done on whole columns of the
    similarity matrix, so a section of 100,000 segments is coded in seconds, not minutes.

    The segments are coded in chunks of `CHUNK`, each a task for the `engine` (a cluster's
    workers code a section's chunks at once): what needs the whole section (the nuisance
    directions, each theme's meaning) is found here first. The chunks are the same whatever
    the engine, so a cluster's coding is this process's, to the last bit.
    """
    themes = codebook.themes
    if not themes or not passages:
        return Coding(tuple(ThemeCoding(t, ()) for t in themes), tuple(passages))
    basis = nuisance_basis(passages, vectors)
    starts = range(0, len(passages), CHUNK)
    found = list(engine.map(partial(_PhraseHits.find, codebook),
                            [passages[first:first + CHUNK] for first in starts]))
    hits = _PhraseHits.joined(found, starts)
    meaning = project_out(theme_vectors(codebook, passages, vectors, embed, hits), basis)
    sides = {t: Sides(thing_of(theme.title), embed) for t, theme in enumerate(themes)
             if theme.tone in SIDES}
    opened = stated(passages) if sides else {}  # an answer's "Yes." is a passage of its own
    chunks = engine.map(partial(_code_chunk, codebook, meaning, basis, assignments or {},
                                assigned_floor, sides),
                        [(first, passages[first:first + CHUNK], vectors[first:first + CHUNK],
                          chunk_hits, {p.response_id: opened[p.response_id]
                                       for p in passages[first:first + CHUNK]
                                       if p.response_id in opened})
                         for first, chunk_hits in zip(starts, found)])
    coded: list[list[CodedSegment]] = [[] for _ in themes]
    rejected: list[RejectedAssignment] = []
    closest: list[dict[str, CodedSegment]] = [{} for _ in themes]  # for `include_answers`
    for chunk in chunks:
        for t in range(len(themes)):
            coded[t] += chunk.coded[t]
            for response_id, segment in chunk.closest[t].items():
                if response_id not in closest[t] \
                        or segment.similarity > closest[t][response_id].similarity:
                    closest[t][response_id] = segment
        rejected += chunk.rejected
    order = {theme.id: t for t, theme in enumerate(themes)}
    rejected.sort(key=lambda r: order[r.theme_id])  # theme by theme, as one chunk gives them
    for t in range(len(themes)):
        done = {s.passage.response_id for s in coded[t]}
        coded[t] += [segment for response_id, segment in closest[t].items()
                     if response_id not in done]
    coded_ids = {s.passage.passage_id for segments in coded for s in segments}
    return Coding(tuple(ThemeCoding(theme, tuple(segments))
                        for theme, segments in zip(themes, coded)),
                  tuple(p for p in passages if p.passage_id not in coded_ids), tuple(rejected))


@dataclass(frozen=True, slots=True)
class _ChunkCoding:
    coded: list[list[CodedSegment]]  # per theme, in the passages' order
    rejected: list[RejectedAssignment]
    # per theme: for each answer the analyst coded to it, its segment here closest to it
    closest: list[dict[str, CodedSegment]]


def _code_chunk(codebook: Codebook, meaning: np.ndarray, basis: np.ndarray,
                assignments: Mapping[str, Sequence[str]], assigned_floor: float,
                sides: Mapping[int, Sides],
                chunk: tuple[int, Sequence[Passage], np.ndarray, _PhraseHits, Mapping[str, str]]
                ) -> _ChunkCoding:
    """Code one chunk of a section's segments (a task: it may run on a cluster's worker); with
    the sides its answers opened by saying (`summariser.draft.stance.stated`)."""
    _, passages, vectors, hits, opened = chunk
    themes = codebook.themes
    similarity = project_out(vectors, basis) @ meaning.T  # passages x themes
    best = similarity.max(axis=1)
    coded: list[list[CodedSegment]] = [[] for _ in themes]
    rejected: list[RejectedAssignment] = []
    for t, theme in enumerate(themes):
        scores = similarity[:, t]
        close = (scores >= MEANING_FLOOR) & (scores >= best - MEANING_MARGIN)
        by_meaning = set(np.flatnonzero(close).tolist()) if theme.by_meaning else set()
        chosen = set(assignments.get(theme.id, ()))
        assigned = {i for i, p in enumerate(passages) if p.passage_id in chosen} if chosen \
            else set()
        used = hits.used[t]
        refused = hits.excluded[t]
        if theme.exclude_answers:
            out = set(theme.exclude_answers)
            refused = refused | {i for i, p in enumerate(passages) if p.response_id in out}
        # A side's theme codes the answers that open by taking it ("No.", "Yes, ..."): their
        # opening passage, which may name nothing else.
        said = {i for i, p in enumerate(passages) if opened.get(p.response_id) == theme.tone
                and opens(p.text) == theme.tone} if theme.tone in SIDES else set()
        candidates = sorted((used.keys() | by_meaning | assigned | said) - refused)
        side = dict(zip(candidates, sides[t].of([passages[i] for i in candidates],
                                                vectors[candidates], opened))) if t in sides \
            else {}
        for i in candidates:
            passage, score = passages[i], float(scores[i])
            if theme.tone in SIDES and side[i] != theme.tone:
                continue  # for, or against, what the title names: the theme's side only
            if theme.tone in ("praise", "other") and is_praise(
                    passage.text, praised_thing(theme.title)) != (theme.tone == "praise"):
                continue  # praise, or the rest of what is said of it: the theme's side only
            if i in used and passage.speaker is not None and score < MEANING_FLOOR:
                continue  # a word said once in passing in an interview is not a passage about it
            if i in used:
                coded[t].append(CodedSegment(passage, "phrase", score, used[i].text))
            elif i in by_meaning:
                coded[t].append(CodedSegment(passage, "meaning", score))
            elif i in said:
                coded[t].append(CodedSegment(passage, "stated", score))
            elif score >= assigned_floor:
                coded[t].append(CodedSegment(passage, "model", score))
            else:
                rejected.append(RejectedAssignment(theme.id, passage, score))
    return _ChunkCoding(coded, rejected, [_included(theme, passages, similarity[:, t])
                                          for t, theme in enumerate(themes)])


def _included(theme: CodebookTheme, passages: Sequence[Passage], scores: np.ndarray
              ) -> dict[str, CodedSegment]:
    """For each answer the analyst coded to the theme by hand, its segment closest to the
    theme's meaning (the first of equals), used when nothing else codes the answer to it."""
    wanted = set(theme.include_answers) - set(theme.exclude_answers)
    if not wanted:
        return {}
    best: dict[str, int] = {}
    for i, passage in enumerate(passages):
        if passage.response_id in wanted and (
                passage.response_id not in best or scores[i] > scores[best[passage.response_id]]):
            best[passage.response_id] = i
    return {response_id: CodedSegment(passages[i], "analyst", float(scores[i]))
            for response_id, i in best.items()}
