"""The corpus itself in SQLite (`corpus.sqlite`): responses with their original text, ratings, and
facts about the last ingest: the one snapshot that drafts, statistics and reports are made from.

Schema (version 3):
  responses(response_id PRIMARY KEY, respondent, question, source, source_file, text, row,
            speaker, is_participant 0/1, offset, digest)
  ratings(respondent, question, value JSON)
  meta(key PRIMARY KEY, value JSON): ingest_complete, corpus_hash, embedder, fingerprint,
                                    passages, split_rules
Version 2 adds
  spans(text_key PRIMARY KEY, spans JSON): where each text was cut into passages, under the
                                           meta's split_rules, so unchanged texts are not split
                                           again (summariser.index.split.split_known)
Version 3 adds what the statistics and breakdowns read, so they come from the same snapshot as
the themes and quotes, and what tells whether the sources changed since:
  ratings.non_answer TEXT: the manifest's label for a non-answer ("Don't know"), else NULL
  attributes(respondent, name, value): facts about respondents used for breakdowns
  source_files(source PRIMARY KEY, path, sha256, size): each source file as the ingest read it
Version 4 adds
  responses.digest: each response's hash of itself (`summariser.records.response_digest`),
                    checked whenever responses are read: a response changed on disk is never
                    quoted or counted (`ingest` restores it from the sources). A file upgraded
                    from version 3 has none until its next ingest writes them.
The corpus is replaced in one transaction at the end of an ingest: a reader sees the old corpus
or the new one, never a mix. A file SQLite cannot read (truncated, overwritten, emptied) is
reported as damaged, with the command that rebuilds it, never as an empty corpus.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summariser.database import Migration, connect
from summariser.errors import StoreError
from summariser.records import Attribute, Rating, Response, corpus_hash, response_digest

REBUILD = "summariser ingest --rebuild"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A source file as an ingest read it: its path as the manifest writes it, and its bytes'
    hash and size."""

    path: str
    sha256: str
    size: int
# SQLite's words for a file that is not (or no longer) a whole database.
_DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}

