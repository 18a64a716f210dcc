"""The run log: every model call, in SQLite, in the project directory (`runs.sqlite`).

Schema version 1 (`PRAGMA user_version`; documented because reviewers query it directly):
  runs(run_id, started, finished, command, backend, model, status)
  calls(id, run_id, section, prompt_name, prompt_sha256, model, params JSON, request JSON
        (the messages as sent, after redaction), response TEXT, input_tokens, output_tokens,
        latency_ms, cache_key, cached 0/1, created, status, error)
Schema version 2 adds `status` ("ok"; "invalid": the reply could not be used; "failed": the call
raised, with `error` in one line, no credentials) and `error`.
A call whose cache_key (model identity + every generation parameter + request) was answered
before with a usable reply is served from the log: a re-run costs no tokens, and a broken or
failed reply is never served. `--no-cache` skips the lookup but still records the call.
A schema change is a new entry in MIGRATIONS (see summariser.database); a log from before
versioning is version 0 and is upgraded in place.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summariser.database import Migration, connect

if TYPE_CHECKING:
    from summariser.project.manifest import Manifest

RUNLOG_FILE = "runs.sqlite"
MIGRATIONS: tuple[Migration, ...] = (
    (  # 1: the first schema; CREATE IF NOT EXISTS, so files from before versioning keep theirs
        "CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, started REAL NOT NULL, "
        "finished REAL, command TEXT NOT NULL, backend TEXT NOT NULL, model TEXT NOT NULL, "
        "status TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS calls (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, "
        "section TEXT NOT NULL, prompt_name TEXT NOT NULL, prompt_sha256 TEXT NOT NULL, "
        "model TEXT NOT NULL, params TEXT NOT NULL, request TEXT NOT NULL, response TEXT NOT "
        "NULL, input_tokens INTEGER, output_tokens INTEGER, latency_ms REAL, cache_key TEXT NOT "
        "NULL, cached INTEGER NOT NULL, created REAL NOT NULL)",
        "CREATE INDEX IF NOT EXISTS calls_cache_key ON calls (cache_key)",
    ),
    (  # 2: whether the reply was usable, and why not
        "ALTER TABLE calls ADD COLUMN status TEXT NOT NULL DEFAULT 'ok'",
        "ALTER TABLE calls ADD COLUMN error TEXT",
    ),
)
# US$ per million input / output tokens, for the estimate `summariser runs` shows.
PRICES = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-5-mini": (0.25, 2.00),
}


@dataclass(frozen=True, slots=True)
class RunSummary:
    run_id: str
    started: float
    command: str
    backend: str
    model: str
    status: str
    calls: int
    cached_calls: int
    input_tokens: int
    output_tokens: int
    unusable: int = 0  # calls that failed or whose reply could not be used

    @property
    def cost(self) -> float | None:
        price = PRICES.get(self.model.split(":")[-1])
        if price is None:
            return None
        return (self.input_tokens * price[0] + self.output_tokens * price[1]) / 1e6


def cache_key(model: str, params: dict[str, Any], request: list[dict[str, str]]) -> str:
    blob = json.dumps([model, params, request], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def runlog_for(manifest: Manifest) -> RunLog:
    return RunLog(manifest.inside(RUNLOG_FILE))


class RunLog:
    def __init__(self, path: Path):
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with connect(self.path, MIGRATIONS, timeout=30) as db:
            yield db

    def start(self, run_id: str, command: str, backend: str, model: str) -> None:
        with self._connect() as db, db:
            db.execute("INSERT OR REPLACE INTO runs VALUES (?,?,?,?,?,?,?)",
                       (run_id, time.time(), None, command, backend, model, "running"))

    def finish(self, run_id: str, status: str) -> None:
        with self._connect() as db, db:
            db.execute("UPDATE runs SET finished = ?, status = ? WHERE run_id = ?",
                       (time.time(), status, run_id))

    def cached(self, key: str) -> tuple[str, int, int] | None:
        with self._connect() as db:
            row = db.execute("SELECT response, input_tokens, output_tokens FROM calls WHERE "
                             "cache_key = ? AND cached = 0 AND status = 'ok' ORDER BY id DESC "
                             "LIMIT 1",
                             (key,)).fetchone()
        return tuple(row) if row else None

    def record(self, *, run_id: str, section: str, prompt_name: str, prompt_sha256: str,
               model: str, params: dict[str, Any], request: list[dict[str, str]],
               response: str, input_tokens: int | None, output_tokens: int | None,
               latency_ms: float, key: str, cached: bool, status: str = "ok",
               error: str | None = None) -> int:
        """Log one call; returns its row id (for `set_status`)."""
        with self._connect() as db, db:
            cursor = db.execute(
                "INSERT INTO calls (run_id, section, prompt_name, prompt_sha256, model, params, "
                "request, response, input_tokens, output_tokens, latency_ms, cache_key, cached, "
                "created, status, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (run_id, section, prompt_name, prompt_sha256, model,
                 json.dumps(params, sort_keys=True, default=str),
                 json.dumps(request, ensure_ascii=False), response, input_tokens, output_tokens,
                 latency_ms, key, int(cached), time.time(), status, error))
            row_id = cursor.lastrowid
            assert row_id is not None  # an INSERT always sets it
            return row_id

    def set_status(self, call_id: int, status: str, error: str | None = None) -> None:
        """Mark a logged reply as unusable ("invalid"), so it is never served from the cache."""
        with self._connect() as db, db:
            db.execute("UPDATE calls SET status = ?, error = ? WHERE id = ?",
                       (status, error, call_id))

    def failures(self, run_id: str) -> list[tuple[str, str, str, str]]:
        """(section, prompt, status, error) of the run's calls that gave no usable reply."""
        with self._connect() as db:
            return db.execute("SELECT section, prompt_name, status, COALESCE(error, '') FROM "
                              "calls WHERE run_id = ? AND status != 'ok' ORDER BY id",
                              (run_id,)).fetchall()

    def runs(self, limit: int = 20) -> list[RunSummary]:
        if not self.path.exists():
            return []
        with self._connect() as db:
            rows = db.execute("""
                SELECT r.run_id, r.started, r.command, r.backend, r.model, r.status,
                       COUNT(c.id), COALESCE(SUM(c.cached), 0),
                       COALESCE(SUM(CASE WHEN c.cached = 0 THEN c.input_tokens END), 0),
                       COALESCE(SUM(CASE WHEN c.cached = 0 THEN c.output_tokens END), 0),
                       COALESCE(SUM(CASE WHEN c.status != 'ok' THEN 1 END), 0)
                FROM runs r LEFT JOIN calls c ON c.run_id = r.run_id
                GROUP BY r.run_id ORDER BY r.started DESC LIMIT ?""", (limit,)).fetchall()
        return [RunSummary(*row) for row in rows]

    def usage_by_section(self, run_id: str) -> list[tuple[str, int, int, int]]:
        """(section, calls, input tokens, output tokens) of the calls that cost tokens."""
        with self._connect() as db:
            return db.execute("SELECT section, COUNT(*), COALESCE(SUM(input_tokens), 0), "
                              "COALESCE(SUM(output_tokens), 0) FROM calls WHERE run_id = ? AND "
                              "cached = 0 GROUP BY section ORDER BY section",
                              (run_id,)).fetchall()
