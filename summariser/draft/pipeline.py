"""Whole-project runs: draft the chosen sections with one embedder, index and backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from summariser.draft.backends import LLMOptions, llm_backend, registered_backend
from summariser.draft.records import SectionDraft
from summariser.draft.runlog import runlog_for
from summariser.draft.section import Backend, draft_section
from summariser.index.embedders import make_embedder
from summariser.index.store import Store
from summariser.project.manifest import Manifest, Section
from summariser.retrieve.evidence import gather
from summariser.verify.cache import corpus_index


def make_backend(manifest: Manifest, options: LLMOptions, run_id: str,
                 chat_model: Any = None) -> Backend:
    """The backend the options name, from the registry (summariser.draft.backends).

    A given `chat_model` (tests, applications embedding summariser) is drafted with through the
    LLM backend instead of the model the options would construct.
    """
    if chat_model is not None:
        return llm_backend(manifest, options, run_id, chat_model)
    return registered_backend(options.backend).factory(manifest, options, run_id)


def draft_sections(manifest: Manifest, store: Store, sections: Sequence[Section],
                   embedder_name: str, options: LLMOptions = LLMOptions(),
                   chat_model: Any = None, command: str = "draft") -> Iterator[SectionDraft]:
    """Yield each section's draft as soon as it is done, so finished work is never lost."""
    store.require()
    run_id = uuid.uuid4().hex[:12]
    backend = make_backend(manifest, options, run_id, chat_model)
    embedder = make_embedder(embedder_name)
    index = corpus_index(store)
    log = runlog_for(manifest)
    log.start(run_id, command, backend.name, backend.model)
    status = "failed"
    try:
        for section in sections:
            evidence = gather(store, embedder, section)
            yield draft_section(section, evidence, backend, index, manifest.respondent_noun,
                                run_id)
        status = "ok"
    except (KeyboardInterrupt, GeneratorExit):
        status = "interrupted"
        raise
    finally:
        log.finish(run_id, status)
