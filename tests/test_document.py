"""The document model and its writers: Markdown, HTML and Word written from the same blocks,
every text escaped in one place; and answers full of markup that still read back verbatim
through the publication gate."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from summariser.cli import app
from summariser.document.docx import to_docx
from summariser.document.escape import markdown_line_starts, markdown_text
from summariser.document.html import to_html
from summariser.document.markdown import to_markdown
from summariser.document.model import (
    BulletList,
    Comment,
    Definitions,
    Figure,
    Heading,
    Panel,
    Paragraph,
    Quote,
    Run,
    Style,
    Table,
    runs,
)
from summariser.draft.pipeline import draft_sections
from summariser.draft.records import (
    EvidenceRef,
    QuoteRef,
    SectionDraft,
    Theme,
    read_draft,
    write_draft,
)
from summariser.gate.blocks import strip_emphasis
from summariser.gate.review import render_html, render_markdown
from summariser.gate.run import evaluate_paths
from summariser.index.ingest import ingest
from summariser.index.store import Store
from summariser.project.manifest import load_manifest
from tests.conftest import MANIFEST, TRANSCRIPT

COMMONMARK = MarkdownIt("commonmark").enable(["table", "strikethrough"])

# Respondents' words that are markup in Markdown or HTML, one feature or more in each answer.
HOSTILE = {
    "R01": "Joint working *really* improved. <img src=x onerror=alert(1)> was in the bulletin, "
           "and so was <script>alert(2)</script>.",
    "R02": "Click [the plan](javascript:alert(1)) to see it; the discharge team is _very_ good "
           "and __strong__, see `code` and ~~gone~~ | pipes.",
    "R03": "# Heading in an answer\nThe new service [sic] opened &amp; runs <b>well</b> & "
           "cheaply.\n> Not a quote\n1. Not a list\n- Nor this\n---",
    "R04": "Delayed discharge fell.\n\n• We kept going with _x_ and \\*stars\\*.\n\n"
           "    Indented text <!-- hidden? --> stays.",
}


def _visible_text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


class _Tags(HTMLParser):
    """The start tags of an HTML text, and their attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: set[str] = set()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.update(name for name, _ in attrs)
        self.links += [value for name, value in attrs if name == "href"]
        self.ids.update(value for name, value in attrs if name == "id")


# --- escaping ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [*HOSTILE.values(), "*bold*", "_x_", "[sic]", "# heading",
                                  "javascript:alert(1)", "a\n\nb", "gone_well", "a__b", "\\",
                                  "&copy; &#169; & co", "<!-- c -->", "2) two", "==="])
def test_escaped_text_renders_as_itself_and_reads_back_exactly(text: str):
    escaped = markdown_line_starts(markdown_text(text))
    rendered = COMMONMARK.render(escaped)
    assert set(_Tags(rendered).tags) <= {"p"}, rendered  # no emphasis, link, heading, list...
    assert _visible_text(rendered) == " ".join(text.split())
    # The gate reads the escapes back; only the indentation of a would-be code block is lost.
    assert strip_emphasis(escaped) == re.sub(r"(?m)^ {4,}", "", text)


def test_ordinary_prose_is_left_as_it_was_written():
    for text in ("R01's answer to gone_well (survey/responses.csv, row 1)",
                 "Health & social care: 16 of 31 (52%) — “joint working”; 2.5.1 Finance!",
                 "5 < 6 and 7 > 6; a-b, c+d = e"):
        assert markdown_line_starts(markdown_text(text)) == text


# --- the writers on a small document -----------------------------------------------------------

def _small_document(png: Path) -> list:
    return [
        Heading(1, runs("Title with *stars*")),
        Paragraph(runs("A note."), note=True),
        Paragraph(runs("Plain, ", Run("emphasis", Style.EMPHASIS), ", ",
                       Run("strong", Style.STRONG), ", ", Run("x = `1`", Style.CODE), ".")),
        Quote(runs("“Two lines\nof <b>answer</b>”"), "R01"),
        BulletList((runs("first"), runs("- second"))),
        Panel("fail", (Heading(3, runs(Run("✗ FAIL", Style.OUTCOME, "fail"), " quote")),
                       Definitions((("Word diff", runs("was ", Run("strong", Style.DELETED), " ",
                                                       Run("excellent", Style.INSERTED))),)),
                       Quote(runs("… ", Run("matched", Style.MARKED), " words")))),
        Table.of_text("Counts | totals", ("Item", "n"), (("a|b", "1"),), note="Note."),
        Figure("A chart.", png, "Bar chart"),
        Comment("for editors"),
    ]


