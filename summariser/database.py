"""The project's SQLite files (the corpus, the run log): opened for one use and closed after, their
schema versioned with `PRAGMA user_version` and brought up to date by a list of migrations.

Version N means the first N migrations have been applied; a file from before versioning reads
as version 0 and is upgraded in place. Each migration is a tuple of SQL statements; those a file
lacks are applied, with its new version number, in one transaction, so a file is never left half
migrated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from summariser.errors import StoreError

Migration = tuple[str, ...]
# SQLite's words for a file or folder it may not write to (read-only disk, permissions).
_CANNOT_WRITE = {"SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_READONLY_DIRECTORY",
                 "SQLITE_READONLY_DBMOVED", "SQLITE_IOERR_WRITE", "SQLITE_PERM"}


@contextmanager
def connect(path: Path, migrations: Sequence[Migration],
            timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
    """A connection to an up-to-date file, closed on leaving the block.

    `with sqlite3.connect(...)` only commits or rolls back, and leaves the file open: callers
    that write say `with connect(...) as db, db:`.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=timeout)) as connection:
            migrate(connection, migrations, path)
            yield connection
    except OSError as exc:
        raise StoreError(f"{path}: cannot be opened ({exc.strerror}); check that its folder "
                         "exists and is writable") from None
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "") in _CANNOT_WRITE:
            raise StoreError(f"{path}: cannot be written ({exc}); check that its folder is "
                             "writable, or work on a copy of the project") from None
        raise


def schema_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def migrate(connection: sqlite3.Connection, migrations: Sequence[Migration], path: Path) -> None:
    """Apply the migrations the file lacks. Refuses a file written by a newer version."""
    latest = len(migrations)
    if schema_version(connection) == latest:
        return
    # IMMEDIATE takes the write lock at once: a second process waits, then finds the work done.
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(connection)
        if version > latest:
            raise StoreError(f"{path} was written by a newer version of summariser (schema "
                             f"{version}; this version reads up to {latest}): upgrade summariser")
        for number in range(version, latest):
            for statement in migrations[number]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number + 1}")
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
