"""Word trigram postings: which responses hold a given run of words.

Each distinct normalised word gets an id; every run of three word ids inside one response is
hashed to a 63-bit key. Each key, and each single word id, points to the responses that hold it,
in corpus order. A quote's trigrams then name the handful of responses worth checking, so a check
never scans the whole corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from summariser.verify.normalise import word_tokens

UNKNOWN_WORD = 1 << 62  # stands in for a word the corpus lacks: its trigrams match nothing
_TRIGRAM_BIT = 1 << 63  # trigram keys have it; single-word keys (word ids) never do
_M1, _M2, _M3 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9
_MASK = (1 << 64) - 1
_SEARCH_KEYS = 6  # trigrams per word sequence looked up to find the responses that may hold it
_SHARED_POSTINGS_CAP = 50  # a trigram in more responses than this does not single out one
_SHARED_KEYS = 8  # how many of those rarest trigrams are counted


def _trigram_keys(ids: np.ndarray) -> np.ndarray:
    """A 63-bit hash of each run of three word ids (uint64 arithmetic wraps). A collision only adds
    a candidate that the substring check then rejects."""
    m1, m2, m3 = np.uint64(_M1), np.uint64(_M2), np.uint64(_M3)
    return ((ids[:-2] * m1 + ids[1:-1]) * m2 + ids[2:]) * m3 | np.uint64(_TRIGRAM_BIT)


def _query_keys(ids: list[int], most: int | None = None) -> list[int]:
    """`_trigram_keys` for a quote's few words in plain Python (cheaper than numpy at this size),
    or the word ids themselves below three words. With `most`, only that many trigrams, spread
    over the quote: enough to find candidates, which are confirmed anyway."""
    if len(ids) < 3:
        return ids
    count = len(ids) - 2
    if most is None or count <= most:
        starts: Iterable[int] = range(count)
    else:
        step = (count - 1) / (most - 1)
        starts = [int(k * step + 0.5) for k in range(most)]
    return [(((ids[i] * _M1 + ids[i + 1]) * _M2 + ids[i + 2]) * _M3 & _MASK) | _TRIGRAM_BIT
            for i in starts]


class Postings:
    """Sorted keys; `offsets[i]:offsets[i + 1]` of `docs` are the responses holding `keys[i]`."""

    __slots__ = ("vocab", "keys", "offsets", "docs")

    def __init__(self, vocab: dict[str, int], keys: np.ndarray, offsets: np.ndarray,
                 docs: np.ndarray):
        self.vocab, self.keys, self.offsets, self.docs = vocab, keys, offsets, docs

    @classmethod
    def build(cls, normalised_texts: Sequence[str]) -> Postings:
        vocab: dict[str, int] = {}
        ids: list[int] = []
        lengths: list[int] = []
        for text in normalised_texts:
            doc_ids = [vocab.setdefault(w, len(vocab)) for w in word_tokens(text)]
            ids.extend(doc_ids)
            lengths.append(len(doc_ids))
        word_ids = np.array(ids, dtype=np.uint64)
        doc_of = np.repeat(np.arange(len(lengths), dtype=np.int32),
                           np.array(lengths, dtype=np.int64))
        same_doc = doc_of[:-2] == doc_of[2:]
        keys = np.concatenate([_trigram_keys(word_ids)[same_doc], word_ids])
        docs = np.concatenate([doc_of[:-2][same_doc], doc_of])
        # A stable sort keeps each key's responses in corpus order: both blocks were emitted in
        # corpus order, and a trigram key never equals a word key (the top bit).
        order = np.argsort(keys, kind="stable")
        keys, docs = keys[order], docs[order]
        keep = np.ones(len(keys), dtype=bool)
        keep[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
        keys, docs = keys[keep], docs[keep]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        offsets = np.append(np.flatnonzero(first), len(keys)).astype(np.int64)
        return cls(vocab, keys[first], offsets, docs)

    def word_ids(self, words: Iterable[str]) -> list[int]:
        return [self.vocab.get(w, UNKNOWN_WORD) for w in words]

    def _slices(self, keys: list[int]) -> tuple[list[int], list[int]]:
        """Postings [start, end) of each key the index holds; absent keys are left out."""
        if not keys or not len(self.keys):
            return [], []
        # A quote has a few dozen keys at most: per-item access beats more numpy calls here.
        at = self.keys.searchsorted(np.array(keys, dtype=np.uint64)).tolist()
        key_at, offset_at, size = self.keys.item, self.offsets.item, len(self.keys)
        starts, ends = [], []
        for key, i in zip(keys, at):
            if i < size and key_at(i) == key:
                starts.append(offset_at(i))
                ends.append(offset_at(i + 1))
        return starts, ends

    def containing(self, sequences: Iterable[Sequence[str]]) -> list[int]:
        """Candidate responses that hold every word sequence (trigrams for 3+ words, else words)."""
        keys: list[int] = []
        for words in sequences:
            ids = self.word_ids(words)
            if UNKNOWN_WORD in ids:
                return []
            keys.extend(_query_keys(ids, most=_SEARCH_KEYS))
        starts, ends = self._slices(keys)
        if not starts or len(starts) < len(keys):
            return []
        rarest = sorted(zip(starts, ends), key=lambda slice_: slice_[1] - slice_[0])[:3]
        found = self.docs[rarest[0][0] : rarest[0][1]]
        for start, end in rarest[1:]:  # the rarest narrow enough: the caller confirms each one
            if len(found) <= 4:
                break
            found = np.intersect1d(found, self.docs[start:end], assume_unique=True)
        return found.tolist()

    def most_shared(self, words: Sequence[str], count: int) -> list[int]:
        """The `count` responses sharing the most of the words' rarer trigrams, most first."""
        ids = self.word_ids(words)
        starts, ends = self._slices(_query_keys(ids))
        if not starts:  # every trigram broken: fall back to the quote's words
            starts, ends = self._slices([i for i in ids if i != UNKNOWN_WORD])
        # The rarest trigrams a quote shares with the corpus point at its source: a corruption
        # breaks at most three trigrams, and the rest were the source's.
        shared: Counter[int] = Counter()
        rarest = sorted((end - start, start, end) for start, end in zip(starts, ends))
        for size, start, end in rarest[:_SHARED_KEYS]:
            if size <= _SHARED_POSTINGS_CAP:
                shared.update(self.docs[start:end].tolist())
        return [doc for doc, _ in shared.most_common(count)]
