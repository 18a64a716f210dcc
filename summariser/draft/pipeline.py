"""Whole-project runs: draft the chosen sections with one embedder, index and backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from summariser.draft.records import SectionDraft
from summariser.draft.runlog import runlog_for
from summariser.draft.section import Backend, draft_section
from summariser.index.embedders import make_embedder
from summariser.index.store import Store
from summariser.project.manifest import Manifest, Section
from summariser.retrieve.evidence import gather
from summariser.verify.cache import corpus_index

BACKENDS = ("extractive", "openai", "local")


@dataclass(frozen=True)
class LLMOptions:
    backend: str = "extractive"
    model: str | None = None
    base_url: str | None = None
    use_cache: bool = True
    redact: bool = True


def make_backend(manifest: Manifest, options: LLMOptions, run_id: str,
                 chat_model: Any = None) -> Backend:
    """The drafting backend; `chat_model` overrides model construction (tests, embedding apps)."""
    from summariser.draft.extractive import ExtractiveBackend

    if options.backend == "extractive" and chat_model is None:
        return ExtractiveBackend()
    from summariser.draft.chain import LLMBackend
    from summariser.draft.models import make_chat_model
    from summariser.draft.redact import Redactor

    model = chat_model or make_chat_model(options.backend, options.model, options.base_url)
    return LLMBackend(model, runlog_for(manifest), run_id, backend=options.backend,
                      redactor=Redactor(manifest.redact, enabled=options.redact),
                      use_cache=options.use_cache, noun=manifest.respondent_noun)


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
