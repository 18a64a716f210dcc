"""Ingest: read the sources, split into passages, and sync them into the store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from summariser.engines import LOCAL, Engine
from summariser.index.corpus_db import SourceFile
from summariser.index.embedders import (
    DEFAULT_EMBEDDER,
    Embedder,
    MiniLMEmbedder,
    batches_here,
    batches_on,
    make_embedder,
)
from summariser.index.passage_pages import part_counts
from summariser.index.snapshot import source_files
from summariser.index.split import split_known, split_rules
from summariser.index.store import Store
from summariser.index.vector_faults import DamagedVectors
from summariser.index.vectors import PassageCollections
from summariser.progress import NoProgress, Progress
from summariser.project.manifest import Manifest
from summariser.project.sources import read_corpus
from summariser.records import (
    PLACES,
    Corpus,
    Passage,
    Response,
    Skipped,
    corpus_hash,
    response_digest,
)


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
    notes: tuple[str, ...] = ()  # how the sources were read, where worth saying
    restored: int = 0  # stored answers changed on disk, written again from the sources
    repaired: int = 0  # passages changed in the vector store, embedded again
    damaged: str = ""  # why the vector store could not be read, when it was rebuilt

    @property
    def unchanged(self) -> int:
        return self.passages - self.added


def ingest(manifest: Manifest, store: Store, embedder_name: str = DEFAULT_EMBEDDER,
           encoding: str | None = None, progress: Progress | None = None,
           embedder_factory: Callable[[str], Embedder] = make_embedder,
           rebuild: bool = False, engine: Engine = LOCAL) -> IngestReport:
    """Bring the store in line with the sources. Re-running on an unchanged corpus embeds nothing.

    All sources are read and checked before the store is touched, so bad input leaves it as it
    was. The store is checked against the sources every time: each stored answer against its
    source (and its own digest), each passage in the vector store against its id (the hash of
    its text and attribution), and the ids it holds against those the corpus gives; what
    differs is written again, passages lost are embedded again, and a vector store Chroma
    cannot read is rebuilt from the corpus. A damaged corpus database is refused with the way
    out: `rebuild` empties the store and ingests afresh.
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
        moved, collection, existing, altered, damaged = _vectors(store, name, progress)
        known = store.corpus.spans(split_rules()) if store.exists() else {}
        passages, spans = split_known(corpus.responses, known)
        del known
        by_id = {p.passage_id: p for p in passages}
        files = source_files(manifest)
        fingerprint = ingest_fingerprint(name, store.chroma_url or "", corpus, by_id, files)
        new = [p for pid, p in by_id.items() if pid not in existing or pid in altered]
        stale = {pid: part for pid, part in existing.items() if pid not in by_id}
        meta = store.meta()
        restored, in_line = _stored_answers(store, corpus,
                                            meta.get("fingerprint") == fingerprint)
        if (not new and not stale and not moved and in_line and meta.get("ingest_complete")
                and meta.get("fingerprint") == fingerprint
                and meta.get("split_rules") == split_rules() and meta.get("places") == PLACES
                and store.corpus.count() == len(corpus.responses)):
            return _report(corpus, name, passages=len(by_id), added=0, deleted=0)
        store.mark_ingest_started()
        progress.start(len(new), "Embedding passages")
        if new:
            embed = batches_here(embedder_factory(embedder_name)) if engine is LOCAL \
                else batches_on(engine, embedder_name)
            store.add_passages(collection, new, embed, progress.advance)
        store.delete_passages(collection, stale)
        store.replace_corpus(corpus.responses, corpus.ratings, spans, corpus.attributes, files,
                             embedder=name,
                             fingerprint=fingerprint, passages=len(by_id),
                             parts=part_counts(by_id.values()), split_rules=split_rules(),
                             places=PLACES)
        store.tidy_vectors()
    return _report(corpus, name, passages=len(by_id), added=len(new), deleted=len(stale),
                   moved=moved, rebuilt=rebuild, restored=restored,
                   repaired=len(altered & by_id.keys()), damaged=damaged)


