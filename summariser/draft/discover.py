"""Discovery by meaning: groups of segments that say the same thing in different words.

A phrase several people share finds an idea only when they word it alike. Here segments are
grouped by what they mean: average-linkage agglomerative clustering (scikit-learn) of their
all-MiniLM-L6-v2 vectors, after the section's common direction is removed (what every answer
shares, such as the service the question is about), cut where the mean cosine distance between
two groups exceeds `GROUP_DISTANCE`. A large section is clustered on an even sample of
`MAX_CLUSTERED` segments (in passage-id order, so the result does not depend on the order of
the input), and every segment then joins the group whose centre it is closest to, if it is at
least `JOIN_SIMILARITY` close. A group only proposes a theme: who counts is decided by coding.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Chosen with discovery as a whole on the labelled sets and the development judgments; where,
# and what they give held back: benchmarks/README.md, "Thresholds".
GROUP_DISTANCE = 0.9  # cosine distance (centred vectors) at which groups stop merging
MAX_CLUSTERED = 3000  # segments clustered at once (the rest join the groups found)
JOIN_SIMILARITY = 0.3  # a segment outside the sample joins a group this close to its centre


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.clip(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12, None)


def meaning_groups(centred: np.ndarray, rows: Sequence[int], order: Sequence[str],
                   distance: float = GROUP_DISTANCE) -> list[list[int]]:
    """Groups (lists of row indices, sorted) among `rows` of `centred` (unit vectors with the
    section's common direction removed). `order` gives each row's sort key (its passage id)."""
    from sklearn.cluster import AgglomerativeClustering

    ranked = sorted(rows, key=lambda i: order[i])
    if len(ranked) < 2:
        return []
    step = max(1, -(-len(ranked) // MAX_CLUSTERED))
    sample = ranked[::step]
    labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                     distance_threshold=distance).fit_predict(centred[sample])
    groups: dict[int, list[int]] = {}
    for row, label in zip(sample, labels):
        groups.setdefault(int(label), []).append(row)
    found = [sorted(g) for g in groups.values() if len(g) > 1]
    if step > 1 and found:
        centres = unit_rows(np.array([centred[g].mean(axis=0) for g in found]))
        rest = sorted(set(ranked) - set(sample))
        closeness = centred[rest] @ centres.T
        nearest = closeness.argmax(axis=1)
        for row, group, score in zip(rest, nearest, closeness.max(axis=1)):
            if score >= JOIN_SIMILARITY:
                found[int(group)].append(row)
        found = [sorted(g) for g in found]
    return sorted(found, key=lambda g: (-len(g), order[g[0]]))
