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
    markdown = (built / "report.md").read_text()
    assert "A questionnaire was sent to 31 Chief Officers; 16 responded, a response rate of " \
           "52%." in markdown
    assert "Two interview transcripts were also analysed, with one other document." in markdown
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert headings[1:16] == [f"{s.number} {s.title}" for s in
                              __import__("summariser.project.manifest", fromlist=["x"]).load_manifest(
                                  example_project).sections]
    assert "| Financial pressures | 16 | 8.6 |" in markdown
    assert "Satisfied or Very satisfied: 8 of 12 (66.7%)" in markdown


def test_every_report_quote_is_in_the_appendix_with_its_source(built: Path, example_project):
    drafts = [json.loads(p.read_text()) for p in (example_project / "drafts").glob("*.json")]
    quotes = [q for d in drafts for t in d["themes"] for q in t["quotes"]]
    markdown = (built / "report.md").read_text()
    appendix = markdown.split("## Appendix")[1]
    assert len([line for line in appendix.splitlines() if line.startswith("| ") and
                line[2].isdigit()]) == len(quotes)
    for quote in quotes:
        block = f"> “{quote['text']}” [{quote['respondent']}]".replace("\n", "\n> ")
        assert block in markdown


def test_html_is_one_self_contained_file(built: Path):
    html = (built / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 3
    assert "<link" not in html and "src=\"http" not in html and "<script" not in html


def test_docx_reads_back_with_headings_quotes_tables_and_figures(built: Path):
    import docx

    document = docx.Document(str(built / "report.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2.1 What has gone well?" in text and "Methods" in text
    assert any(p.style.name == "Quote" and p.text.startswith("“") for p in document.paragraphs)
    assert len(document.tables) >= 3 and len(document.inline_shapes) >= 3


def test_report_refuses_to_publish_a_failing_draft(example_project: Path, built: Path):
    path = example_project / "drafts" / "gone-well.json"
    original = path.read_text()
    data = json.loads(original)
    data["themes"][0]["quotes"][0]["text"] = "Words nobody ever wrote in this survey at all."
    path.write_text(json.dumps(data))
    try:
        refused = runner.invoke(app, ["report", "-p", str(example_project), "-o",
                                      str(example_project / "out2")])
        assert refused.exit_code == 1 and "fails 1 publication check" in refused.output
        assert not (example_project / "out2").exists()
        allowed = runner.invoke(app, ["report", "-p", str(example_project), "-o",
                                      str(example_project / "out2"), "--allow-failures"])
        assert allowed.exit_code == 0
        markdown = (example_project / "out2" / "report.md").read_text()
        assert "## Review required before publication" in markdown
        assert "Words nobody ever wrote" in markdown
    finally:
        path.write_text(original)


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
