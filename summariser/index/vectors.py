"""Passages and their vectors in Chroma: the only module that imports chromadb.

The embedded database lives in the store's `chroma/` folder, unless a Chroma server is used.
Passage ids are content hashes, so syncing is a set difference: new ids are embedded and added,
ids no longer produced are deleted, the rest is left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summariser.errors import StoreError
from summariser.records import Passage

if TYPE_CHECKING:
    from summariser.index.embedders import Embedder

COLLECTION = "passages"


class PassageVectors:
    """The store's passage collection; `chroma_url` selects a Chroma server over the folder."""

    def __init__(self, store_path: Path, chroma_url: str | None = None):
        self.store_path = store_path
        self.chroma_url = chroma_url
        self._client: Any = None

    def _chroma(self) -> Any:
        if self._client is None:
            import chromadb

            settings = chromadb.Settings(anonymized_telemetry=False)
            if self.chroma_url:
                from urllib.parse import urlparse

                url = urlparse(self.chroma_url)
                self._client = chromadb.HttpClient(host=url.hostname or "localhost",
                                                   port=url.port or 8000,
                                                   ssl=url.scheme == "https", settings=settings)
            else:
                self._client = chromadb.PersistentClient(path=str(self.store_path / "chroma"),
                                                         settings=settings)
        return self._client

    def collection(self, embedder_name: str, create: bool = False) -> Any:
        """The passage collection, refusing one built with another embedder.

        `embedding_function=None` always: Chroma's own default would download a model.
        """
        client = self._chroma()
        try:
            collection = client.get_collection(COLLECTION, embedding_function=None)
        except Exception as exc:  # chromadb raises NotFoundError or ValueError by version
            if not create:
                raise StoreError(f"The store at {self.chroma_url or self.store_path} has no "
                                 "passages; run 'summariser ingest' first") from exc
            return client.create_collection(
                COLLECTION, embedding_function=None,
                metadata={"embedder": embedder_name},
                configuration={"hnsw": {"space": "cosine"}})
        built_with = (collection.metadata or {}).get("embedder")
        if built_with != embedder_name:
            raise StoreError(f"This store was built with the '{built_with}' embedder, not "
                             f"'{embedder_name}'; use --embedder {built_with}, or re-ingest into "
                             "a new store (--store DIR)")
        return collection

    def passage_ids(self, collection: Any) -> set[str]:
        ids: set[str] = set()
        offset, page = 0, 50_000
        while True:
            batch = collection.get(include=[], limit=page, offset=offset)["ids"]
            ids.update(batch)
            if len(batch) < page:
                return ids
            offset += page

    def add_passages(self, collection: Any, passages: Sequence[Passage],
                     embedder: Embedder, progress: Callable[[int], None] | None = None,
                     batch_size: int = 256) -> None:
        """Embed and add passages, embedding the next batch while the last one is written."""
        from concurrent.futures import ThreadPoolExecutor

        # Similar lengths in one batch keep padding small; Chroma does not care about order.
        passages = sorted(passages, key=lambda p: len(p.text))
        batches = [passages[i:i + batch_size] for i in range(0, len(passages), batch_size)]
        with ThreadPoolExecutor(max_workers=1) as writer:
            pending = None
            for batch in batches:
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
        for first in range(0, len(ids), 5000):
            collection.delete(ids=ids[first:first + 5000])


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
