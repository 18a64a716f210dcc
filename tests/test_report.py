"""`summariser report` / `run`: the assembled report in three formats, and its gate."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summariser.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def built(example_project: Path) -> Path:
    result = runner.invoke(app, ["report", "-p", str(example_project)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return example_project / "out"


def test_report_has_methods_with_real_counts_and_every_section(built: Path, example_project):
    from summariser.project.manifest import load_manifest

    markdown = (built / "report.md").read_text()
    assert "A questionnaire was sent to 31 Chief Officers; 16 responded, a response rate of " \
           "52%." in markdown
    assert "Two interviews were also analysed, as was the sense-check of the survey findings" \
        in markdown
    sections = load_manifest(example_project).sections
    for section in sections:
        level = "###" if section.number.count(".") == 2 else "##"
        assert f"\n{level} {section.number} {section.title}\n" in markdown
    assert "\n## 2.5 How are these challenges currently being addressed?\n" in markdown
    assert "| Financial pressures | 16 | 8.6 |" in markdown
    assert "Satisfied or Very satisfied: 8 of 12 (66.7%)" in markdown
    assert "The question asked: What has hindered progress" in markdown
    # The rating items' shared question says what the scale means, once, before their table.
    assert ("The question asked: The following are frequently cited obstacles to transforming "
            "health and social care in the published literature. On a scale of 0-10 (where 0 is "
            "not at all challenging and 10 is extremely challenging), how challenging have you "
            "found each of these over the past 12 months?*\n\n**Ratings, highest mean first**"
            ) in markdown
    assert markdown.count("drafted without a language model") == 1  # said once, in Methods
    assert markdown.count("listed with the most common first") == 1  # not in every section
    # What the tables count as no answer leaves a question's base: said once, not silently.
    assert ("An answer left empty or given only as n/a, na, nil, no comment, none, a dash or a "
            "full stop is not counted as an answer.") in markdown
    assert "Extractive draft" not in markdown


def test_what_people_chose_comes_before_why_with_the_question_they_were_asked(built: Path):
    """2.8 printed the reasons for a satisfaction rating, then the rating, and never the
    question that asked for it."""
    markdown = (built / "report.md").read_text()
    section = markdown[markdown.index("\n## 2.8 "):markdown.index("\n## 2.9 ")]
    asked = section.index("The question asked: If your HSCP has received a service from the "
                          "ihub")
    assert asked < section.index("| Satisfied | 6 |") \
        < section.index("The question asked: Please tell us why you gave this rating.") \
        < section.index("\n### ")
    assert "In all, 12 answered; four did not answer." in section


def test_every_report_quote_is_in_the_appendix_by_section_and_speaker(built: Path,
                                                                      example_project):
    import re

    markdown = (built / "report.md").read_text()
    body, appendix = markdown.split("## Appendix")
    quoted = [" ".join(line.removeprefix(">").strip() for line in block.splitlines())
              for block in re.findall(r"^> “.*?(?=\n\n)", body, re.MULTILINE | re.DOTALL)]
    rows = [line for line in appendix.splitlines() if line.startswith("| ") and "“" in line]
    assert len(quoted) > 100 and len(rows) == len(quoted)
    for quote in quoted:  # "> “words” [Chief Officer]" is "| Chief Officer | “words” | theme |"
        words, said_by = quote.rsplit(" [", 1)
        assert f"| {said_by[:-1]} | {' '.join(words.split())} |" in appendix, quote
    assert "**Quoted in 2.1 What has gone well?**" in appendix
    assert "../" not in appendix and "responses.csv" not in appendix  # sources, not paths


def test_no_respondent_id_is_published(built: Path, example_project):
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    manifest = load_manifest(example_project)
    people = {r.respondent for r in Store(manifest.store_path).responses()}
    markdown = (built / "report.md").read_text()
    html = (built / "report.html").read_text()
    for person in people:
        assert f"[{person}]" not in markdown and f"[{person}]" not in html, person
    assert "[Chief Officer]" in markdown and "[Interviewee]" in markdown


def test_a_section_declared_print_all_prints_every_answer(built: Path, example_project):
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest

    manifest = load_manifest(example_project)
    answers = [r.text for r in Store(manifest.store_path).responses()
               if r.question == "national_support"]
    markdown = (built / "report.md").read_text()
    section = markdown.split("## 2.7 ")[1].split("\n## ")[0]
    assert len(answers) == 11
    for answer in answers:
        assert f"> “{answer}”".replace("\n", "\n> ") in section


def test_html_is_one_self_contained_file(built: Path):
    html = (built / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 3
    assert "<link" not in html and "src=\"http" not in html and "<script" not in html


def test_docx_reads_back_with_headings_quotes_tables_and_figures(built: Path):
    import docx

    document = docx.Document(str(built / "report.docx"))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["2.1 What has gone well?"] == "Heading 1"
    assert styles["2.5.1 Financial pressures"] == "Heading 2"
    assert styles["Methods"] == "Heading 1" and styles["Contents"] == "Heading 1"
    assert document.paragraphs[0].style.name == "Title"
    assert any(p.style.name == "Quote" and p.text.startswith("“") for p in document.paragraphs)
    assert len(document.tables) >= 3 and len(document.inline_shapes) >= 3
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert document.core_properties.title.startswith("The challenges and learning")
    assert document.core_properties.author != "python-docx"
    for shape in document.inline_shapes:
        assert shape._inline.docPr.get("descr")  # alt text
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == len(document.inline_shapes) == len(set(captions))


def test_the_report_passes_its_own_gate(built: Path, example_project: Path):
    for name in ("report.md", "report.docx"):
        result = runner.invoke(app, ["eval", str(built / name), "-p", str(example_project)])
        assert result.exit_code == 0, (name, result.output[-2000:])


def _numbers(report: Path, project: Path) -> tuple[int, list[dict], list[str]]:

    result = runner.invoke(app, ["eval", str(report), "-p", str(project), "--format", "json"])
    checked = json.loads(result.stdout)
    return result.exit_code, checked["numbers"], checked["notes"]


@pytest.mark.parametrize("name", ["report.md", "report.docx"])
def test_every_theme_count_in_the_report_is_checked_against_its_people(
        built: Path, example_project: Path, name: str):
    """The ledger beside the report names the drafts it was built from, so each count printed for
    a theme, in the executive summary or under the theme, is tested against the theme's coded
    people, as in the draft itself."""
    code, numbers, _ = _numbers(built / name, example_project)
    assert code == 0
    counts = [n for n in numbers if n["kind"] == "count"]
    by_people = [n for n in counts if "have coded evidence for theme" in n["reason"]]
    summary = [n for n in by_people if ", raised by " in n["sentence"]]
    markdown = (built / "report.md").read_text()
    summarised = markdown.split("## Executive summary", 1)[1].split("\n## ", 1)[0]
    assert len(summary) == summarised.count(", raised by ") > 20
    assert len(by_people) - len(summary) == markdown.count("Raised by ")
    assert all(n["outcome"] == "pass" for n in by_people)
    unchecked = [n for n in counts if n["outcome"] == "unchecked"]
    assert all("raised by" not in n["sentence"].lower() for n in unchecked), unchecked


def test_a_wrong_count_in_the_report_fails_where_the_draft_is_right(built: Path,
                                                                   example_project: Path):
    report = built / "report.md"
    original = report.read_text()
    summary = next(line for line in original.splitlines()
                   if line.startswith("- 2.1 ") and "raised by four of 16" in line)
    first_theme = next(part.split(", raised by")[0] for part in
                       summary.split("? ", 1)[1].split("; ") if "raised by four of 16" in part)
    import re

    # The theme's id follows its heading, as an invisible comment.
    body = re.search(rf"### {re.escape(first_theme)}\n\n(?:<!-- theme: \S+ -->\n\n)?"
                     r"Raised by four of 16 Chief Officers \(25%\)\.", original).group()
    try:
        report.write_text(original.replace(summary, summary.replace("four of 16", "six of 16", 1))
                          .replace(body, body.replace("four", "five")))
        code, numbers, _ = _numbers(report, example_project)
        failed = [n for n in numbers if n["outcome"] == "fail" and n["kind"] == "count"]
        assert code == 1
        assert {n["claim"] for n in failed} == {"six of 16 Chief Officers (25%)",
                                                "five of 16 Chief Officers (25%)"}
        assert all(f"theme “{first_theme}” (4)" in n["reason"] for n in failed)
    finally:
        report.write_text(original)


def test_a_summary_lines_heading_names_no_theme(built: Path, example_project: Path):
    """"2.1 What works well about care at home: Carers, raised by nine of 58 ..." was left
    unchecked in a report whose section also had a theme titled "Home": the heading the line
    opens with was read as naming it beside "Carers"."""
    report = built / "report.md"
    original = report.read_text()
    try:
        report.write_text(original.replace("Savings, raised", "Pressures, raised")
                          .replace("#### Savings\n", "#### Pressures\n"))
        code, numbers, _ = _numbers(report, example_project)
        summary = [n for n in numbers if "Pressures, raised by two" in n["sentence"]]
        assert code == 0 and summary, [n for n in numbers if n["outcome"] != "pass"]
        assert all(n["outcome"] == "pass" for n in summary), summary
    finally:
        report.write_text(original)


def test_a_draft_changed_after_the_report_is_said(built: Path, example_project: Path):
    sidecar = example_project / "drafts" / "gone-well.json"
    original = sidecar.read_text()
    try:
        sidecar.write_text(original + "\n")
        _, _, notes = _numbers(built / "report.md", example_project)
        assert any("gone-well.json changed after this report was built" in n for n in notes)
    finally:
        sidecar.write_text(original)


def test_report_refuses_to_publish_a_failing_draft(example_project: Path, built: Path):
    path = example_project / "drafts" / "gone-well.md"
    original = path.read_text()
    quoted = next(line for line in original.splitlines() if line.startswith("> “"))
    changed = "> “Words nobody ever wrote in this survey at all.” " + quoted[quoted.rindex("["):]
    path.write_text(original.replace(quoted, changed, 1))
    try:
        refused = runner.invoke(app, ["report", "-p", str(example_project), "-o",
                                      str(example_project / "out2")])
        assert refused.exit_code == 1 and "fails one check" in refused.output
        assert not (example_project / "out2").exists()
        allowed = runner.invoke(app, ["report", "-p", str(example_project), "-o",
                                      str(example_project / "out2"), "--allow-failures"])
        assert allowed.exit_code == 0
        markdown = (example_project / "out2" / "report.md").read_text()
        assert "## Review required before publication" in markdown
        assert "Words nobody ever wrote" in markdown
        # The list of failed checks is no claim of the report's, and no quote: the report
        # fails for holding it, and its words are not read again as quotes or counts.
        result = runner.invoke(app, ["eval", str(example_project / "out2" / "report.md"),
                                     "-p", str(example_project), "--format", "json"])
        checked = json.loads(result.stdout)
        assert result.exit_code == 1
        assert [m["markup"] for m in checked["markup"]] == [
            "Review required before publication"]
        lines = markdown.splitlines()
        start = lines.index("## Review required before publication") + 1
        end = lines.index("## Executive summary") + 1
        assert not [c for c in checked["quotes"] + checked["numbers"]
                    if start <= int(c["where"].split()[-1]) < end]
    finally:
        path.write_text(original)


def test_a_report_that_fails_the_gate_as_written_is_not_published(
        example_project: Path, built: Path, monkeypatch):
    """The gate reads the report as written before it is put in place: had the drafts been
    read for the report otherwise than the gate read them (an image's words, a comment), a
    count the drafts never made is caught there, and the last report stays as it was."""
    import re

    import summariser.document.markdown as writer

    before = {p.name: p.read_bytes() for p in built.iterdir() if p.is_file()}
    honest = writer.to_markdown

    def misread(blocks, folder):
        text = honest(blocks, folder)
        return re.sub(r"Raised by \w+ of 16", "Raised by fifteen of 16", text, count=1)

    monkeypatch.setattr(writer, "to_markdown", misread)
    refused = runner.invoke(app, ["report", "-p", str(example_project)])
    assert refused.exit_code == 1, refused.output
    assert "as written fails" in refused.output and "nothing was published" in refused.output
    assert {p.name: p.read_bytes() for p in built.iterdir() if p.is_file()} == before


def test_words_a_markdown_viewer_hides_are_not_published():
    """A comment inside a paragraph and an image alone are not words a reader of the draft
    sees, and the gate does not read them: the report does not print them either."""
    from summariser.document.model import Paragraph
    from summariser.document.read_markdown import read_markdown

    blocks = read_markdown("Raised by five of 16 Chief Officers (31%). <!-- fifteen of 16 -->\n\n"
                           "![Raised by fifteen of 16 (94%): “solved” [R16].](figures/x.png)\n\n"
                           "Kept <b>as written</b>.")
    shown = ["".join(r.text for r in b.text) for b in blocks if isinstance(b, Paragraph)]
    assert shown == ["Raised by five of 16 Chief Officers (31%). ", "Kept <b>as written</b>."]


def test_edits_to_a_draft_reach_every_format(tmp_path: Path):
    """A renamed heading, an added sentence and a removed quote appear in .md, .html and .docx;
    and a later draft or run leaves the edited file alone."""
    import docx

    from summariser.index.ingest import ingest
    from summariser.index.store import Store
    from summariser.project.manifest import load_manifest
    from tests.conftest import EXAMPLE, copy_project

    root = copy_project(EXAMPLE, tmp_path / "hscp")
    manifest = load_manifest(root)
    ingest(manifest, Store(manifest.store_path))
    assert runner.invoke(app, ["draft", str(root), "-s", "2.1"]).exit_code == 0
    path = root / "drafts" / "gone-well.md"
    text = path.read_text()
    first_quote = next(line for line in text.splitlines() if line.startswith("> “"))
    quote_text = first_quote[3:first_quote.rindex("”")]
    edited = text.replace("## 2.1 What has gone well?", "## 2.1 What went well this year")
    edited = edited.replace(first_quote + "\n\n", "", 1)
    edited = edited.replace("themes were identified.",
                            "themes were identified. Our own sentence.")
    path.write_text(edited)
    redrafted = runner.invoke(app, ["draft", str(root), "-s", "2.1"])
    assert "has your edits and was left as it is" in redrafted.output
    assert path.read_text() == edited
    result = runner.invoke(app, ["report", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = root / "out"
    word = "\n".join(p.text for p in docx.Document(str(out / "report.docx")).paragraphs)
    for published in ((out / "report.md").read_text(), (out / "report.html").read_text(), word):
        assert "2.1 What went well this year" in published
        assert "Our own sentence." in published
        assert quote_text not in published
        assert "2.1 What has gone well?" not in published


def test_run_ingests_drafts_and_reports_in_one_go(tmp_path: Path):
    from tests.conftest import EXAMPLE, copy_project

    root = copy_project(EXAMPLE, tmp_path / "hscp")
    result = runner.invoke(app, ["run", "-p", str(root), "--formats", "md"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.replace("│", " ").split())
    assert "Ingested 264 answers and turns into 557 passages (557 newly embedded)" in flat
    assert "15 sections (15 drafted now)" in flat and "all verified against their sources" in flat
    assert (root / "out" / "report.md").exists() and not (root / "out" / "report.html").exists()
    assert len(list((root / "drafts").glob("*.json"))) == 15


def test_html_report_renders_in_headless_chromium(built: Path, tmp_path: Path):
    import shutil
    import subprocess

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    shot = tmp_path / "report.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,1400",
                    f"--screenshot={shot}", (built / "report.html").as_uri()],
                   capture_output=True, timeout=120, check=True)
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    assert image.size == (1000, 1400)
    colours = image.getcolors(maxcolors=1_000_000)
    assert len(colours) > 50  # text, headings, quote bars: not a blank page
    dark = sum(count for count, rgb in colours if sum(rgb) < 200)
    assert dark > 5_000  # a good deal of text was drawn


def test_report_layout_keeps_headings_with_their_text_and_fits_a_phone(built: Path, tmp_path):
    """Word keeps a theme's count line with its heading and first quote; the HTML keeps an
    answer's line breaks, links its contents to the sections, and does not make a 400-pixel
    screen scroll sideways (a wide table scrolls in its own box)."""
    import re
    import shutil

    import docx

    paragraphs = docx.Document(str(built / "report.docx")).paragraphs
    counted = [(before, after) for before, after in zip(paragraphs, paragraphs[1:])
               if before.style.name.startswith("Heading") and after.text.startswith("Raised by")]
    assert len(counted) > 20
    assert all(after.paragraph_format.keep_with_next for _, after in counted)

    html = (built / "report.html").read_text(encoding="utf-8")
    assert "More timely data, user friendly analysis reports<br>funding to deliver" in html
    links = re.findall(r'<a href="#([^"]+)">', html)
    assert len(links) > 10 and all(f' id="{target}"' in html for target in links)
    assert html.count("<table>") == html.count('<div class="table"><table>') > 0
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 400, "height": 800})
        page.goto((built / "report.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
        browser.close()



def test_questions_no_section_holds_are_shown_not_only_summarised(tmp_path: Path):
    """The library survey's satisfaction rating and visiting question belong to no section:
    the summary names the rating, so the report shows both, with their figures."""
    from tests.conftest import REPO, copy_project

    root = copy_project(REPO / "corpus" / "library-2025", tmp_path / "library")
    result = runner.invoke(app, ["run", "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    markdown = (root / "out" / "report.md").read_text()
    assert "- Ratings on a scale of 1 to 5: Overall satisfaction (mean 3.4)." in markdown
    part = markdown[markdown.index("\n## Ratings and other questions\n"):]
    assert "| Overall satisfaction | 27 | 3.4 |" in part and "**How often they visit**" in part
    assert "(figures/ratings.png)" in part and "(figures/choice-visits.png)" in part
    assert "- Ratings and other questions" in markdown  # in the contents
    # one rating is no list ordered by its mean
    assert "**Rating**" in part and "highest mean first" not in markdown


def test_a_quote_is_printed_once_in_a_section_unless_a_theme_has_no_other(built: Path,
                                                                          example_project):
    """A segment coded to two themes is quoted under the first; the second shows it again only
    when it has nothing else to show."""
    from collections import Counter

    for sidecar in (example_project / "drafts").glob("*.json"):
        themes = json.loads(sidecar.read_text())["themes"]
        printed = Counter((q["response_id"], q["start"]) for t in themes for q in t["quotes"])
        for theme in themes:
            again = [q for q in theme["quotes"] if printed[q["response_id"], q["start"]] > 1]
            assert not again or len(theme["quotes"]) == 1, (sidecar.name, theme["title"])


def test_the_body_follows_the_contents_in_number_order(tmp_path: Path):
    """A manifest that lists section 2 before section 1 gets a report whose contents, body and
    executive summary all run 1, 2: the contents were in number order, the body was not."""
    from tests.conftest import REPO, copy_project

    root = copy_project(REPO / "corpus" / "library-2025", tmp_path / "library")
    manifest = root / "summariser.toml"
    text = manifest.read_text()
    first, second = text.index("[[sections]]"), text.index("[[sections]]", text.index(
        "[[sections]]") + 1)
    end = text.find("\n[[", second + 1)
    end = len(text) if end < 0 else end
    swapped = text[:first] + text[second:end].rstrip() + "\n\n" + text[first:second].rstrip() \
        + "\n" + text[end:]
    manifest.write_text(swapped)
    result = runner.invoke(app, ["run", "-p", str(root), "--formats", "md"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    markdown = (root / "out" / "report.md").read_text()
    body = [line[3:] for line in markdown.splitlines() if line.startswith("## ")
            and line[3:4].isdigit()]
    contents = markdown[markdown.index("## Contents"):markdown.index("## Executive summary")]
    listed = [line[2:] for line in contents.splitlines() if line[2:3].isdigit()]
    assert [line.split()[0] for line in body] == ["1", "2"], body
    assert listed == body
    summary = markdown[markdown.index("## Executive summary"):markdown.index("## Methods")]
    assert summary.index(body[0].split(" ", 1)[1][:20]) < summary.index(
        body[1].split(" ", 1)[1][:20])
