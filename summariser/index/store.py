"""The project store: Chroma for passages and their vectors, SQLite for the corpus itself.

Layout under the store directory:
  corpus.sqlite  responses (original text), ratings, and facts about the last ingest
  chroma/        the embedded Chroma database (unless a Chroma server is used)
  .lock          held while an ingest writes

Passage ids are content hashes, so syncing is a set difference: new ids are embedded and added,
ids no longer produced are deleted, the rest is left alone. The corpus tables are replaced in one
SQLite transaction at the very end, so an interrupted ingest leaves the previous corpus intact and
the next ingest completes the vectors without duplicates.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summariser.errors import StoreError
from summariser.records import Passage, Rating, Response, corpus_hash

if TYPE_CHECKING:
    from summariser.index.embedders import Embedder

COLLECTION = "passages"
LOCK_TIMEOUT_S = 10
SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
  response_id TEXT PRIMARY KEY, respondent TEXT NOT NULL, question TEXT NOT NULL,
  source TEXT NOT NULL, source_file TEXT NOT NULL, text TEXT NOT NULL, row INTEGER,
  speaker TEXT, is_participant INTEGER NOT NULL, offset INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ratings (
  respondent TEXT NOT NULL, question TEXT NOT NULL, value TEXT);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Store:
    """One project's store. Open it with `Store(path)`; `chroma_url` selects a Chroma server."""

    def __init__(self, path: Path, chroma_url: str | None = None):
        self.path = path
        self.chroma_url = chroma_url
        self._client: Any = None

    # --- corpus (SQLite) ---------------------------------------------------------------------

    @property
    def db_path(self) -> Path:
        return self.path / "corpus.sqlite"

    def exists(self) -> bool:
        return self.db_path.is_file()

    def _connect(self) -> sqlite3.Connection:
        self.path.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.db_path)
        connection.executescript(SCHEMA)
        return connection

    def require(self) -> None:
        if not self.exists():
            raise StoreError(f"No store at {self.path}: run 'summariser ingest' first")

    def responses(self) -> list[Response]:
        self.require()
        with self._connect() as db:
            rows = db.execute("SELECT response_id, respondent, question, source, source_file, "
                              "text, row, speaker, is_participant, offset FROM responses "
                              "ORDER BY rowid").fetchall()
        return [Response(*row[:8], is_participant=bool(row[8]), offset=row[9]) for row in rows]

    def respondents(self, questions: Sequence[str] = (), sources: Sequence[str] = ()) -> set[str]:
        """Participants with an answer to any of `questions` or in any of `sources` (all
        participants when both are empty): the denominator of a count, read without the texts."""
        self.require()
        sql = "SELECT DISTINCT respondent FROM responses WHERE is_participant = 1"
        if questions or sources:
            sql += (f" AND (question IN ({','.join('?' * len(questions))}) OR "
                    f"source IN ({','.join('?' * len(sources))}))")
        with self._connect() as db:
            return {row[0] for row in db.execute(sql, [*questions, *sources])}

    def ratings(self) -> list[Rating]:
        self.require()
        with self._connect() as db:
            rows = db.execute("SELECT respondent, question, value FROM ratings ORDER BY rowid")
            return [Rating(r, q, json.loads(v)) for r, q, v in rows]

    def meta(self) -> dict[str, Any]:
        if not self.exists():
            return {}
        with self._connect() as db:
            return {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}

    def _set_meta(self, db: sqlite3.Connection, **values: Any) -> None:
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                       [(k, json.dumps(v)) for k, v in values.items()])

    def mark_ingest_started(self) -> None:
        with self._connect() as db:
            self._set_meta(db, ingest_complete=False)

    def replace_corpus(self, responses: Sequence[Response], ratings: Sequence[Rating],
                       **meta: Any) -> None:
        """Swap in the new corpus in one transaction: readers see the old one or the new one."""
        with self._connect() as db:
            db.execute("DELETE FROM responses")
            db.execute("DELETE FROM ratings")
            db.executemany("INSERT INTO responses VALUES (?,?,?,?,?,?,?,?,?,?)", [
                (r.response_id, r.respondent, r.question, r.source, r.source_file, r.text, r.row,
                 r.speaker, int(r.is_participant), r.offset) for r in responses])
            db.executemany("INSERT INTO ratings VALUES (?,?,?)",
                           [(r.respondent, r.question, json.dumps(r.value)) for r in ratings])
            self._set_meta(db, corpus_hash=corpus_hash(responses), ingest_complete=True, **meta)

    # --- lock ----------------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's write lock; a second writer waits briefly, then is refused."""
        from filelock import FileLock, Timeout

        self.path.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.path / ".lock")
        try:
            lock.acquire(timeout=LOCK_TIMEOUT_S)
        except Timeout:
            raise StoreError(f"Another ingest is writing to {self.path}; wait for it to finish, "
                             "then run this again") from None
        try:
            yield
        finally:
            lock.release()

    # --- passages (Chroma) ---------------------------------------------------------------------

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
                self._client = chromadb.PersistentClient(path=str(self.path / "chroma"),
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
                raise StoreError(f"The store at {self.chroma_url or self.path} has no passages; "
                                 "run 'summariser ingest' first") from exc
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
                pending = writer.submit(self._write_batch, collection, batch, vectors)
                if progress:
                    progress(len(batch))
            if pending is not None:
                pending.result()

    @staticmethod
    def _write_batch(collection: Any, batch: Sequence[Passage], vectors: Any) -> None:
        collection.upsert(ids=[p.passage_id for p in batch], embeddings=vectors,
                          documents=[p.text for p in batch],
                          metadatas=[passage_metadata(p) for p in batch])

    def delete_passages(self, collection: Any, ids: Iterable[str]) -> None:
        ids = sorted(ids)
        for first in range(0, len(ids), 5000):
            collection.delete(ids=ids[first:first + 5000])


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
