"""A section's evidence: every answer to its questions, plus passages retrieved from its other
sources."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from summariser.index.embedders import Embedder
from summariser.index.store import Store
from summariser.index.vectors import passage_from_chroma
from summariser.project.manifest import Section
from summariser.records import Passage

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

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self.counted + self.supporting

    def by_id(self) -> dict[str, Passage]:
        return {p.passage_id: p for p in self.passages}


def _fetch(collection, where: dict) -> tuple[list[Passage], np.ndarray]:
    reply = collection.get(where=where, include=["documents", "metadatas", "embeddings"])
    passages = [passage_from_chroma(i, d, m) for i, d, m in
                zip(reply["ids"], reply["documents"], reply["metadatas"])]
    order = sorted(range(len(passages)), key=lambda i: (passages[i].response_id,
                                                        passages[i].start))
    if not passages:
        return [], np.zeros((0, 1), dtype=np.float32)
    vectors = np.asarray(reply["embeddings"], dtype=np.float32)
    return [passages[i] for i in order], vectors[order]


def gather(store: Store, embedder: Embedder, section: Section) -> Evidence:
    collection = store.collection(embedder.name)
    counted: list[Passage] = []
    counted_vectors = np.zeros((0, 1), dtype=np.float32)
    if section.questions:
        counted, counted_vectors = _fetch(collection, {"$and": [
            {"question": {"$in": list(section.questions)}}, {"is_participant": True}]})
    supporting: list[Passage] = []
    supporting_vectors = np.zeros((0, 1), dtype=np.float32)
    if section.sources:
        query = embedder.embed([section.description])[0]
        where = {"$and": [{"source": {"$in": list(section.sources)}}, {"is_participant": True}]}
        reply = collection.query(query_embeddings=[query], where=where,
                                 n_results=SUPPORTING_PASSAGES,
                                 include=["documents", "metadatas", "embeddings", "distances"])
        rows = [(passage_from_chroma(i, d, m), np.asarray(e, dtype=np.float32))
                for i, d, m, e, dist in zip(reply["ids"][0], reply["documents"][0],
                                            reply["metadatas"][0], reply["embeddings"][0],
                                            reply["distances"][0])
                if 1.0 - dist >= SUPPORTING_MIN_SIMILARITY]
        supporting = [p for p, _ in rows]
        if rows:
            supporting_vectors = np.array([v for _, v in rows])
    # With no questions of its own (e.g. a ratings-only section), a section counts the
    # participants of its sources instead.
    base = counted or supporting
    denominator = (len(store.respondents(section.questions)) if counted
                   else len({p.respondent for p in base}))
    if not counted:
        counted, counted_vectors = supporting, supporting_vectors
        supporting, supporting_vectors = [], np.zeros((0, 1), dtype=np.float32)
    return Evidence(tuple(counted), counted_vectors, tuple(supporting), supporting_vectors,
                    denominator)

