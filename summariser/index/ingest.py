"""Ingest: read the sources, split into passages, and sync them into the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from summariser.index.embedders import DEFAULT_EMBEDDER, Embedder, MiniLMEmbedder, make_embedder
from summariser.index.split import split_all
from summariser.index.store import Store
from summariser.project.manifest import Manifest
from summariser.project.sources import read_corpus
from summariser.records import Corpus, Skipped, content_hash


@dataclass(frozen=True, slots=True)
class IngestReport:
    rows_read: dict[str, int]
    responses: int
    ratings: int
    passages: int
    added: int
    deleted: int
    skipped: tuple[Skipped, ...]
    embedder: str

    @property
    def unchanged(self) -> int:
        return self.passages - self.added


class Progress:
    """Callbacks the CLI uses to draw a progress bar; the defaults do nothing."""

    def start(self, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


def ingest(manifest: Manifest, store: Store, embedder_name: str = DEFAULT_EMBEDDER,
           encoding: str | None = None, progress: Progress | None = None,
           embedder_factory: Callable[[str], Embedder] = make_embedder) -> IngestReport:
    """Bring the store in line with the sources. Re-running on an unchanged corpus embeds nothing.

    All sources are read and checked before the store is touched, so bad input leaves it as it was.
    """
    progress = progress or Progress()
    corpus = read_corpus(manifest, encoding)
    passages = split_all(corpus.responses)
    by_id = {p.passage_id: p for p in passages}
    name = embedder_name_of(embedder_name)
    # Same passages, same embedder, same target and a finished last ingest: nothing to do, and
    # no need even to open Chroma (whose import alone takes a second or more).
    fingerprint = content_hash(
        name, store.chroma_url or "", *sorted(by_id),
        *(f"{r.response_id}|{r.row}|{r.speaker}|{r.is_participant}|{r.offset}"
          for r in corpus.responses),
        *(f"{r.respondent}|{r.question}|{r.value!r}" for r in corpus.ratings))
    meta = store.meta()
    if meta.get("ingest_complete") and meta.get("fingerprint") == fingerprint:
        return _report(corpus, name, passages=len(by_id), added=0, deleted=0)
    with store.writing():
        collection = store.collection(name, create=True)
        existing = store.passage_ids(collection)
        new = [p for pid, p in by_id.items() if pid not in existing]
        stale = existing - by_id.keys()
        store.mark_ingest_started()
        progress.start(len(new))
        if new:
            store.add_passages(collection, new, embedder_factory(embedder_name), progress.advance)
        store.delete_passages(collection, stale)
        store.replace_corpus(corpus.responses, corpus.ratings, embedder=name,
                             fingerprint=fingerprint)
    return _report(corpus, name, passages=len(by_id), added=len(new), deleted=len(stale))


def _report(corpus: Corpus, embedder: str, **counts: int) -> IngestReport:
    return IngestReport(rows_read=corpus.rows_read, responses=len(corpus.responses),
                        ratings=sum(r.value is not None for r in corpus.ratings),
                        skipped=corpus.skipped, embedder=embedder, **counts)


def embedder_name_of(name: str) -> str:
    """The canonical name recorded in the store ('minilm' is an alias of the default)."""
    return MiniLMEmbedder.name if name == DEFAULT_EMBEDDER else name
