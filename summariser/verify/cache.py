"""The verifier's index of a project's store, built in memory once per process.

Measured with benchmarks/verify.py, a build takes a few milliseconds for the example corpus and
about 6 s of CPU for 100,000 responses; reading the pickle that earlier versions saved in the
store took about 1.5 s. That saving is not worth a file in a shared project folder that must be
trusted: unpickling runs code, and even a format that cannot would decide what the gate passes.
So nothing is saved, and those pickle files are deleted unread. `run` drafts and then checks the
report, so the index is kept for the rest of the process.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from summariser.verify.index import CorpusIndex

if TYPE_CHECKING:
    from summariser.index.store import Store
    from summariser.records import Scope

LEGACY_CACHE_FILES = ("verify-index-*.pickle", "verify-index-*.partial")
_built: dict[tuple[Path, str], CorpusIndex] = {}


def corpus_index(store: Store) -> CorpusIndex:
    """The verifier's index of the store's corpus, rebuilt when the corpus has changed."""
    store.require()
    remove_legacy_cache(store.path)
    key = (store.path.resolve(), str(store.meta().get("corpus_hash", "")))
    index = _built.get(key)
    if index is None:
        index = CorpusIndex.build(store.responses())
        _built.clear()  # one corpus at a time: the index of a large corpus is large
        _built[key] = index
    return index


def scoped_index(store: Store, scope: Scope) -> CorpusIndex:
    """The verifier's index of the responses in `scope` alone, built afresh and not kept. A
    section's quotes come from its own answers and turns, so drafting it needs no more; at
    200,000 answers the whole corpus's index held 520 MiB beside the section's vectors."""
    store.require()
    return CorpusIndex.build(store.responses(scope))


def remove_legacy_cache(folder: Path) -> None:
    for pattern in LEGACY_CACHE_FILES:
        for old in folder.glob(pattern):
            old.unlink(missing_ok=True)