MIGRATIONS: tuple[Migration, ...] = (
    (  # 1: the first schema; CREATE IF NOT EXISTS, so files from before versioning keep theirs
        "CREATE TABLE IF NOT EXISTS responses (response_id TEXT PRIMARY KEY, respondent TEXT NOT "
        "NULL, question TEXT NOT NULL, source TEXT NOT NULL, source_file TEXT NOT NULL, text "
        "TEXT NOT NULL, row INTEGER, speaker TEXT, is_participant INTEGER NOT NULL, offset "
        "INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS ratings (respondent TEXT NOT NULL, question TEXT NOT NULL, "
        "value TEXT)",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (  # 2: passage spans kept between ingests
        "CREATE TABLE IF NOT EXISTS spans (text_key TEXT PRIMARY KEY, spans TEXT NOT NULL)",
    ),
    (  # 3: the statistics' inputs and the source files' hashes, in the same snapshot
        "ALTER TABLE ratings ADD COLUMN non_answer TEXT",
        "CREATE TABLE IF NOT EXISTS attributes (respondent TEXT NOT NULL, name TEXT NOT NULL, "
        "value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS source_files (source TEXT PRIMARY KEY, path TEXT NOT NULL, "
        "sha256 TEXT NOT NULL, size INTEGER NOT NULL)",
    ),
    (  # 4: each response's hash of itself
        "ALTER TABLE responses ADD COLUMN digest TEXT",
    ),
)
COLUMNS = ("response_id, respondent, question, source, source_file, text, row, speaker, "
           "is_participant, offset")


class CorpusDB:
    def __init__(self, path: Path):
        self.path = path

    def exists(self) -> bool:
        return self.path.is_file()

    def damaged(self, why: str) -> StoreError:
        return StoreError(f"The corpus database {self.path} is damaged ({why}); rebuild the "
                          f"store from the sources with '{REBUILD}'")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # SQLite takes an empty file for a new database: that would read as an empty corpus.
        if self.exists() and self.path.stat().st_size == 0:
            raise self.damaged("it is empty, 0 bytes")
        try:
            with connect(self.path, MIGRATIONS) as db:
                yield db
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorname", "") in _DAMAGED:
                raise self.damaged(str(exc)) from None
            raise

    def check(self) -> None:
        """Raise if SQLite finds the file damaged (a quick check of every page)."""
        with self._connect() as db:
            problems = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise self.damaged("; ".join(problems))

    def count(self) -> int:
        """How many responses the corpus holds."""
        with self._connect() as db:
            return db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def remove(self) -> None:
        """Delete the file (and SQLite's journal beside it), for a rebuild."""
        for suffix in ("", "-journal", "-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)

    def responses(self, questions: Sequence[str] = (), sources: Sequence[str] = ()
                  ) -> list[Response]:
        """Answers to any of `questions` and turns in any of `sources` (all when both are
        empty), in the order ingested."""
        where, values = _scope(questions, sources)
        with self._connect() as db:
            rows = db.execute(f"SELECT {COLUMNS}, digest FROM responses {where} ORDER BY rowid",
                              values).fetchall()
        responses = [_response(row) for row in rows]
        changed = sum(row[-1] is not None and row[-1] != response_digest(response)
                      for row, response in zip(rows, responses))
        if changed:
            raise StoreError(f"{changed} stored answer(s) in {self.path} no longer match what "
                             "was ingested (changed on disk since), so none is quoted or "
                             "counted; run 'summariser ingest' to restore them from the sources")
        return responses

    def digests(self) -> dict[str, tuple[str | None, str]]:
        """Each stored response's id, with the digest it was stored with (None in a file from
        before digests) and the digest of what is stored now: they differ when it changed."""
        with self._connect() as db:
            rows = db.execute(f"SELECT {COLUMNS}, digest FROM responses").fetchall()
        return {row[0]: (row[-1], response_digest(_response(row))) for row in rows}

    def respondents(self, questions: Sequence[str] = (), sources: Sequence[str] = ()) -> set[str]:
        """Participants with an answer to any of `questions` or in any of `sources` (all
        participants when both are empty): the denominator of a count, read without the texts."""
        where, values = _scope(questions, sources)
        sql = ("SELECT DISTINCT respondent FROM responses "
               f"{where or 'WHERE 1'} AND is_participant = 1")
        with self._connect() as db:
            return {row[0] for row in db.execute(sql, values)}

    def ratings(self) -> list[Rating]:
        with self._connect() as db:
            rows = db.execute("SELECT respondent, question, value, non_answer FROM ratings "
                              "ORDER BY rowid")
            return [Rating(r, q, json.loads(v), label) for r, q, v, label in rows]

    def attributes(self) -> list[Attribute]:
        with self._connect() as db:
            rows = db.execute("SELECT respondent, name, value FROM attributes ORDER BY rowid")
            return [Attribute(r, n, v) for r, n, v in rows]

    def source_files(self) -> dict[str, SourceFile]:
        """Each source file as the last ingest read it, by source id (none before version 3)."""
        with self._connect() as db:
            rows = db.execute("SELECT source, path, sha256, size FROM source_files")
            return {source: SourceFile(path, digest, size) for source, path, digest, size in rows}

    def meta(self) -> dict[str, Any]:
        if not self.exists():
            return {}
        with self._connect() as db:
            return {k: json.loads(v) for k, v in db.execute("SELECT key, value FROM meta")}

    def spans(self, rules: str) -> dict[str, tuple[tuple[int, int], ...]]:
        """The spans kept by the last ingest, if it split under `rules`; else none."""
        if self.meta().get("split_rules") != rules:
            return {}
        with self._connect() as db:
            return {key: tuple((a, b) for a, b in json.loads(cut))
                    for key, cut in db.execute("SELECT text_key, spans FROM spans")}

    def mark_ingest_started(self) -> None:
        with self._connect() as db, db:
            _set_meta(db, ingest_complete=False)

    def replace_corpus(self, responses: Sequence[Response], ratings: Sequence[Rating],
                       spans: Mapping[str, Sequence[tuple[int, int]]] | None = None,
                       attributes: Sequence[Attribute] = (),
                       sources: Mapping[str, SourceFile] | None = None, **meta: Any) -> None:
        """Swap in the new corpus in one transaction: readers see the old one or the new one.
        `spans` (with `split_rules` in `meta`) are kept for the next ingest; `sources` are the
        source files as they were read."""
        with self._connect() as db, db:
            for table in ("responses", "ratings", "spans", "attributes", "source_files"):
                db.execute(f"DELETE FROM {table}")
            if spans:
                db.executemany("INSERT INTO spans VALUES (?, ?)",
                               [(key, json.dumps(cut)) for key, cut in spans.items()])
            db.executemany(f"INSERT INTO responses ({COLUMNS}, digest) VALUES "
                           "(?,?,?,?,?,?,?,?,?,?,?)", [
                (r.response_id, r.respondent, r.question, r.source, r.source_file, r.text, r.row,
                 r.speaker, int(r.is_participant), r.offset, response_digest(r))
                for r in responses])
            db.executemany("INSERT INTO ratings VALUES (?,?,?,?)",
                           [(r.respondent, r.question, json.dumps(r.value), r.non_answer)
                            for r in ratings])
            db.executemany("INSERT INTO attributes VALUES (?,?,?)",
                           [(a.respondent, a.name, a.value) for a in attributes])
            db.executemany("INSERT INTO source_files VALUES (?,?,?,?)",
                           [(source, f.path, f.sha256, f.size)
                            for source, f in (sources or {}).items()])
            _set_meta(db, corpus_hash=corpus_hash(responses), ingest_complete=True, **meta)


def _response(row: Sequence[Any]) -> Response:
    (response_id, respondent, question, source, source_file, text, row_number, speaker,
     participant, offset) = row[:10]
    return Response(response_id, respondent, question, source, source_file, text, row_number,
                    speaker, is_participant=bool(participant), offset=offset)


def _scope(questions: Sequence[str], sources: Sequence[str]) -> tuple[str, list[str]]:
    """A WHERE clause for rows answering any of `questions` or from any of `sources` (none
    when both are empty), and its values."""
    if not questions and not sources:
        return "", []
    return (f"WHERE (question IN ({','.join('?' * len(questions))}) OR "
            f"source IN ({','.join('?' * len(sources))}))", [*questions, *sources])


def _set_meta(db: sqlite3.Connection, **values: Any) -> None:
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                   [(k, json.dumps(v)) for k, v in values.items()])
