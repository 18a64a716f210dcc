"""Fakes for fast tests. They live in the package so every test uses the same ones.

Integration tests use the real embedder, a real Chroma store and a real HTTP server instead.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


class HashEmbedder:
    """Deterministic bag-of-words vectors: similar wording gives similar vectors, no model needed.

    `pause_after` batches, it calls `on_pause` (tests use it to kill or interrupt an ingest).
    """

    name = "hash-embedder-test"
    dimension = 64

    def __init__(self, pause_after: int | None = None,
                 on_pause: Callable[[], None] | None = None):
        self.calls = 0
        self._pause_after = pause_after
        self._on_pause = on_pause

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._pause_after is not None and self.calls >= self._pause_after and self._on_pause:
            self._on_pause()
        self.calls += 1
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % self.dimension
                vectors[row, bucket] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def touch_and_wait(marker: Path, seconds: float = 60.0) -> Callable[[], None]:
    """An `on_pause` that signals a watching test, then stalls until the test kills the process."""

    def pause() -> None:
        marker.write_text("paused")
        time.sleep(seconds)

    return pause
