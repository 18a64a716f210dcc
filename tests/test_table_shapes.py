"""Tables as exports really come: rows cut short by a stray line break, other delimiters, a
workbook whose answers are not on the first sheet or under a title row, JSON values that are
not text, and answers that hold nothing a reader can see. Each is read through the real
reader, or refused in one line that says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.errors import InputError
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from tests.commands import invoke, one_line_error
from tests.conftest import SURVEY_CSV

HEADER = "Ref,Q1,Q2,Q3,Q4\n"


def _read(project: Path):
    return read_corpus(load_manifest(project))


def _problems(project: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        _read(project)
    return str(caught.value).splitlines()


# --- rows with fewer cells than the header ---------------------------------------------------

def test_an_unquoted_line_break_in_an_answer_is_listed_not_read_as_a_respondent(project: Path):
    (project / "responses.csv").write_text(
        HEADER
        + "R01,fine,fine,7,Satisfied\n"
        + "R02,The car park is full\nand the wifi is slow,ok,7,Satisfied\n"  # lines 3-4
        + "R03,Parking is awful\n"                                           # line 5: cut short
        + "R04,fine,fine,7,\n", encoding="utf-8")                            # empty last cell
    problems = _problems(project)
    assert problems == [
        f"responses.csv line {line}: {cells} cells, but the header has 5; an answer holding a "
        "line break must be in double quotes, and an empty cell still needs its ','"
        for line, cells in ((3, 2), (4, 4), (5, 2))]


def test_a_line_of_only_spaces_or_commas_is_still_a_blank_line(project: Path):
    (project / "responses.csv").write_text(HEADER + "R01,fine,fine,7,Satisfied\n  \n,,\n"
                                           "R02,good,good,8,\n", encoding="utf-8")
    assert {r.respondent for r in _read(project).responses if r.source == "survey"} == {
        "R01", "R02"}


def _stored(project: Path) -> list[tuple[str, str]]:
    from summariser.index.store import Store

    manifest = load_manifest(project)
    return sorted((r.response_id, r.text) for r in Store(manifest.store_path).responses())


def test_ingest_refuses_a_short_row_and_keeps_what_was_stored(ingested: Path):
    before = _stored(ingested)
    (ingested / "responses.csv").write_text(SURVEY_CSV + "R05,Parking\nis awful,3,\n",
                                            encoding="utf-8")
    result = invoke("ingest", "-p", str(ingested))
    one_line_error(result, "responses.csv line 6: 2 cells, but the header has 5",
                   "responses.csv line 7: 3 cells")
    assert _stored(ingested) == before
