"""Offline theme finding: cluster passage embeddings, label clusters, pick quotes.

No model writes anything here. The number of themes is chosen per question by silhouette (so a
question with two clear topics gets two, one with many gets more), near-duplicate clusters are
merged, an answer that speaks to a second theme almost as strongly as its first is counted in
both, and clusters too small to stand alone are pooled in an honest "Other points" theme:
no answer is ever left out. Everything is deterministic for a given corpus.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_THEMES = 7  # a report section reads best with 2-7 themes
MERGE_SIMILARITY = 0.88  # centroids closer than this are one theme said twice
SECOND_THEME_MARGIN = 0.04  # within this of its best theme, a passage counts in a second one
SECOND_THEME_FLOOR = 0.45  # ... and only when it is clearly about that theme at all
SILHOUETTE_SAMPLE = 1500
STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
don't down during each etc even few for from further get got had hadn't has hasn't have haven't
having he her here hers herself him himself his how i i'm if in into is isn't it it's its itself
just let's like made make many may me might more most much must my myself need needs no nor not
now of off on once one only or other ought our ours ourselves out over own really same shall she
should shouldn't so some still such than that that's the their theirs them themselves then there
there's these they they're this those through to too under until up upon us use used very was
wasn't we we're well were weren't what when where which while who whom why will with within
without won't would wouldn't yet you your yours yourself also e.g i.e able across already always
another around back been being believe come done every going good great have help keep know lot
lots new next often part people place put see seen something take thing things think time way
ways work working year years
""".split())
WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")


@dataclass(frozen=True, slots=True)
class Cluster:
    members: tuple[int, ...]  # indices of passages whose best theme this is
    also: tuple[int, ...]  # passages that count here as their second theme
    key_phrases: tuple[str, ...]
    centroid: np.ndarray
    other: bool = False  # the pooled "Other points" theme

    @property
    def covered(self) -> tuple[int, ...]:
        return self.members + self.also


def tokens(text: str) -> list[str]:
    """Content words and two-word phrases, lower-cased."""
    words = [w.strip("'’-").removesuffix("'s").removesuffix("’s")
             for w in WORD.findall(text.lower())]
    content = [w if w not in STOPWORDS and len(w) > 2 else None for w in words]
    bigrams = [f"{a} {b}" for a, b in zip(content, content[1:]) if a and b]
    return [w for w in content if w] + bigrams


