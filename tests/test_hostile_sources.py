"""Hostile sources, second pass: files that mix encodings, answers over 128 KiB, spreadsheets that
unpack to gigabytes, exports 100,000 columns wide, an id_pattern that backtracks without end,
and transcript labels the manifest does not name. Each is read, refused in one line or reported:
never a hang, never a wrong word quoted."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from summariser.errors import InputError
from summariser.project import tables
from summariser.project.manifest import load_manifest
from summariser.project.sources import read_corpus
from summariser.verify.index import CorpusIndex
from tests.commands import invoke
from tests.conftest import REPO


def _answers(project: Path) -> dict[str, str]:
    corpus = read_corpus(load_manifest(project))
    return {r.respondent: r.text for r in corpus.responses if r.question == "gone_well"}


def _write_survey(project: Path, answers: dict[str, str]) -> None:
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(["Ref", "Q1", "Q2", "Q3", "Q4"])
    for ref, answer in answers.items():
        writer.writerow([ref, answer, "", 5, "Satisfied"])
    (project / "responses.csv").write_text(table.getvalue(), encoding="utf-8")


# --- 3. encodings decided per line, never the whole file re-read as cp1252 ---------------------

MIXED = [("R01", "Café staff were superb.", "utf-8"),
         ("R02", "The naïve plan – it’s “real” now.", "cp1252"),
         ("R03", "Our Zoë leads the señor team.", "utf-8")]


def _mixed_csv(rows=MIXED) -> bytes:
    lines = [b"Ref,Q1,Q2,Q3,Q4\n"]
    lines += [f'{ref},"{text}",,5,Satisfied\n'.encode(codec) for ref, text, codec in rows]
    return b"".join(lines)


def test_a_utf8_file_with_a_cp1252_row_keeps_every_row_as_written(project: Path):
    (project / "responses.csv").write_bytes(_mixed_csv())
    corpus = read_corpus(load_manifest(project))
    got = {r.respondent: r.text for r in corpus.responses if r.question == "gone_well"}
    assert got == {ref: text for ref, text, _ in MIXED}  # not "CafÃ©", not "ZoÃ«"
    assert corpus.notes == ("responses.csv: is UTF-8 but for line 3 read as cp1252; check those "
                            "answers, or save the file as UTF-8",)


def test_ingest_says_which_lines_were_read_another_way(project: Path):
    (project / "responses.csv").write_bytes(_mixed_csv())
    result = invoke("ingest", "-p", str(project))
    assert result.exit_code == 0, result.output
    assert "Note: responses.csv: is UTF-8 but for line 3 read as cp1252" in " ".join(
        result.output.split())


def test_a_mixed_transcript_keeps_exact_offsets(project: Path):
    data = ("Interviewer: How was the café?\n".encode()
            + "Chief Officer: Naïve – but it’s working.\n".encode("cp1252")
            + "Interviewer: And Zoë?\n".encode())
    (project / "interview.txt").write_bytes(data)
    corpus = read_corpus(load_manifest(project))
    turns = [r for r in corpus.responses if r.source == "interview"]
    assert [t.text for t in turns] == ["How was the café?", "Naïve – but it’s working.",
                                       "And Zoë?"]
    decoded = ("Interviewer: How was the café?\nChief Officer: Naïve – but it’s working.\n"
               "Interviewer: And Zoë?\n")
    assert all(decoded[t.offset:t.offset + len(t.text)] == t.text for t in turns)


def test_a_file_in_one_legacy_encoding_is_still_read_whole(project: Path):
    _write_survey(project, {"R01": "plain"})
    data = _mixed_csv([("R01", "Naïve – it’s “real”.", "cp1252"), ("R02", "Plain.", "ascii")])
    (project / "responses.csv").write_bytes(data)
    corpus = read_corpus(load_manifest(project))
    assert {r.text for r in corpus.responses if r.question == "gone_well"} == {
        "Naïve – it’s “real”.", "Plain."}
    assert corpus.notes == ()


def test_an_explicit_encoding_that_fails_names_every_line_that_does_not_decode(project: Path):
    rows = [("R01", "Fine.", "utf-8"), ("R02", "Naïve.", "cp1252"), ("R03", "Fine too.", "utf-8"),
            ("R04", "Zoë.", "cp1252")]
    (project / "responses.csv").write_bytes(_mixed_csv(rows))
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace('path = "responses.csv"',
                                                     'path = "responses.csv"\nencoding = "utf-8"'))
    with pytest.raises(InputError, match=r"cannot be read as utf-8 \(.* on lines 3 and 5\)"):
        read_corpus(load_manifest(project))


# --- 5. bounded input: long cells, zip bombs, wide files, id patterns ---------------------------

@pytest.mark.parametrize("action", ["skip", "truncate"])
def test_an_answer_over_128_kib_obeys_oversized_cells(project: Path, action: str):
    long = "Waiting lists are too long. " * 8000  # 224,000 bytes: over csv's 128 KiB field limit
    _write_survey(project, {"R01": "Joint working has improved.", "R02": long,
                            "R03": "Parking is hard."})
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace(
        "invited = 6\n", f'invited = 6\nmax_cell_bytes = 2000\noversized_cells = "{action}"\n'))
    result = invoke("ingest", "-p", str(project))
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert f"answer over 2 kB (max_cell_bytes): {'truncated' if action == 'truncate' else 'skipped'}" in flat
    assert csv.field_size_limit() == 131072  # the module-wide limit is as it was


def test_a_long_answer_is_read_whole_before_its_limit_applies(project: Path):
    long = "x" * 300_000
    _write_survey(project, {"R01": long, "R02": "Short."})
    assert _answers(project)["R01"] == long


XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
        'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
        'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="'
        'xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"'
        '/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="'
        'worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>'),
    "xl/worksheets/sheet1.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        '<c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" '
        't="s"><v>3</v></c></row></sheetData></worksheet>'),
}


def _xlsx_with_shared_strings(path: Path, unpacked: int) -> None:
    """A workbook as Excel writes one, its text in shared strings, whose shared strings part
    unpacks to `unpacked` bytes (one long answer)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in XLSX_PARTS.items():
            out.writestr(name, text)
        head = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">'
                b"<si><t>Ref</t></si><si><t>Q1</t></si><si><t>R01</t></si><si><t>")
        tail = b"</t></si></sst>"
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(head)
            chunk = b"a" * (1 << 20)
            left = unpacked - len(head) - len(tail)
            while left > 0:
                part.write(chunk[:left])
                left -= len(chunk)
            part.write(tail)


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_before_it_is_unpacked(
        project: Path, monkeypatch):
    monkeypatch.setattr(tables, "XLSX_MAX_UNPACKED", 8_000_000)
    bomb = project / "responses.xlsx"
    _xlsx_with_shared_strings(bomb, 64_000_000)
    assert bomb.stat().st_size < 200_000  # a small file that unpacks to 64 MB
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace("responses.csv", "responses.xlsx")
                        .replace('columns = { gone_well = "Q1", enablers = "Q2", '
                                 'rating_finance = "Q3", satisfaction = "Q4" }',
                                 'columns = { gone_well = "Q1" }'))
    with pytest.raises(InputError) as caught:
        read_corpus(load_manifest(project))
    message = str(caught.value)
    assert "responses.xlsx: unpacks to 64.0 MB, over the 8.0 MB an xlsx may unpack to" in message
    assert "export the sheet as CSV" in message and "\n" not in message


