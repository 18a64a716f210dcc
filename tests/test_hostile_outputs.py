"""Outputs escape what the tool did not write, in every format: comments that cannot be closed
from inside, links that cannot run script, figure labels drawn as written (no mathtext), and
CSV cells a spreadsheet will not run as formulas. (Answers full of Markdown and HTML through
drafts, the report and the reviewer's report: tests/test_document.py.)"""

from __future__ import annotations

import csv
import html
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from summariser.cli import app
from summariser.document.escape import (
    comment_text,
    csv_cell,
    csv_text,
    markdown_line_starts,
    markdown_text,
)
from summariser.document.html import to_html
from summariser.document.markdown import to_markdown
from summariser.document.model import Comment, Paragraph, runs
from summariser.report import figures
from summariser.text.controls import bidi_closed

runner = CliRunner()
# A viewer that renders raw HTML, as many Markdown viewers do.
VIEWER = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table"])
SCRIPT = "<img src=x onerror=alert(1)>"


class _Markup(HTMLParser):
    """Tags, attributes and link targets of rendered HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    @property
    def scripted(self) -> bool:
        return "script" in self.tags or "img" in self.tags or any(
            name.startswith("on") or value.strip().lower().startswith("javascript:")
            for name, value in self.attributes)


@pytest.mark.parametrize("text", [
    "See <javascript:alert(1)> for more", "[x]: javascript:alert(1)\n\n[x]",
    "![chart](javascript:alert(1))", "[a](<javascript:alert(1)>)", "<a href='javascript:x'>a</a>",
    f"{SCRIPT} and <svg onload=alert(1)>", "<scr<script>ipt>alert(1)</script>",
    "&lt;img src=x onerror=alert(1)&gt;", "[link]( javascript:alert(1) )",
])
def test_markdown_text_cannot_link_or_script(text: str):
    rendered = VIEWER.render(markdown_line_starts(markdown_text(text)))
    markup = _Markup(rendered)
    assert set(markup.tags) <= {"p"} and not markup.attributes, rendered


@pytest.mark.parametrize("note", ["--->" + SCRIPT, "-- > -->" + SCRIPT, "x --!>" + SCRIPT,
                                  "<!-- inner -->" + SCRIPT, "----" * 3 + ">" + SCRIPT])
def test_a_comment_cannot_be_closed_from_inside(note: str):
    assert "--" not in comment_text(note)
    blocks = [Comment(f"Notes: {note}"), Paragraph(runs("After."))]
    for rendered in (VIEWER.render(to_markdown(blocks)), to_html(blocks, "t")):
        assert not _Markup(rendered).scripted, rendered
        assert rendered.count("-->") == 1  # the comment's own end, and nothing inside it


def _svg_texts(path: Path) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text(encoding="utf-8"))


def test_figure_labels_are_drawn_as_written_without_mathtext(tmp_path: Path, monkeypatch):
    # SVG text as <text> elements, so the test can read what was drawn.
    monkeypatch.setitem(figures.STYLE, "svg.fonttype", "none")
    _, svg = figures.theme_bar("Costs of $5m and $10m", [("Saved $5m and $10m", 2),
                                                         ("$x_$ and $\\alpha$", 1)],
                               4, tmp_path / "themes")
    drawn = _svg_texts(svg)
    assert "Saved $5m and $10m" in drawn and "$x_$ and $\\alpha$" in drawn
    assert "Costs of $5m and $10m" in drawn


def test_control_characters_in_figure_labels_are_drawn_as_symbols_not_warned_raw(
        tmp_path: Path, monkeypatch):
    monkeypatch.setitem(figures.STYLE, "svg.fonttype", "none")
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        _, svg = figures.theme_bar("Went \x1b]0;x\x07 well", [("Joint \u202eworking", 2)], 4,
                                   tmp_path / "themes")
    # Matplotlib warned of each glyph its font lacks, the ESC and BEL themselves in the line.
    assert [str(w.message) for w in warned] == []
    drawn = _svg_texts(svg)
    assert "Went \ufffd]0;x\ufffd well" in drawn and "Joint \ufffdworking" in drawn


def test_a_theme_title_with_dollars_does_not_stop_the_report(example_project: Path,
                                                              tmp_path: Path):
    assert runner.invoke(app, ["draft", "-p", str(example_project), "-s", "2.1"],
                         catch_exceptions=False).exit_code == 0
    draft = example_project / "drafts" / "gone-well.md"  # the report is built from it
    text = draft.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("### "))
    draft.write_text(text.replace(heading, "### Budgets of $x_$ and $5m and $10m", 1),
                     encoding="utf-8")
    try:
        result = runner.invoke(app, ["report", "-p", str(example_project), "-o", str(tmp_path)],
                               catch_exceptions=False)
    finally:
        draft.write_text(text, encoding="utf-8")  # the example project is shared by the session
    assert result.exit_code == 0, result.output
    figure = (tmp_path / "figures" / "themes-gone-well.svg").read_text(encoding="utf-8")
    assert "Budgets of $x_$ and $5m and $10m" in figure
    assert "Budgets of $x\\_$ and $5m and $10m" in (tmp_path / "report.md").read_text()


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+1 better", "'+1 better"), ("-2 worse", "'-2 worse"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("'quoted", "''quoted"), ("plain", "plain"), (-2.5, -2.5), (7, 7),
    (None, None)])
def test_csv_cells_that_start_a_formula_are_neutralised(cell, written):
    assert csv_cell(cell) == written
    if isinstance(cell, str):
        assert csv_text(written) == cell  # one leading apostrophe less: the cell as it was


def test_stats_csv_neutralises_formula_like_labels_and_options(project: Path, tmp_path: Path):
    manifest = project / "summariser.toml"
    text = manifest.read_text().replace('label = "Financial pressures"',
                                        'label = "=HYPERLINK(\\"http://evil\\",\\"click\\")"')
    text = text.replace('"Very dissatisfied"', '"-Very dissatisfied"')
    manifest.write_text(text)
    (project / "responses.csv").write_text(
        (project / "responses.csv").read_text().replace("Very satisfied", "-Very dissatisfied")
        .replace("-Very dissatisfied\n", "Very satisfied\n", 0))
    result = runner.invoke(app, ["stats", "-p", str(project), "--csv", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with (tmp_path / "ratings.csv").open(encoding="utf-8", newline="") as handle:
        [finance] = list(csv.DictReader(handle))
    assert finance["label"] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert finance["mean"] == "7.25"  # numbers stay numbers
    with (tmp_path / "choice-satisfaction.csv").open(encoding="utf-8", newline="") as handle:
        options = [row["option"] for row in csv.DictReader(handle)]
    assert options[0] == "'-Very dissatisfied"
    for path in tmp_path.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                assert not any(cell[:1] in "=+@" and cell for cell in row), (path, row)


def test_the_reviewers_report_written_by_eval_escapes_the_drafts_text(project: Path,
                                                                      tmp_path: Path):
    ingested = runner.invoke(app, ["ingest", "-p", str(project)], catch_exceptions=False)
    assert ingested.exit_code == 0, ingested.output
    draft = tmp_path / "hostile.txt"  # plain text: the gate reads it as written, markup and all
    draft.write_text("2.1 What has gone well?\n\n"
                     "Raised by [two](javascript:alert(1)) of 3 Chief Officers.\n\n"
                     "“Strong partnership [with](javascript:alert(1)) the council, *we* "
                     "<b>said</b> ![x](javascript:alert(2))” [R03]\n",
                     encoding="utf-8")
    for suffix in ("md", "html"):
        output = tmp_path / f"check.{suffix}"
        result = runner.invoke(app, ["eval", str(draft), "-p", str(project), "--output",
                                     str(output)], catch_exceptions=False)
        assert result.exit_code == 1, result.output  # the altered quote fails, as it should
        text = output.read_text(encoding="utf-8")
        rendered = VIEWER.render(text) if suffix == "md" else text
        assert not _Markup(rendered).scripted, rendered
        assert "javascript:alert(1)" in rendered  # shown as text, for the reviewer to see


RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"


@pytest.mark.parametrize(("text", "closed"), [
    ("plain words", "plain words"),
    (f"ends in {RLO}override", f"ends in {RLO}override{PDF}"),
    (f"closed {RLO}here{PDF} already", f"closed {RLO}here{PDF} already"),
    (f"{RLI}isolate {RLO}inside", f"{RLI}isolate {RLO}inside{PDF}{PDI}"),
    (f"{RLI}isolate {RLO}closed by its PDI{PDI} after",
     f"{RLI}isolate {RLO}closed by its PDI{PDI} after"),
    # A PDF inside an isolate cannot close the embedding opened before the isolate.
    (f"{RLO}a {RLI}b{PDF}", f"{RLO}a {RLI}b{PDF}{PDI}{PDF}"),
])
def test_bidi_closed_closes_what_the_text_leaves_open_and_nothing_else(text: str, closed: str):
    assert bidi_closed(text) == closed
    assert bidi_closed(closed) == closed


def test_an_open_override_in_a_quote_cannot_turn_its_citation_around(project: Path):
    """An answer with an unclosed right-to-left override, quoted: each published form closes
    the override inside the quote marks, before the citation, and the gate still finds the
    quote verbatim in its source."""
    survey = project / "responses.csv"
    survey.write_text(survey.read_text(encoding="utf-8").replace(
        "Strong partnership with the council.",
        f"Strong partnership with the council {RLO}working well."), encoding="utf-8")
    for command in ("ingest", "draft"):
        result = runner.invoke(app, [command, "-p", str(project)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    codebook = project / "drafts" / "gone-well.codebook.toml"
    codebook.write_text(codebook.read_text(encoding="utf-8")
                        + '\n[[themes]]\ntitle = "Partnership working"\nphrases = ["partnership"]\n',
                        encoding="utf-8")
    assert runner.invoke(app, ["draft", "-p", str(project)], catch_exceptions=False).exit_code == 0
    quoted = f"“Strong partnership with the council {RLO}working well.{PDF}”"
    assert f"> {quoted} [R03]" in (project / "drafts" / "gone-well.md").read_text(encoding="utf-8")
    published = runner.invoke(app, ["report", "-p", str(project)], catch_exceptions=False)
    assert published.exit_code == 0, published.output
    out = project / "out"
    assert quoted in (out / "report.md").read_text(encoding="utf-8")
    assert html.escape(quoted) in (out / "report.html").read_text(encoding="utf-8")
    from docx import Document
    assert any(quoted in p.text for p in Document(str(out / "report.docx")).paragraphs)
    for name in ("report.md", "report.html", "report.docx"):
        checked = runner.invoke(app, ["eval", str(out / name), "-p", str(project)],
                                catch_exceptions=False)
        assert checked.exit_code == 0, checked.output
        assert "0 fail" in checked.output
