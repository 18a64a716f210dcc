import json
from pathlib import Path

import pytest

from summariser.errors import InputError
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus, split_turns
from tests.conftest import POLIS, POLIS_DATA, SURVEY_CSV


def _read(project: Path, encoding: str | None = None):
    return read_corpus(load_manifest(project), encoding)


def test_wide_csv_gives_text_answers_ratings_and_skips(project: Path):
    corpus = _read(project)
    survey = [r for r in corpus.responses if r.source == "survey"]
    assert {(r.respondent, r.question) for r in survey} == {
        ("R01", "gone_well"), ("R01", "enablers"), ("R02", "gone_well"), ("R03", "gone_well"),
        ("R03", "enablers"), ("R04", "enablers")}
    assert {(r.respondent, r.value) for r in corpus.ratings if r.question == "rating_finance"} \
        == {("R01", 7.0), ("R02", 9.0), ("R03", 5.0), ("R04", 8.0)}
    assert {r.value for r in corpus.ratings if r.question == "satisfaction"} == {
        "Satisfied", None, "Very satisfied", "Neither satisfied nor dissatisfied"}
    reasons = sorted(s.reason for s in corpus.skipped)
    assert reasons == ["blank ('n/a')", "empty"]


def test_answer_text_is_kept_byte_exact(project: Path):
    text = "Line one,  with two spaces.\r\nLine two – “curly” quotes"
    csv = SURVEY_CSV.replace("Strong partnership with the council.", text.replace('"', '""'))
    (project / "responses.csv").write_bytes(csv.encode("utf-8"))
    corpus = _read(project)
    [answer] = [r for r in corpus.responses if r.respondent == "R03" and r.question == "gone_well"]
    assert answer.text == text


def test_cp1252_export_is_detected(project: Path):
    csv = SURVEY_CSV.replace("Strong partnership", "Strong partnership – it’s “real”")
    (project / "responses.csv").write_bytes(csv.encode("cp1252"))
    corpus = _read(project)
    assert any("it’s “real”" in r.text for r in corpus.responses)


def test_utf8_bom_is_not_part_of_the_first_column(project: Path):
    (project / "responses.csv").write_bytes(SURVEY_CSV.encode("utf-8-sig"))
    assert {r.respondent for r in _read(project).responses if r.source == "survey"} == {
        "R01", "R02", "R03", "R04"}


def test_wrong_explicit_encoding_is_a_clear_error(project: Path):
    (project / "responses.csv").write_bytes(SURVEY_CSV.replace("Strong", "Strong – ").encode())
    with pytest.raises(InputError, match="responses.csv: cannot be read as ascii"):
        _read(project, encoding="ascii")


def test_missing_column_names_file_column_and_fix(project: Path):
    (project / "responses.csv").write_text(SURVEY_CSV.replace("Q3", "Q3x"))
    with pytest.raises(InputError, match=r"responses.csv: no column 'Q3' \(question "
                                         r"rating_finance\).*fix the column name"):
        _read(project)


def test_duplicate_respondent_ids_are_refused_with_rows(project: Path):
    (project / "responses.csv").write_text(SURVEY_CSV.replace("R04", "R02"))
    with pytest.raises(InputError, match="respondent 'R02' appears on rows 2 and 4"):
        _read(project)


def test_empty_file_is_refused(project: Path):
    (project / "responses.csv").write_text("")
    with pytest.raises(InputError, match="responses.csv: the file is empty"):
        _read(project)


def test_header_only_file_is_refused(project: Path):
    (project / "responses.csv").write_text("Ref,Q1,Q2,Q3,Q4\n")
    with pytest.raises(InputError, match="header but no rows"):
        _read(project)


def test_rating_out_of_scale_names_row_and_question(project: Path):
    (project / "responses.csv").write_text(SURVEY_CSV.replace(",9,", ",eleven,"))
    with pytest.raises(InputError, match="row 2, question rating_finance: 'eleven' is not a "
                                         "number from 0 to 10"):
        _read(project)


def test_transcript_without_speaker_labels_is_refused(project: Path):
    (project / "interview.txt").write_text("we talked about many things\nand then more\n")
    with pytest.raises(InputError, match="interview.txt: no speaker turns found"):
        _read(project)


def test_transcript_turns_keep_offsets_into_the_file(project: Path):
    corpus = _read(project)
    turns = [r for r in corpus.responses if r.source == "interview"]
    text = (project / "interview.txt").read_text()
    assert [t.speaker for t in turns] == ["Interviewer", "Chief Officer", "Interviewer",
                                           "Chief Officer"]
    assert [t.is_participant for t in turns] == [False, True, False, True]
    for turn in turns:
        assert text[turn.offset:turn.offset + len(turn.text)] == turn.text
    assert turns[1].text.endswith("within the financial envelope.")  # continuation line kept


def test_speaker_labels_with_markup_and_timestamps():
    text = "**Interviewer:** Hello\n[00:01:02] Chief Officer: Hi there\nmore words\n"
    assert [(s, body) for s, _, _, body in split_turns(text)] == [
        ("Interviewer", "Hello"), ("Chief Officer", "Hi there\nmore words")]


@pytest.mark.parametrize("suffix", ["xlsx", "jsonl", "parquet"])
def test_other_tabular_formats_read_like_csv(project: Path, suffix: str):
    import pandas as pd

    frame = pd.read_csv(project / "responses.csv", dtype=str, keep_default_na=False)
    target = project / f"responses.{suffix}"
    if suffix == "xlsx":
        frame.to_excel(target, index=False)
    elif suffix == "jsonl":
        target.write_text("\n".join(json.dumps(r) for r in frame.to_dict("records")))
    else:
        frame.to_parquet(target)
    expected = _read(project)
    manifest = (project / "summariser.toml").read_text()
    (project / "summariser.toml").write_text(manifest.replace("responses.csv",
                                                              f"responses.{suffix}"))
    got = _read(project)
    assert [(r.respondent, r.question, r.text) for r in got.responses] == \
        [(r.respondent, r.question, r.text) for r in expected.responses]
    assert got.ratings == expected.ratings


def test_vtt_and_docx_transcripts(project: Path):
    import docx

    (project / "interview.vtt").write_text(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>How is it going?</v>\n\n"
        "2\n00:00:04.000 --> 00:00:09.000\n<v Chief Officer>Slowly, but we hold our nerve.</v>\n")
    document = docx.Document()
    document.add_paragraph("Interviewer: How is it going?")
    document.add_paragraph("Chief Officer: Slowly, but we hold our nerve.")
    document.save(project / "interview.docx")
    manifest = (project / "summariser.toml").read_text()
    for suffix in ("vtt", "docx"):
        (project / "summariser.toml").write_text(manifest.replace("interview.txt",
                                                                  f"interview.{suffix}"))
        turns = [r for r in _read(project).responses if r.source == "interview"]
        assert [(t.speaker, t.text) for t in turns] == [
            ("Interviewer", "How is it going?"),
            ("Chief Officer", "Slowly, but we hold our nerve.")]


@pytest.mark.skipif(not POLIS_DATA.exists(), reason="shared Polis corpus not present")
def test_polis_keeps_moderated_in_statements_only():
    corpus = read_corpus(load_manifest(POLIS))
    assert len(corpus.responses) == 607
    assert sum(s.reason == "filtered out (keep)" for s in corpus.skipped) == 289
    assert corpus.rows_read == {"comments": 896}
    assert len({r.respondent for r in corpus.responses}) < 403
