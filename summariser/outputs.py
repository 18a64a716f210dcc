"""The one home of writing outputs: drafts, the report and its figures, CSV tables and the
reviewer's report are all written here, atomically, and every failure is one line.

A file is written to a temporary file beside it (`.<name>.<random>.partial<suffix>`, the suffix
kept for writers that choose a format by it), flushed to disk, then renamed over the old one, so
a reader, or a crash, finds the old file or the new one, never part of either. A set of files
that belong together (a draft's Markdown, sidecar and codebook) is staged in full before the
first is renamed: a full disk, a read-only folder or a writer that raises part way leaves every
previous file as it was. A temporary file is held (an advisory lock on it) while its writer
lives, so one a killed writer left behind is told apart and removed by the next write into that
folder.

A report is a set of files and a folder of figures that readers take together (`published`). It
is written whole into a private folder beside them (`.staging-<id>/`), which one rename marks
complete (`.publishing-<id>/`); then each file is renamed over its namesake (a figure into the
figures folder, whose other files stay) and the rest removed. Linux cannot rename several paths
at once, and the files must stay where readers look for them (out/report.md, not a link into a
versioned folder), so the switch is several renames; but a set is only switched in once it is
whole, and a crash part way through is finished by the next run (roll forward), which also
removes a set that was never completed. Before, a kill left new figures beside the old Markdown
and Word files, and a crash between renames left the formats of two runs side by side.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from summariser.errors import SummariserError

try:
    import fcntl
except ImportError:  # not POSIX: no advisory locks, so nothing left behind is removed
    fcntl = None  # type: ignore[assignment]

__all__ = ["OutputError", "Publishing", "Staged", "ensure_folder", "finish_publishing",
           "published", "staged", "tidy_partials", "write_atomic"]

PARTIAL = ".*.partial*"  # what Staged names its temporary files
STAGING = ".staging-"  # a set being written
READY = ".publishing-"  # a set written whole, being switched in


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


def _hold(handle: int) -> None:
    """Lock `handle`'s file for as long as it is open: it is in use (BlockingIOError if another
    process holds it)."""
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _made_held(make: Callable[[], str]) -> tuple[int, str]:
    """A temporary file or folder made by `make`, open and held. Made again when another run's
    tidying took it for abandoned in the instant before it was held, and removed it."""
    while True:
        name = make()
        try:
            handle = os.open(name, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            _hold(handle)
        except BlockingIOError:  # held by a tidying run that is removing it
            os.close(handle)
            continue
        if os.fstat(handle).st_nlink:  # still there, and held: no tidying will remove it now
            return handle, name
        os.close(handle)


def _closed(made: tuple[int, str]) -> str:
    os.close(made[0])
    return made[1]


def _claim(path: Path) -> int | None:
    """Hold `path` (a temporary file or a staging folder) if no process does: its writer has
    ended, however (a kill, a full disk, a power cut), and will not finish it. The caller then
    removes or finishes it while holding it, so no new writer can take it up meanwhile, and
    closes the handle returned."""
    if fcntl is None:
        return None
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return None  # its writer is at work
    return handle


def tidy_partials(folder: Path) -> None:
    """Remove the temporary files in `folder` that no writer holds any more."""
    try:
        for path in folder.glob(PARTIAL):
            if path.is_file() and (handle := _claim(path)) is not None:
                try:
                    path.unlink(missing_ok=True)
                finally:
                    os.close(handle)
    except OSError:
        pass  # a folder that cannot be read or changed: left as it is


class Staged:
    """Files written to temporary paths beside their final ones, renamed into place together
    by `commit` (or removed by `discard`). Use through `staged()`."""

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path]] = []  # (temporary, final)
        self._held: list[int] = []  # the temporary files, open and locked until done with
        self._tidied: set[Path] = set()
        self.current: Path | None = None  # the final path being written, for error messages

    def path(self, final: Path) -> Path:
        """A temporary path to write `final`'s content to (for writers that take a path)."""
        self.current = final
        ensure_folder(final.parent)
        if final.parent not in self._tidied:
            tidy_partials(final.parent)
            self._tidied.add(final.parent)
        handle, name = _made_held(lambda: _closed(tempfile.mkstemp(
            dir=final.parent, prefix=f".{final.stem}.", suffix=f".partial{final.suffix}")))
        self._held.append(handle)
        self._files.append((Path(name), final))
        return Path(name)

    def _release(self) -> None:
        for handle in self._held:
            os.close(handle)
        self._held.clear()

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
        self._release()

    def discard(self) -> None:
        for temporary, _ in self._files:
            temporary.unlink(missing_ok=True)
        self._files.clear()
        self._release()


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


