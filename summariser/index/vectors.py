"""Passages and their vectors in Chroma: the only module that imports chromadb.

The embedded database lives in the store's `chroma/` folder, unless a Chroma server is used.
Passage ids are content hashes, so syncing is a set difference: new ids are embedded and added,
ids no longer produced are deleted, the rest is left alone.

Every read and write goes in pages of at most `PAGE` passages: Chroma turns a request into SQL
with one variable per id it touches, and SQLite refuses more than 32,766 ("too many SQL
variables"), so a section of 40,000 passages fetched in one `get` failed. Similarities over
a whole scope are computed here from the stored vectors, page by page, rather than by asking
the HNSW index for every passage: that is exact, and its memory is one page plus the hits.
"""

from __future__ import annotations

import ctypes
import gc
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summariser.errors import StoreError
from summariser.records import Passage

if TYPE_CHECKING:
    import numpy as np

    from summariser.index.embedders import Embedder

COLLECTION = "passages"
PAGE = 5000  # passages per Chroma request: far below SQLite's 32,766 variables
REBUILD = "summariser ingest --rebuild"

Where = dict[str, Any]


class PassageVectors:
    """The store's passage collection; `chroma_url` selects a Chroma server over the folder."""

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
        try:
            self._client = chromadb.PersistentClient(path=str(self.folder), settings=settings)
        except Exception as exc:  # chromadb's errors carry SQLite's message, not its code
            if not write and _read_only(exc):
                self._client = self._open_copy(chromadb, settings)
            else:
                raise _opening_error(exc, self.folder, write) from None
        return self._client

    def _open_copy(self, chromadb: Any, settings: Any) -> Any:
        """Chroma writes to its database even to read it, so a store on a read-only disk (a
        published project, a shared drive) is read from a temporary copy, removed on exit."""
        self._copy = tempfile.TemporaryDirectory(prefix="summariser-chroma-")
        copy = Path(self._copy.name) / "chroma"
        shutil.copytree(self.folder, copy)
        for path in [copy, *copy.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
        try:
            return chromadb.PersistentClient(path=str(copy), settings=settings)
        except Exception as exc:
            raise _opening_error(exc, self.folder, False) from None

    def close(self) -> None:
        """Forget the client (and Chroma's cache of it), so the folder can be removed."""
        if self._client is not None and not self.chroma_url:
            from chromadb.api.client import SharedSystemClient

            SharedSystemClient.clear_system_cache()
            gc.collect()
            _give_back_memory()
        self._client = None

    def clear(self) -> None:
        """Remove every passage, for a rebuild: the folder goes, damaged or not."""
        if self.chroma_url:
            try:
                self._chroma(write=True).delete_collection(COLLECTION)
            except Exception:  # chromadb raises NotFoundError or ValueError by version
                pass
            return
        self.close()
        if self.folder.exists():
            shutil.rmtree(self.folder)

    def collection(self, embedder_name: str, create: bool = False) -> Any:
        """The passage collection, refusing one built with another embedder.

        `embedding_function=None` always: Chroma's own default would download a model.
        """
        client = self._chroma(write=create)
        try:
            collection = client.get_collection(COLLECTION, embedding_function=None)
        except Exception as exc:  # chromadb raises NotFoundError or ValueError by version
            if not create:
                if _damage(exc):
                    raise _opening_error(exc, self.folder, False) from None
                raise StoreError(f"The store at {self.where} has no passages; run "
                                 "'summariser ingest' first") from exc
            try:
                return client.create_collection(
                    COLLECTION, embedding_function=None, metadata={"embedder": embedder_name},
                    configuration={"hnsw": {"space": "cosine"}})
            except Exception as failure:
                raise _opening_error(failure, self.folder, True) from None
        built_with = (collection.metadata or {}).get("embedder")
        if built_with != embedder_name:
            raise StoreError(f"This store was built with the '{built_with}' embedder, not "
                             f"'{embedder_name}'; use --embedder {built_with}, or re-ingest into "
                             "a new store (--store DIR)")
        return collection

    @staticmethod
    def count(collection: Any) -> int:
        return int(collection.count())

    def passage_ids(self, collection: Any) -> set[str]:
        ids: set[str] = set()
        for offset in range(0, self.count(collection) + PAGE, PAGE):
            batch = collection.get(include=[], limit=PAGE, offset=offset)["ids"]
            ids.update(batch)
            if len(batch) < PAGE:
                break
        return ids

    def pages(self, collection: Any, where: Where) -> Iterator[tuple[list[Passage], np.ndarray]]:
        """Every passage matching `where` with its vector, `PAGE` at a time."""
        import numpy as np

        offset = 0
        while True:
            reply = collection.get(where=where, limit=PAGE, offset=offset,
                                   include=["documents", "metadatas", "embeddings"])
            passages = [passage_from_chroma(i, d, m) for i, d, m in
                        zip(reply["ids"], reply["documents"], reply["metadatas"])]
            if passages:
                yield passages, np.asarray(reply["embeddings"], dtype=np.float32)
            if len(passages) < PAGE:
                return
            offset += PAGE

    def nearest(self, collection: Any, vector: np.ndarray, where: Where, limit: int
                ) -> list[tuple[Passage, float, np.ndarray]]:
        """The `limit` passages most similar to `vector` (from the HNSW index), best first:
        (passage, cosine similarity, its vector)."""
        import numpy as np

        limit = min(limit, PAGE)
        if limit < 1:
            return []
        reply = collection.query(query_embeddings=[vector], where=where, n_results=limit,
                                 include=["documents", "metadatas", "embeddings", "distances"])
        return [(passage_from_chroma(i, d, m), 1.0 - float(dist), np.asarray(e, dtype=np.float32))
                for i, d, m, e, dist in zip(reply["ids"][0], reply["documents"][0],
                                            reply["metadatas"][0], reply["embeddings"][0],
                                            reply["distances"][0])]

    def add_passages(self, collection: Any, passages: Sequence[Passage],
                     embedder: Embedder, progress: Callable[[int], None] | None = None,
                     batch_size: int = 256) -> None:
        """Embed and add passages, embedding the next batch while the last one is written."""
        from concurrent.futures import ThreadPoolExecutor

        # Similar lengths in one batch keep padding small; Chroma does not care about order.
        passages = sorted(passages, key=lambda p: len(p.text))
        batch_size = min(batch_size, PAGE)
        with ThreadPoolExecutor(max_workers=1) as writer:
            pending = None
            for first in range(0, len(passages), batch_size):
                batch = passages[first:first + batch_size]
                vectors = embedder.embed([p.text for p in batch])
                if pending is not None:
                    pending.result()
                pending = writer.submit(_write_batch, collection, batch, vectors)
                if progress:
                    progress(len(batch))
            if pending is not None:
                pending.result()

    def delete_passages(self, collection: Any, ids: Iterable[str]) -> None:
        ids = sorted(ids)
        for first in range(0, len(ids), PAGE):
            collection.delete(ids=ids[first:first + PAGE])


def _give_back_memory() -> None:
    """Return the heap Chroma freed to the system. glibc keeps freed memory in the process, so
    without this a store reopened for the next section grew the process again: at 50,000
    answers a release left 648 MiB resident, and 404 MiB after malloc_trim."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do


def _read_only(exc: Exception) -> bool:
    return "readonly" in str(exc).lower() or "read-only" in str(exc).lower()


def _damage(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(words in text for words in ("malformed", "not a database", "no such table"))


def _opening_error(exc: Exception, folder: Path, write: bool) -> StoreError:
    if _read_only(exc) or (write and not os.access(folder.parent, os.W_OK)):
        return StoreError(f"Cannot write to the vector store {folder} ({exc}); check that the "
                          "store folder is writable, or use --store DIR")
    return StoreError(f"The vector store {folder} cannot be read ({exc}); rebuild the store "
                      f"from the sources with '{REBUILD}'")


def _write_batch(collection: Any, batch: Sequence[Passage], vectors: Any) -> None:
    collection.upsert(ids=[p.passage_id for p in batch], embeddings=vectors,
                      documents=[p.text for p in batch],
                      metadatas=[passage_metadata(p) for p in batch])


def passage_metadata(passage: Passage) -> dict[str, Any]:
    """Chroma metadata for a passage (Chroma takes no None values)."""
    data = asdict(passage)
    del data["passage_id"], data["text"]
    data["speaker"] = data["speaker"] or ""
    return data


def passage_from_chroma(passage_id: str, text: str, metadata: dict[str, Any]) -> Passage:
    return Passage(passage_id=passage_id, text=text, response_id=metadata["response_id"],
                   respondent=metadata["respondent"], question=metadata["question"],
                   source=metadata["source"], source_file=metadata["source_file"],
                   start=int(metadata["start"]), end=int(metadata["end"]),
                   speaker=metadata["speaker"] or None,
                   is_participant=bool(metadata["is_participant"]))
