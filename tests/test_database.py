"""The project's SQLite files: versioned schemas upgraded in place, connections closed after use."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from summariser.database import connect, schema_version
from summariser.errors import StoreError
from summariser.index.corpus_db import MIGRATIONS as CORPUS_MIGRATIONS
from summariser.index.store import Store
from summariser.records import Rating, Response

# The corpus schema as written before it was versioned (user_version 0).
UNVERSIONED_CORPUS = """
CREATE TABLE responses (
  response_id TEXT PRIMARY KEY, respondent TEXT NOT NULL, question TEXT NOT NULL,
  source TEXT NOT NULL, source_file TEXT NOT NULL, text TEXT NOT NULL, row INTEGER,
  speaker TEXT, is_participant INTEGER NOT NULL, offset INTEGER NOT NULL);
CREATE TABLE ratings (respondent TEXT NOT NULL, question TEXT NOT NULL, value TEXT);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO responses VALUES ('survey:R01:q1', 'R01', 'q1', 'survey', 'survey.csv',
  'Teams work openly together.', 2, NULL, 1, 0);
INSERT INTO ratings VALUES ('R01', 'q2', '7');
INSERT INTO meta VALUES ('ingest_complete', 'true');
"""
RESPONSE = Response("survey:R01:q1", "R01", "q1", "survey", "survey.csv",
                    "Teams work openly together.", row=2)


def _version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return schema_version(db)


def _open_files(path: Path) -> list[str]:
    """Paths this process holds open that start with `path` (Linux: /proc/self/fd)."""
    fds = Path("/proc/self/fd")
    held = []
    for fd in os.listdir(fds):
        try:
            target = os.readlink(fds / fd)
        except OSError:
            continue
        if target.startswith(str(path)):
            held.append(target)
    return held


def test_a_corpus_file_from_before_versioning_is_upgraded_in_place(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    with sqlite3.connect(folder / "corpus.sqlite") as db:
        db.executescript(UNVERSIONED_CORPUS)
    assert _version(folder / "corpus.sqlite") == 0
    store = Store(folder)
    assert store.responses() == [RESPONSE]
    assert store.ratings() == [Rating("R01", "q2", 7)]
    assert store.meta() == {"ingest_complete": True}
    assert _version(folder / "corpus.sqlite") == len(CORPUS_MIGRATIONS)


def test_a_new_corpus_file_starts_at_the_latest_version(tmp_path):
    store = Store(tmp_path / "store")
    store.replace_corpus([RESPONSE], [])
    assert _version(store.db_path) == len(CORPUS_MIGRATIONS)
    assert store.responses() == [RESPONSE]


def test_a_file_from_a_newer_version_is_refused_and_left_alone(tmp_path):
    store = Store(tmp_path / "store")
    store.replace_corpus([RESPONSE], [])
    with sqlite3.connect(store.db_path) as db:
        db.execute("PRAGMA user_version = 7")
    with pytest.raises(StoreError, match="newer version of summariser"):
        store.responses()
    assert _version(store.db_path) == 7


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path):
    path = tmp_path / "file.sqlite"
    migrations = [("CREATE TABLE first (x)",), ("CREATE TABLE second (y)", "NOT SQL AT ALL")]
    with pytest.raises(sqlite3.OperationalError), connect(path, migrations):
        pass
    with closing(sqlite3.connect(path)) as db:
        assert schema_version(db) == 0
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_corpus_connections_are_closed_after_use(tmp_path):
    store = Store(tmp_path / "store")
    store.replace_corpus([RESPONSE], [Rating("R01", "q2", 7)])
    store.mark_ingest_started()
    store.responses(), store.ratings(), store.meta(), store.respondents(["q1"])
    assert _open_files(tmp_path) == []
    with closing(sqlite3.connect(store.db_path)):  # the check itself can see an open file
        assert _open_files(tmp_path) != []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_a_failed_write_closes_its_connection_and_keeps_the_corpus(tmp_path):
    store = Store(tmp_path / "store")
    store.replace_corpus([RESPONSE], [])
    with pytest.raises(sqlite3.IntegrityError) as failure:  # the same response id twice
        store.replace_corpus([RESPONSE, RESPONSE], [])
    assert failure.traceback  # still held, with every frame of the failed write
    assert _open_files(tmp_path) == []
    assert store.responses() == [RESPONSE]


# The run log schema as written before it was versioned (user_version 0).
UNVERSIONED_RUNLOG = """
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY, started REAL NOT NULL, finished REAL, command TEXT NOT NULL,
  backend TEXT NOT NULL, model TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE calls (
  id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, section TEXT NOT NULL, prompt_name TEXT NOT NULL,
  prompt_sha256 TEXT NOT NULL, model TEXT NOT NULL, params TEXT NOT NULL, request TEXT NOT NULL,
  response TEXT NOT NULL, input_tokens INTEGER, output_tokens INTEGER, latency_ms REAL,
  cache_key TEXT NOT NULL, cached INTEGER NOT NULL, created REAL NOT NULL);
CREATE INDEX calls_cache_key ON calls (cache_key);
INSERT INTO runs VALUES ('run1', 1.0, 2.0, 'draft', 'openai', 'gpt-4o-mini', 'ok');
INSERT INTO calls (run_id, section, prompt_name, prompt_sha256, model, params, request, response,
  input_tokens, output_tokens, latency_ms, cache_key, cached, created)
  VALUES ('run1', 's1', 'draft_section', 'abc', 'gpt-4o-mini', '{}', '[]', '{"themes": []}',
          100, 20, 5.0, 'key1', 0, 1.5);
"""


def test_a_run_log_from_before_versioning_is_upgraded_in_place(tmp_path):
    from summariser.draft.runlog import RunLog

    path = tmp_path / "runs.sqlite"
    with closing(sqlite3.connect(path)) as db:
        db.executescript(UNVERSIONED_RUNLOG)
    log = RunLog(path)
    [run] = log.runs()
    assert (run.run_id, run.calls, run.input_tokens, run.output_tokens) == ("run1", 1, 100, 20)
    assert log.cached("key1") == ('{"themes": []}', 100, 20)  # old replies count as usable
    assert _version(path) == 2
    log.start("run2", "draft", "openai", "gpt-4o-mini")
    log.finish("run2", "ok")
    assert [r.run_id for r in log.runs()] == ["run2", "run1"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_run_log_connections_are_closed_after_use(tmp_path):
    from summariser.draft.runlog import RunLog

    log = RunLog(tmp_path / "runs.sqlite")
    log.start("run1", "draft", "openai", "gpt-4o-mini")
    log.record(run_id="run1", section="s1", prompt_name="p", prompt_sha256="0", model="m",
               params={}, request=[], response="{}", input_tokens=1, output_tokens=1,
               latency_ms=1.0, key="k", cached=False)
    log.finish("run1", "ok")
    log.cached("k"), log.runs(), log.usage_by_section("run1")
    assert _open_files(tmp_path) == []
