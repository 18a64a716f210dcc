"""The Word report as a publisher would print it: columns sized to their content, page numbers,
a contents list that links to its headings, and an appendix a reader can use. The last test
prints it with LibreOffice and reads the pages back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app
from summariser.document.docx import CELL_MARGIN_PT
from summariser.document.measure import fit_columns, longest_word, text_width, words

runner = CliRunner()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def word(example_project: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("word")
    result = runner.invoke(app, ["report", "-p", str(example_project), "-o", str(out),
                                 "--formats", "docx"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "report.docx"


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def test_no_column_is_narrower_than_its_longest_word(word: Path):
    import docx

    document = docx.Document(str(word))
    assert len(document.tables) > 15
    for table in document.tables:
        grid = [int(c.get(f"{W}w")) / 20 for c in table._tbl.iter(f"{W}gridCol")]
        sizes = {run.font.size.pt for row in table.rows for cell in row.cells
                 for run in cell.paragraphs[0].runs}
        [size] = sizes  # one size for the whole table
        assert 7 <= size <= 9
        assert sum(grid) == pytest.approx(160 * 72 / 25.4, abs=1)  # the text's width, 160 mm
        for n, width in enumerate(grid):
            cells = [row.cells[n].text for row in table.rows]
            assert width - 2 * CELL_MARGIN_PT >= longest_word(cells, size), (cells[0], width)


def test_the_word_that_once_broke_fits_its_column():
    """The ratings table printed "Regulator y/ governanc e constraint s" in equal columns."""
    items = ["Item", "Financial pressures", "Regulatory/governance constraints",
             "Inter-professional/organisational/sector relationship tensions"]
    columns = [items, ["n", "16"], ["Mean", "8.6"], ["Median", "8.5"], ["Range", "7–10"],
               ["SD", "0.96"]]
    fitted = fit_columns(columns, 453.5, 11.5)
    assert not fitted.breaks_words and fitted.size == 9
    assert fitted.widths[0] >= text_width("Regulatory/governance", 9)
    assert words("Inter-professional/organisational/sector") == [
        "Inter-", "professional/organisational/sector"]
    assert sum(fitted.widths) == pytest.approx(453.5 - 6 * 11.5)


def test_a_table_too_wide_for_its_words_takes_a_smaller_size_then_says_it_breaks_them():
    wide = [["Interdisciplinarity"] for _ in range(8)]
    assert fit_columns(wide, 453.5, 11.5).size < 9
    assert fit_columns([["Incomprehensibilities"] for _ in range(12)], 453.5, 11.5).breaks_words


def test_the_widths_are_those_of_the_font_the_table_is_printed_in():
    """Liberation Sans Bold (Arial's widths) as LibreOffice prints the report, where installed."""
    font = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")
    if not font.exists():
        pytest.skip("fonts-liberation is not installed")
    from fontTools.ttLib import TTFont

    face = TTFont(str(font))
    glyphs, advances = face.getBestCmap(), face["hmtx"]
    per_em = face["head"].unitsPerEm
    for sample in ("Regulatory/governance", "Chief Officer", "Interviewee", "8.7 (n=7)",
                   "Inter-professional/organisational/sector", "Æsthetic — “quoted” 66.7%"):
        exact = sum(advances[glyphs[ord(c)]][0] for c in sample) / per_em * 9
        assert text_width(sample, 9) == pytest.approx(exact, abs=0.05)
    assert text_width("Привет", 9) >= 6 * 0.5 * 9  # a script not listed is never measured short


def test_every_page_but_the_title_page_has_its_number_in_the_footer(word: Path):
    import docx

    section = docx.Document(str(word)).sections[0]
    assert section.different_first_page_header_footer  # the title page has none
    footer = section.footer._element
    assert [c.get(f"{W}fldCharType") for c in footer.iter(f"{W}fldChar")] == \
        ["begin", "separate", "end"]
    assert [t.text.strip() for t in footer.iter(f"{W}instrText")] == ["PAGE"]
    assert _text(section.first_page_footer._element) == ""


def test_quotes_are_set_in_from_both_margins(word: Path):
    """Quotes were plain italic paragraphs, flush with the body text: a page of them read as
    the report's own words."""
    import docx

    document = docx.Document(str(word))
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes
    style = document.styles["Quote"].paragraph_format
    assert style.left_indent > 0 and style.right_indent > 0


def test_the_contents_entries_link_to_their_headings_and_give_their_pages(word: Path):
    import docx

    document = docx.Document(str(word))
    body = document.element.body
    [contents] = [sdt for sdt in body.iter(f"{W}sdt")
                  if sdt.find(f".//{W}docPartGallery").get(f"{W}val") == "Table of Contents"]
    bookmarks = {b.get(f"{W}name"): b.getparent() for b in body.iter(f"{W}bookmarkStart")}
    entries = list(contents.iter(f"{W}p"))
    assert len(entries) == 19
    linked = []
    for entry in entries:
        [link] = entry.iter(f"{W}hyperlink")
        anchor = link.get(f"{W}anchor")
        heading = bookmarks[anchor]
        assert _text(heading) == _text(link)  # the link goes to the heading it names
        assert heading.find(f"{W}pPr/{W}pStyle").get(f"{W}val").startswith("Heading")
        [code] = entry.iter(f"{W}instrText")
        assert code.text.split() == ["PAGEREF", anchor, "\\h"]
        linked.append(_text(link))
    assert linked[:3] == ["Executive summary", "Methods", "2.1 What has gone well?"]
    assert linked[-1] == "Appendix: the quotes, by section and speaker"
    settings = document.settings.element
    assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"  # Word fills the pages


def test_the_appendix_lists_quotes_by_speaker_without_ids_or_offsets(word: Path,
                                                                    example_project: Path):
    import docx

    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    document = docx.Document(str(word))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Appendix: the quotes, by section and speaker")
    tables = [t for t in document.tables
              if [c.text for c in t.rows[0].cells] == ["Said by", "Quote", "Theme"]]
    appendix = "\n".join(texts[start:]) + "\n" + "\n".join(
        cell.text for t in tables for row in t.rows for cell in row.cells)
    quotes = [p.text for p in document.paragraphs[:start] if p.style.name == "Quote"]
    rows = [[c.text for c in row.cells] for t in tables for row in t.rows[1:]]
    assert len(rows) == len(quotes) > 100
    for said_by, quote, _ in rows:
        assert f"{quote} [{said_by.replace(' ', chr(0xA0))}]" in quotes
    assert {r[0] for r in rows} == {"Chief Officer", "Interviewee", "Notes"}
    responses = Store(load_manifest(example_project).store_path).responses()
    for response in responses:
        assert response.response_id not in appendix
        assert not re.search(rf"\b{re.escape(response.respondent)}\b", appendix)
    assert not re.search(r"\d+[–-]\d+", appendix)  # no character ranges ("0–76")
    assert "exact" not in appendix and "survey" not in appendix  # no checks, no source ids


def test_printed_by_libreoffice_no_word_is_broken_and_the_contents_pages_are_right(
        word: Path, tmp_path: Path):
    """The report printed to PDF and read back: every word on the pages is a word of the
    document (a word broken across lines, "Regulator y/", would be two that are not); the
    footer numbers every page but the first; each contents entry's page holds its heading."""
    office, pdftotext = shutil.which("libreoffice"), shutil.which("pdftotext")
    if office is None or pdftotext is None:
        pytest.skip("LibreOffice and poppler are not installed "
                    "(apt-get install libreoffice-writer poppler-utils)")
    import docx

    subprocess.run([office, "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(word)],
                   capture_output=True, timeout=300, check=True)
    text = subprocess.run([pdftotext, str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(word))
    written = [Paragraph(p, None).text for p in document.element.body.iter(f"{W}p")]
    known = {piece for line in written for w in line.split()
             for piece in (w, *words(w), w.replace("-", ""))}
    printed = [w for page in pages for w in page.split()]
    strays = [w for w in printed if w not in known and not w.isdigit()
              and ".." not in w and w != "\uf0b7"]  # a bullet, dot leaders, page numbers
    assert len(printed) > 5000 and strays == []
    footers = subprocess.run([pdftotext, "-x", "0", "-y", "770", "-W", "595", "-H", "72",
                              str(tmp_path / "report.pdf"), "-"],  # the foot of each A4 page
                             capture_output=True, text=True, check=True).stdout.split("\f")
    assert [f.strip() for f in footers[:-1]] == ["", *map(str, range(2, len(pages) + 1))]
    contents = re.findall(r"^(\S.*?)\.{4,}(\d+)$", pages[1], re.MULTILINE)
    assert len(contents) == 19
    for heading, page in contents:
        assert heading.strip() in pages[int(page) - 1], heading


def test_the_appendix_groups_each_sections_quotes_by_speaker_as_attributed():
    from summariser.document.model import Heading, Paragraph, Quote, Table, runs
    from summariser.report.assemble import appendix

    section = [Heading(2, runs("2.1 What went well")), Paragraph(runs("Lead.")),
               Heading(3, runs("Teams")), Quote(runs("“a”"), "Chief Officer A"),
               Quote(runs("“b”"), "Chief Officer B"), Heading(3, runs("Money")),
               Quote(runs("“c”"), "Chief Officer A")]
    [table] = [b for b in appendix([("2.1 What went well", section)]) if isinstance(b, Table)]
    assert table.caption == "Quoted in 2.1 What went well"
    assert [[r.text for cell in row for r in cell] for row in table.rows] == [
        ["Chief Officer A", "“a”", "Teams"], ["Chief Officer A", "“c”", "Money"],
        ["Chief Officer B", "“b”", "Teams"]]
    unattributed = [Heading(2, runs("2.2 X")), Heading(3, runs("T")), Quote(runs("“d”"), "")]
    [table] = [b for b in appendix([("2.2 X", unattributed)]) if isinstance(b, Table)]
    assert [h[0].text for h in table.header] == ["Quote", "Theme"]  # attribution "none"
    assert [b for b in appendix([("2.3 Y", [Heading(2, runs("2.3 Y"))])])
            if isinstance(b, Table)] == []  # a section that quotes no one has no table
    assert appendix([])[1:] == [Paragraph(runs("This report prints no quotes."))]
