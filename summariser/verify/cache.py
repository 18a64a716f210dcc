"""The verifier's index of a project's corpus, built in memory once per process.

Measured with benchmarks/verify.py, a build takes a few milliseconds for the example corpus and
about 6 s of CPU for 100,000 responses; reading the pickle that earlier versions saved in the
store took about 1.5 s. That saving is not worth a file in a shared project folder that must be
trusted: unpickling runs code, and even a format that cannot would decide what the gate passes.
So nothing is saved (the store deletes those pickle files unread). `run` drafts and then checks
the report, so the index is kept for the rest of the process.

The verifier reads the responses it checks against through `Corpus`, a small protocol that the
project's store (`summariser.index.store.Store`) meets: it is text in, spans out, and knows
nothing of how or where the responses are kept.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Protocol

from summariser.records import Response, Scope
from summariser.verify.index import CorpusIndex
from summariser.verify.marks import withheld_names

_built: dict[Hashable, CorpusIndex] = {}


class Corpus(Protocol):
    """The responses quotes are checked against."""

    def require(self) -> None:
        """Refuse, in one line, a corpus that cannot be read (missing, half-written, empty)."""

    def corpus_key(self) -> Hashable:
        """Names the corpus as it is now: the same key, the same responses."""

    def responses(self, scope: Scope = ...) -> Sequence[Response]:
        """Every response in `scope` (all by default), in a fixed order."""


def corpus_index(corpus: Corpus, withheld: Sequence[str] = ()) -> CorpusIndex:
    """The verifier's index of the whole corpus, rebuilt when the corpus or the names the
    report masks (`withheld`, `[privacy] mask`) have changed."""
    corpus.require()
    key = (corpus.corpus_key(), tuple(sorted(withheld_names(withheld))))
    index = _built.get(key)
    if index is None:
        index = CorpusIndex.build(corpus.responses(), withheld)
        _built.clear()  # one corpus at a time: the index of a large corpus is large
        _built[key] = index
    return index


def scoped_index(corpus: Corpus, scope: Scope) -> CorpusIndex:
    """The verifier's index of the responses in `scope` alone, built afresh and not kept. A
    section's quotes come from its own answers and turns, so drafting it needs no more; at
    200,000 answers the whole corpus's index held 520 MiB beside the section's vectors."""
    corpus.require()
    return CorpusIndex.build(corpus.responses(scope))
