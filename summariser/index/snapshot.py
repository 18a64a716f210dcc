"""One snapshot: what the last ingest stored is what drafts, statistics and reports are made of.

Ingest keeps, beside the responses, the ratings and choices (with their non-answers), the
respondents' attributes used for breakdowns, and each source file's SHA-256 and size
(`summariser.index.corpus_db`). `draft`, `stats` and `report` read the corpus from the store
(`stored_corpus`), never from the source files, so a report's statistics, themes and quotes are
of the same people; and before they do, `require_current` hashes the source files again and
stops, in one line, when one has changed, gone or been added since the last ingest (run
`summariser ingest`, which embeds only what changed). A store written before the hashes were
kept says so the same way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from summariser.errors import StoreError
from summariser.index.corpus_db import SourceFile
from summariser.index.store import Store
from summariser.project.manifest import Manifest
from summariser.records import PLACES, Corpus

__all__ = ["changed_sources", "require_current", "source_files", "stored_corpus"]


def _digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def source_files(manifest: Manifest) -> dict[str, SourceFile]:
    """Each source file of the manifest as it is now, by source id (a missing file is left out)."""
    found = {}
    for source in manifest.sources:
        if source.path.is_file():
            digest, size = _digest(source.path)
            found[source.id] = SourceFile(source.written_path, digest, size)
    return found


def changed_sources(manifest: Manifest, store: Store) -> list[str]:
    """The source files (as the manifest writes their paths) that differ from what the last
    ingest read: changed, gone, or new to the manifest."""
    stored = store.source_files()
    changed = []
    for source in manifest.sources:
        kept = stored.get(source.id)
        if not source.path.is_file():
            changed.append(f"{source.written_path} (gone)")
        elif kept is None or kept.path != source.written_path \
                or (kept.sha256, kept.size) != _digest(source.path):
            changed.append(source.written_path)
    return changed


def require_current(manifest: Manifest, store: Store) -> None:
    """Stop, in one line, when the sources are not what the last ingest stored."""
    store.require()
    if not store.source_files():
        raise StoreError(f"The store at {store.path} was written by an earlier version, which "
                         "kept no record of the source files: run 'summariser ingest' (nothing "
                         "is embedded again)")
    if store.meta().get("places") != PLACES:
        raise StoreError(f"The store at {store.path} was written by an earlier version, which "
                         "placed answers by data row, not by the line or row a reader finds "
                         "them on: run 'summariser ingest' (nothing is embedded again)")
    changed = changed_sources(manifest, store)
    if changed:
        more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
        raise StoreError(f"{changed[0]}{more} changed since the last ingest: run 'summariser "
                         "ingest' first, so that statistics, themes and quotes come from one "
                         "version of the sources")


def stored_corpus(store: Store) -> Corpus:
    """The corpus as the last ingest stored it: responses, ratings and attributes."""
    return Corpus(tuple(store.responses()), tuple(store.ratings()),
                  attributes=tuple(store.corpus.attributes()))