class Publishing:
    """A set being written into its staging folder (`published`)."""

    def __init__(self, folder: Path, stage: Path):
        self.folder = folder  # where the set is published
        self.stage = stage  # where it is written first
        self.current: Path | None = None  # the final path being written, for error messages

    def path(self, name: str) -> Path:
        """Where to write the set's file `name` (for writers that take a path)."""
        self.current = self.folder / name
        return self.stage / name

    def write(self, name: str, data: str | bytes) -> Path:
        """Write the set's file `name` (text as UTF-8); returns its published path."""
        path = self.path(name)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return self.folder / name


@contextmanager
def published(folder: Path) -> Iterator[Publishing]:
    """Write a set of files and folders inside the block (`Publishing.path`, `.write`, or into
    `.stage`); on leaving it normally they replace their namesakes in `folder` as one set (see
    the module's docstring), on any error none does and the set is removed, and an OSError
    becomes one line. What an earlier run left in `folder` is finished or removed first."""
    ensure_folder(folder)
    finish_publishing(folder)
    try:
        handle, name = _made_held(lambda: tempfile.mkdtemp(prefix=f"{STAGING}{time.time_ns()}-",
                                                           dir=folder))
    except OSError as exc:
        raise failure(folder, exc) from None
    stage = Path(name)
    publishing = Publishing(folder, stage)
    try:
        try:
            yield publishing
            _sync_tree(stage)
            ready = folder / (READY + stage.name.removeprefix(STAGING))
            os.rename(stage, ready)  # whole: from here on a crash is finished by the next run
            _sync_folder(folder)
        except OSError as exc:
            shutil.rmtree(stage, ignore_errors=True)
            raise failure(publishing.current or folder, exc) from None
        except OutputError as exc:  # a file staged inside the set: named where it would go
            shutil.rmtree(stage, ignore_errors=True)
            raise OutputError(str(exc).replace(str(stage), str(folder))) from None
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        try:
            _switch_in(ready, folder)
        except OSError as exc:
            raise OutputError(f"{folder}: the new files were written whole but not all put in "
                              f"place ({exc.strerror or exc}); run the command again to finish "
                              "putting them in place") from None
    finally:
        os.close(handle)


def finish_publishing(folder: Path) -> None:
    """What earlier runs left in `folder` when they were stopped: a set written whole is
    switched in (the oldest first), one never completed is removed, and so are temporary
    files no writer holds any more. A set whose writer is at work is left to it."""
    try:
        for ready in sorted(folder.glob(READY + "*")):
            if ready.is_dir() and (handle := _claim(ready)) is not None:
                try:
                    _switch_in(ready, folder)
                finally:
                    os.close(handle)
        for stage in folder.glob(STAGING + "*"):
            if stage.is_dir() and (handle := _claim(stage)) is not None:
                try:
                    shutil.rmtree(stage, ignore_errors=True)
                finally:
                    os.close(handle)
    except OSError as exc:
        raise failure(folder, exc) from None
    tidy_partials(folder)


def _switch_in(ready: Path, folder: Path) -> None:
    """Rename each file of the whole set `ready` over its namesake in `folder`, then remove
    what is left. Run again after a crash, it finishes the files not yet renamed."""
    _move_into(ready, folder)
    shutil.rmtree(ready, ignore_errors=True)


def _move_into(source: Path, folder: Path) -> None:
    """Each entry of `source` over its namesake in `folder`; a folder's files into the folder of
    its name, so what else that holds stays (an analyst's own files in out/figures, once
    removed with the folder they sat in), but for temporary files a killed writer left."""
    for entry in sorted(source.iterdir()):
        target = folder / entry.name
        if entry.is_dir():
            if target.is_dir() and not target.is_symlink():
                tidy_partials(target)
                _move_into(entry, target)
                continue
            if target.is_symlink() or target.exists():
                target.unlink()
            os.rename(entry, target)
        else:
            os.replace(entry, target)
    _sync_folder(folder)


def _sync_tree(folder: Path) -> None:
    """Every file under `folder` on disk, and the folders' entries, before the set is marked
    whole: a power cut must not leave a "whole" set of empty files."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb+") as out:
                os.fsync(out.fileno())
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir())]:
        _sync_folder(path)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `path` so that a reader sees the old file or the new one, never half."""
    with staged() as out:
        out.write(path, data)
