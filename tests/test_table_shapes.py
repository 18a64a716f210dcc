"""Tables as exports really come: rows cut short by a stray line break, other delimiters, a
workbook whose answers are not on the first sheet or under a title row, JSON values that are
not text, and answers that hold nothing a reader can see. Each is read through the real
reader, or refused in one line that says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.errors import InputError
from summariser.project.manifest import load_manifest
from tests.commands import invoke, one_line_error
from tests.conftest import SURVEY_CSV
from tests.test_validation import HEADER, _problems, _read

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


# --- workbooks: which sheet, and which row holds the column names ----------------------------

ROWS = [["Ref", "Q1", "Q2", "Q3", "Q4"], ["R01", "fine", None, 7, "Satisfied"],
        ["R02", "good", "ok", 8, None]]


def _workbook(path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()
              ) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)


def _use_xlsx(project: Path, *lines: str) -> None:
    manifest = (project / "summariser.toml").read_text(encoding="utf-8")
    (project / "summariser.toml").write_text(manifest.replace(
        'path = "responses.csv"', 'path = "responses.xlsx"'), encoding="utf-8")
    for line in lines:
        _set_source_key(project, line)


def _survey(project: Path) -> set[tuple[str, str, str]]:
    return {(r.respondent, r.question, r.text) for r in _read(project).responses
            if r.source == "survey"}


EXPECTED = {("R01", "gone_well", "fine"), ("R02", "gone_well", "good"),
            ("R02", "enablers", "ok")}


@pytest.mark.parametrize("notes, said", [
    ([["Survey export, 1 March"], ["Do not edit"]],
     "no column 'Ref' in sheet 'About' (header row 1: Survey export, 1 March)"),
    ([["Survey export, 1 March"]], "sheet 'About' has a header but no rows")])
def test_a_workbook_whose_first_sheet_is_notes_names_the_sheet_read_and_the_others(
        project: Path, notes: list[list[str]], said: str):
    _workbook(project / "responses.xlsx", {"About": notes, "Responses": ROWS, "Old": ROWS},
              hidden=("Old",))
    _use_xlsx(project)
    result = invoke("ingest", "-p", str(project))
    one_line_error(result, f"responses.xlsx: {said}; the workbook's other sheets: 'Responses', "
                   "'Old' (hidden); set sheet = \"<name>\" on this source in summariser.toml")
    _set_source_key(project, 'sheet = "Responses"')
    assert _survey(project) == EXPECTED


def test_a_hidden_first_sheet_is_passed_over(project: Path):
    _workbook(project / "responses.xlsx", {"About": [["Generated by the survey tool"]],
                                           "Responses": ROWS}, hidden=("About",))
    _use_xlsx(project)
    assert _survey(project) == EXPECTED


def test_a_sheet_that_is_not_there_is_named_with_the_ones_that_are(project: Path):
    _workbook(project / "responses.xlsx", {"Responses": ROWS})
    _use_xlsx(project, 'sheet = "Answers"')
    with pytest.raises(InputError, match="responses.xlsx: no sheet 'Answers'; its sheets are "
                                         "'Responses'; fix sheet in summariser.toml"):
        _read(project)


def test_a_title_row_above_the_header_is_found_and_header_row_reads_below_it(project: Path):
    rows = [["Library survey 2025: all responses"], [], *ROWS]
    rows[3] = ["R01", "fine", None, 70, "Satisfied"]  # sheet row 4: off the scale
    _workbook(project / "responses.xlsx", {"Responses": rows})
    _use_xlsx(project)
    result = invoke("ingest", "-p", str(project))
    one_line_error(result, "responses.xlsx: no column 'Ref' in the header (row 1), but row 3 "
                   "holds it: set header_row = 3 on this source in summariser.toml")
    _set_source_key(project, "header_row = 3")
    assert _problems(project) == [
        "responses.xlsx row 4, question rating_finance: '70' is not a number from 0 to 10; "
        "correct the cell or the question's scale"]


def test_a_csv_with_title_lines_is_read_from_its_header_row(project: Path):
    (project / "responses.csv").write_text("Exported 1 March 2025\n\n" + SURVEY_CSV
                                           + "R05,cut\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'Ref' in the header \\(line 1\\), but line "
                                         "3 holds it: set header_row = 3"):
        _read(project)
    _set_source_key(project, "header_row = 3")
    assert _problems(project) == [
        "responses.csv line 8: 2 cells, but the header has 5; an answer holding a line break "
        "must be in double quotes, and an empty cell still needs its ','"]


@pytest.mark.parametrize("line, message", [('sheet = "Responses"', "sheet is only for an XLSX"),
                                           ("header_row = 2", "header_row is only for a CSV "
                                                              "or XLSX")])
def test_sheet_and_header_row_are_only_for_tables_that_have_them(project: Path, line: str,
                                                                 message: str):
    from summariser.errors import ManifestError

    manifest = (project / "summariser.toml").read_text(encoding="utf-8")
    (project / "summariser.toml").write_text(manifest.replace(
        'respondent = "I01"', f'respondent = "I01"\n{line}'), encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        load_manifest(project)


# --- JSON values that are not text ----------------------------------------------------------

def _jsonl(project: Path, *records: str) -> None:
    (project / "responses.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    manifest = (project / "summariser.toml").read_text(encoding="utf-8")
    (project / "summariser.toml").write_text(manifest.replace("responses.csv", "responses.jsonl"),
                                             encoding="utf-8")


def test_an_object_or_list_in_a_column_the_manifest_reads_is_refused_with_its_line(
        project: Path):
    _jsonl(project,
           '{"Ref": "R01", "Q1": {"text": "Parking.", "lang": "en"}, "Q3": 4, "Q4": null}',
           '{"Ref": "R02", "Q1": ["Parking.", "and wifi"], "Q3": 5, "Q4": null}',
           '{"Ref": "R03", "Q1": "Fine.", "Q3": 6, "meta": {"tags": ["x"]}, "Q2": {}, '
           '"Q4": null}')
    assert _problems(project) == [
        "responses.jsonl line 1: 'Q1' holds a JSON object, not text or a number; name the key "
        "inside it that holds the value (such as 'Q1.text') in summariser.toml",
        "responses.jsonl line 2: 'Q1' holds a JSON list, not text or a number; export the value "
        "as one string or number",
        "responses.jsonl line 3: 'Q2' holds an empty JSON object, not text or a number; export "
        "the value as one string or number"]


def test_nested_objects_are_read_under_dotted_keys(project: Path):
    _jsonl(project,
           '{"Ref": {"id": "R01"}, "answers": {"Q1": {"text": "Parking.", "lang": "en"}, '
           '"Q3": 4}, "tags": ["unused", "lists", "are", "never", "read"]}',
           '{"Ref": {"id": "R02"}, "answers": {"Q1": {"text": "Wifi.", "lang": "en"}, "Q3": 5}}')
    manifest = (project / "summariser.toml").read_text(encoding="utf-8")
    (project / "summariser.toml").write_text(manifest.replace(
        'respondent_column = "Ref"\ncolumns = { gone_well = "Q1", enablers = "Q2", '
        'rating_finance = "Q3", satisfaction = "Q4" }',
        'respondent_column = "Ref.id"\ncolumns = { gone_well = "answers.Q1.text", '
        'rating_finance = "answers.Q3" }'), encoding="utf-8")
    corpus = _read(project)
    assert [(r.respondent, r.text) for r in corpus.responses if r.source == "survey"] == [
        ("R01", "Parking."), ("R02", "Wifi.")]
    assert [(r.respondent, r.value) for r in corpus.ratings] == [("R01", 4.0), ("R02", 5.0)]


def test_json_true_false_and_numbers_read_as_json_wrote_them(project: Path):
    _jsonl(project, '{"Ref": "R01", "Q1": true, "Q2": false, "Q3": 4.0, "Q4": null}',
           '{"Ref": "R02", "Q1": 1.5e300, "Q2": 12345678901234567890, "Q3": 5, "Q4": null}')
    texts = [r.text for r in _read(project).responses if r.source == "survey"]
    assert texts == ["true", "false", "1.5e+300", "12345678901234567890"]


# --- answers with nothing a reader can see ---------------------------------------------------

INVISIBLE_ANSWERS = ["\u200b", " \u200b\ufeff\u00a0 ", "\u2060\t\u200d", "\u3164", "\u00ad",
                     "\u202e\u202c", "\u2800\ufe0f"]


@pytest.mark.parametrize("answer", INVISIBLE_ANSWERS)
def test_an_answer_of_only_invisible_characters_is_blank(project: Path, answer: str):
    (project / "responses.csv").write_text(
        HEADER + f"R01,{answer},Real words,7,{answer}\nR02,good,ok,8,Satisfied\n",
        encoding="utf-8")
    corpus = _read(project)
    assert [(r.respondent, r.question) for r in corpus.responses if r.source == "survey"] == [
        ("R01", "enablers"), ("R02", "gone_well"), ("R02", "enablers")]
    assert [s.reason for s in corpus.skipped] == ["empty"]
    assert {(r.respondent, r.value) for r in corpus.ratings if r.question == "satisfaction"} \
        == {("R01", None), ("R02", "Satisfied")}


def test_visible_words_among_invisible_characters_are_kept_as_written(project: Path):
    (project / "responses.csv").write_text(
        HEADER + "R01,\u200bMore\u200b parking\ufeff,n/a\u200b,7,\n", encoding="utf-8")
    corpus = _read(project)
    assert [r.text for r in corpus.responses if r.source == "survey"] == [
        "\u200bMore\u200b parking\ufeff"]
    assert [s.reason for s in corpus.skipped] == ["blank ('n/a')"]


def test_a_transcript_table_segment_of_only_invisible_characters_is_empty(tmp_path: Path):
    (tmp_path / "segments.csv").write_text(
        "Interview,Speaker,Text\nP01,Interviewer,How is it?\nP01,Participant,\u200b\u200b\n"
        "P01,Participant,Short staffed.\n", encoding="utf-8")
    (tmp_path / "summariser.toml").write_text(
        '[[sources]]\nid = "segments"\npath = "segments.csv"\nformat = "transcript"\n'
        'respondent_column = "Interview"\ntext_column = "Text"\nspeaker_column = "Speaker"\n'
        'question = "interview"\nspeakers = ["Participant"]\n\n'
        '[[questions]]\nid = "interview"\n\n'
        '[[sections]]\nid = "s"\ntitle = "S"\nsources = ["segments"]\n', encoding="utf-8")
    corpus = _read(tmp_path)
    assert [(r.speaker, r.text) for r in corpus.responses] == [
        ("Interviewer", "How is it?"), ("Participant", "Short staffed.")]
    assert [s.reason for s in corpus.skipped] == ["empty"]


def test_the_rule_draws_the_line_at_what_a_reader_sees():
    from summariser.text.visible import blank, trimmed

    assert all(blank(text) for text in [None, "", " \t\r\n", *INVISIBLE_ANSWERS])
    assert not any(blank(text) for text in ["a", "\u200b.", "·", "\u00e9", "\U0001F697", "\u0301"])
    assert trimmed("\ufeff\u00a0 n/a\u200b\u2029") == "n/a"
