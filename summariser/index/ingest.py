"""Ingest: read the sources, split into passages, and sync them into the store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from summariser.engines import LOCAL, Engine
from summariser.index.embedders import (
    DEFAULT_EMBEDDER,
    Embedder,
    MiniLMEmbedder,
    batches_here,
    batches_on,
    make_embedder,
)
from summariser.index.split import split_known, split_rules
from summariser.index.store import Store
from summariser.index.vectors import part_counts
from summariser.progress import NoProgress, Progress
from summariser.project.manifest import Manifest
from summariser.project.sources import read_corpus
from summariser.records import Corpus, Passage, Response, Skipped, corpus_hash


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
    rebuilt: bool = False
    moved: int = 0  # vectors moved, not embedded, from an earlier version's store

    @property
    def unchanged(self) -> int:
        return self.passages - self.added


def ingest(manifest: Manifest, store: Store, embedder_name: str = DEFAULT_EMBEDDER,
           encoding: str | None = None, progress: Progress | None = None,
           embedder_factory: Callable[[str], Embedder] = make_embedder,
           rebuild: bool = False, engine: Engine = LOCAL) -> IngestReport:
    """Bring the store in line with the sources. Re-running on an unchanged corpus embeds nothing.

    All sources are read and checked before the store is touched, so bad input leaves it as it
    was. The vector store is checked against the corpus every time (the ids it holds against
    those the corpus gives), so passages lost from it are embedded again. A damaged corpus
    database is refused with the way out: `rebuild` empties the store and ingests afresh.
    On an `engine` other than LOCAL (a cluster), its workers embed the batches and this
    process writes them.
    """
    progress = progress or NoProgress()
    corpus = limit_cells(read_corpus(manifest, encoding), manifest.max_cell_bytes,
                         manifest.oversized_cells)
    name = embedder_name_of(embedder_name)
    with store.writing():
        if rebuild:
            store.clear()
        else:
            store.check()
        # An earlier version's store is moved first, before the corpus is split: its vectors
        # and the passages are never in memory together (at 200,000 answers, 1.1 GB and more).
        moved = store.move_legacy(name, lambda total: progress.start(
            total, "Moving passages to this version's store"), progress.advance)
        known = store.corpus.spans(split_rules()) if store.exists() else {}
        passages, spans = split_known(corpus.responses, known)
        del known
        by_id = {p.passage_id: p for p in passages}
        fingerprint = ingest_fingerprint(name, store.chroma_url or "", corpus, by_id)
        collection = store.collection(name, create=True)
        existing = store.passage_ids(collection)
        new = [p for pid, p in by_id.items() if pid not in existing]
        stale = {pid: part for pid, part in existing.items() if pid not in by_id}
        meta = store.meta()
        if (not new and not stale and not moved and meta.get("ingest_complete")
                and meta.get("fingerprint") == fingerprint
                and meta.get("split_rules") == split_rules()
                and store.corpus.count() == len(corpus.responses)):
            return _report(corpus, name, passages=len(by_id), added=0, deleted=0)
        store.mark_ingest_started()
        progress.start(len(new), "Embedding passages")
        if new:
            embed = batches_here(embedder_factory(embedder_name)) if engine is LOCAL \
                else batches_on(engine, embedder_name)
            store.add_passages(collection, new, embed, progress.advance)
        store.delete_passages(collection, stale)
        store.replace_corpus(corpus.responses, corpus.ratings, spans, embedder=name,
                             fingerprint=fingerprint, passages=len(by_id),
                             parts=part_counts(by_id.values()), split_rules=split_rules())
        store.tidy_vectors()
    return _report(corpus, name, passages=len(by_id), added=len(new), deleted=len(stale),
                   moved=moved, rebuilt=rebuild)


def ingest_fingerprint(embedder: str, target: str, corpus: Corpus,
                       passages: dict[str, Passage]) -> str:
    """Changes when anything the store keeps would: the embedder and where the vectors are, each
    response with its attribution (respondent, question, source, speaker) and offsets, each
    rating, and the passages (ids cover their attribution too)."""
    digest = hashlib.sha256()
    for part in (embedder, target, corpus_hash(corpus.responses)):
        digest.update(part.encode("utf-8") + b"\x00")
    for response in corpus.responses:
        digest.update(f"{response.response_id}|{response.offset}\x00".encode("utf-8",
                                                                           "surrogatepass"))
    for rating in corpus.ratings:
        digest.update(f"{rating.respondent}|{rating.question}|{rating.value!r}\x00"
                      .encode("utf-8", "surrogatepass"))
    for passage_id in sorted(passages):
        digest.update(passage_id.encode("ascii"))
    return digest.hexdigest()[:16]


def limit_cells(corpus: Corpus, max_bytes: int, action: str) -> Corpus:
    """Answers over `max_bytes` of UTF-8 skipped or truncated ("skip"/"truncate"), each listed
    in the corpus's skipped rows: a 20 MB cell once ingested for half an hour, unannounced."""
    kept: list[Response] = []
    skipped: list[Skipped] = []
    limit = _size(max_bytes)
    for response in corpus.responses:
        size = len(response.text.encode("utf-8", "surrogatepass"))
        if size <= max_bytes:
            kept.append(response)
        elif action == "truncate":
            kept.append(replace(response, text=truncated(response.text, max_bytes)))
            skipped.append(Skipped(response.source, response.row,
                                   f"answer over {limit} (max_cell_bytes): truncated"))
        else:
            skipped.append(Skipped(response.source, response.row,
                                   f"answer over {limit} (max_cell_bytes): skipped"))
    if not skipped:
        return corpus
    return replace(corpus, responses=tuple(kept), skipped=corpus.skipped + tuple(skipped))


def truncated(text: str, max_bytes: int) -> str:
    """The longest start of `text` within `max_bytes` of UTF-8, cut at a space when there is one
    in its last tenth, so no word is cut in half."""
    head = text.encode("utf-8", "surrogatepass")[:max_bytes].decode("utf-8", "ignore")
    space = head.rfind(" ", len(head) * 9 // 10)
    return (head[:space] if space > 0 else head).rstrip()


def _size(count: int) -> str:
    return f"{count / 1000:g} kB" if count >= 1000 else f"{count} bytes"


def _report(corpus: Corpus, embedder: str, rebuilt: bool = False, **counts: int) -> IngestReport:
    return IngestReport(rows_read=corpus.rows_read, responses=len(corpus.responses),
                        ratings=sum(r.value is not None for r in corpus.ratings),
                        skipped=corpus.skipped, embedder=embedder, rebuilt=rebuilt, **counts)


def embedder_name_of(name: str) -> str:
    """The canonical name recorded in the store ('minilm' is an alias of the default)."""
    return MiniLMEmbedder.name if name == DEFAULT_EMBEDDER else name