def test_markdown_writer(tmp_path: Path):
    png = tmp_path / "figures" / "chart.png"
    assert to_markdown(_small_document(png), tmp_path) == """\
# Title with \\*stars\\*

*A note.*

Plain, *emphasis*, **strong**, `` x = `1` ``.

> “Two lines
> of \\<b>answer\\</b>” [R01]

- first
- \\- second

### **✗ FAIL** quote

- Word diff: was [-strong-] {+excellent+}

> … **matched** words

**Counts \\| totals**

| Item | n |
|---|---|
| a\\|b | 1 |

*Note.*

![Bar chart](figures/chart.png)

*A chart.*

<!-- for editors -->
"""


def test_html_writer(tmp_path: Path):
    from PIL import Image

    png = tmp_path / "chart.png"
    Image.new("RGB", (4, 4), "white").save(png)
    html = to_html(_small_document(png), "Title <1>")
    assert html.startswith("<!DOCTYPE html>") and "<title>Title &lt;1&gt;</title>" in html
    for fragment in ("<h1>Title with *stars*</h1>", '<p class="note">A note.</p>',
                     "<em>emphasis</em>", "<strong>strong</strong>", "<code>x = `1`</code>",
                     "<blockquote>“Two lines<br>of &lt;b&gt;answer&lt;/b&gt;” <cite>[R01]</cite>"
                     "</blockquote>", "<li>- second</li>", '<article class="o-fail">',
                     '<span class="badge o-fail">✗ FAIL</span>', "<dt>Word diff</dt>",
                     "<del>strong</del> <ins>excellent</ins>", "<mark>matched</mark>",
                     "<caption>Counts | totals</caption>", "<td>a|b</td>",
                     '<img alt="Bar chart" src="data:image/png;base64,', "<!-- for editors -->"):
        assert fragment in html, fragment
    assert "<script" not in html and "http" not in html.split("</style>")[1]


def test_a_table_of_many_columns_is_set_to_fit_the_page():
    """A broadband survey's breakdown by nine regions scrolled sideways in the HTML report: a
    table of more than `WIDE_COLUMNS` columns is set smaller, its figures free to wrap."""
    from summariser.document.html import WIDE_COLUMNS

    regions = tuple(f"Region {n}" for n in range(9))
    wide = Table.of_text("By region", ("Item", "Figure", *regions),
                         (("Likelihood", "mean rating", *("7.2 (n=46)",) * 9),))
    narrow = Table.of_text("By size", ("Item", "Figure", "Small", "Large"),
                           (("Likelihood", "mean rating", "7.2 (n=46)", "6.9 (n=12)"),))
    assert len(wide.header) > WIDE_COLUMNS >= len(narrow.header)
    assert '<table class="wide">' in to_html([wide], "T")
    assert '<table class="wide">' not in to_html([narrow], "T")
    assert "white-space: nowrap; }" not in to_html([narrow], "T").split("td.number")[1][:40]


def test_word_writer(tmp_path: Path):
    import docx
    from PIL import Image

    png = tmp_path / "chart.png"
    Image.new("RGB", (4, 4), "white").save(png)
    path = tmp_path / "small.docx"
    to_docx(_small_document(png), path)
    document = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", "Title with *stars*") in paragraphs
    assert ("Quote", "“Two lines\nof <b>answer</b>” [R01]") in paragraphs
    assert ("List Bullet", "- second") in paragraphs
    assert ("Heading 2", "✗ FAIL quote") in paragraphs
    assert not any("for editors" in text for _, text in paragraphs)
    word_diff = next(p for p in document.paragraphs if p.text.startswith("Word diff"))
    styled = {r.text: r for r in word_diff.runs}
    assert styled["strong"].font.strike and styled["excellent"].underline
    assert [c.text for c in document.tables[0].rows[1].cells] == ["a|b", "1"]
    assert len(document.inline_shapes) == 1


