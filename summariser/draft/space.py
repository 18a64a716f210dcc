"""A section's meaning space: its segments' vectors with what they share by circumstance taken out.

Answers to one question share a lot that is not an idea: the place or service the question is
about, and, in feedback sent to several organisations, who each answer is addressed to ("@united
my bag ..."). all-MiniLM-L6-v2 puts such answers close together whatever they say, so unrelated
answers would look alike and groups would form around an addressee ("@USAirways" was once a
theme). Two kinds of direction are removed from every vector before similarities are taken:
the section's common direction (the normalised mean of its segments), and for each @handle that
at least `ADDRESSEE_SHARE` of the segments use, the direction from the section's mean to the
mean of the segments that use it. Drafting's proposals and its coding use the same space, so a
theme proposed in it is coded in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from summariser.draft.phrases import addressees
from summariser.records import Passage

# Chosen with discovery as a whole on the labelled sets and the development judgments; where,
# and what they give held back: benchmarks/README.md, "Thresholds".
ADDRESSEE_SHARE = 0.01  # an @handle this share of segments use is a direction removed
MAX_ADDRESSEES = 20
CHUNK = 8192  # rows at a time in `project_out`: its temporaries stay small for any section


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def nuisance_basis(passages: Sequence[Passage], vectors: np.ndarray) -> np.ndarray:
    """Orthonormal rows spanning the directions to remove (see the module docstring)."""
    if len(vectors) == 0:
        return np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 1), dtype=np.float32)
    mean = vectors.mean(axis=0)
    directions = [mean]
    users: dict[str, list[int]] = defaultdict(list)
    for i, passage in enumerate(passages):
        for handle in set(addressees(passage.text)):
            users[handle].append(i)
    least = max(2, ADDRESSEE_SHARE * len(passages))
    common = sorted((h for h, rows in users.items() if len(rows) >= least),
                    key=lambda h: (-len(users[h]), h))[:MAX_ADDRESSEES]
    directions += [vectors[users[h]].mean(axis=0) - mean for h in common]
    basis: list[np.ndarray] = []
    for direction in directions:  # Gram-Schmidt, dropping what the others already span
        rest = direction - sum((float(b @ direction) * b for b in basis),
                               np.zeros_like(direction))
        if float(np.linalg.norm(rest)) > 1e-6 * max(float(np.linalg.norm(direction)), 1e-12):
            basis.append(_unit(rest))
    return np.array(basis, dtype=np.float32)


def project_out(vectors: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Unit vectors with their components along `basis` (orthonormal rows) removed."""
    out = np.empty(vectors.shape, dtype=np.float32)
    for first in range(0, len(vectors), CHUNK):
        part = vectors[first:first + CHUNK]
        kept = part - (part @ basis.T) @ basis if len(basis) else part
        out[first:first + CHUNK] = kept / np.clip(np.linalg.norm(kept, axis=1, keepdims=True),
                                                  1e-12, None)
    return out
