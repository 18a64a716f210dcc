"""ingest and ask through the CLI, with the real embedder and a real Chroma store."""

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.text.wording import count_text

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def flat(result) -> str:
    """The output with line wrapping undone, so assertions do not depend on terminal width."""
    return " ".join(result.output.split())


def test_ingest_and_ask_work_with_the_network_blocked(project: Path, no_network):
    result = invoke("ingest", "-p", str(project))
    assert result.exit_code == 0, result.output
    assert "13 passages stored (13 embedded" in flat(result)
    assert "blank ('n/a')" in result.output
    result = invoke("ask", "workforce shortages make the system vulnerable", "-p", str(project),
                    "--json", "-k", "1")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    [hit] = payload["hits"]
    assert hit["respondent"] == "I01" and "lack of workforce" in hit["text"]
    assert hit["speaker"] == "Chief Officer"


def test_reingest_reports_everything_unchanged(project: Path):
    invoke("ingest", "-p", str(project))
    result = invoke("ingest", "-p", str(project))
    assert "(0 embedded, 13 unchanged, 0 removed)" in flat(result)


def test_ask_all_counts_respondents_against_those_who_answered(project: Path):
    invoke("ingest", "-p", str(project))
    result = invoke("ask", "delayed discharge and GP engagement", "-p", str(project), "--all",
                    "--question", "gone_well", "--min-similarity", "0.2", "--json")
    payload = json.loads(result.output)
    respondents = {hit["respondent"] for hit in payload["hits"]}
    survey = payload["counts"]["survey"]
    assert survey["of"] == 3  # R01-R03 answered gone_well; R04 left it blank
    assert survey["found"] == len(respondents) >= 2
    assert list(payload["counts"]) == ["survey"]  # no interview in the scope
    assert all(hit["question"] == "gone_well" for hit in payload["hits"])
    assert payload["summary"] == count_text(len(respondents), 3, ("Chief Officer",
                                                                 "Chief Officers"))


def test_ask_never_returns_interviewer_turns(project: Path):
    invoke("ingest", "-p", str(project))
    result = invoke("ask", "What has been hardest this year?", "-p", str(project), "--json",
                    "--section", "2.1", "-k", "20")
    hits = json.loads(result.output)["hits"]
    assert hits and all(hit["is_participant"] for hit in hits)


def test_ask_before_ingest_says_to_ingest(project: Path):
    result = invoke("ask", "anything", "-p", str(project))
    assert result.exit_code == 1
    assert "run 'summariser ingest' first" in flat(result)


def test_bad_input_is_one_line_per_problem_and_exit_code_1(project: Path):
    (project / "responses.csv").write_text("Ref,Q1\nR01,hello\n")
    result = invoke("ingest", "-p", str(project))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Error: responses.csv: no column 'Q2' (question enablers)")
    assert [line.split(" (")[0] for line in lines[1:]] == [
        "responses.csv: no column 'Q3'", "responses.csv: no column 'Q4'"]


def test_unknown_section_lists_the_known_ones(project: Path):
    invoke("ingest", "-p", str(project))
    result = invoke("ask", "x", "-p", str(project), "--section", "9.9")
    assert result.exit_code == 1 and "known sections: gone-well" in flat(result)


def test_help_does_not_import_heavy_libraries():
    code = ("import sys, summariser.cli; "
            "print(sorted(m for m in ('chromadb', 'onnxruntime', 'langchain_core', 'pandas', "
            "'openai', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        pytest.skip("the chroma CLI is not installed next to this Python")
    port = _free_port()
    server = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server"),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("chroma server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_ingest_into_a_chroma_server(project: Path, chroma_server: str):
    result = invoke("ingest", "-p", str(project), "--chroma-url", chroma_server)
    assert result.exit_code == 0, result.output
    assert "13 passages stored (13 embedded" in flat(result)
    again = invoke("ingest", "-p", str(project), "--chroma-url", chroma_server)
    assert "(0 embedded, 13 unchanged, 0 removed)" in flat(again)
    result = invoke("ask", "not prohibiting but very time consuming", "-p", str(project),
                    "--chroma-url", chroma_server, "--json", "-k", "1")
    assert "just very time consuming" in json.loads(result.output)["hits"][0]["text"]
