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


# --- delimiters ------------------------------------------------------------------------------

def _survey_with(delimiter: str) -> str:
    """The test survey as Excel writes it with another delimiter: a cell is quoted only when it
    holds that delimiter, a quote or a line break, so commas in answers stand bare."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(SURVEY_CSV)))
    rows[0][1] = "Q1"  # the manifest's column names, unchanged
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _set_source_key(project: Path, line: str) -> None:
    manifest = (project / "summariser.toml").read_text(encoding="utf-8")
    (project / "summariser.toml").write_text(manifest.replace(
        'respondent_column = "Ref"', f'respondent_column = "Ref"\n{line}', 1), encoding="utf-8")


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_semicolon_or_tab_separated_csv_is_read_like_a_comma_separated_one(
        project: Path, delimiter: str):
    expected = _read(project)
    (project / "responses.csv").write_text(_survey_with(delimiter), encoding="utf-8")
    got = _read(project)
    assert [(r.respondent, r.question, r.text) for r in got.responses] == \
        [(r.respondent, r.question, r.text) for r in expected.responses]
    assert got.ratings == expected.ratings
    assert any("," in r.text for r in got.responses)  # commas in answers are not cells


def test_a_comma_csv_whose_answers_hold_semicolons_stays_comma_separated(project: Path):
    (project / "responses.csv").write_text(SURVEY_CSV.replace(
        "Strong partnership with the council.", "Strong partnership; shared aims; trust."))
    assert "Strong partnership; shared aims; trust." in [r.text for r in _read(project).responses]


def test_a_delimiter_in_the_manifest_is_used(project: Path):
    text = _survey_with("|")
    (project / "responses.csv").write_text(text, encoding="utf-8")
    _set_source_key(project, 'delimiter = "|"')
    assert {r.respondent for r in _read(project).responses if r.source == "survey"} == {
        "R01", "R02", "R03", "R04"}


def test_a_wrong_delimiter_is_named_in_one_line_that_says_what_to_set(project: Path):
    (project / "responses.csv").write_text(_survey_with(";"), encoding="utf-8")
    _set_source_key(project, 'delimiter = ","')
    result = invoke("ingest", "-p", str(project))
    text = one_line_error(result, "responses.csv: the header is one column, \"Ref;Q1;Q2;Q3;Q4\"",
                          "seems to use another delimiter (';'): set delimiter = \";\"")
    assert "no column" not in text


def test_a_delimiter_is_only_for_csv(project: Path):
    from summariser.errors import ManifestError

    manifest = (project / "summariser.toml").read_text(encoding="utf-8")
    (project / "summariser.toml").write_text(manifest.replace(
        'respondent = "I01"', 'respondent = "I01"\ndelimiter = ";"'), encoding="utf-8")
    with pytest.raises(ManifestError, match="delimiter is only for a CSV file"):
        load_manifest(project)
