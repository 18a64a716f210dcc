"""Passages and their vectors in Chroma: the only module that imports chromadb.

The embedded database lives in the store's `chroma/` folder, unless a Chroma server is used.
Passage ids are content hashes, so syncing is a set difference: new ids are embedded and added,
ids no longer produced are deleted, the rest is left alone.

Each part of the corpus (the answers to one question from one source, or one transcript
source) is a collection of its own. Chroma loads every vector of a collection into memory as
soon as the collection is used at all, even to count it; with one collection for everything, a
section of a 200,000-answer corpus made the process hold all 495,802 vectors (1.1 GB) to read
its third of them. Stores of earlier versions, with that one collection, are moved into parts
by the next ingest, vectors and all: nothing is embedded again.

A passage's id is the hash of its text and attribution, so a passage changed in the vector
store under the same id is found (`split.intact`): readers refuse it, and `ingest` embeds it
again. A vector store Chroma cannot read (a damaged `chroma.sqlite3`, a stray or garbled
`index_metadata.pickle`, a compaction cut short by a full disk) raises `DamagedVectors`, and
`ingest` then rebuilds the vectors from the corpus; a full disk is said as such.

Every read and write goes in pages (`summariser.index.passage_pages`). Similarities over a
whole scope are computed here from the stored vectors, page by page, rather than by asking the
HNSW index for every passage: that is exact, and its memory is one page plus the hits.
"""

from __future__ import annotations

import ctypes
import gc
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summariser.errors import StoreError
from summariser.index import passage_pages as paged
from summariser.index.passage_pages import Part, Parts, part_name
from summariser.index.vector_faults import (
    chroma_failure,
    chroma_faults,
    damage,
    damaged,
    opening_error,
    read_only,
)
from summariser.records import Passage, Scope
from summariser.text.wording import number_word

if TYPE_CHECKING:
    import numpy as np

    from summariser.index.embedders import BatchEmbed

LEGACY = "passages"  # the single collection of earlier versions
MOVE_CHUNK = 50_000  # passages moved from an earlier version's store between its loads
PARTICIPANTS = {"is_participant": True}  # interviewer turns are never evidence




