"""The `local` backend: a GGUF model served on a free loopback port by our small llama.cpp server
(summariser.draft.llama_server, over cyllama's prebuilt wheel; extra 'local'), and drafted with
through the OpenAI-compatible chat model, the one code path every server takes.

By default the model is Qwen2.5-Coder-1.5B-Instruct from PyPI (summariser.draft.packaged). What
runs is checked first: the model file's size (its sha256 was checked when its parts were
joined) and the sha256 of each of cyllama's compiled libraries against the hashes its installed
wheel recorded (a damaged or altered install is refused, naming what to reinstall). The server
is stopped when the run ends, and stops itself if this process dies.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from summariser.draft.packaged import DEFAULT_LOCAL_MODEL, PACKAGED, file_identity, packaged_path
from summariser.errors import MissingDependency, ModelError

RUNTIME = "cyllama"  # the wheel whose compiled llama.cpp the server runs
START_S = 120.0  # loading a 1.1 GB model takes seconds; far longer means it will not start
CONTEXT = 8192


def gguf_path(model: str | None, progress: bool = True) -> Path:
    """The model file to run: `model` (a path, or a packaged model's name) or the default; fails
    at once when the extra is missing or the file is not there."""
    if importlib.util.find_spec(RUNTIME) is None:
        raise MissingDependency(RUNTIME, "local", "The local backend")
    name = model or DEFAULT_LOCAL_MODEL
    if name in PACKAGED:
        return packaged_path(PACKAGED[name], progress)
    path = Path(name)
    if not path.is_file():
        raise ModelError(f"No GGUF model at {path}; pass --model PATH.gguf or one of "
                         f"{', '.join(PACKAGED)}")
    return path


def check_runtime() -> int:
    """Check the sha256 of each compiled library of the installed runtime against the hash its
    wheel recorded (RECORD); returns how many were checked."""
    try:
        files = importlib.metadata.files(RUNTIME) or []
    except importlib.metadata.PackageNotFoundError:
        raise MissingDependency(RUNTIME, "local", "The local backend") from None
    checked = 0
    for entry in files:
        if not (entry.name.endswith(".so") or ".so." in entry.name) or entry.hash is None:
            continue
        path = Path(str(entry.locate()))
        digest = hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b""
        if entry.hash.mode != "sha256" or base64.urlsafe_b64encode(digest).rstrip(b"=") \
                != entry.hash.value.encode():
            raise ModelError(f"{path} is not the file its {RUNTIME} wheel installed (sha256 "
                             f"differs); reinstall it: pip install --force-reinstall "
                             f"--no-deps {RUNTIME}")
        checked += 1
    if not checked:
        raise ModelError(f"The installed {RUNTIME} records no compiled library to check; "
                         f"reinstall it: pip install --force-reinstall --no-deps {RUNTIME}")
    return checked


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalServer:
    """The model behind our server on 127.0.0.1 at a free port, as a subprocess; a context
    manager, or `start()` and `stop()`. `deadline` is the longest one request may run."""

    def __init__(self, model_path: Path, deadline: float, n_ctx: int = CONTEXT,
                 start_s: float = START_S):
        self.model_path, self.deadline, self.n_ctx, self.start_s = \
            model_path, deadline, n_ctx, start_s
        self.port = 0
        self.name = model_path.name
        self.identity = f"sha256:{file_identity(model_path)}"
        self._process: subprocess.Popen[bytes] | None = None
        self._log: tempfile._TemporaryFileWrapper[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> LocalServer:
        check_runtime()
        self.port = free_port()
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115  # closed by stop()
            prefix="summariser-llama-", suffix=".log")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "summariser.draft.llama_server", "--model",
             str(self.model_path), "--name", self.name, "--port", str(self.port),
             "--ctx", str(self.n_ctx), "--deadline", str(self.deadline),
             "--parent", str(os.getpid())],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.start_s
        try:
            while not self._ready():
                if self._process.poll() is not None:
                    raise ModelError(f"The local model server stopped while loading "
                                     f"{self.model_path.name}: {self._last_line()}; check "
                                     "that the file is a whole GGUF model (--model), or "
                                     "draft offline with --llm extractive")
                if time.monotonic() > deadline:
                    raise ModelError(f"The local model server did not load "
                                     f"{self.model_path.name} in {self.start_s:.0f} s; the "
                                     "machine may be too busy or short of memory: close other "
                                     "work and run this again, or draft offline with --llm "
                                     "extractive")
                time.sleep(0.5)
        except BaseException:
            self.stop()
            raise
        return self

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health",
                                        timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    def _last_line(self) -> str:
        if self._log is None:
            return "no output"
        lines = Path(self._log.name).read_text(errors="replace").strip().splitlines()
        return lines[-1][:200] if lines else "no output"

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
