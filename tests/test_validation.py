"""Data files are checked whole: every problem in a file (up to 20) is reported at once, each at
the place the analyst will look for it (a CSV's file line, an XLSX sheet row); the blank
values are documented and the manifest's `blank` list replaces them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summariser.errors import InputError
from summariser.project.manifest import DEFAULT_BLANKS, load_manifest
from summariser.project.problems import MAX_PROBLEMS
from summariser.project.sources import read_corpus
from tests.conftest import REPO

HEADER = "Ref,Q1,Q2,Q3,Q4\n"


def _read(project: Path):
    return read_corpus(load_manifest(project))


def _problems(project: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        _read(project)
    return str(caught.value).splitlines()


def test_every_problem_in_a_csv_is_listed_with_its_file_line(project: Path):
    rows = (
        HEADER
        + 'R01,"An answer over\ntwo lines",fine,7,Satisfied\n'  # lines 2-3
        + "R02,ok,ok,eleven,Satisfied\n"                          # line 4: not on the scale
        + "R01,again,again,5,Satisfied\n"                         # line 5: R01 twice
        + ",no id,x,5,Satisfied\n"                                # line 6: no respondent id
        + "R05,ok,ok,5,Delighted\n"                               # line 7: not an option
        + "R06,ok,ok,5,Satisfied,extra\n"                         # line 8: one cell too many
    )
    (project / "responses.csv").write_text(rows, encoding="utf-8")
    assert _problems(project) == [
        "responses.csv line 4, question rating_finance: 'eleven' is not a number from 0 to 10; "
        "correct the cell or the question's scale",
        "responses.csv line 5: respondent 'R01' appears on lines 2 and 5; each row must be one "
        "respondent; for one row per response, use text_column",
        "responses.csv line 6: no respondent id in 'Ref'; fill it in or remove the row",
        "responses.csv line 7, question satisfaction: 'Delighted' is not one of the options "
        "(Very dissatisfied; Dissatisfied; Neither satisfied nor dissatisfied; Satisfied; Very "
        "satisfied); fix the options in summariser.toml",
        "responses.csv line 8: 6 cells, but the header has 5; an answer holding a ',' must be in "
        "double quotes",
    ]


def test_more_than_twenty_problems_are_counted_not_listed(project: Path):
    rows = HEADER + "".join(f"R{n:03d},ok,ok,{n + 20},Satisfied\n" for n in range(1, 31))
    (project / "responses.csv").write_text(rows, encoding="utf-8")
    problems = _problems(project)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0].startswith("responses.csv line 2, question rating_finance: '21'")
    assert problems[MAX_PROBLEMS - 1].startswith("responses.csv line 21,")
    assert problems[-1] == "... and 10 more problems"


def test_problems_in_several_files_are_reported_together(project: Path):
    (project / "responses.csv").write_text(HEADER.replace("Q3", "Q3x") + "R01,a,b,1,Satisfied\n")
    (project / "interview.txt").unlink()
    problems = _problems(project)
    assert problems[0].startswith("responses.csv: no column 'Q3' (question rating_finance)")
    assert problems[1] == ("interview.txt: file not found (source 'interview'); fix the path in "
                           "summariser.toml")


def test_an_unbalanced_quote_names_the_line_its_row_starts_on(project: Path):
    (project / "responses.csv").write_text(HEADER + "R01,ok,ok,7,Satisfied\n"
                                           'R02,"never closed,ok,7,Satisfied\nR03,a,b,1,\n')
    [problem] = _problems(project)
    assert problem.startswith("responses.csv line 3: not a well-formed row")


def test_jsonl_problems_name_every_bad_line(project: Path):
    manifest = (project / "summariser.toml").read_text(encoding="utf-8")
    (project / "summariser.toml").write_text(manifest.replace("responses.csv", "responses.jsonl"))
    (project / "responses.jsonl").write_text(
        '{"Ref": "R01", "Q1": "a", "Q2": "b", "Q3": 4, "Q4": "Satisfied"}\n'
        "\n"
        "{not json}\n"
        '["a list"]\n'
        '{"Ref": "R02", "Q1": "a", "Q2": "b", "Q3": 40, "Q4": "Satisfied"}\n', encoding="utf-8")
    problems = _problems(project)
    assert [p.split(":")[0] for p in problems] == [
        "responses.jsonl line 3", "responses.jsonl line 4",
        "responses.jsonl line 5, question rating_finance"]


def _write_xlsx(path: Path, rows: list[list[object]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


def _use(project: Path, filename: str, blank: str | None = None) -> None:
    manifest = (project / "summariser.toml").read_text(encoding="utf-8")
    manifest = manifest.replace('path = "responses.csv"', f'path = "{filename}"')
    if blank is not None:
        manifest = manifest.replace('respondent_column = "Ref"',
                                    f'respondent_column = "Ref"\nblank = {blank}')
    (project / "summariser.toml").write_text(manifest, encoding="utf-8")


def test_xlsx_problems_name_the_sheet_row(project: Path):
    _write_xlsx(project / "responses.xlsx", [
        ["Ref", "Q1", "Q2", "Q3", "Q4"], [1001, "fine", None, 7, "Satisfied"],
        [None, None, None, None, None],  # an empty sheet row (row 3) is passed over
        [1002, "fine", None, 12, "Satisfied"]])
    _use(project, "responses.xlsx")
    [problem] = _problems(project)
    assert problem.startswith("responses.xlsx row 4, question rating_finance: '12'")


def test_xlsx_text_like_n_a_and_none_is_decided_by_the_blank_list(project: Path):
    rows = [["Ref", "Q1", "Q2", "Q3", "Q4"], ["R01", "n/a", "None", 7, "Satisfied"],
            ["R02", "NA", "no comment", 8, "Satisfied"]]
    _write_xlsx(project / "responses.xlsx", rows)
    _use(project, "responses.xlsx")
    corpus = _read(project)
    assert not [r for r in corpus.responses if r.source == "survey"]
    assert sorted(s.reason for s in corpus.skipped) == [
        "blank ('NA')", "blank ('None')", "blank ('n/a')", "blank ('no comment')"]
    # The manifest's list replaces the built-in one: only what it names is blank.
    _use(project, "responses.xlsx", blank='["no comment"]')
    kept = {r.text for r in _read(project).responses if r.source == "survey"}
    assert kept == {"n/a", "None", "NA"}


def test_characters_excel_stores_escaped_are_read_as_written(project: Path):
    """Excel stores a character a cell cannot hold escaped: a vertical tab from an old system
    as "_x000B_", a line break as "_x000D__x000A_", and a typed "_x0041_" as "_x005F_x0041_".
    They were quoted as "More_x000B_spaces"."""
    from openpyxl.utils.escape import escape

    _write_xlsx(project / "responses.xlsx", [
        ["Ref", "Q1", "Q2", "Q3", "Q4"],
        ["R01", escape("More\x0bspaces in the car park"), escape("Line one\r\nLine two"), 7,
         "Satisfied"],
        ["R02", "Code _x005F_x0041_ as typed", "fine", 8, "Satisfied"]])
    _use(project, "responses.xlsx")
    texts = {r.text for r in _read(project).responses if r.source == "survey"}
    assert not any("_x000" in text for text in texts), texts
    assert "Code _x0041_ as typed" in texts
    assert any(text.startswith("More") and "spaces in the car park" in text for text in texts)


def test_the_same_blank_rules_hold_for_csv(project: Path):
    (project / "responses.csv").write_text(HEADER + "R01,n/a,None,7,\nR02,.,-,8,Satisfied\n")
    corpus = _read(project)
    assert not [r for r in corpus.responses if r.source == "survey"]
    assert {r.value for r in corpus.ratings if r.question == "satisfaction"} == {
        None, "Satisfied"}
    manifest = (project / "summariser.toml").read_text(encoding="utf-8")
    (project / "summariser.toml").write_text(manifest.replace(
        'respondent_column = "Ref"', 'respondent_column = "Ref"\nblank = []'))
    assert {r.text for r in _read(project).responses if r.source == "survey"} == {
        "n/a", "None", ".", "-"}


def test_parquet_problems_name_the_data_row(project: Path):
    import pandas as pd

    pd.DataFrame({"Ref": ["R01", "R02"], "Q1": ["a", "b"], "Q2": ["c", "d"], "Q3": [7, 70],
                  "Q4": ["Satisfied", None]}).to_parquet(project / "responses.parquet")
    _use(project, "responses.parquet")
    [problem] = _problems(project)
    assert problem.startswith("responses.parquet row 2, question rating_finance: '70'")


def test_the_built_in_blank_values_are_documented():
    docs = (REPO / "docs" / "manifest.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Blank answers"):]
    section = section[:section.index("\n## ", 1)]
    listed = re.findall(r"`([^`]+)`", section)
    assert set(DEFAULT_BLANKS) <= set(listed)
    assert "replaces" in section
