"""Retrieval: find the passages that speak to a question, and count who said them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summariser.index.embedders import Embedder
from summariser.index.store import Store
from summariser.index.vectors import passage_from_chroma
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
    """Top `limit` passages, or with `exhaustive` every passage at or above `min_similarity`."""
    collection = store.collection(embedder.name)
    denominator = len(store.respondents(scope.questions, scope.sources))
    total = collection.count()
    if total == 0:
        return SearchResult(query, (), 0, denominator, exhaustive)
    vector = embedder.embed([query])[0]
    reply = collection.query(query_embeddings=[vector], where=scope.where(),
                             n_results=total if exhaustive else min(limit, total),
                             include=["documents", "metadatas", "distances"])
    hits = [Hit(passage_from_chroma(pid, doc, meta), 1.0 - float(distance))
            for pid, doc, meta, distance in zip(reply["ids"][0], reply["documents"][0],
                                                reply["metadatas"][0], reply["distances"][0])]
    if exhaustive:
        hits = [h for h in hits if h.similarity >= min_similarity]
    return SearchResult(query=query, hits=tuple(hits),
                        respondents=len({h.passage.respondent for h in hits}),
                        denominator=denominator, exhaustive=exhaustive)
