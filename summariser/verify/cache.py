"""The verifier's index of a project's store, built in memory once per process.

Building is cheap next to the work around it (measured with benchmarks/verify.py: a few
milliseconds for the example corpus, about 7 s of CPU for 100,000 responses), so nothing is
saved in the project folder: a saved index is one more file that must be trusted, and the pickle
files that earlier versions saved there would run code when read. Those are deleted unread.
`run` drafts and then checks the report, so the index is kept for the rest of the process.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from summariser.verify.index import CorpusIndex

if TYPE_CHECKING:
    from summariser.index.store import Store

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


def remove_legacy_cache(folder: Path) -> None:
    for pattern in LEGACY_CACHE_FILES:
        for old in folder.glob(pattern):
            old.unlink(missing_ok=True)