def test_an_outcome_run_needs_an_outcome():
    with pytest.raises(ValueError):
        Run("✗ FAIL", Style.OUTCOME)
    with pytest.raises(ValueError):
        Run("plain", outcome="fail")
    with pytest.raises(ValueError):
        Panel("bad", ())


# --- hostile answers, end to end ---------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    """The test survey's manifest over answers full of markup, ingested."""
    root = tmp_path_factory.mktemp("hostile") / "project"
    root.mkdir()
    # A given theme that codes a sentence of every answer, so the tool's draft quotes them.
    frame = ('\n[[sections.themes]]\ntitle = "Services"\nby_meaning = false\nphrases = '
             '["joint working", "discharge team", "new service", "delayed discharge"]\n')
    (root / "summariser.toml").write_text(MANIFEST + frame, encoding="utf-8")
    (root / "interview.txt").write_text(TRANSCRIPT, encoding="utf-8")
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["Ref", "Q1", "Q2", "Q3", "Q4"])
    for ref, answer in HOSTILE.items():
        writer.writerow([ref, answer, "", 5, "Satisfied"])
    (root / "responses.csv").write_text(table.getvalue(), encoding="utf-8")
    manifest = load_manifest(root)
    ingest(manifest, Store(manifest.store_path))
    return root


def _every_answer_quoted(root: Path) -> SectionDraft:
    """A draft, as the tool writes it, that quotes every hostile answer whole, under a model's
    title and lead that are markup too."""
    manifest = load_manifest(root)
    store = Store(manifest.store_path)
    [drafted] = [r.draft for r in draft_sections(
        manifest, store, [manifest.section("gone-well")], "minilm",
        directory=store.path.parent / "tool-drafts")]
    answers = [r for r in store.responses() if r.question == "gone_well"]
    quotes = tuple(QuoteRef(r.text, r.response_id, r.respondent, r.question, r.source_file, 0,
                            len(r.text), "exact") for r in answers)
    evidence = tuple(EvidenceRef(r.respondent, r.response_id, 0, len(r.text), r.text, "model", 1.0)
                     for r in answers)
    theme = Theme("Everything *at* <i>once</i>", "The answers, [whole].",
                  tuple(r.respondent for r in answers), quotes, evidence=evidence)
    return SectionDraft(drafted.section_id, drafted.number, drafted.title,
                        "The model said *this*\n# and this <b>loudly</b>\n1. and more.", (theme,),
                        drafted.denominator, drafted.respondent_noun, drafted.questions,
                        backend="openai", model="fake")


def test_hostile_answers_are_escaped_and_the_tools_drafts_pass_the_gate(hostile_project: Path):
    manifest = load_manifest(hostile_project)
    store = Store(manifest.store_path)
    drafts = hostile_project / "drafts"
    [drafted] = [r.draft for r in draft_sections(
        manifest, store, [manifest.section("gone-well")], "minilm",
        directory=store.path.parent / "tool-drafts")]
    chosen = {q.respondent for t in drafted.themes for q in t.quotes}
    assert chosen, "the extractive draft quotes some of the answers"
    for draft, folder in ((drafted, drafts / "extractive"),
                          (_every_answer_quoted(hostile_project), drafts / "whole")):
        markdown, sidecar = write_draft(draft, folder)
        for path in (markdown, sidecar):
            result = evaluate_paths([path], manifest, store)
            assert result.passed and result.counts()["warning"] == 0, (
                path, [(q.quote, q.status, q.verification.reason) for q in result.quotes
                       if str(q.outcome) != "pass"])
        # Every quote of the Markdown reads back as the respondent wrote it, whitespace apart.
        read_back = [q.quote for q in evaluate_paths([markdown], manifest, store).quotes]
        written = [" ".join(q.text.split()) for t in draft.themes for q in t.quotes]
        assert read_back == written
        rendered = COMMONMARK.render(markdown.read_text(encoding="utf-8"))
        tags = set(_Tags(rendered).tags)
        assert tags <= {"h2", "h3", "p", "blockquote", "em"}, tags  # em: the extractive note
        for text in written:
            assert text in _visible_text(rendered)

    # The tool's whole-answer draft: the lead's lines stay one paragraph, no heading or list.
    whole = (drafts / "whole" / "gone-well.md").read_text(encoding="utf-8")
    assert "\\# and this \\<b>loudly\\</b>\n1\\. and more." in whole
    assert "> “# Heading in an answer\n> The new service \\[sic\\] opened" in whole
    assert "\n>\n> • We kept going with \\_x\\_ and \\\\\\*stars\\\\\\*.\n>\n> Indented" in whole


