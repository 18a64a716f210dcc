"""What can go wrong under the vector store, told in one line: a Chroma database that is
damaged, a disk that is full, a folder that cannot be written.

Chroma raises many types of error, by version, by damage and by disk, and the panics of its Rust
bindings derive from BaseException; some damage (a text that is not UTF-8) ends the whole
process from inside the bindings, past any handler. So Chroma's database is looked at with
SQLite first (`damage`), and what Chroma raises is turned into a `StoreError` that says what to
do (`chroma_faults`): `DamagedVectors` when the store cannot be read, which `ingest` answers by
rebuilding the vectors from the corpus. Chroma does not always say that it was the disk (a
compaction cut short by a full disk fails as "Error in compaction"), so a write that fails with
little space left is said to be a full disk.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from summariser.errors import StoreError

__all__ = ["LOW_DISK", "REPAIR", "DamagedVectors", "chroma_failure", "chroma_faults", "damage",
           "damaged", "opening_error", "read_only"]

REPAIR = "summariser ingest"
LOW_DISK = 64 * 1024 * 1024  # a write that fails with less than this left: the disk is full


class DamagedVectors(StoreError):
    """The vector store cannot be read: `ingest` rebuilds it from the corpus."""

    def __init__(self, message: str, why: str):
        super().__init__(message)
        self.why = why


def damage(folder: Path, every_text: bool) -> str:
    """Why Chroma's database is damaged, or "" when SQLite finds it whole (or there is
    none yet). Chroma's bindings end the whole process, past any error handling, on some
    damage (a text that is not UTF-8), so the file is looked at first, read-only: by
    SQLite's quick check and by reading the texts of the tables that describe the store
    (collections, segments, migrations; small), and with `every_text` (ingest) the texts
    of the passages too."""
    path = folder / "chroma.sqlite3"
    if not path.is_file():
        return ""
    try:
        return _checked(path, "ro", every_text)
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # SQLite's message may be garbled
        if not _needs_writing(exc):
            return " ".join(str(exc).split()) or type(exc).__name__
    # A writer stopped part way (a killed ingest) can leave a log that SQLite replays when the
    # file is next opened, and a read-only connection cannot replay it: that is SQLite's own
    # recovery, not damage, so the file is looked at read-write, which replays it. Where it
    # cannot be written either (a read-only disk), Chroma's own opening is left to tell.
    try:
        return _checked(path, "rw", every_text)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        if _needs_writing(exc):
            return ""
        return " ".join(str(exc).split()) or type(exc).__name__


def _checked(path: Path, mode: str, every_text: bool) -> str:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True)) as db:
        db.text_factory = bytes  # a garbled text is a finding, not an exception
        found = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
        if found != [b"ok"]:
            return "; ".join(f.decode("utf-8", "replace") for f in found)
        for (sql,) in db.execute("SELECT sql FROM sqlite_master WHERE sql NOT NULL"):
            if not _utf8(sql):
                return "its schema is not UTF-8"
        return _undecodable_text(db, every_text)


def _needs_writing(exc: BaseException) -> bool:
    """SQLite refused a read-only connection because opening the file needs a write (the
    replay of a log a stopped writer left), not because the file is damaged."""
    return str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_READONLY")


def _undecodable_text(db: sqlite3.Connection, passages: bool) -> str:
    """Where the first text that is not UTF-8 is, or "": in the ordinary tables, those of the
    passages (Chroma's `embedding...` tables, the bulk of the file) only with `passages`."""
    tables = [row[0].decode() for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    for table in tables:
        if table.startswith("embedding") and not passages:
            continue
        columns = [row[1].decode() for row in db.execute(f'PRAGMA table_info("{table}")')]
        for column in columns:
            for (value,) in db.execute(f'SELECT "{column}" FROM "{table}" '
                                       f'WHERE typeof("{column}") = \'text\''):
                if not _utf8(value):
                    return f"a text in {table}.{column} is not UTF-8"
    return ""


def _utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_only(exc: BaseException) -> bool:
    return "readonly" in str(exc).lower() or "read-only" in str(exc).lower()


def _disk_full(exc: BaseException) -> bool:
    """Chroma's errors carry SQLite's or the system's words, rarely an errno."""
    text = str(exc).lower()
    return getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or any(
        words in text for words in ("disk is full", "no space left", "os error 28",
                                    "quota exceeded"))


@contextmanager
def chroma_faults(folder: Path, write: bool) -> Iterator[None]:
    """Chroma's failures inside the block as one line each (`opening_error`)."""
    try:
        yield
    except StoreError:
        raise
    except BaseException as exc:  # chromadb raises many types, by version, damage and disk
        if not chroma_failure(exc):
            raise
        raise opening_error(exc, folder, write) from None


def chroma_failure(exc: BaseException) -> bool:
    """An error of Chroma's, to be said in one line: any Exception, and the panics of its Rust
    bindings, which derive from BaseException (as KeyboardInterrupt does, which is not one)."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def opening_error(exc: BaseException, folder: Path, write: bool) -> StoreError:
    why = " ".join(str(exc).split())[:300] or type(exc).__name__
    free = _free_bytes(folder)
    # Chroma does not always say it was the disk: a compaction cut short by a full disk
    # fails as "Error in compaction", so a write that fails on a nearly full disk is said so.
    if _disk_full(exc) or (write and free is not None and free < LOW_DISK):
        left = "" if free is None else f", {free / 1e6:,.1f} MB left"
        return StoreError(f"The disk under the vector store {folder} is full ({why}{left}); "
                          f"free some space, then run '{REPAIR}' again: it completes the "
                          "vectors, or rebuilds them if the full disk damaged them")
    if read_only(exc) or (write and not os.access(folder.parent, os.W_OK)):
        return StoreError(f"Cannot write to the vector store {folder} ({why}); check that the "
                          "store folder is writable, or use --store DIR")
    return damaged(folder, why, "could not be written" if write else "cannot be read")


def _free_bytes(folder: Path) -> int | None:
    """The space left to an unprivileged writer on the disk holding `folder`."""
    for place in (folder, *folder.parents):
        try:
            found = os.statvfs(place)
        except OSError:
            continue
        return found.f_bavail * found.f_frsize
    return None


def damaged(folder: Path, why: str, what: str = "cannot be read") -> DamagedVectors:
    return DamagedVectors(f"The vector store {folder} {what} ({why}); run '{REPAIR}': it "
                          "rebuilds the vectors from the corpus", why)
