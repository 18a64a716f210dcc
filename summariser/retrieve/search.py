"""Retrieval: find the passages that speak to a question, and count who said them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summariser.index.embedders import Embedder
from summariser.index.store import Store
from summariser.project.manifest import Manifest
from summariser.records import Passage

DEFAULT_MIN_SIMILARITY = 0.35


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    similarity: float  # cosine similarity, -1..1


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    respondents: int  # distinct respondents among the hits
    denominator: int  # distinct respondents who answered the questions searched
    exhaustive: bool


@dataclass(frozen=True, slots=True)
class Scope:
    """Which passages a search may return. Empty tuples mean no restriction."""

    questions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @classmethod
    def of_section(cls, manifest: Manifest, section_id: str) -> Scope:
        section = manifest.section(section_id)
        return cls(section.questions, section.sources)

    def where(self) -> dict[str, Any]:
        clauses: list[dict[str, Any]] = []
        if self.questions:
            clauses.append({"question": {"$in": list(self.questions)}})
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        scope = clauses[0] if len(clauses) == 1 else {"$or": clauses} if clauses else None
        # Interviewer turns are never evidence of what respondents think.
        participant = {"is_participant": True}
        return {"$and": [scope, participant]} if scope else participant


def search(store: Store, embedder: Embedder, query: str, scope: Scope = Scope(), *,
           limit: int = 10, exhaustive: bool = False,
           min_similarity: float = DEFAULT_MIN_SIMILARITY) -> SearchResult:
    """Top `limit` passages, or with `exhaustive` every passage at or above `min_similarity`.

    The exhaustive search compares the query with every passage in scope, a page at a time
    (exact, in bounded memory, at any size), rather than asking the approximate index for all
    of them at once, which Chroma cannot do beyond some 32,000 passages."""
    import numpy as np

    collection = store.collection(embedder.name)
    denominator = len(store.respondents(scope.questions, scope.sources))
    if store.count(collection) == 0:
        return SearchResult(query, (), 0, denominator, exhaustive)
    vector = np.asarray(embedder.embed([query])[0], dtype=np.float32)
    if exhaustive:
        unit = vector / max(float(np.linalg.norm(vector)), 1e-12)
        hits: list[Hit] = []
        for passages, vectors in store.pages(collection, scope.where()):
            norms = np.clip(np.linalg.norm(vectors, axis=1), 1e-12, None)
            similarity = (vectors @ unit) / norms
            hits += [Hit(passages[i], float(similarity[i]))
                     for i in np.flatnonzero(similarity >= min_similarity)]
        hits.sort(key=lambda h: (-h.similarity, h.passage.passage_id))
    else:
        hits = [Hit(passage, similarity) for passage, similarity, _ in
                store.nearest(collection, vector, scope.where(), limit)]
    return SearchResult(query=query, hits=tuple(hits),
                        respondents=len({h.passage.respondent for h in hits}),
                        denominator=denominator, exhaustive=exhaustive)