class PassageVectors:
    """The store's passage collections; `chroma_url` selects a Chroma server over the folder."""

    def __init__(self, store_path: Path, chroma_url: str | None = None):
        self.store_path = store_path
        self.chroma_url = chroma_url
        self._client: Any = None
        self._copy: tempfile.TemporaryDirectory[str] | None = None

    @property
    def folder(self) -> Path:
        return self.store_path / "chroma"

    @property
    def where(self) -> str:
        return self.chroma_url or str(self.folder)

    def _chroma(self, write: bool) -> Any:
        if self._client is not None:
            return self._client
        import chromadb

        settings = chromadb.Settings(anonymized_telemetry=False)
        if self.chroma_url:
            from urllib.parse import urlparse

            url = urlparse(self.chroma_url)
            self._client = chromadb.HttpClient(host=url.hostname or "localhost",
                                               port=url.port or 8000,
                                               ssl=url.scheme == "https", settings=settings)
            return self._client
        if not write and not self.folder.is_dir():
            raise StoreError(f"The store at {self.store_path} has no vector store ({self.folder} "
                             "is missing); run 'summariser ingest' to rebuild it")
        why = damage(self.folder, every_text=False)
        if why:
            raise damaged(self.folder, why)
        try:
            self._client = chromadb.PersistentClient(path=str(self.folder), settings=settings)
        except BaseException as exc:  # chromadb's errors carry SQLite's message, not its code
            if not chroma_failure(exc):
                raise
            if not write and read_only(exc):
                self._client = self._open_copy(chromadb, settings)
            else:
                raise opening_error(exc, self.folder, write) from None
        return self._client

    def _open_copy(self, chromadb: Any, settings: Any) -> Any:
        """Chroma writes to its database even to read it, so a store on a read-only disk (a
        published project, a shared drive) is read from a temporary copy, removed on exit."""
        self._copy = tempfile.TemporaryDirectory(prefix="summariser-chroma-")
        copy = Path(self._copy.name) / "chroma"
        shutil.copytree(self.folder, copy)
        for path in [copy, *copy.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
        with chroma_faults(self.folder, False):
            return chromadb.PersistentClient(path=str(copy), settings=settings)

    def damage(self, every_text: bool) -> str:
        """Why Chroma's database is damaged, or "" (`vector_faults.damage`; a server's is the
        server's to check)."""
        return "" if self.chroma_url else damage(self.folder, every_text)

    def close(self) -> None:
        """Forget the client (and Chroma's cache of it), so the folder can be removed and the
        vectors it loaded are let go."""
        client, self._client = self._client, None
        if client is not None and not self.chroma_url:
            from chromadb.api.client import SharedSystemClient

            # The client goes first: freed after the trim, its memory stayed in the process
            # (at 200,000 answers, 330 MiB of a section's vectors).
            del client
            SharedSystemClient.clear_system_cache()
            gc.collect()
            _give_back_memory()

    def clear(self) -> None:
        """Remove every passage, for a rebuild: the folder goes, damaged or not."""
        if self.chroma_url:
            client = self._chroma(write=True)
            for collection in client.list_collections():
                if collection.name == LEGACY or collection.name.startswith(paged.PREFIX):
                    client.delete_collection(collection.name)
            return
        self.close()
        # A client that failed to open a damaged folder stays half-made in Chroma's cache of
        # clients, and the next one for this path would be taken from there.
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
        if self.folder.exists():
            shutil.rmtree(self.folder)

    def collections(self, embedder_name: str, expected: Parts | None = None,
                    create: bool = False) -> PassageCollections:
        """The passage collections, refusing any built with another embedder. To read
        (`create` false), `expected` are the parts the last ingest stored (`part_counts`), and
        a store still in an earlier version's layout is refused.

        `embedding_function=None` always: Chroma's own default would download a model.
        """
        client = self._chroma(write=create)
        collections = {}
        with chroma_faults(self.folder, create):
            found = {c.name: c for c in client.list_collections()}
            for name in sorted(found):
                if name == LEGACY or name.startswith(paged.PREFIX):
                    collection = client.get_collection(name, embedding_function=None)
                    _check_embedder(collection, embedder_name)
                    collections[name] = collection
        legacy = collections.pop(LEGACY, None)
        if not create:
            if legacy is not None:
                raise StoreError(f"The store at {self.where} keeps its passages as an earlier "
                                 "version did; run 'summariser ingest' to move them (nothing is "
                                 "embedded again)")
            if not collections or not expected:
                raise StoreError(f"The store at {self.where} has no passages; run "
                                 "'summariser ingest' first")
        return PassageCollections(client, self.folder, embedder_name, collections, legacy,
                                  expected)

    def legacy_count(self, embedder_name: str) -> int:
        """How many passages an earlier version's single collection holds (0: none)."""
        legacy = self.collections(embedder_name, create=True).legacy
        return 0 if legacy is None else int(legacy.count())

    def move_legacy(self, embedder_name: str, progress: Callable[[int], None] | None = None
                    ) -> None:
        """Move every passage of an earlier version's single collection into its part's
        collection, vectors and all, then drop the old collection. It is read `MOVE_CHUNK`
        passages at a time and let go before they are written, so its vectors (1.1 GB at
        200,000 answers) and the parts' are never held at once. Moving again after an
        interruption writes the same ids over themselves."""
        import numpy as np

        offset, finished = 0, False
        while not finished:
            legacy = self.collections(embedder_name, create=True).legacy
            if legacy is None:
                return
            chunk: list[Passage] = []
            vectors: list[np.ndarray] = []
            for _ in range(MOVE_CHUNK // paged.PAGE):
                page, page_vectors = paged.page(legacy, None, offset)
                chunk += page
                vectors.append(page_vectors)
                offset += paged.PAGE
                if len(page) < paged.PAGE:
                    finished = True
                    break
            del legacy
            self.close()
            if chunk:
                self.collections(embedder_name, create=True).write(
                    chunk, np.concatenate(vectors), progress)
                self.close()
        self.drop_legacy()

    def drop_legacy(self) -> None:
        client = self._chroma(write=True)
        if any(c.name == LEGACY for c in client.list_collections()):
            client.delete_collection(LEGACY)

    def tidy(self) -> None:
        """Remove the index folders of deleted collections, which Chroma 1.5 leaves on disk
        (chroma-core/chroma#5520): 823 MiB after moving a 200,000-answer store. A folder is
        removed only when it is named like a segment and Chroma's database, read after the
        client is closed, lists segments and not that one."""
        import uuid

        self.close()
        if self.chroma_url or not self.folder.is_dir():
            return
        try:
            uri = (self.folder / "chroma.sqlite3").as_uri() + "?mode=ro"
            with closing(sqlite3.connect(uri, uri=True)) as db:
                live = {str(row[0]) for row in db.execute("SELECT id FROM segments")}
        except sqlite3.Error:
            return  # not the layout this was written for: leave every folder alone
        for path in self.folder.iterdir():
            try:
                named_like_segment = str(uuid.UUID(path.name)) == path.name
            except ValueError:
                named_like_segment = False
            if live and named_like_segment and path.is_dir() and path.name not in live:
                shutil.rmtree(path, ignore_errors=True)


class PassageCollections:
    """The store's passages as one collection per part (`Part`), read by scope."""

    def __init__(self, client: Any, folder: Path, embedder_name: str, parts: dict[str, Any],
                 legacy: Any | None, expected: Parts | None):
        self._client = client
        self._folder = folder
        self._embedder_name = embedder_name
        self._parts = parts
        self.legacy = legacy
        self._expected = expected

    def passage_ids(self) -> dict[str, str]:
        """Every stored passage id, with the name of the collection holding it."""
        with chroma_faults(self._folder, False):
            return {passage_id: name for name, collection in self._parts.items()
                    for passage_id in paged.all_ids(collection)}

    def stored(self) -> tuple[dict[str, str], set[str]]:
        """Every stored passage id with the name of the collection holding it, and the ids
        whose text or attribution no longer match them (`intact`): read in pages, without
        the vectors."""
        found: dict[str, str] = {}
        altered: set[str] = set()
        with chroma_faults(self._folder, False):
            for name, collection in self._parts.items():
                offset = 0
                while True:
                    reply = collection.get(include=["documents", "metadatas"], limit=paged.PAGE,
                                           offset=offset)
                    for passage_id, text, metadata in zip(reply["ids"], reply["documents"],
                                                          reply["metadatas"]):
                        found[passage_id] = name
                        if not paged.readable(passage_id, text, metadata):
                            altered.add(passage_id)
                    if len(reply["ids"]) < paged.PAGE:
                        break
                    offset += paged.PAGE
        return found, altered

    def _in_scope(self, scope: Scope) -> list[Any]:
        """The collections of the parts in scope that the last ingest stored, each checked to
        hold what it stored: one that does not is refused, not read short."""
        chosen = []
        for name, part in sorted((self._expected or {}).items()):
            if not scope.holds(part["question"], part["source"]):
                continue
            collection = self._parts.get(name)
            with chroma_faults(self._folder, False):
                found = int(collection.count()) if collection is not None else 0
            if found != part["passages"]:
                held = number_word(found) if found else "none"
                raise StoreError(f"The vector store holds {held} of the {part['passages']} "
                                 "passages the last ingest stored for "
                                 f"'{part['question'] or part['source']}'; run "
                                 "'summariser ingest' to repair it")
            chosen.append(collection)
        return chosen

    def pages(self, scope: Scope) -> Iterator[tuple[list[Passage], np.ndarray]]:
        """Every participant's passage in scope with its vector, `PAGE` at a time."""
        for collection in self._in_scope(scope):
            with chroma_faults(self._folder, False):
                for passages, vectors in paged.pages(collection, PARTICIPANTS):
                    paged.require_intact(passages, self._folder)
                    yield passages, vectors

    def nearest(self, vector: np.ndarray, scope: Scope, limit: int
                ) -> list[tuple[Passage, float, np.ndarray]]:
        """The `limit` participants' passages in scope most similar to `vector` (from each
        part's HNSW index), best first: (passage, cosine similarity, its vector)."""
        import numpy as np

        limit = min(limit, paged.PAGE)
        if limit < 1:
            return []
        found = []
        for collection in self._in_scope(scope):
            with chroma_faults(self._folder, False):
                reply = collection.query(query_embeddings=[vector], where=PARTICIPANTS,
                                         n_results=limit, include=["documents", "metadatas",
                                                                   "embeddings", "distances"])
                found += [(paged.passage_from_chroma(i, d, m), 1.0 - float(dist),
                           np.asarray(e, dtype=np.float32))
                          for i, d, m, e, dist in zip(reply["ids"][0], reply["documents"][0],
                                                      reply["metadatas"][0],
                                                      reply["embeddings"][0],
                                                      reply["distances"][0])]
        paged.require_intact([passage for passage, _, _ in found], self._folder)
        found.sort(key=lambda row: (-row[1], row[0].passage_id))
        return found[:limit]

    def add(self, passages: Sequence[Passage], embed: BatchEmbed,
            progress: Callable[[int], None] | None = None, batch_size: int = 256) -> None:
        """Embed and add passages, writing each batch as the next ones are embedded.

        The batches are cut the same way whoever embeds them (`embed` gets them in order and
        gives their vectors back in order, in this process or on a cluster), so the store is
        written in the same order, batch by batch: an interruption loses only the batches not
        yet written, and the next ingest embeds those alone."""
        from concurrent.futures import ThreadPoolExecutor
        from contextlib import closing

        batches = list(paged.batches(passages, min(batch_size, paged.PAGE)))
        vectors = embed([p.text for p in batch] for _, batch in batches)
        with chroma_faults(self._folder, True), ThreadPoolExecutor(max_workers=1) as writer, \
                closing(vectors):
            pending = None
            for (part, batch), batch_vectors in zip(batches, vectors):
                if pending is not None:
                    pending.result()
                pending = writer.submit(paged.write_batch, self._part(part), batch, batch_vectors)
                if progress:
                    progress(len(batch))
            if pending is not None:
                pending.result()

    def write(self, passages: Sequence[Passage], vectors: np.ndarray,
              progress: Callable[[int], None] | None = None) -> None:
        """Add passages whose vectors are known (moved from an earlier layout)."""
        index = {p.passage_id: i for i, p in enumerate(passages)}
        with chroma_faults(self._folder, True):
            for part, members in sorted(paged.by_part(passages).items()):
                collection = self._part(part)
                for first in range(0, len(members), paged.PAGE):
                    batch = members[first:first + paged.PAGE]
                    paged.write_batch(collection, batch,
                                 vectors[[index[p.passage_id] for p in batch]])
                    if progress:
                        progress(len(batch))

    def delete(self, ids: Mapping[str, str]) -> None:
        """Delete passages (id -> collection name, as `passage_ids` gives them), and the
        collections left empty."""
        by_name: dict[str, list[str]] = {}
        for passage_id, name in ids.items():
            by_name.setdefault(name, []).append(passage_id)
        with chroma_faults(self._folder, True):
            for name, members in sorted(by_name.items()):
                collection = self._parts[name]
                members.sort()
                for first in range(0, len(members), paged.PAGE):
                    collection.delete(ids=members[first:first + paged.PAGE])
                if int(collection.count()) == 0:
                    self._client.delete_collection(name)
                    del self._parts[name]

    def _part(self, part: Part) -> Any:
        name = part_name(part)
        if name not in self._parts:
            source, question = part
            with chroma_faults(self._folder, True):
                self._parts[name] = self._client.get_or_create_collection(
                    name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
                    metadata={"embedder": self._embedder_name, "source": source,
                              "question": question})
        return self._parts[name]


def _check_embedder(collection: Any, embedder_name: str) -> None:
    built_with = (collection.metadata or {}).get("embedder")
    if built_with != embedder_name:
        raise StoreError(f"This store was built with the '{built_with}' embedder, not "
                         f"'{embedder_name}'; use --embedder {built_with}, or re-ingest into "
                         "a new store (--store DIR)")


def _give_back_memory() -> None:
    """Return the heap Chroma freed to the system. glibc keeps freed memory in the process, so
    without this a store reopened for the next section grew the process again: at 50,000
    answers a release left 648 MiB resident, and 404 MiB after malloc_trim."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do
