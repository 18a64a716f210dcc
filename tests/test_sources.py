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


def test_duplicate_respondent_ids_are_refused_with_lines(project: Path):
    (project / "responses.csv").write_text(SURVEY_CSV.replace("R04", "R02"))
    with pytest.raises(InputError, match="responses.csv line 5: respondent 'R02' appears on "
                                         "lines 3 and 5"):
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
    with pytest.raises(InputError, match="line 3, question rating_finance: 'eleven' is not a "
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


TEAMS_VTT = (
    "\ufeffWEBVTT\r\n\r\n"
    "3f1c2a9e-7b41/11-0\r\n00:00:02.120 --> 00:00:09.480\r\n"
    "<v Tom Baker>What does a typical day look like?</v>\r\n\r\n"
    "3f1c2a9e-7b41/15-0\r\n00:00:13.300 --> 00:00:19.870\r\n"
    "<v Aisha Rahman>I start at seven, and then I'm driving right across to</v>\r\n\r\n"
    "NOTE the recording paused here\r\n\r\n"
    "3f1c2a9e-7b41/15-1\r\n00:00:19.870 --> 00:00:27.240 align:start\r\n"
    "<v Aisha Rahman>Eastfield &amp; back, <i>twenty</i> minutes\r\non a good day.</v>\r\n\r\n"
    "3f1c2a9e-7b41/19-0\r\n00:00:37.500 --> 00:00:41.020\r\n"
    "<v Tom Baker>Anything else?</v>\r\n\r\n"
    # Heard once, and spelled unlike the other cues: still who is speaking.
    "3f1c2a9e-7b41/20-0\r\n00:00:41.500 --> 00:00:45.000\r\n"
    "<v Aisha Rahmen>The training was good, actually.</v>\r\n")


def test_a_teams_vtt_reads_as_whole_turns_without_cue_ids(project: Path):
    """Cue identifiers are no one's words; a speaker's cues are one turn (a sentence cut across
    two reads whole); a voice heard once is a speaker, never part of the interviewer's turn."""
    (project / "interview.vtt").write_text(TEAMS_VTT, encoding="utf-8", newline="")
    manifest = (project / "summariser.toml").read_text()
    (project / "summariser.toml").write_text(
        manifest.replace("interview.txt", "interview.vtt").replace(
            'question = "interview"', 'question = "interview"\ninterviewer = ["Tom Baker"]', 1))
    turns = [r for r in _read(project).responses if r.source == "interview"]
    assert [(t.speaker, t.is_participant, t.text) for t in turns] == [
        ("Tom Baker", False, "What does a typical day look like?"),
        ("Aisha Rahman", True, "I start at seven, and then I'm driving right across to "
                               "Eastfield & back, twenty minutes on a good day."),
        ("Tom Baker", False, "Anything else?"),
        ("Aisha Rahmen", True, "The training was good, actually.")]


@pytest.mark.parametrize("cue", ["<v Interviewer>How long have you worked here?</v>\n"
                                 "<v Chief Officer>Ten years now.</v>",
                                 "Interviewer: How long have you worked here?\n"
                                 "Chief Officer: Ten years now."])
def test_two_speakers_in_one_cue_are_two_turns(project: Path, cue: str):
    """A cue holding a question and its answer, a line each, gave the answer to the
    interviewer: never quoted, never counted."""
    (project / "interview.vtt").write_text(f"WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n{cue}\n")
    manifest = (project / "summariser.toml").read_text()
    (project / "summariser.toml").write_text(manifest.replace("interview.txt", "interview.vtt"))
    turns = [r for r in _read(project).responses if r.source == "interview"]
    assert [(t.speaker, t.is_participant, t.text) for t in turns] == [
        ("Interviewer", False, "How long have you worked here?"),
        ("Chief Officer", True, "Ten years now.")]


def test_a_file_named_vtt_that_is_not_one_is_one_line(project: Path):
    (project / "interview.vtt").write_text("Interviewer: hello\nChief Officer: hi\n")
    manifest = (project / "summariser.toml").read_text()
    (project / "summariser.toml").write_text(manifest.replace("interview.txt", "interview.vtt"))
    with pytest.raises(InputError, match="interview.vtt: not a WebVTT file"):
        _read(project)


@pytest.mark.skipif(not POLIS_DATA.exists(), reason="shared Polis corpus not present")
def test_polis_keeps_moderated_in_statements_only():
    corpus = read_corpus(load_manifest(POLIS))
    assert len(corpus.responses) == 607
    assert sum(s.reason == "filtered out (keep)" for s in corpus.skipped) == 289
    assert corpus.rows_read == {"comments": 896}
    assert len({r.respondent for r in corpus.responses}) < 403


# --- turns: an interviewer's words never become a participant's ------------------------------

FOLLOW_UP = (
    "Interviewer: What has been hardest this year?\n"
    "Chief Officer: Recruitment, mostly.\n"
    "Interviewer: Why is that?\n"
    "Follow-up: Is the shortage of social workers behind the delays?\n"
    "Chief Officer: The lack of workforce is making the system very vulnerable.\n"
    "Interviewer: And governance?\n"
    "Chief Officer: It's not prohibiting; just very time consuming.\n"
)


def _turns(project: Path, transcript: str, extra: str = ""):
    (project / "interview.txt").write_text(transcript, encoding="utf-8")
    if extra:
        text = (project / "summariser.toml").read_text()
        (project / "summariser.toml").write_text(text.replace('respondent = "I01"',
                                                              f'respondent = "I01"\n{extra}'))
    corpus = _read(project)
    return corpus, [r for r in corpus.responses if r.source == "interview"]


@pytest.mark.parametrize("extra", ["", 'speakers = ["Chief Officer"]'])
def test_a_follow_up_line_stays_in_the_interviewers_turn(project: Path, extra: str):
    from summariser.verify.index import CorpusIndex, Status

    corpus, turns = _turns(project, FOLLOW_UP, extra)
    assert [(t.speaker, t.is_participant) for t in turns] == [
        ("Interviewer", False), ("Chief Officer", True), ("Interviewer", False),
        ("Chief Officer", True), ("Interviewer", False), ("Chief Officer", True)]
    assert turns[2].text == ("Why is that?\nFollow-up: Is the shortage of social workers behind "
                             "the delays?")
    index = CorpusIndex.build(corpus.responses)
    question = "Is the shortage of social workers behind the delays?"
    assert index.verify(question, respondent="I01").status == Status.INTERVIEWER
    assert index.verify("the system very vulnerable", respondent="I01").passed


def test_an_interviewer_label_without_its_colon_is_still_the_interviewers(project: Path):
    """"Interviewer What happens then? ..." once continued the participant's turn: the
    interviewer's question was quoted as theirs and counted them in a theme."""
    corpus, turns = _turns(project, "Interviewer: What has been hardest?\n"
                                    "Chief Officer: Recruitment, mostly.\n"
                                    "Interviewer Do you get pay docked for missed visits?\n"
                                    "Chief Officer: No, never.\n")
    assert [(t.speaker, t.is_participant, t.text) for t in turns] == [
        ("Interviewer", False, "What has been hardest?"),
        ("Chief Officer", True, "Recruitment, mostly."),
        ("Interviewer", False, "Do you get pay docked for missed visits?"),
        ("Chief Officer", True, "No, never.")]
    assert any("interview.txt line 3: a question opening with an interviewer's label and no "
               "colon" in note for note in corpus.notes)
    # Not a question, or a label of a letter: the participant's own words, as before.
    for line, label in (("Interviewer training was what made the difference.", "Interviewer"),
                        ("I I think we lost two posts.", "I")):
        turns = list(split_turns(f"{label}: What is hardest?\nChief Officer: Recruitment.\n"
                                 f"{line}\n", [label]))
        assert turns[-1][0] == "Chief Officer" and turns[-1][3].endswith(line)


def test_several_participant_labels_are_named_for_the_analyst(project: Path):
    """A team leader joined Sam's interview; her words were counted as Sam's, unremarked."""
    talk = ("Interviewer: What is hardest?\nSam: The rota.\nMaria: Pay, to be honest.\n"
            "Interviewer: And training?\nSam: It is fine.\nMaria: We lose people to it.\n")
    corpus, turns = _turns(project, talk)
    assert {t.respondent for t in turns if t.is_participant} == {"I01"}
    assert any("turns by 'Maria' and 'Sam' are all counted as I01's words" in note
               for note in corpus.notes)
    corpus, _ = _turns(project, talk, 'speakers = ["Sam"]')
    assert not any("all counted" in note for note in corpus.notes)


def test_speakers_limit_who_opens_a_turn(project: Path):
    transcript = FOLLOW_UP.replace("Interviewer: And governance?\n",
                                   "Interviewer: And governance?\nFollow-up: Is it slow?\n")
    _, turns = _turns(project, transcript.replace("Chief Officer: Recruitment",
                                                  "Chief Officer: Note: recruitment"),
                      'speakers = ["chief officer"]')
    assert [t.speaker for t in turns if t.is_participant] == ["Chief Officer"] * 3
    assert "Follow-up: Is it slow?" in turns[4].text and not turns[4].is_participant
    assert turns[1].text == "Note: recruitment, mostly."


def test_a_label_heard_once_among_several_is_not_a_participant_without_speakers(project: Path):
    transcript = ("Interviewer: What has been hardest?\nFollow-up: And workforce?\n"
                  "Chief Officer: Recruitment.\n")
    with pytest.raises(InputError, match=r"every turn is by an interviewer.*speakers = \["):
        _turns(project, transcript)
    _, turns = _turns(project, transcript, 'speakers = ["Chief Officer"]')
    assert [(t.speaker, t.text) for t in turns] == [
        ("Interviewer", "What has been hardest?\nFollow-up: And workforce?"),
        ("Chief Officer", "Recruitment.")]


def test_a_transcripts_header_is_reported_not_read_as_a_speaker(project: Path):
    """A staff interview opened "Staff experience interview 1 - Band 5 staff nurse" and "Date:
    14 November 2024": the date was stored as a turn of a participant called "Date", and the
    title line was dropped without a word."""
    transcript = ("Staff experience interview 1 - Band 5 staff nurse\nDate: 14 November 2024\n\n"
                  "Interviewer: What has been hardest?\nChief Officer: Recruitment.\n"
                  "Interviewer: And the budget?\nChief Officer: Tight.\n")
    corpus, turns = _turns(project, transcript)
    assert [t.speaker for t in turns] == ["Interviewer", "Chief Officer"] * 2
    assert [s.reason for s in corpus.skipped if s.source == "interview"] == [
        "the lines before the first speaker turn (a title, or details such as a date): not "
        "quoted; if someone says them, open them with 'Label: ' as a turn"]


def test_speakers_must_not_repeat_an_interviewer_label(project: Path):
    from summariser.errors import ManifestError

    text = (project / "summariser.toml").read_text()
    (project / "summariser.toml").write_text(text.replace(
        'respondent = "I01"', 'respondent = "I01"\nspeakers = ["Interviewer", "Chief Officer"]'))
    with pytest.raises(ManifestError, match="'Interviewer' is in both speakers and interviewer"):
        load_manifest(project)


# --- encodings and line endings --------------------------------------------------------------

def test_cli_encoding_applies_only_to_sources_without_their_own(project: Path):
    (project / "responses.csv").write_bytes(
        SURVEY_CSV.replace("Strong partnership", "Strong partnership – it’s real").encode("cp1252"))
    (project / "interview.txt").write_text(
        "Interviewer: Hello?\nChief Officer: I think that’s right – “mostly”.\n", encoding="utf-8")
    text = (project / "summariser.toml").read_text()
    (project / "summariser.toml").write_text(text.replace(
        'respondent = "I01"', 'respondent = "I01"\nencoding = "utf-8"'))
    responses = _read(project, encoding="cp1252").responses
    assert any("it’s real" in r.text for r in responses)
    assert any(r.text == "I think that’s right – “mostly”." for r in responses)


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_tables_decode(project: Path, encoding: str, bom: bool):
    csv = SURVEY_CSV.replace("Strong partnership", "Strong partnership – it’s “real”")
    data = csv.encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data
    (project / "responses.csv").write_bytes(data)
    responses = _read(project).responses
    assert any(r.text == "Strong partnership – it’s “real” with the council." for r in responses)
    assert not any("\x00" in r.text or "\ufeff" in r.respondent for r in responses)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_bomless_ascii_transcript_in_utf16_decodes(project: Path, encoding: str):
    (project / "interview.txt").write_bytes(TRANSCRIPT_ASCII.encode(encoding))
    turns = [r for r in _read(project).responses if r.source == "interview"]
    assert [t.speaker for t in turns] == ["Interviewer", "Chief Officer"]
    assert turns[1].text == "Short staffed."


TRANSCRIPT_ASCII = "Interviewer: How is it?\nChief Officer: Short staffed.\n"


def test_a_bom_wins_over_the_encoding_given(project: Path):
    (project / "interview.txt").write_bytes("Interviewer: Hi\nChief Officer: It’s fine.\n"
                                            .encode("utf-16"))
    turns = [r for r in _read(project, encoding="cp1252").responses if r.source == "interview"]
    assert turns[1].text == "It’s fine."


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_split_turns_with_exact_offsets(project: Path, newline: str):
    from tests.conftest import TRANSCRIPT

    data = TRANSCRIPT.replace("\n", newline)
    (project / "interview.txt").write_bytes(data.encode("utf-8"))
    turns = [r for r in _read(project).responses if r.source == "interview"]
    assert [t.speaker for t in turns] == ["Interviewer", "Chief Officer", "Interviewer",
                                           "Chief Officer"]
    assert [t.row for t in turns] == [1, 2, 4, 5]
    for turn in turns:
        assert data[turn.offset:turn.offset + len(turn.text)] == turn.text
    assert turns[1].text == ("The lack of workforce is making the system very vulnerable."
                             f"{newline}We are trying to redesign within the financial envelope.")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_split_text_paragraphs_with_exact_offsets(project: Path, newline: str):
    notes = ("# Sense-check\n\nFirst point, on budgets.\nIt ran over two lines.\n"
             "  \t\nSecond point, on staff.\n\n\nThird point.\n")
    data = notes.replace("\n", newline)
    (project / "notes.md").write_bytes(data.encode("utf-8"))
    text = (project / "summariser.toml").read_text()
    (project / "summariser.toml").write_text(text + '\n[[sources]]\nid = "notes"\n'
                                             'path = "notes.md"\nformat = "text"\n'
                                             'respondent = "COG"\nquestion = "interview"\n')
    paragraphs = [r for r in _read(project).responses if r.source == "notes"]
    assert [p.text for p in paragraphs] == [
        f"First point, on budgets.{newline}It ran over two lines.", "Second point, on staff.",
        "Third point."]
    assert [p.row for p in paragraphs] == [3, 6, 9]
    for paragraph in paragraphs:
        assert data[paragraph.offset:paragraph.offset + len(paragraph.text)] == paragraph.text


def test_jsonl_line_separator_inside_a_string_is_not_a_line_break(project: Path):
    rows = [{"Ref": "R01", "Q1": "One\u2028two", "Q2": "x", "Q3": "5", "Q4": ""},
            {"Ref": "R02", "Q1": "Three", "Q2": "y", "Q3": "6", "Q4": ""}]
    (project / "responses.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False)
                                                       for r in rows), encoding="utf-8")
    text = (project / "summariser.toml").read_text()
    (project / "summariser.toml").write_text(text.replace("responses.csv", "responses.jsonl"))
    assert "One\u2028two" in [r.text for r in _read(project).responses]


def test_an_answer_is_placed_where_the_analyst_finds_it(project: Path):
    """"(data/responses.csv, row 440)" sent an analyst to the row before the answer: a CSV's
    header is line 1, and an answer holding a line break spans two lines."""
    from summariser.records import place_in_file

    (project / "responses.csv").write_text(
        'Ref,Q1,Q2,Q3,Q4\nR01,"Two lines:\nhere.",x,7,Satisfied\nR02,Teams work well.,,9,\n')
    rows = {r.respondent: r.row for r in _read(project).responses if r.question == "gone_well"}
    assert rows == {"R01": 2, "R02": 4}
    assert place_in_file("responses.csv", 4) == "line 4"
    assert place_in_file("survey/responses.xlsx", 4) == "row 4"
