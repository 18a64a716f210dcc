"""The real openai SDK and langchain-openai, over HTTP, against a local OpenAI-compatible server."""

import sqlite3
from datetime import UTC
from pathlib import Path

from typer.testing import CliRunner

from summariser.cli import app
from summariser.draft.redact import Redactor
from summariser.testing import OpenAICompatibleServer, echo_first_passages

SECRET = "sk-test-DO-NOT-LEAK-0123456789"
runner = CliRunner()


def _ingest(project: Path) -> None:
    result = runner.invoke(app, ["ingest", "-p", str(project)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_draft_over_http_with_retry_and_the_key_kept_secret(project: Path, monkeypatch,
                                                            allow_models):
    _ingest(project)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with OpenAICompatibleServer(echo_first_passages, fail_first=1) as server:
        result = runner.invoke(app, ["draft", "-p", str(project), "--llm", "openai", "--model",
                                     "gpt-4o-mini", "--base-url", server.base_url],
                               catch_exceptions=False)
    assert result.exit_code == 0, result.output
    bodies = [body for body, _ in server.requests]
    assert len(bodies) >= 2 and bodies[0] == bodies[1]  # the 429 was tried again
    assert all(h["authorization"] == f"Bearer {SECRET}" for _, h in server.requests)
    assert bodies[0]["model"] == "gpt-4o-mini" and bodies[0]["temperature"] == 0
    draft = (project / "drafts" / "gone-well.json").read_text()
    assert '"backend": "openai"' in draft and "Progress with" in draft  # a theme or a note
    log = (project / "runs.sqlite").read_bytes()
    assert SECRET.encode() not in log and SECRET not in result.output
    with sqlite3.connect(project / "runs.sqlite") as db:
        tokens = db.execute("SELECT SUM(input_tokens), SUM(output_tokens) FROM calls").fetchone()
    assert tokens[0] > 0 and tokens[1] > 0


def test_missing_key_is_one_line_naming_the_variable(project: Path, monkeypatch, allow_models):
    _ingest(project)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    result = runner.invoke(app, ["draft", "-p", str(project), "--llm", "openai"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "set OPENAI_API_KEY" in result.output


def test_personal_details_are_redacted_before_leaving(project: Path, monkeypatch, allow_models):
    csv = (project / "responses.csv").read_text().replace(
        "Strong partnership with the council.",
        "Strong partnership: ask Jane Smith (jane.smith@council.gov.uk, 01234 567890, G2 4AB).")
    (project / "responses.csv").write_text(csv)
    manifest = (project / "summariser.toml").read_text().replace(
        'invited = 6', 'invited = 6\nredact = ["Jane Smith"]')
    (project / "summariser.toml").write_text(manifest)
    _ingest(project)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with OpenAICompatibleServer(echo_first_passages) as server:
        result = runner.invoke(app, ["draft", "-p", str(project), "--llm", "openai", "--base-url",
                                     server.base_url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    sent = " ".join(m["content"] for body, _ in server.requests for m in body["messages"])
    assert "Strong partnership: ask [NAME4] ([EMAIL1], [PHONE2], [POSTCODE3])" in sent
    for detail in ("Jane Smith", "jane.smith@", "01234 567890", "G2 4AB"):
        assert detail not in sent


def test_redactor_restores_placeholders_in_excerpts():
    redactor = Redactor(["Jane Smith"])
    text = "Call Jane Smith on 0141 225 6999 or write to jane@nhs.net."
    redacted = redactor.redact(text)
    assert "Jane" not in redacted and "6999" not in redacted and "@" not in redacted
    assert redactor.restore(redacted) == text
    assert Redactor(enabled=False).redact(text) == text


def test_run_checks_the_key_before_ingesting(project: Path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    result = runner.invoke(app, ["run", "-p", str(project), "--llm", "openai"])
    assert result.exit_code == 1 and "set OPENAI_API_KEY" in result.output
    assert not (project / ".summariser").exists()  # nothing was ingested


def test_a_dead_server_fails_in_one_line_and_every_attempt_is_logged(project: Path, monkeypatch,
                                                                     allow_models):
    import time

    _ingest(project)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)

    def hung(system, user):
        time.sleep(3)
        return "{}"

    with OpenAICompatibleServer(hung) as server:
        result = runner.invoke(app, ["draft", str(project), "--llm", "openai", "--base-url",
                                     server.base_url, "--timeout", "1", "--retries", "1"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "Timeout" in result.output, result.output
    assert "draft_section" in result.output and SECRET not in result.output
    with sqlite3.connect(project / "runs.sqlite") as db:
        rows = db.execute("SELECT status, error FROM calls").fetchall()
    assert [status for status, _ in rows] == ["failed", "failed"]  # the attempt and its retry
    assert all("Timeout" in error for _, error in rows)


def test_a_server_error_echoing_the_key_is_shown_without_it(project: Path, monkeypatch,
                                                            allow_models):
    _ingest(project)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    body = {"error": {"message": f"Incorrect API key provided: {SECRET}.", "type": "auth"}}
    with OpenAICompatibleServer(echo_first_passages, fail_first=9, fail_status=401,
                                fail_body=body) as server:
        result = runner.invoke(app, ["draft", str(project), "--llm", "openai", "--base-url",
                                     server.base_url])
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0
    assert "AuthenticationError" in result.output and "Incorrect API key" in result.output
    assert SECRET not in result.output and SECRET[:12] not in result.output
    assert len(server.requests) == 1  # an authentication error is not retried
    assert SECRET.encode() not in (project / "runs.sqlite").read_bytes()


def test_requests_carry_a_schema_and_a_sized_limit_and_the_cache_key_covers_them(
        project: Path, monkeypatch, allow_models):
    _ingest(project)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with OpenAICompatibleServer(echo_first_passages) as server:
        args = ["draft", str(project), "--llm", "openai", "--base-url", server.base_url,
                "--restart"]
        assert runner.invoke(app, args, catch_exceptions=False).exit_code == 0
        first = len(server.requests)
        body = server.requests[0][0]
        # An OpenAI-compatible server at another address gets llama.cpp's schema form.
        assert body["response_format"]["type"] == "json_object"
        assert "themes" in body["response_format"]["schema"]["properties"]
        assert 0 < body["max_tokens"] < 2000
        assert runner.invoke(app, args, catch_exceptions=False).exit_code == 0
        assert len(server.requests) == first  # the same request again: from the run log
        capped = runner.invoke(app, [*args, "--max-tokens", "300"], catch_exceptions=False)
        assert capped.exit_code == 0
        assert len(server.requests) > first  # another limit: another request
        assert server.requests[-1][0]["max_tokens"] <= 300


def _draft_rate_limited(project: Path, monkeypatch, **server_options):
    """Draft through a server that rate-limits first; (result, waits asked for, server)."""
    from summariser.draft import calls

    _ingest(project)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    waited: list[float] = []
    monkeypatch.setattr(calls, "_sleep", waited.append)
    with OpenAICompatibleServer(echo_first_passages, **server_options) as server:
        result = runner.invoke(app, ["draft", "-p", str(project), "--llm", "openai",
                                     "--base-url", server.base_url])
    return result, waited, server


def test_a_rate_limited_call_waits_as_long_as_the_server_asks(project: Path, monkeypatch,
                                                              allow_models):
    result, waited, server = _draft_rate_limited(project, monkeypatch, fail_first=1,
                                                 retry_after="7")
    assert result.exit_code == 0, result.output
    assert waited == [7.0] and len(server.requests) >= 2


def test_a_server_asking_for_a_long_wait_fails_now_in_one_line(project: Path, monkeypatch,
                                                                allow_models):
    result, waited, server = _draft_rate_limited(project, monkeypatch, fail_first=9,
                                                 retry_after="600")
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0
    assert "RateLimitError" in result.output and waited == [] and len(server.requests) == 1


def test_retry_after_reads_seconds_dates_and_milliseconds():
    from datetime import datetime, timedelta
    from email.utils import format_datetime

    import httpx
    import openai

    from summariser.draft.models import retry_after

    def limited(**headers):
        response = httpx.Response(429, headers=headers,
                                  request=httpx.Request("POST", "http://x/v1/chat/completions"))
        return openai.RateLimitError("rate limited", response=response, body=None)

    assert retry_after(limited(**{"retry-after": "3"})) == 3.0
    assert retry_after(limited(**{"retry-after-ms": "1500", "retry-after": "9"})) == 1.5
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    assert 15 <= retry_after(limited(**{"retry-after": soon})) <= 20
    assert retry_after(limited(**{"retry-after": "soon"})) is None
    assert retry_after(limited()) is None and retry_after(TimeoutError()) is None