def test_a_workbook_under_the_limit_is_read(project: Path):
    bomb = project / "responses.xlsx"
    _xlsx_with_shared_strings(bomb, 2_000_000)
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace("responses.csv", "responses.xlsx")
                        .replace('columns = { gone_well = "Q1", enablers = "Q2", '
                                 'rating_finance = "Q3", satisfaction = "Q4" }',
                                 'columns = { gone_well = "Q1" }'))
    assert len(_answers(project)["R01"]) > 1_900_000


def _run_python(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter, failing the test if it has not finished in `timeout`
    seconds: a guard against a hang, far above the time the work takes (well under a second)."""
    try:
        return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {timeout} s")


def test_a_wide_export_with_repeated_headers_is_read_in_linear_time(tmp_path: Path):
    # 100,000 columns, most of them called "Comment" as some survey tools export them: the
    # renaming of repeats once searched a list for each candidate name (cubic here).
    header = ["Ref"] + ["Comment"] * 99_999
    path = tmp_path / "wide.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerow(["R01"] + ["yes"] * 99_999)
    done = _run_python(
        "from pathlib import Path\n"
        "from summariser.project.problems import Problems\n"
        "from summariser.project.tables import read_rows\n"
        "from summariser.errors import InputError\n"
        f"table = read_rows(Path({str(path)!r}), 'wide.csv', 'csv', None, Problems(InputError))\n"
        "print(len(table.columns), table.columns[1], table.columns[2], table.columns[-1])\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["100000", "Comment", "Comment.1", "Comment.99998"]


def test_header_names_are_made_unique_as_before():
    assert tables._header(["A", "A", "A.1", "", None, "A"]) == (
        "A", "A.1", "A.1.1", "Unnamed: 3", "Unnamed: 4", "A.2")


DRAFT = ("# Draft\n\n## 2.1 What has gone well?\n\nOne officer said "
         "“Teams work openly together” {citation}.\n")


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|a)+$", "(a|aa)+$"])
def test_an_id_pattern_that_backtracks_does_not_hang_eval(project: Path, pattern: str):
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace(
        "invited = 6\n", f"invited = 6\nid_pattern = '{pattern}'\n"))
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    draft = project / "drafts" / "notes.md"
    draft.parent.mkdir()
    draft.write_text(DRAFT.format(citation="[" + "a" * 60 + "b]"), encoding="utf-8")
    done = _run_python("import sys\nfrom summariser.cli import main\n"
                       f"sys.argv = ['summariser', 'eval', {str(draft)!r}, '-p', "
                       f"{str(project)!r}]\nmain()\n", timeout=120)
    lines = done.stdout.strip().splitlines() + done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr, done.stderr
    if done.returncode == 1 and any(line.startswith("Error: ") for line in lines):
        [error] = [line for line in lines if line.startswith("Error: ")]
        assert f"id_pattern '{pattern}' took over 0.25 s" in error and len(lines) == 1, lines
    else:  # the engine found the answer at once: the group is no id, and the quote passes
        assert done.returncode == 0, (done.stdout, done.stderr)


def test_a_sound_id_pattern_still_reads_citations(project: Path):
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace("invited = 6\n",
                                                     "invited = 6\nid_pattern = 'CO-\\d{3}'\n"))
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    draft = project / "drafts" / "notes.md"
    draft.parent.mkdir()
    draft.write_text(DRAFT.format(citation="[CO-123]"), encoding="utf-8")
    result = invoke("eval", str(draft), "-p", str(project))
    assert result.exit_code == 1 and "[CO-123]" in result.output  # read as a citation: unknown


# --- 6. only the manifest's participants open quotable turns -------------------------------------

UNLISTED = ("Interviewer: What has been hardest this year?\n"
            "Chief Officer: The lack of workforce is making the system very vulnerable.\n"
            "{label}: So staffing is not the problem then?\n"
            "Chief Officer: It is the problem.\n")


@pytest.mark.parametrize("label, speakers", [
    ("Interviewer (JS)", ""), ("Interviewer (JS)", 'speakers = ["Chief Officer"]'),
    ("Interviewer 2", ""), ("Observer", 'speakers = ["Chief Officer"]'),
])
def test_an_unlisted_label_after_a_participant_is_reported_and_never_quoted(
        project: Path, label: str, speakers: str):
    (project / "interview.txt").write_text(UNLISTED.format(label=label), encoding="utf-8")
    if speakers:
        manifest = project / "summariser.toml"
        manifest.write_text(manifest.read_text().replace('respondent = "I01"',
                                                         f'respondent = "I01"\n{speakers}'))
    corpus = read_corpus(load_manifest(project))
    turns = [r for r in corpus.responses if r.source == "interview"]
    assert [(t.speaker, t.text) for t in turns if t.is_participant] == [
        ("Chief Officer", "The lack of workforce is making the system very vulnerable."),
        ("Chief Officer", "It is the problem.")]
    assert all("staffing" not in t.text for t in turns)
    assert [(s.row, s.reason) for s in corpus.skipped if s.source == "interview"] == [
        (3, f"turn by '{label}', neither a participant (speakers) nor an interviewer "
            "(interviewer): not quoted; name it in one of them in summariser.toml")]
    index = CorpusIndex.build(corpus.responses)
    assert not index.verify("So staffing is not the problem then", respondent="I01").passed


def test_a_label_named_as_an_interviewer_is_the_interviewers(project: Path):
    (project / "interview.txt").write_text(UNLISTED.format(label="Interviewer (JS)"))
    manifest = project / "summariser.toml"
    manifest.write_text(manifest.read_text().replace(
        'respondent = "I01"', 'respondent = "I01"\ninterviewer = ["Interviewer", '
        '"Interviewer (JS)"]'))
    corpus = read_corpus(load_manifest(project))
    turns = [(t.speaker, t.is_participant) for t in corpus.responses if t.source == "interview"]
    assert turns == [("Interviewer", False), ("Chief Officer", True),
                     ("Interviewer (JS)", False), ("Chief Officer", True)]
    assert not [s for s in corpus.skipped if s.source == "interview"]


def test_a_transcript_table_never_joins_an_unlisted_speaker_to_a_participant(tmp_path: Path):
    root = tmp_path / "table"
    root.mkdir()
    (root / "summariser.toml").write_text(
        '[project]\ntitle = "t"\n[[sources]]\nid = "segments"\npath = "segments.csv"\n'
        'format = "transcript"\nrespondent_column = "Who"\nspeaker_column = "Speaker"\n'
        'text_column = "Text"\nquestion = "interview"\nspeakers = ["Participant"]\n'
        '[[questions]]\nid = "interview"\n')
    rows = [("P1", "Interviewer", "What was hardest?"), ("P1", "Participant", "Recruiting GPs."),
            ("P1", "Observer", "So GPs are easy to find then?"),
            ("P1", "Participant", "No, they are not.")]
    with (root / "segments.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Who", "Speaker", "Text"])
        writer.writerows(rows)
    corpus = read_corpus(load_manifest(root))
    assert [(r.speaker, r.text) for r in corpus.responses if r.is_participant] == [
        ("Participant", "Recruiting GPs."), ("Participant", "No, they are not.")]
    assert [s.row for s in corpus.skipped] == [3]
