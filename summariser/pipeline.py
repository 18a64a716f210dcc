"""Whole-project runs: draft every chosen section with one embedder, index and backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence

from summariser.drafting import Backend, draft_section
from summariser.drafts import SectionDraft
from summariser.embed import make_embedder
from summariser.evidence import corpus_index, gather
from summariser.manifest import Manifest, Section
from summariser.store import Store


def draft_sections(manifest: Manifest, store: Store, sections: Sequence[Section],
                   embedder_name: str, backend: Backend | None = None,
                   run_id: str | None = None) -> Iterator[SectionDraft]:
    """Yield each section's draft as soon as it is done, so finished work is never lost."""
    from summariser.extractive import ExtractiveBackend

    store.require()
    embedder = make_embedder(embedder_name)
    index = corpus_index(store)
    backend = backend or ExtractiveBackend()
    run_id = run_id or uuid.uuid4().hex[:12]
    for section in sections:
        evidence = gather(store, embedder, section)
        yield draft_section(section, evidence, backend, index, manifest.respondent_noun, run_id)
