"""The project store: the corpus in SQLite, passages and their vectors in Chroma, and a write lock.

Layout under the store directory:
  corpus.sqlite  responses (original text), ratings, and facts about the last ingest
                 (summariser.index.corpus_db)
  chroma/        the embedded Chroma database, unless a Chroma server is used
                 (summariser.index.vectors)
  .lock          held while an ingest writes

An ingest syncs the passages first and replaces the corpus tables in one SQLite transaction at the
very end, so an interrupted ingest leaves the previous corpus intact and the next ingest completes
the vectors without duplicates. Until it has finished, commands that read the store refuse
(`require`): a draft from half-synced vectors would drop quotes and counts without a word. While
an ingest holds the lock, a reader is told to wait for it, not to repair the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summariser.errors import StoreError
from summariser.index.corpus_db import CorpusDB, SourceFile
from summariser.index.vectors import PassageCollections, PassageVectors
from summariser.records import Attribute, Passage, Rating, Response, Scope

if TYPE_CHECKING:
    import numpy as np

    from summariser.index.embedders import BatchEmbed

LOCK_TIMEOUT_S = 10
# The verifier's index as earlier versions pickled it into the store (see summariser.verify.cache).
LEGACY_INDEX_FILES = ("verify-index-*.pickle", "verify-index-*.partial")


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

    def _require_file(self) -> None:
        if not self.exists():
            raise StoreError(f"No store at {self.path}: run 'summariser ingest' first")

    def require(self) -> None:
        """Refuse, in one line, a store that cannot be read from: missing, damaged, in the
        middle of an ingest, or empty. Commands that read the store call this first."""
        self._require_file()
        meta = self.meta()
        if not meta.get("ingest_complete"):
            self.refuse_while_ingesting()
            raise StoreError(f"The last ingest into {self.path} has not finished (it was "
                             "stopped): run 'summariser ingest' again to complete it")
        if self.corpus.count() == 0:
            raise StoreError(f"The store at {self.path} holds no answers: check the sources in "
                             "summariser.toml, then run 'summariser ingest'")

    def ingesting(self) -> bool:
        """Whether an ingest holds the store's write lock now."""
        from filelock import FileLock, Timeout

        lock = FileLock(self.path / ".lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return True
        except OSError:
            return False  # a read-only store: no ingest can be writing to it
        lock.release()
        return False

    def refuse_while_ingesting(self) -> None:
        """Refuse in one line while an ingest is writing: what a reader finds then is the
        ingest's work in progress, not damage (it was once told to run 'ingest' to repair)."""
        if self.ingesting():
            raise StoreError(f"An ingest is writing to {self.path} now; wait for it to finish, "
                             "then run this again")

    def check(self) -> None:
        """Raise if the corpus database is damaged (say how to rebuild it)."""
        if self.exists():
            self.corpus.check()

    def responses(self, scope: Scope = Scope()) -> list[Response]:
        """Every response in `scope` (all by default), in the order ingested."""
        self._require_file()
        return self.corpus.responses(scope.questions, scope.sources)

    def respondents(self, questions: Sequence[str] = (), sources: Sequence[str] = ()) -> set[str]:
        """Participants with an answer to any of `questions` or in any of `sources` (all
        participants when both are empty): the denominator of a count, read without the texts."""
        self._require_file()
        return self.corpus.respondents(questions, sources)

    def ratings(self) -> list[Rating]:
        self._require_file()
        return self.corpus.ratings()

    def attributes(self) -> list[Attribute]:
        """The facts about respondents kept for breakdowns (partnership size)."""
        self._require_file()
        return self.corpus.attributes()

    def source_files(self) -> dict[str, SourceFile]:
        """Each source file as the last ingest read it (summariser.index.snapshot)."""
        self._require_file()
        return self.corpus.source_files()

    def meta(self) -> dict[str, Any]:
        return self.corpus.meta()

    def corpus_key(self) -> tuple[Path, str]:
        """Names the corpus as it is now, for the verifier's index (summariser.verify.cache): the
        store's folder and its corpus's hash. The index files earlier versions pickled into the
        folder are deleted here, unread: unpickling runs code."""
        for pattern in LEGACY_INDEX_FILES:
            for old in self.path.glob(pattern):
                old.unlink(missing_ok=True)
        return self.path.resolve(), str(self.meta().get("corpus_hash", ""))

    def mark_ingest_started(self) -> None:
        self.corpus.mark_ingest_started()

    def replace_corpus(self, responses: Sequence[Response], ratings: Sequence[Rating],
                       spans: Mapping[str, Sequence[tuple[int, int]]] | None = None,
                       attributes: Sequence[Attribute] = (),
                       sources: Mapping[str, SourceFile] | None = None, **meta: Any) -> None:
        """Swap in the new corpus in one transaction: readers see the old one or the new one."""
        self.corpus.replace_corpus(responses, ratings, spans, attributes, sources, **meta)

    # --- lock ----------------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's write lock; a second writer waits briefly, then is refused."""
        from filelock import FileLock, Timeout

        lock = FileLock(self.path / ".lock")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            lock.acquire(timeout=LOCK_TIMEOUT_S)
        except Timeout:
            raise StoreError(f"Another ingest is writing to {self.path}; wait for it to finish, "
                             "then run this again") from None
        except OSError as exc:
            raise StoreError(f"Cannot write to the store {self.path} ({exc.strerror}); check "
                             "that its folder is writable, or use --store DIR") from None
        try:
            yield
        finally:
            lock.release()

    # --- passages (Chroma) ---------------------------------------------------------------------

    def collection(self, embedder_name: str, create: bool = False) -> PassageCollections:
        """The passage collections, refusing any built with another embedder; to read, each
        part is checked, when it is first read, to hold what the last ingest stored."""
        expected = None if create else self.meta().get("parts")
        try:
            return self.vectors.collections(embedder_name, expected, create)
        except StoreError:
            if not create:
                self.refuse_while_ingesting()
            raise

    def passage_ids(self, collection: PassageCollections) -> dict[str, str]:
        """Every stored passage id, with the name of the collection holding it."""
        return collection.passage_ids()

    def stored_passages(self, collection: PassageCollections) -> tuple[dict[str, str], set[str]]:
        """Every stored passage id with its collection's name, and the ids whose text or
        attribution changed on disk since they were stored."""
        return collection.stored()

    def pages(self, collection: PassageCollections, scope: Scope
              ) -> Iterator[tuple[list[Passage], np.ndarray]]:
        """Every participant's passage in scope, with its vector, a bounded page at a time."""
        try:
            yield from collection.pages(scope)
        except StoreError:
            self.refuse_while_ingesting()
            raise

    def nearest(self, collection: PassageCollections, vector: np.ndarray, scope: Scope,
                limit: int) -> list[tuple[Passage, float, np.ndarray]]:
        """The `limit` passages in scope nearest `vector`: (passage, similarity, vector),
        best first."""
        try:
            return collection.nearest(vector, scope, limit)
        except StoreError:
            self.refuse_while_ingesting()
            raise

    def release_vectors(self) -> None:
        """Let the vector store's memory go until it is next read (Chroma keeps every vector
        of a collection in memory once it is used)."""
        self.vectors.close()

    def clear(self) -> None:
        """Remove the corpus and every passage, damaged or not (`ingest --rebuild`); hold
        `writing()` around it."""
        self.vectors.clear()
        self.corpus.remove()

    def add_passages(self, collection: PassageCollections, passages: Sequence[Passage],
                     embed: BatchEmbed, progress: Callable[[int], None] | None = None,
                     batch_size: int = 256) -> None:
        """Embed and add passages, embedding the next batches while the last one is written
        (`embed`: `summariser.index.embedders.batches_here` or `batches_on` an engine)."""
        collection.add(passages, embed, progress, batch_size)

    def move_legacy(self, embedder_name: str, start: Callable[[int], None],
                    advance: Callable[[int], None]) -> int:
        """Move the passages of an earlier version's store into this version's layout,
        vectors and all (nothing is embedded); how many were moved."""
        count = self.vectors.legacy_count(embedder_name)
        if count:
            self.mark_ingest_started()
            start(count)
            self.vectors.move_legacy(embedder_name, advance)
        return count

    def delete_passages(self, collection: PassageCollections, ids: Mapping[str, str]) -> None:
        """Delete passages (id -> collection name, as `passage_ids` gives them)."""
        collection.delete(ids)

    def tidy_vectors(self) -> None:
        """Remove what deleted collections left on disk; the client is closed."""
        self.vectors.tidy()
