"""Honest outcomes and faults with a model, against a real OpenAI-compatible HTTP server on
127.0.0.1: a section the model could not draft is never passed off as done, and a failing
server fails fast, in one line that says what it asked."""

import json
import re
import socket
import sqlite3
import time
from pathlib import Path

from typer.testing import CliRunner

from summariser.cli import app
from summariser.testing import OpenAICompatibleServer, echo_first_passages

runner = CliRunner()
KEY = "sk-test-outcomes"


def _draft(project: Path, base_url: str, *extra: str, out: Path | None = None):
    args = ["draft", "-p", str(project), "--llm", "openai", "--base-url", base_url,
            "--no-cache", "--restart", *extra]
    if out is not None:
        args += ["-o", str(out)]
    return runner.invoke(app, args)


def _ingest(project: Path) -> None:
    assert runner.invoke(app, ["ingest", "-p", str(project)]).exit_code == 0


def test_every_reply_unusable_fails_the_command_unless_fallback_is_allowed(
        project: Path, monkeypatch, allow_models):
    _ingest(project)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with OpenAICompatibleServer(lambda system, user: "I cannot help with that.") as server:
        failed = _draft(project, server.base_url, "--llm-task", "draft")
        assert failed.exit_code == 1, failed.output
        assert failed.output.strip().count("\n") == 0
        assert "--allow-fallback" in failed.output and "What has gone well?" in failed.output
        allowed = _draft(project, server.base_url, "--llm-task", "draft", "--allow-fallback")
    assert allowed.exit_code == 0, allowed.output
    assert "model failed" in allowed.output, allowed.output
    draft = (project / "drafts" / "gone-well.md").read_text()
    assert "*Offline draft: the model's reply" in draft
    assert json.loads((project / "drafts" / "gone-well.json").read_text())["fallback"]
    with sqlite3.connect(project / "runs.sqlite") as db:
        statuses = [row[0] for row in db.execute("SELECT status FROM runs ORDER BY started")]
    assert statuses == ["fallback", "fallback"]
    runs = runner.invoke(app, ["runs", "-p", str(project)])
    assert runs.exit_code == 0, runs.output
    lines = runs.output.splitlines()
    assert [line.split()[4] for line in lines[1::2]] == ["fallback", "fallback"], runs.output
    assert max(len(line) for line in lines) <= 80, runs.output
    assert "2 unusable" in lines[2], runs.output


def test_every_naming_reply_unusable_is_a_fallback_not_proposed(
        example_project: Path, tmp_path: Path, monkeypatch, allow_models):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with OpenAICompatibleServer(lambda system, user: "I cannot help with that.") as server:
        failed = _draft(example_project, server.base_url, "--llm-task", "name", "-s", "2.1",
                        out=tmp_path / "a")
        allowed = _draft(example_project, server.base_url, "--llm-task", "name", "-s", "2.1",
                         "--allow-fallback", out=tmp_path / "b")
    assert failed.exit_code == 1 and "--allow-fallback" in failed.output, failed.output
    assert allowed.exit_code == 0 and "model failed" in allowed.output, allowed.output
    sidecar = json.loads(next((tmp_path / "b").glob("*.json")).read_text())
    assert sidecar["themes"] and "replies naming the themes" in sidecar["fallback"]


def test_a_section_the_model_emptied_is_the_offline_draft_and_says_so(
        example_project: Path, tmp_path: Path, monkeypatch, allow_models):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)

    def nothing_fits(system: str, user: str) -> str:
        if "was not placed in any" in system:
            return json.dumps({"placements": []})
        return json.dumps({"themes": [{"title": "Zebra migration routes",
                                       "description": "Where zebras walk in the dry season.",
                                       "passages": ["P999"]}]})

    with OpenAICompatibleServer(nothing_fits) as server:
        failed = _draft(example_project, server.base_url, "--llm-task", "draft", "-s", "2.1",
                        out=tmp_path / "a")
        allowed = _draft(example_project, server.base_url, "--llm-task", "draft", "-s", "2.1",
                         "--allow-fallback", out=tmp_path / "b")
    assert failed.exit_code == 1 and "--allow-fallback" in failed.output, failed.output
    assert allowed.exit_code == 0, allowed.output
    sidecar = json.loads(next((tmp_path / "b").glob("*.json")).read_text())
    assert sidecar["themes"] and "Zebra" not in json.dumps(sidecar["themes"])
    assert "coded" in sidecar["fallback"]  # why: the model's themes coded (almost) no one


def test_a_reply_cut_at_its_limit_is_asked_again_at_the_same_cap_with_a_shorter_request(
        project: Path, monkeypatch, allow_models):
    _ingest(project)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    answers = iter([('{"themes": [{"title": "Reducing delayed disch', "length")])

    def cut_once(system: str, user: str):
        return next(answers, None) or echo_first_passages(system, user)

    with OpenAICompatibleServer(cut_once) as server:
        result = _draft(project, server.base_url, "--llm-task", "draft", "--max-tokens", "60")
    assert result.exit_code == 0, result.output
    (first, _), (second, _) = server.requests[:2]
    assert first["max_tokens"] == second["max_tokens"] == 60
    size = [sum(len(m["content"]) for m in body["messages"]) for body in (first, second)]
    assert size[1] < size[0], size  # the re-ask is shorter, not the cut reply sent back
    assert "shorter" in second["messages"][0]["content"] + second["messages"][-1]["content"]


def test_a_dead_server_fails_within_30_seconds_in_one_line(project: Path, monkeypatch,
                                                           allow_models):
    _ingest(project)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    silent = socket.socket()  # accepts connections (the backlog) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    port = silent.getsockname()[1]
    try:
        started = time.monotonic()
        result = _draft(project, f"http://127.0.0.1:{port}/v1")
        took = time.monotonic() - started
    finally:
        silent.close()
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0, result.output
    assert took < 30, took
    assert f"127.0.0.1:{port}" in result.output and "did not answer" in result.output


def test_a_long_retry_after_is_named_in_the_error(project: Path, monkeypatch, allow_models):
    _ingest(project)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with OpenAICompatibleServer(echo_first_passages, fail_first=9, retry_after="600") as server:
        result = _draft(project, server.base_url)
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0
    assert re.search(r"asked to wait 600 s", result.output), result.output
