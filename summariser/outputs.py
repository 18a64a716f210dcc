"""The one home of writing outputs: drafts, the report and its figures, CSV tables and the
reviewer's report are all written here, atomically, and every failure is one line.

A file is written to a temporary file beside it (`.<name>.<random>.partial<suffix>`, the suffix
kept for writers that choose a format by it), flushed to disk, then renamed over the old one, so
a reader, or a crash, finds the old file or the new one, never part of either. A set of files
that belong together (a report's Markdown, HTML and Word files; a draft's Markdown, sidecar and
codebook) is staged in full before the first is renamed: a full disk, a read-only folder or a
writer that raises part way leaves every previous file as it was.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from summariser.errors import SummariserError

__all__ = ["OutputError", "Staged", "ensure_folder", "staged", "write_atomic"]


class OutputError(SummariserError):
    """An output file or folder cannot be written."""


def failure(path: Path, exc: OSError) -> OutputError:
    """One line saying which file could not be written, why, and what to do."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        why, action = "the disk is full", "free some space"
    elif code == errno.EROFS:
        why, action = "the disk is read-only", "choose a folder on a writable disk"
    elif code in (errno.EACCES, errno.EPERM):
        why, action = "permission denied", "choose a folder you can write to"
    else:
        why, action = exc.strerror or str(exc), "check the folder"
    return OutputError(f"{path}: cannot be written ({why}); nothing there was changed. "
                       f"{action.capitalize()}, then run this again")


def ensure_folder(folder: Path) -> Path:
    """Create `folder` (and its parents) if missing, or say in one line why it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise failure(folder, exc) from None
    if not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder; choose another output folder")
    return folder


def _mode_for(path: Path) -> int:
    """The permissions the file would get if written in place: an existing file's own, or
    those the umask gives a new file (mkstemp's 0600 would hide a report from its readers)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class Staged:
    """Files written to temporary paths beside their final ones, renamed into place together
    by `commit` (or removed by `discard`). Use through `staged()`."""

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path]] = []  # (temporary, final)
        self.current: Path | None = None  # the final path being written, for error messages

    def path(self, final: Path) -> Path:
        """A temporary path to write `final`'s content to (for writers that take a path)."""
        self.current = final
        ensure_folder(final.parent)
        handle, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.stem}.",
                                        suffix=f".partial{final.suffix}")
        os.close(handle)
        self._files.append((Path(name), final))
        return Path(name)

    def write(self, final: Path, data: str | bytes) -> Path:
        """Stage `data` (text is written as UTF-8, line endings as given) for `final`."""
        temporary = self.path(final)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        with temporary.open("wb") as out:
            out.write(payload)
        return final

    def commit(self) -> None:
        for temporary, final in self._files:
            self.current = final
            with temporary.open("rb+") as out:
                os.fsync(out.fileno())
            temporary.chmod(_mode_for(final))
        for temporary, final in self._files:
            self.current = final
            os.replace(temporary, final)
        for folder in {final.parent for _, final in self._files}:
            _sync_folder(folder)
        self._files.clear()

    def discard(self) -> None:
        for temporary, _ in self._files:
            temporary.unlink(missing_ok=True)
        self._files.clear()


def _sync_folder(folder: Path) -> None:
    """Make the renames themselves durable (a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


@contextmanager
def staged() -> Iterator[Staged]:
    """Stage files inside the block; on leaving it normally they are all renamed into place,
    on any error none is, and an OSError becomes one line (OutputError)."""
    outputs = Staged()
    try:
        yield outputs
        outputs.commit()
    except OSError as exc:
        outputs.discard()
        where = outputs.current or Path(exc.filename or "output")
        raise failure(where, exc) from None
    except BaseException:
        outputs.discard()
        raise


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `path` so that a reader sees the old file or the new one, never half."""
    with staged() as out:
        out.write(path, data)