def test_hostile_answers_are_escaped_in_the_report_and_the_reviewers_report(
        hostile_project: Path, tmp_path: Path):
    import docx

    draft = _every_answer_quoted(hostile_project)
    write_draft(draft, hostile_project / "drafts")
    result = CliRunner().invoke(app, ["report", "-p", str(hostile_project), "-o", str(tmp_path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    answers = [" ".join(a.split()) for a in HOSTILE.values()]

    markdown = COMMONMARK.render((tmp_path / "report.md").read_text(encoding="utf-8"))
    assert set(_Tags(markdown).tags) <= {"h1", "h2", "h3", "p", "em", "strong", "blockquote",
                                         "img", "table", "thead", "tbody", "tr", "th", "td",
                                         "ul", "li"}  # lists: the contents and the summary
    assert markdown.count("<img") >= 1
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    tags = _Tags(html)
    assert not {"script", "b", "i"} & set(tags.tags)
    # The only links are the contents list's, each to a heading of the report itself.
    assert tags.links and all(link[0] == "#" and link[1:] in tags.ids for link in tags.links)
    assert tags.tags.count("a") == len(tags.links)
    assert tags.tags.count("img") == markdown.count("<img")
    assert tags.attributes <= {"lang", "charset", "name", "content", "class", "alt", "src",
                               "href", "id"}
    for text in (_visible_text(markdown), _visible_text(html)):
        for answer in answers:
            assert answer in text, answer
    word = docx.Document(str(tmp_path / "report.docx"))
    quoted = [p.text for p in word.paragraphs if p.style.name == "Quote"]
    # The report is read from the Markdown draft, which keeps every character of the answer but
    # not its blank lines or indentation; and it names no respondent.
    assert [" ".join(q.split()) for q in quoted] == [
        " ".join(f"“{q.text}” [Chief Officer]".split()) for q in draft.themes[0].quotes]

    manifest = load_manifest(hostile_project)
    check = evaluate_paths([hostile_project / "drafts" / "gone-well.md"], manifest,
                           Store(manifest.store_path))
    assert check.passed
    review_md = COMMONMARK.render(render_markdown(check))
    assert "<img" not in review_md and "<a " not in review_md and "<script" not in review_md
    assert set(_Tags(review_md).tags) <= {"h1", "h2", "h3", "p", "em", "strong", "code",
                                          "blockquote", "ul", "li", "table", "thead", "tbody",
                                          "tr", "th", "td"}
    review_html = render_html(check)
    assert not {"script", "a", "b", "i", "img"} & set(_Tags(review_html).tags)
    assert "&lt;img src=x onerror=alert(1)&gt;" in review_html
    assert read_draft(hostile_project / "drafts" / "gone-well.json") == draft


def test_a_blank_line_joins_a_block_quote_only_inside_open_quote_marks():
    from summariser.gate.markdown import markdown_blocks

    one, _ = markdown_blocks("> “First paragraph\n>\n> • second” [R01]\n")
    assert [(b.kind, b.text) for b in one] == [("quote", "“First paragraph\n\n• second” [R01]")]
    two, _ = markdown_blocks("> “Closed.” [R01]\n>\n> Another excerpt\n")
    assert [b.text for b in two] == ["“Closed.” [R01]", "Another excerpt"]
    never_closed, _ = markdown_blocks("> “Never closed [R01]\n>\n> “Next” [R02]\n")
    assert [b.text for b in never_closed] == ["“Never closed [R01]", "“Next” [R02]"]