def _vectors(store: Store, name: str, progress: Progress
             ) -> tuple[int, PassageCollections, dict[str, str], set[str], str]:
    """The vector store opened for writing: (passages moved from an earlier version's layout,
    the collections, each stored passage id with its collection, the ids whose passage changed
    on disk, and why the store was rebuilt). One Chroma cannot read (a damaged database, a
    garbled pickle, a compaction a full disk cut short) is removed and starts empty: its
    passages are embedded again from the corpus, and nothing else is lost."""
    try:
        why = store.vectors.damage(every_text=True)
        if why:
            raise DamagedVectors(why, why)
        # An earlier version's store is moved first, before the corpus is split: its vectors
        # and the passages are never in memory together (at 200,000 answers, 1.1 GB and more).
        moved = store.move_legacy(name, lambda total: progress.start(
            total, "Moving passages to this version's store"), progress.advance)
        collection = store.collection(name, create=True)
        existing, altered = store.stored_passages(collection)
        return moved, collection, existing, altered, ""
    except DamagedVectors as exc:
        if store.chroma_url:
            raise  # a server's store is the server's to repair
        store.vectors.clear()
        return 0, store.collection(name, create=True), {}, set(), exc.why


def _stored_answers(store: Store, corpus: Corpus, sources_unchanged: bool) -> tuple[int, bool]:
    """(How many stored answers changed on disk since they were ingested, whether every stored
    answer is its source's as read now). An answer changed on disk fails its own digest, or,
    while the sources are as they were at the last ingest, differs from its source."""
    stored = store.corpus.digests() if store.exists() else {}
    wanted = {r.response_id: response_digest(r) for r in corpus.responses}
    failed = {rid for rid, (kept, now) in stored.items() if kept is not None and kept != now}
    differ = {rid for rid, digest in wanted.items() if rid in stored and stored[rid][1] != digest}
    restored = failed | differ if sources_unchanged else failed
    in_line = not failed and not differ and all(kept is not None for kept, _ in stored.values())
    return len(restored), in_line


def ingest_fingerprint(embedder: str, target: str, corpus: Corpus,
                       passages: dict[str, Passage],
                       files: Mapping[str, SourceFile] | None = None) -> str:
    """Changes when anything the store keeps would: the embedder and where the vectors are, each
    response with its attribution (respondent, question, source, speaker) and offsets, each
    rating (and non-answer), each attribute, the passages (ids cover their attribution too) and
    the source files' hashes."""
    digest = hashlib.sha256()
    for part in (embedder, target, corpus_hash(corpus.responses)):
        digest.update(part.encode("utf-8") + b"\x00")
    for response in corpus.responses:
        digest.update(f"{response.response_id}|{response.offset}\x00".encode("utf-8",
                                                                           "surrogatepass"))
    for rating in corpus.ratings:
        digest.update(f"{rating.respondent}|{rating.question}|{rating.value!r}|"
                      f"{rating.non_answer}\x00".encode("utf-8", "surrogatepass"))
    for item in corpus.attributes:
        digest.update(f"{item.respondent}|{item.name}|{item.value}\x00"
                      .encode("utf-8", "surrogatepass"))
    for source, file in sorted((files or {}).items()):
        digest.update(f"{source}|{file.path}|{file.sha256}\x00".encode("utf-8", "surrogatepass"))
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


def _report(corpus: Corpus, embedder: str, rebuilt: bool = False, damaged: str = "",
            **counts: int) -> IngestReport:
    return IngestReport(rows_read=corpus.rows_read, responses=len(corpus.responses),
                        ratings=sum(r.value is not None for r in corpus.ratings),
                        skipped=corpus.skipped, embedder=embedder, rebuilt=rebuilt,
                        notes=corpus.notes, damaged=damaged, **counts)


def embedder_name_of(name: str) -> str:
    """The canonical name recorded in the store ('minilm' is an alias of the default)."""
    return MiniLMEmbedder.name if name == DEFAULT_EMBEDDER else name