def kmeans(vectors: np.ndarray, k: int, seed: int = 0, iterations: int = 50) -> np.ndarray:
    """Spherical k-means with deterministic k-means++ seeding; returns a label per row."""
    rng = np.random.default_rng(seed)
    n = len(vectors)
    centres = [vectors[int(rng.integers(n))]]
    for _ in range(1, k):
        distance = 1.0 - np.max(vectors @ np.array(centres).T, axis=1)
        distance = np.clip(distance, 0, None) ** 2
        total = distance.sum()
        pick = int(rng.choice(n, p=distance / total)) if total > 0 else int(rng.integers(n))
        centres.append(vectors[pick])
    centroids = np.array(centres)
    labels = np.full(n, -1)
    for _ in range(iterations):
        new = np.argmax(vectors @ centroids.T, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        for c in range(k):
            mine = vectors[labels == c]
            if len(mine):
                mean = mine.sum(axis=0)
                centroids[c] = mean / max(np.linalg.norm(mean), 1e-12)
    return labels


def silhouette(vectors: np.ndarray, labels: np.ndarray) -> float:
    """Mean cosine silhouette (on a fixed sample for large inputs), vectorised."""
    if len(vectors) > SILHOUETTE_SAMPLE:
        keep = np.random.default_rng(1).choice(len(vectors), SILHOUETTE_SAMPLE, replace=False)
        vectors, labels = vectors[keep], labels[keep]
    clusters, index = np.unique(labels, return_inverse=True)
    members = np.eye(len(clusters))[index]  # one-hot, n x k
    sizes = members.sum(axis=0)
    totals = (1.0 - vectors @ vectors.T) @ members  # summed distance to each cluster, n x k
    rows = np.arange(len(vectors))
    own_size = sizes[index]
    a = totals[rows, index] / np.maximum(own_size - 1, 1)
    others = totals / sizes
    others[rows, index] = np.inf
    b = others.min(axis=1)
    scores = np.where(own_size > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(scores.mean())


def choose_labels(vectors: np.ndarray, max_k: int = MAX_THEMES) -> np.ndarray:
    """The clustering with the best silhouette among k = 2 .. max_k."""
    n = len(vectors)
    if n < 4:
        return np.zeros(n, dtype=int)
    best_labels, best_score = np.zeros(n, dtype=int), -1.0
    for k in range(2, min(max_k, n // 3) + 1):
        labels = kmeans(vectors, k)
        if len(set(labels.tolist())) < k:
            continue
        score = silhouette(vectors, labels)
        if score > best_score + 1e-9:
            best_labels, best_score = labels, score
    return best_labels


def _centroid(vectors: np.ndarray) -> np.ndarray:
    mean = vectors.sum(axis=0)
    return mean / max(np.linalg.norm(mean), 1e-12)


def _merge_near_duplicates(vectors: np.ndarray, groups: list[list[int]]) -> list[list[int]]:
    merged = True
    while merged and len(groups) > 1:
        merged = False
        centroids = np.array([_centroid(vectors[g]) for g in groups])
        similarity = centroids @ centroids.T
        np.fill_diagonal(similarity, -1)
        i, j = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        if similarity[i, j] >= MERGE_SIMILARITY:
            groups[i] = sorted(groups[i] + groups[j])
            del groups[j]
            merged = True
    return groups


def key_phrases(texts_by_cluster: Sequence[Sequence[str]], top: int = 4) -> list[tuple[str, ...]]:
    """Distinctive phrases per cluster by class-based TF-IDF (c-TF-IDF)."""
    counts = [Counter(t for text in texts for t in tokens(text)) for texts in texts_by_cluster]
    overall = Counter()
    spread = Counter()  # in how many clusters a term occurs: words every theme uses label none
    for count in counts:
        overall.update(count)
        spread.update(count.keys())
    average = sum(overall.values()) / max(len(counts), 1)
    labels = []
    for count in counts:
        size = max(sum(count.values()), 1)

        def weight(term: str, count: Counter = count, size: int = size) -> float:
            tf_idf = (count[term] / size) * math.log(1 + average / overall[term])
            distinct = math.log(1 + len(counts) / spread[term])
            return tf_idf * distinct * (1.5 if " " in term else 1.0)

        scored = sorted(count, key=lambda t: (-weight(t), t))
        chosen: list[str] = []
        for term in scored:
            if count[term] < 2 and len(scored) > top:
                continue  # a phrase one person used once does not label a theme
            if set(term.split()) & {w for c in chosen for w in c.split()}:
                continue  # one phrase per idea: "bowling green" then not "green spaces"
            chosen.append(term)
            if len(chosen) == top:
                break
        labels.append(tuple(chosen) or tuple(scored[:top]))
    return labels


def find_clusters(vectors: np.ndarray, texts: Sequence[str], respondents: Sequence[str],
                  max_themes: int = MAX_THEMES) -> list[Cluster]:
    """Themes over passages: every passage belongs to at least one cluster."""
    n = len(vectors)
    if n == 0:
        return []
    labels = choose_labels(vectors, max_themes)
    groups = [sorted(np.flatnonzero(labels == c).tolist()) for c in sorted(set(labels.tolist()))]
    groups = _merge_near_duplicates(vectors, groups)
    groups.sort(key=lambda g: (-len({respondents[i] for i in g}), g[0]))
    # Clusters one person makes, or beyond the section's theme budget, are pooled as "other".
    keep = [g for g in groups if len({respondents[i] for i in g}) >= 2]
    if len(keep) > max_themes:
        keep = keep[: max_themes - 1]
    pooled = sorted(i for g in groups if g not in keep for i in g)
    centroids = [_centroid(vectors[g]) for g in keep]
    also: list[list[int]] = [[] for _ in keep]
    if len(keep) > 1:
        similarity = vectors @ np.array(centroids).T
        owner = {i: c for c, g in enumerate(keep) for i in g}
        for i, c in owner.items():
            for other in np.argsort(-similarity[i]):
                if other == c:
                    continue
                s = similarity[i, other]
                if s >= SECOND_THEME_FLOOR and s >= similarity[i, c] - SECOND_THEME_MARGIN:
                    also[int(other)].append(i)
                break
    capitals = acronyms(texts)
    phrases = [tuple(display(p, capitals) for p in found) for found in
               key_phrases([[texts[i] for i in g] for g in keep + ([pooled] if pooled else [])])]
    clusters = [Cluster(tuple(g), tuple(sorted(a)), phrases[c], centroids[c])
                for c, (g, a) in enumerate(zip(keep, also))]
    if pooled:
        clusters.append(Cluster(tuple(pooled), (), phrases[-1], _centroid(vectors[pooled]),
                                other=True))
    return clusters


def representatives(vectors: np.ndarray, cluster: Cluster, respondents: Sequence[str],
                    count: int = 3, diversity: float = 0.3) -> list[int]:
    """Central, mutually different passages (MMR), at most one per respondent."""
    candidates = list(cluster.members)
    relevance = {i: float(vectors[i] @ cluster.centroid) for i in candidates}
    chosen: list[int] = []
    while candidates and len(chosen) < count:
        def score(i: int) -> float:
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            return (1 - diversity) * relevance[i] - diversity * redundancy

        best = max(candidates, key=lambda i: (score(i), -i))
        chosen.append(best)
        candidates = [i for i in candidates if respondents[i] != respondents[best]]
    return chosen


def acronyms(texts: Sequence[str]) -> dict[str, str]:
    """Words respondents mostly write in capitals (IJB, NHS, GP), to keep them so in labels."""
    forms: dict[str, Counter] = {}
    for text in texts:
        for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", text):
            forms.setdefault(word.lower(), Counter())[word.isupper() and len(word) > 1] += 1
    return {w: w.upper() for w, c in forms.items() if c[True] > c[False]}


def display(phrase: str, capitals: dict[str, str]) -> str:
    return " ".join(capitals.get(word, word) for word in phrase.split())


def title_from_phrases(phrases: Sequence[str]) -> str:
    """'Delayed discharge, reablement and home care' from key phrases."""
    parts = list(phrases[:3])
    if not parts:
        return "Other points"
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[0].upper() + text[1:] if text[0].islower() else text
