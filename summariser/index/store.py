"""The project store: the corpus in SQLite, passages and their vectors in Chroma, and a write lock.

Layout under the store directory:
  corpus.sqlite  responses (original text), ratings, and facts about the last ingest
                 (summariser.index.corpus_db)
  chroma/        the embedded Chroma database, unless a Chroma server is used
                 (summariser.index.vectors)
  .lock          held while an ingest writes

An ingest syncs the passages first and replaces the corpus tables in one SQLite transaction at the
very end, so an interrupted ingest leaves the previous corpus intact and the next ingest completes
the vectors without duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summariser.errors import StoreError
from summariser.index.corpus_db import CorpusDB
from summariser.index.vectors import PassageVectors
from summariser.records import Passage, Rating, Response

if TYPE_CHECKING:
    from summariser.index.embedders import Embedder

LOCK_TIMEOUT_S = 10


class Store:
    """One project's store. Open it with `Store(path)`; `chroma_url` selects a Chroma server."""

    def __init__(self, path: Path, chroma_url: str | None = None):
        self.path = path
        self.chroma_url = chroma_url
        self.corpus = CorpusDB(path / "corpus.sqlite")
        self.vectors = PassageVectors(path, chroma_url)

    # --- corpus (SQLite) ---------------------------------------------------------------------

    @property
    def db_path(self) -> Path:
        return self.corpus.path

    def exists(self) -> bool:
        return self.corpus.exists()

    def require(self) -> None:
        if not self.exists():
            raise StoreError(f"No store at {self.path}: run 'summariser ingest' first")

    def responses(self) -> list[Response]:
        self.require()
        return self.corpus.responses()

    def respondents(self, questions: Sequence[str] = (), sources: Sequence[str] = ()) -> set[str]:
        """Participants with an answer to any of `questions` or in any of `sources` (all
        participants when both are empty): the denominator of a count, read without the texts."""
        self.require()
        return self.corpus.respondents(questions, sources)

    def ratings(self) -> list[Rating]:
        self.require()
        return self.corpus.ratings()

    def meta(self) -> dict[str, Any]:
        return self.corpus.meta()

    def mark_ingest_started(self) -> None:
        self.corpus.mark_ingest_started()

    def replace_corpus(self, responses: Sequence[Response], ratings: Sequence[Rating],
                       **meta: Any) -> None:
        """Swap in the new corpus in one transaction: readers see the old one or the new one."""
        self.corpus.replace_corpus(responses, ratings, **meta)

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

    def collection(self, embedder_name: str, create: bool = False) -> Any:
        """The passage collection, refusing one built with another embedder."""
        return self.vectors.collection(embedder_name, create)

    def passage_ids(self, collection: Any) -> set[str]:
        return self.vectors.passage_ids(collection)

    def add_passages(self, collection: Any, passages: Sequence[Passage],
                     embedder: Embedder, progress: Callable[[int], None] | None = None,
                     batch_size: int = 256) -> None:
        """Embed and add passages, embedding the next batch while the last one is written."""
        self.vectors.add_passages(collection, passages, embedder, progress, batch_size)

    def delete_passages(self, collection: Any, ids: Iterable[str]) -> None:
        self.vectors.delete_passages(collection, ids)
