"""Running the CLI in tests as a user would, and reading what it printed."""

from __future__ import annotations

from typer.testing import CliRunner

from summariser.cli import app

runner = CliRunner()


def invoke(*args: str):
    """One command, as if in its own process: Chroma's in-process cache of clients is dropped
    first, so a folder changed on disk between commands is opened afresh."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    return runner.invoke(app, list(args), catch_exceptions=False)


def flat(result) -> str:
    """The output with line wrapping undone, so assertions do not depend on terminal width."""
    return " ".join(result.output.split())


def one_line_error(result, *expected: str) -> str:
    """Assert the command failed as bad input must: exit 1, no traceback, one "Error: " line
    whose text (wrapping undone) holds each of `expected`; returns that text."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    text = " ".join(result.output[result.output.index("Error: "):].split())
    for words in expected:
        assert words in text, result.output
    return text
