"""A section's evidence: every answer to its questions, plus passages retrieved from its other
sources; or, for a section of sources alone, every passage of them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from summariser.index.embedders import Embed, Embedder
from summariser.index.store import Store
from summariser.index.vectors import PassageCollections
from summariser.project.manifest import Section
from summariser.records import Passage, Scope

SUPPORTING_PASSAGES = 12  # passages retrieved from a section's other sources (interviews, notes)
SUPPORTING_MIN_SIMILARITY = 0.25


@dataclass(frozen=True)
class Evidence:
    """Passages for one section. `counted` passages answer its questions and define the counts;
    `supporting` passages (interviews, notes) may be quoted but are not counted."""

    counted: tuple[Passage, ...]
    counted_vectors: np.ndarray
    supporting: tuple[Passage, ...]
    supporting_vectors: np.ndarray
    denominator: int
    # The names the whole survey is about ("IJB"), which found no theme of a section
    # (`summariser.draft.candidates.survey_names`).
    about: frozenset[str] = frozenset()
    # The names the analyst masks (`[privacy] mask`): people, never a theme's words.
    masked: tuple[str, ...] = ()
    # The embedder that made the vectors: what else is compared with them (the sentences that
    # take a side, `summariser.draft.stance`) must be embedded by it too.
    embed: Embed | None = None

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self.counted + self.supporting

    def ids(self) -> frozenset[str]:
        """Every respondent and response id of the section's passages."""
        return frozenset({p.respondent for p in self.passages}
                         | {p.response_id for p in self.passages})

    def by_id(self) -> dict[str, Passage]:
        return {p.passage_id: p for p in self.passages}


def _fetch(store: Store, collection: PassageCollections, scope: Scope
           ) -> tuple[list[Passage], np.ndarray]:
    """Every participant's passage in scope with its vector, in answer order, read a page at a
    time (a section may hold more passages than Chroma can return in one request)."""
    passages: list[Passage] = []
    pages: list[np.ndarray] = []
    for page, vectors in store.pages(collection, scope):
        passages += page
        pages.append(vectors)
    if not passages:
        return [], np.zeros((0, 1), dtype=np.float32)
    order = sorted(range(len(passages)), key=lambda i: (passages[i].response_id,
                                                        passages[i].start))
    # Each page's vectors go straight to their sorted rows and are then let go, so the vectors
    # are held about once, not twice (250 MB each at a section of 165,000 passages).
    place = np.empty(len(order), dtype=np.intp)
    place[order] = np.arange(len(order))
    ordered = np.empty((len(passages), pages[0].shape[1]), dtype=pages[0].dtype)
    start = 0
    while pages:
        vectors = pages.pop(0)
        ordered[place[start:start + len(vectors)]] = vectors
        start += len(vectors)
    return [passages[i] for i in order], ordered


def gather(store: Store, embedder: Embedder, section: Section) -> Evidence:
    collection = store.collection(embedder.name)
    counted: list[Passage] = []
    counted_vectors = np.zeros((0, 1), dtype=np.float32)
    if section.questions:
        counted, counted_vectors = _fetch(store, collection, Scope(questions=section.questions))
    supporting: list[Passage] = []
    supporting_vectors = np.zeros((0, 1), dtype=np.float32)
    if section.sources and not section.questions:
        # A section of interviews and documents alone: all they say is its material, and each
        # of their participants is in its base, as `eval` counts them.
        counted, counted_vectors = _fetch(store, collection, Scope(sources=section.sources))
        return Evidence(tuple(counted), counted_vectors, (), supporting_vectors,
                        len({p.respondent for p in counted}), embed=embedder.embed)
    if section.sources:
        query = embedder.embed([section.description])[0]
        rows = [(passage, vector) for passage, similarity, vector in
                store.nearest(collection, query, Scope(sources=section.sources),
                              SUPPORTING_PASSAGES)
                if similarity >= SUPPORTING_MIN_SIMILARITY]
        supporting = [p for p, _ in rows]
        if rows:
            supporting_vectors = np.array([v for _, v in rows])
    # With no answers in words of its own (a section of ratings), a section counts the
    # participants of what was retrieved from its sources instead.
    base = counted or supporting
    denominator = (len(store.respondents(section.questions)) if counted
                   else len({p.respondent for p in base}))
    if not counted:
        counted, counted_vectors = supporting, supporting_vectors
        supporting, supporting_vectors = [], np.zeros((0, 1), dtype=np.float32)
    return Evidence(tuple(counted), counted_vectors, tuple(supporting), supporting_vectors,
                    denominator, embed=embedder.embed)

