"""What respondents wrote reaches the terminal as text, never as commands: escape sequences,
carriage returns and other control characters in answers are printed as visible symbols by
ask, eval, draft, stats and in error lines. Real store, real embedder, the real command line."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.commands import invoke

# ESC sequences that recolour, clear the screen and retitle the window; a carriage return that
# would let the rest of a line overwrite its start; BEL; the 8-bit CSI; DEL.
HOSTILE = ("Joint working \x1b[31mhas improved\x1b[0m across the partnership\x1b[2J\x1b]0;pwned"
           "\x07 with the council.\rGP recruitment \x9b31m is fine\x7f. \u202eSome say not.")
# The last: a right-to-left override left open, which shows what follows on its line backwards.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_printable_shows_each_control_character_as_one_visible_symbol():
    from summariser.text.controls import printable

    assert printable("a\x1b[31mb\rc\x07\x00\x7f\x9b\td\ne") == "a␛[31mb␍c␇␀␡\ufffd\td\ne"
    assert printable("plain – “text”, é") == "plain – “text”, é"
    assert printable("\u202eon\u202c \u2067x\u2069 \u200fשלום") == "\ufffdon\ufffd \ufffdx\ufffd \u200fשלום"
    assert len(printable(HOSTILE)) == len(HOSTILE)


@pytest.fixture
def hostile(project: Path) -> Path:
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["Ref", "Q1", "Q2", "Q3", "Q4"])
    writer.writerow(["R01", HOSTILE, "", 5, "Satisfied"])
    writer.writerow(["R02", "Joint working with the council is stronger.", "", 6, "Satisfied"])
    (project / "responses.csv").write_text(table.getvalue(), encoding="utf-8")
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text() + '\n[[sections.themes]]\ntitle = "Joint working '
                        '\\u001b[5mnow\\u001b[0m"\nphrases = ["joint working"]\nby_meaning = false\n')
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    return project


def _clean(output: str) -> None:
    assert not CONTROL.search(output), repr(output)


def test_ask_prints_escape_sequences_as_symbols(hostile: Path):
    result = invoke("ask", "joint working with the council", "-p", str(hostile), "-k", "3")
    assert result.exit_code == 0, result.output
    _clean(result.output)
    assert "␛[31mhas" in result.output and "␛[2J" in result.output
    # Every passage of the fixture, so the one whose right-to-left override is left open too.
    result = invoke("ask", "joint working with the council", "-p", str(hostile), "-k", "50")
    _clean(result.output)
    assert "\ufffdSome say not" in result.output


def test_ask_all_and_json_keep_the_text_exact_but_escaped(hostile: Path):
    result = invoke("ask", "joint working", "-p", str(hostile), "--all", "--json")
    assert result.exit_code == 0, result.output
    _clean(result.output)  # JSON writes control characters as \u001b
    assert "\\u001b[31m" in result.output


def test_eval_prints_a_failing_quote_and_its_diff_as_symbols(hostile: Path):
    draft = hostile / "drafts" / "notes.md"
    draft.parent.mkdir()
    draft.write_text("# Notes\n\n## 2.1 What has gone well?\n\nOne said “Joint working "
                     "\x1b[31mhas improved\x1b[0m across the whole partnership” [R01].\n",
                     encoding="utf-8")
    result = invoke("eval", str(draft), "-p", str(hostile))
    assert result.exit_code == 1, result.output
    _clean(result.output)
    assert "␛[31mhas improved" in result.output


def test_draft_prints_a_theme_title_with_an_escape_as_symbols(hostile: Path):
    result = invoke("draft", "-p", str(hostile))
    assert result.exit_code == 0, result.output
    _clean(result.output)
    assert "␛[5mnow" in " ".join(result.output.split())


def test_an_error_line_quoting_a_cell_shows_its_controls_as_symbols(project: Path):
    text = (project / "responses.csv").read_text().replace(",7,", ",\"7\x1b[2J\",")
    (project / "responses.csv").write_text(text)
    result = invoke("ingest", "-p", str(project))
    assert result.exit_code == 1
    _clean(result.output)
    assert "7␛[2J" in result.output
